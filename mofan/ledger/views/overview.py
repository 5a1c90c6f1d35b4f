"""Views across ledgers: my tasks, the supervisor board, all visible items."""

from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.core.views_base import paginate
from mofan.ledger.choices import ItemState
from mofan.ledger.filters import filter_items
from mofan.ledger.forms import (
    ItemFilterForm,
)
from mofan.ledger.models import Item
from mofan.ledger.querysets import OPEN_STATES, light_parts
from mofan.ledger.services import OPEN_FOR_OWNERS
from mofan.ledger.views.base import LIGHT_RULE, item_table


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


class BoardView(ScopedMixin, View):
    """The supervisor's board: per lead unit, open items, red and yellow lights and late reports
    across the ledgers they supervise, worst first."""

    model = Item

    def get(self, request):
        items = Item.objects.restrict(request.user, Action.SUPERVISE).filter(state__in=OPEN_STATES)
        parts = light_parts(timezone.localdate())
        live_not_red = ~parts["none"] & ~parts["red"]
        by_unit: dict = {}
        # Three grouped queries rather than one: the report check then runs as an anti-join
        # over the open items instead of a subquery per item inside the counts.
        for row in items.values("lead_unit__code", "lead_unit__name").annotate(
            open=Count("pk"),
            red=Count("pk", filter=~parts["none"] & parts["red"]),
            yellow=Count("pk", filter=live_not_red & parts["soon"]),
        ):
            by_unit[row["lead_unit__code"]] = {**row, "late": 0}
        for code, late in (
            items.filter(parts["late"]).values_list("lead_unit__code").annotate(n=Count("pk"))
        ):
            by_unit[code]["late"] = late
        extra = items.filter(live_not_red & ~parts["soon"] & parts["late"])
        for code, more in extra.values_list("lead_unit__code").annotate(n=Count("pk")):
            by_unit[code]["yellow"] += more
        rows = sorted(
            by_unit.values(),
            key=lambda r: (-r["red"], -r["late"], -r["yellow"], r["lead_unit__name"] or ""),
        )
        context = {
            "rows": rows,
            "light_rule": LIGHT_RULE,
            "breadcrumbs": [{"label": "督办看板", "url": ""}],
        }
        return render(request, "ledger/board.html", context)


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
            "page": paginate(request, item_table(items)),
            "light_rule": LIGHT_RULE,
            "show_ledger": True,
            "breadcrumbs": [{"label": "督办事项", "url": ""}],
        }
        return render(request, "ledger/all_items.html", context)
