"""Shared pieces of the ledger pages: the light rule, the item-table query, access mixins."""

from django.shortcuts import render
from django.urls import reverse

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.ledger.models import Item, Ledger

LIGHT_RULE = (
    "绿灯：按计划推进；黄灯：距完成时限不足 3 个工作日，或上一报送期未报送进展；"
    "红灯：已超过完成时限尚未销号。有子事项的，子事项超期、临近时限或未按期报送也计入。"
)


def item_table(queryset, *, with_ledger: bool = True, people: bool = False):
    return queryset.for_table(with_ledger=with_ledger, people=people)


def item_rows(queryset, *, with_ledger: bool = True, people: bool = False):
    """The items of a table written by `{% item_rows %}`: only the columns it shows."""
    return queryset.for_rows(with_ledger=with_ledger, people=people)


class SupervisedLedgerMixin(ScopedMixin):
    """Views that change a ledger's contents: only its supervisors get in (others: 404)."""

    model = Ledger
    action = Action.SUPERVISE


class ItemMixin(ScopedMixin):
    model = Item

    def get_item(self, pk, action: Action = Action.VIEW) -> Item:
        return self.get_scoped_object(
            pk,
            queryset=Item.objects.restrict(self.request.user, action).select_related(
                "ledger", "lead_unit", "source", "agenda_item__meeting"
            ),
        )


def comments_by_report(item) -> dict[int, list]:
    comments: dict[int, list] = {}
    for event in item.events.filter(kind="comment", report__isnull=False).select_related("actor"):
        comments.setdefault(event.report_id, []).append(event)
    return comments


def ledger_crumbs(ledger, *tail: dict) -> list[dict]:
    return [
        {"label": "督办台账", "url": reverse("ledger:list")},
        {"label": ledger.name, "url": reverse("ledger:detail", args=[ledger.pk])},
        *tail,
    ]


def ledger_form_page(
    request, ledger, form, title: str, *, status: int = 200, cancel_url: str = "", note: str = ""
):
    """A form page inside a ledger: its breadcrumbs, the form, a cancel link back to the ledger."""
    context = {
        "form": form,
        "title": title,
        "note": note,
        "breadcrumbs": ledger_crumbs(ledger, {"label": title, "url": ""}),
        "cancel_url": cancel_url or reverse("ledger:detail", args=[ledger.pk]),
    }
    return render(request, "form_page.html", context, status=status)
