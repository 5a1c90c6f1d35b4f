"""The leader's dashboard (领导驾驶舱): one page for 党组书记, 分管领导 and 机关党委 over their scope
that answers in ten seconds which directives are behind and whose, which organisations miss their
meetings, whether 第一议题 and 中心组 study are kept, how rectification goes, and what the
assessments found over the years — each figure with the time it was counted and a way down to the
records.

`take()` (the daily job, `mofan cockpit-snapshot`) counts everything set-based — a handful of
grouped queries whatever the number of items and organisations — into the month's Snapshot rows;
`figures()` sums the rows within the reader's scope, so the page costs the same at national scale
as for one branch. The assessment results are read live: they change only when a round is
published, and are a few thousand rows per round."""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.db.models import Avg, Count, F, Max, Q, Sum
from django.utils import timezone

from mofan.access.scoping import Action
from mofan.assessment.choices import Grade, RoundState
from mofan.assessment.models import Target
from mofan.dashboard.models import Snapshot
from mofan.ledger.choices import FindingState
from mofan.ledger.models import Finding, Item
from mofan.ledger.querysets import OPEN_STATES, deadline_parts
from mofan.meetings.choices import MeetingKind, MeetingState
from mofan.meetings.models import ComplianceMonth, Meeting
from mofan.orgs.models import PartyOrg, Unit

UNIT_FIGURES = ("items_open", "items_red", "items_yellow", "findings_open", "findings_closed")
ORG_FIGURES = ("required", "met", "committee_held", "first_topic", "study_held", "study_months")
TREND_MONTHS = 12


def month_of(day: date) -> int:
    return day.year * 12 + day.month - 1


# -- the daily job -----------------------------------------------------------------------------


def _unit_rows(today: date) -> dict[int, dict]:
    parts = deadline_parts(today)
    live = ~parts["none"]
    red = live & parts["red"]
    found: dict[int, dict] = {}
    items = (
        Item.objects.filter(state__in=OPEN_STATES, lead_unit__isnull=False)
        .values("lead_unit_id")
        .annotate(
            open=Count("pk"), red=Count("pk", filter=red),
            yellow=Count("pk", filter=live & ~parts["red"] & parts["soon"]),
        )
        .order_by()
    )  # fmt: skip
    for row in items:
        found.setdefault(row["lead_unit_id"], {}).update(
            items_open=row["open"], items_red=row["red"], items_yellow=row["yellow"]
        )
    findings = (
        Finding.objects.values(unit_id=F("ledger__unit_id"))
        .annotate(
            closed=Count("pk", filter=Q(state=FindingState.CLOSED)),
            open=Count("pk", filter=~Q(state=FindingState.CLOSED)),
        )
        .order_by()
    )
    for row in findings:
        found.setdefault(row["unit_id"], {}).update(
            findings_open=row["open"], findings_closed=row["closed"]
        )
    return found


def _org_rows(today: date) -> dict[int, dict]:
    from mofan.meetings import kept

    kept.settle()
    from mofan.assessment.formulas import ended_months, first_topic_meetings

    first, last = today.year * 12, month_of(today)
    found: dict[int, dict] = {}
    # Requirements count once due (their month ended), as the assessment's scorers count them:
    # on 3 December no branch is short of December's meeting.
    compliance = (
        ComplianceMonth.objects.filter(month_index__range=ended_months(today.year, today))
        .values("org_id")
        .annotate(required=Sum("required"), met=Sum("met"))
        .order_by()
    )
    for row in compliance:
        if row["required"]:
            found.setdefault(row["org_id"], {}).update(required=row["required"], met=row["met"])
    held = Meeting.objects.filter(state=MeetingState.HELD, month_index__range=(first, last))

    committee = (
        first_topic_meetings(today.year, today)
        .values("org_id")
        .annotate(held=Count("pk"), opened=Count("pk", filter=Q(first_topic=True)))
        .order_by()
    )
    for row in committee:
        found.setdefault(row["org_id"], {}).update(
            committee_held=row["held"], first_topic=row["opened"]
        )
    study = (
        held.filter(kind=MeetingKind.CENTRAL_GROUP_STUDY)
        .values("org_id")
        .annotate(held=Count("pk"), months=Count("month_index", distinct=True))
        .order_by()
    )
    for row in study:
        found.setdefault(row["org_id"], {}).update(
            study_held=row["held"], study_months=row["months"]
        )
    return found


def take(now: datetime | None = None) -> int:
    """Count today's figures into this month's rows (replacing the day before's). Returns the
    number of rows written."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    month = month_of(today)
    units, orgs = _unit_rows(today), _org_rows(today)
    unit_paths = dict(Unit.objects.filter(pk__in=units).values_list("pk", "path"))
    org_paths = dict(PartyOrg.objects.filter(pk__in=orgs).values_list("pk", "path"))
    rows = [
        Snapshot(month_index=month, kind=Snapshot.UNIT, entity_id=pk, path=unit_paths[pk],
                 taken_at=now, **figures)
        for pk, figures in units.items() if pk in unit_paths
    ] + [
        Snapshot(month_index=month, kind=Snapshot.ORG, entity_id=pk, path=org_paths[pk],
                 taken_at=now, **figures)
        for pk, figures in orgs.items() if pk in org_paths
    ]  # fmt: skip
    with transaction.atomic():
        Snapshot.objects.filter(month_index=month).delete()
        Snapshot.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def ensure_today(now: datetime | None = None) -> None:
    """Without a worker (the embedded default) the page counts when today has not been counted."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    latest = Snapshot.objects.filter(month_index=month_of(today)).aggregate(at=Max("taken_at"))[
        "at"
    ]
    if latest is None or timezone.localtime(latest).date() != today:
        take(now)


# -- the page ----------------------------------------------------------------------------------


def _rate(part: int, whole: int) -> int | None:
    return round(part * 100 / whole) if whole else None


@dataclass
class Figures:
    as_of: datetime | None
    totals: dict
    units: list
    orgs: list
    trend: list
    results: list
    rates: dict
    checks: dict


def figures(user, today: date) -> Figures:
    """What the reader's scope adds up to: a few grouped queries over the kept rows."""
    rows = Snapshot.objects.restrict(user, Action.VIEW)
    latest = rows.aggregate(month=Max("month_index"))["month"]
    if latest is None:
        return Figures(None, {}, [], [], [], _results(user), {}, _checks(user, today))
    current = rows.filter(month_index=latest)
    totals = current.aggregate(
        as_of=Max("taken_at"), **{name: Sum(name) for name in UNIT_FIGURES + ORG_FIGURES}
    )
    totals = {k: (v or 0) if k != "as_of" else v for k, v in totals.items()}
    units = list(
        current.filter(kind=Snapshot.UNIT, items_open__gt=0)
        .order_by("-items_red", "-items_yellow", "-items_open", "path")[:10]
        .values("entity_id", "items_open", "items_red", "items_yellow")
    )
    names = dict(
        Unit.objects.filter(pk__in=[u["entity_id"] for u in units]).values_list("pk", "name")
    )
    for unit in units:
        unit["name"] = names.get(unit["entity_id"], "")
    orgs = list(
        current.filter(kind=Snapshot.ORG, required__gt=F("met"))
        .annotate(missed=F("required") - F("met"))
        .order_by("-missed", "path")[:10]
        .values("entity_id", "required", "met", "missed")
    )
    names = dict(
        PartyOrg.objects.filter(pk__in=[o["entity_id"] for o in orgs]).values_list("pk", "name")
    )
    for org in orgs:
        org["name"] = names.get(org["entity_id"], "")
        org["rate"] = _rate(org["met"], org["required"])
    trend = [
        {"month": f"{row['month_index'] // 12}年{row['month_index'] % 12 + 1}月",
         "red": row["red"] or 0, "open": row["open"] or 0,
         "compliance": _rate(row["met"] or 0, row["required"] or 0)}
        for row in rows.filter(month_index__gt=latest - TREND_MONTHS)
        .values("month_index")
        .annotate(red=Sum("items_red"), open=Sum("items_open"), required=Sum("required"),
                  met=Sum("met"))
        .order_by("month_index")
    ]  # fmt: skip
    months = today.month if latest == month_of(today) else 12
    rates = {
        "compliance": _rate(totals["met"], totals["required"]),
        "first_topic": _rate(totals["first_topic"], totals["committee_held"]),
        "findings": _rate(totals["findings_closed"], totals["findings_open"] + totals["findings_closed"]),
        "months": months,
    }  # fmt: skip
    return Figures(totals["as_of"], totals, units, orgs, trend, _results(user), rates,
                   _checks(user, today))  # fmt: skip


def _checks(user, today: date) -> dict:
    """The year's 督查检查考核 aimed at or run in the reader's scope, by kind (live: a few rows)."""
    from mofan.assessment import registry
    from mofan.assessment.models import CheckEntry

    seen = CheckEntry.objects.restrict(user, Action.VIEW).filter(year=today.year)
    return {"total": seen.count(), "by_kind": registry.counts_by_kind(seen),
            "pending": seen.filter(state="pending").count()}  # fmt: skip


def _results(user) -> list[dict]:
    """Published assessment results in the reader's scope, by year: how many of each grade and
    the average total."""
    rows = (
        Target.objects.restrict(user, Action.VIEW)
        .filter(round__state=RoundState.PUBLISHED)
        .values(year=F("round__scheme__year"), grade_=F("grade"))
        .annotate(n=Count("pk"), average=Avg("total"))
        .order_by("year")
    )
    years: dict[int, dict] = {}
    for row in rows:
        year = years.setdefault(row["year"], {"year": row["year"], "n": 0, "sum": 0.0,
                                              **{g: 0 for g in Grade.values}})  # fmt: skip
        if row["grade_"]:
            year[row["grade_"]] += row["n"]
        year["n"] += row["n"]
        year["sum"] += float(row["average"] or 0) * row["n"]
    out = []
    for year in years.values():
        year["average"] = round(year.pop("sum") / year["n"], 1) if year["n"] else None
        year["grades"] = [(Grade(g).label, year[g]) for g in Grade.values]
        out.append(year)
    return out
