from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from mofan.access.scoping import Action, admin_role_of, can_anywhere, person_of, roles_of
from mofan.dashboard import cockpit, search
from mofan.dashboard.panels import home_panels, supervised_lights
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
    context = {"admin_role": admin_role_of(request.user)}
    if can_anywhere(request.user, Action.VIEW):
        context["overview"] = stats.overview(request.user)
    if person_of(request.user):
        context["my_tasks"] = _task_summary(Item.objects.restrict(request.user, Action.HANDLE))
    if request.user.supervised_ledgers.exists() or request.user.decomposed_items.exists():
        lights = supervised_lights(request.user, timezone.localdate())
        context["supervised"] = lights["totals"]
        context["supervised_by_unit"] = lights["rows"]
        context["supervised_as_of"] = lights["as_of"]
    if not context["admin_role"]:
        context |= home_panels(
            request.user,
            person_id=person_of(request.user),
            roles=roles_of(request.user),
            now=timezone.now(),
        )
    return render(request, "dashboard/home.html", context)


@login_required
def search_page(request):
    """One box for everything the user may see: people, organisations, units, ledgers and items,
    meetings, documents."""
    text = request.GET.get("q", "").strip()
    sections = search.search(request.user, text) if not admin_role_of(request.user) else []
    context = {
        "q": text,
        "sections": sections,
        "too_long": len(text) > search.MAX_TEXT,
        "breadcrumbs": [{"label": "搜索", "url": ""}],
    }
    return render(request, "dashboard/search.html", context)


@login_required
def cockpit_page(request):
    """领导驾驶舱: the reader's scope at a glance, from the figures the daily job keeps."""
    if admin_role_of(request.user) or not can_anywhere(request.user, Action.VIEW):
        raise Http404("未找到该记录。")
    if not settings.KEPT_BY_WORKER:
        cockpit.ensure_today()
    today = timezone.localdate()
    found = cockpit.figures(request.user, today)
    chart = {
        "months": [row["month"] for row in found.trend],
        "red": [row["red"] for row in found.trend],
        "open": [row["open"] for row in found.trend],
        "compliance": [row["compliance"] for row in found.trend],
        "years": [str(r["year"]) for r in found.results],
        "grades": [label for label, _ in found.results[0]["grades"]] if found.results else [],
        "counts": [[n for _, n in r["grades"]] for r in found.results],
    }
    return render(request, "dashboard/cockpit.html", {
        "f": found, "chart": chart, "today": today,
        "breadcrumbs": [{"label": "领导驾驶舱", "url": ""}],
    })  # fmt: skip
