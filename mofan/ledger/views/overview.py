"""Views across ledgers: my tasks, the supervisor board, all visible items."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, can_anywhere
from mofan.access.views_base import ScopedMixin
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, UserFacingError
from mofan.core.views_base import paginate
from mofan.ledger import board, circular, services
from mofan.ledger.choices import HandoverState, ItemState
from mofan.ledger.filters import filter_items
from mofan.ledger.forms import (
    ItemFilterForm,
)
from mofan.ledger.models import Handover, Item, Ledger
from mofan.ledger.services import OPEN_FOR_OWNERS
from mofan.ledger.views.base import LIGHT_RULE, item_rows, item_table


class MyTasksView(ScopedMixin, View):
    """The owner's own items, most urgent first; made for a phone."""

    model = Item

    def get(self, request):
        items = Item.objects.restrict(request.user, Action.HANDLE).exclude(
            state__in=[ItemState.DRAFT, ItemState.CLOSED]
        )
        items = item_table(items.with_light(timezone.localdate())).order_by("deadline", "sort_key")
        # As a unit's 督办联络员: items handed to the unit that still need an owner.
        to_name = (
            Item.objects.restrict(request.user, Action.RECEIVE)
            .filter(state__in=OPEN_FOR_OWNERS, owners__isnull=True)
            .select_related("ledger", "lead_unit")
            .order_by("deadline", "pk")
        )
        context = {
            "to_name": to_name[:50],
            "to_name_count": to_name.count(),
            "page": paginate(request, items),
            "light_rule": LIGHT_RULE,
            "breadcrumbs": [{"label": "我的任务", "url": ""}],
        }
        return render(request, "ledger/my_tasks.html", context)


BOARD_ROWS = 50  # units shown on the board, worst first, unless all are asked for


class BoardView(ScopedMixin, View):
    """The supervisor's board: per lead unit, open items, red and yellow lights and late reports
    across the ledgers they supervise, worst first."""

    model = Item

    def _chosen(self, request):
        """The ledgers the user supervises, and the one they picked (None for all)."""
        ledgers = list(
            Ledger.objects.restrict(request.user, Action.SUPERVISE).order_by("-year", "name")
        )
        ledger = None
        key = request.GET.get("ledger", "")
        if key:
            ledger = next((each for each in ledgers if str(each.pk) == key), None)
            if ledger is None:
                raise Http404("未找到该记录。")
        return ledger, ledgers

    def get(self, request):
        ledger, ledgers = self._chosen(request)
        today = timezone.localdate()
        supervised = [each.pk for each in ledgers]
        kept = [ledger.pk] if ledger else supervised
        pending = []
        if not settings.KEPT_BY_WORKER:
            board.refresh_due(today, kept)  # no worker keeps them: count what is due now
        else:
            pending = board.never_counted(kept)  # new ledgers: the minute's job counts them
        # With no ledger chosen, also what the user split off below them in other ledgers.
        follower = None if ledger else request.user
        found = board.board(kept, today, follower=follower, supervised=supervised)
        everything = request.GET.get("all") == "1"
        context = {
            "rows": found.rows if everything else found.rows[:BOARD_ROWS],
            "row_count": len(found.rows),
            "units": found.circular.units if everything else found.circular.units[:BOARD_ROWS],
            "everything": everything,
            "circular": found.circular,
            "as_of": found.as_of,
            "kept_by_job": settings.KEPT_BY_WORKER,
            "pending": len(pending),
            "ledgers": ledgers,
            "ledger": ledger,
            "light_rule": LIGHT_RULE,
            "breadcrumbs": [{"label": "督办看板", "url": ""}],
        }
        return render(request, "ledger/board.html", context)


class CircularExportView(BoardView):
    """The 督查通报 of the board's items (one ledger or all one supervises), as Word or Excel."""

    def get(self, request, fmt):
        ledger, _ = self._chosen(request)
        supervised = Item.objects.restrict(request.user, Action.FOLLOW)
        if ledger:
            supervised = supervised.filter(ledger=ledger)
        today = timezone.localdate()
        title = f"关于{ledger.name if ledger else '督办事项'}落实情况的通报"
        found = circular.figures(supervised, today, title=title)
        if fmt == "docx":
            issuer = ledger.unit.name if ledger else "督查督办部门"
            path = circular.docx(found, issuer=issuer)
        elif fmt == "xlsx":
            path = circular.xlsx(found)
        else:
            raise Http404("未找到该记录。")
        audit.record(
            request.user,
            "ledger.circular.exported",
            ledger,
            payload={"format": fmt, "items": found.total.assigned},
        )
        name = f"{title}（{today:%Y%m%d}）.{fmt}"
        return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115


class AllItemsView(ScopedMixin, View):
    """Every item the user may see, across ledgers, with the same filters as a ledger's table."""

    model = Item

    def get(self, request):
        form = ItemFilterForm(request.GET or None, user=request.user)
        data = form.cleaned_data if form.is_valid() else {}
        items = filter_items(
            Item.objects.restrict(request.user, Action.VIEW).with_light(timezone.localdate()), data
        )
        context = {
            "filter": form,
            "page": paginate(request, item_rows(items)),
            "light_rule": LIGHT_RULE,
            "show_ledger": True,
            "breadcrumbs": [{"label": "督办事项", "url": ""}],
        }
        return render(request, "ledger/all_items.html", context)


class HandoversView(ScopedMixin, View):
    """上级交办: what upper organisations handed to the user's organisation, to 签收 into a ledger
    they supervise there or 退回 with a reason; and what they decided before."""

    model = Handover
    action = Action.TAKE_OVER

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_anywhere(request.user, Action.TAKE_OVER):
            raise Http404("未找到该记录。")
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, status=200, errors=None):
        mine = Handover.objects.restrict(request.user, Action.TAKE_OVER).select_related(
            "item__ledger", "to_unit", "received__ledger", "created_by", "decided_by"
        )
        ledgers = list(
            Ledger.objects.restrict(request.user, Action.SUPERVISE).select_related("unit")
        )
        pending = [
            {
                "handover": h,
                "ledgers": [lg for lg in ledgers if lg.unit.path.startswith(h.to_unit.path)],
                "error": (errors or {}).get(h.pk, ""),
            }
            for h in mine.filter(state=HandoverState.PENDING)
        ]
        context = {
            "pending": pending,
            "decided": mine.exclude(state=HandoverState.PENDING)[:50],
            "breadcrumbs": [{"label": "上级交办", "url": ""}],
        }
        return render(request, "ledger/handovers.html", context, status=status)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        handover = self.get_scoped_object(
            request.POST.get("handover", ""),
            queryset=Handover.objects.restrict(request.user, Action.TAKE_OVER),
        )
        try:
            if request.POST.get("action") == "take_over":
                key = request.POST.get("ledger", "")
                ledger = (
                    Ledger.objects.restrict(request.user, Action.SUPERVISE).filter(pk=key).first()
                    if key.isdecimal()
                    else None
                )
                if ledger is None:
                    raise InvalidInput("请选择纳入的台账。")
                received = services.take_over(handover, actor=request.user, ledger=ledger)
                messages.success(
                    request, f"已签收，纳入《{ledger.name}》第 {received.number} 项，请交办落实。"
                )
                return redirect("ledger:item", pk=received.pk)
            if request.POST.get("action") != "return":
                raise InvalidInput("请选择签收或退回。")
            services.return_handover(
                handover, actor=request.user, reason=request.POST.get("reason", "")
            )
        except UserFacingError as error:
            return self._render(
                request, status=error.status_code, errors={handover.pk: error.message}
            )
        messages.success(request, "已退回，并告知上级督办人。")
        return redirect("ledger:handovers")
