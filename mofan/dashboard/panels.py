"""What each role sees first on the home page (issue 10, "each role's home"): plain functions over
the scoped querysets, each a few queries whatever the size of the data.

- an ordinary member: their next meetings, their tasks, their study hours against the year's
  floor (their own figure, never a ranking), their unread notices;
- a branch secretary: the branch's checklist of what is still due this period, and the next
  deadlines;
- a supervisor and a leader: the ledger lights by lead unit (red and yellow first); the
  supervisor's from the board's kept figures, with the time they were counted.
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, F
from django.utils import timezone

from mofan.access.roles import Role
from mofan.access.scoping import Action
from mofan.ledger.models import Item
from mofan.ledger.querysets import OPEN_STATES, light_parts
from mofan.meetings import compliance
from mofan.meetings import services as meetings
from mofan.meetings.choices import MeetingState
from mofan.meetings.models import Attendance
from mofan.members.models import Transfer
from mofan.notify.models import Notification
from mofan.orgs.models import PartyOrg
from mofan.recruitment import rules as recruitment_rules
from mofan.recruitment.choices import StepKind
from mofan.recruitment.models import Applicant

STUDY_HOURS_FLOOR = 32  # 党员每年集中学习培训不少于32学时 (中国共产党党员教育管理工作条例)


def next_meetings(user, person_id: int, now: datetime, limit: int = 5) -> list:
    """The meetings the person is due at that have not ended yet, soonest first."""
    return list(
        Attendance.objects.restrict(user, Action.VIEW)
        .filter(
            person_id=person_id,
            meeting__state=MeetingState.PLANNED,
            meeting__ends_at__gte=now,
        )
        .select_related("meeting", "meeting__org")
        .order_by("meeting__starts_at", "meeting_id")[:limit]
    )


def study_hours(person_id: int, year: int) -> dict:
    hours = meetings.study_hours(person_id, year)
    return {
        "hours": hours,
        "floor": STUDY_HOURS_FLOOR,
        "percent": min(100, int(hours * 100 / STUDY_HOURS_FLOOR)),
        "left": max(0, STUDY_HOURS_FLOOR - hours),
    }


def unread_notices(user, limit: int = 5) -> list:
    return list(
        Notification.objects.restrict(user, Action.VIEW)
        .filter(read_at__isnull=True)
        .order_by("-created_at", "-pk")[:limit]
    )


def branch_checklists(user, today: date, limit: int = 3) -> list[dict]:
    """For the branches the user is the secretary of: what is still due this period (the unmet
    checks, nearest deadline first)."""
    branches = (
        PartyOrg.objects.restrict(user, Action.RECORD)
        .active()
        .filter(roleassignment__user=user, roleassignment__role=Role.BRANCH_SECRETARY)
        .distinct()
        .order_by("path")[:limit]
    )
    out = []
    soon = today + timedelta(days=14)
    for org in branches:
        checks = compliance.checklist(org, today)
        # 发展党员 steps overdue or due within two weeks, and letters waiting to be accepted.
        files = (
            Applicant.objects.restrict(user, Action.RECRUIT)
            .in_subtree(org)
            .filter(stage__in=recruitment_rules.LIVE, next_due_on__lte=soon)
            .select_related("person")
            .order_by("next_due_on", "pk")[:5]
        )
        out.append({
            "org": org, "open": [c for c in checks if not c.met], "done": len(checks),
            "recruitment": [
                {"file": f, "label": StepKind(f.next_due_kind).label, "due": f.next_due_on,
                 "overdue": f.next_due_on < today}
                for f in files
            ],
            "letters": Transfer.objects.restrict(user, Action.TRANSFER).pending()
            .to_subtree(org).count(),
        })  # fmt: skip
    return out


def next_deadlines(items, today: date, limit: int = 5) -> list:
    """Open items with a deadline from today on, soonest first."""
    return list(
        items.filter(state__in=OPEN_STATES, deadline__gte=today)
        .select_related("ledger", "lead_unit")
        .order_by("deadline", "pk")[:limit]
    )


def lights_by_unit(items, today: date, limit: int = 10) -> list[dict]:
    """Open items per lead unit: overdue (red) and due within three working days, worst first.
    One grouped query over the deadlines only: the late-report part of the yellow light needs a
    subquery per item (5.4 s over a national supervisor's 1,000,000 items), so the home page
    leaves it to the board."""
    parts = light_parts(today)
    live = ~parts["none"]
    red = live & parts["red"]
    yellow = live & ~parts["red"] & parts["soon"]
    rows = (
        items.filter(state__in=OPEN_STATES, lead_unit__isnull=False)
        .values("lead_unit_id", unit=F("lead_unit__name"))
        .annotate(
            open=Count("pk"),
            red=Count("pk", filter=red),
            yellow=Count("pk", filter=yellow),
        )
        .order_by("-red", "-yellow", "-open", "unit")[:limit]
    )
    return [
        {**row, "green": row["open"] - row["red"] - row["yellow"]} for row in rows if row["open"]
    ]


def supervised_lights(user, today: date, limit: int = 10) -> dict:
    """What the supervisor sees first, from the board's kept figures (the ledgers they supervise,
    with what they split off below them counted now): the totals (`open`, `red`, `yellow`),
    the lead units worst first (`rows`), and when the figures were counted (`as_of`). Counting a
    national supervisor's 1,000,000 items here took about a second on every visit to the home
    page. With no worker the due ledgers are counted first, as on the board's page."""
    from django.conf import settings

    from mofan.ledger import board
    from mofan.ledger.models import Ledger

    supervised = list(
        Ledger.objects.restrict(user, Action.SUPERVISE).order_by().values_list("pk", flat=True)
    )
    if not settings.KEPT_BY_WORKER:
        board.refresh_due(today, supervised)
    found = board.board(supervised, today, follower=user, supervised=supervised)
    totals = {key: sum(row[key] for row in found.rows) for key in ("open", "red", "yellow")}
    rows = [
        {
            "lead_unit_id": row["lead_unit_id"],
            "unit": row["lead_unit__name"],
            "open": row["open"],
            "red": row["red"],
            "yellow": row["yellow"],
            "green": row["open"] - row["red"] - row["yellow"],
        }
        for row in found.rows
        if row["lead_unit_id"] is not None
    ][:limit]
    return {"totals": totals, "rows": rows, "as_of": found.as_of}


def home_panels(user, *, person_id: int | None, roles: frozenset, now: datetime) -> dict:
    today = timezone.localtime(now).date()
    panels: dict = {}
    if person_id:
        panels["member"] = True
        panels["next_meetings"] = next_meetings(user, person_id, now)
        panels["study"] = study_hours(person_id, today.year)
        panels["year"] = today.year
        panels["my_deadlines"] = next_deadlines(Item.objects.restrict(user, Action.HANDLE), today)
    panels["unread_notices"] = unread_notices(user)
    if Role.BRANCH_SECRETARY in roles:
        panels["branches"] = branch_checklists(user, today)
    if Role.LEADER in roles:
        panels["scope_by_unit"] = lights_by_unit(Item.objects.restrict(user, Action.VIEW), today)
    return panels
