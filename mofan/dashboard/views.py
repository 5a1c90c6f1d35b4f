from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils import timezone

from mofan.access.scoping import scope_for
from mofan.ledger.models import Item
from mofan.ledger.querysets import OPEN_STATES, light_parts
from mofan.orgs import stats


def _task_summary(items) -> dict:
    """Open items, and how many are red or yellow, in one query."""
    parts = light_parts(timezone.localdate())
    live_not_red = ~parts["none"] & ~parts["red"]
    return items.filter(state__in=OPEN_STATES).aggregate(
        open=Count("pk"),
        red=Count("pk", filter=parts["red"]),
        soon=Count("pk", filter=live_not_red & parts["soon"]),
    )


@login_required
def home(request):
    scope = scope_for(request.user)
    context = {"scope": scope}
    if scope.can_anywhere("view"):
        context["overview"] = stats.overview(request.user)
    if scope.person_id:
        context["my_tasks"] = _task_summary(Item.objects.restrict(request.user, "handle"))
    if request.user.supervised_ledgers.exists():
        context["supervised"] = _task_summary(Item.objects.restrict(request.user, "supervise"))
    return render(request, "dashboard/home.html", context)
