"""The compliance engine: for every organisation of a subtree and every period of a year, the
meetings the rules in force required against those held. One SQL statement does it, whatever the
number of organisations, on PostgreSQL and SQLite alike: rules are expanded into requirement rows,
periods into "due" rows (the month a period ends in), held meetings are counted per organisation,
kind and month from the counts the services keep on each meeting (quorate, by the secretary)."""

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection

from mofan.ledger import workdays
from mofan.meetings.choices import AttendanceStatus, MeetingKind, MeetingState, Period
from mofan.meetings.models import Attendance, Meeting, MeetingRule
from mofan.orgs.choices import MembershipStatus, OrgKind
from mofan.orgs.models import Membership, PartyOrg, Person

SPANS = {Period.MONTH: 1, Period.QUARTER: 3, Period.YEAR: 12}
FOREVER = date(9999, 12, 31)
PERIOD_WORDS = {1: "本月", 3: "本季度", 12: "本年度"}
PERIOD_ENDS = {1: "月底", 3: "季度末", 12: "年底"}


def month_bounds(index: int) -> tuple[date, date]:
    year, month = divmod(index, 12)
    return date(year, month + 1, 1), date(year, month + 1, calendar.monthrange(year, month + 1)[1])


def span_bounds(due: int, span: int) -> tuple[date, date]:
    return month_bounds(due - span + 1)[0], month_bounds(due)[1]


def _metric(rule: MeetingRule) -> str:
    if rule.by_secretary:
        return "s"
    return "q" if rule.quorum else "n"


def requirement_rows(rules) -> list[tuple]:
    """(rule, org kind, committee only, meeting kind, span, minimum, metric, from, to, scope)"""
    rows = []
    for rule in rules:
        scope = (rule.org.path if rule.org_id else "") + "%"
        for org_kind in rule.org_kinds:
            rows.append(
                (
                    rule.pk,
                    org_kind,
                    1 if rule.needs_committee else 0,
                    rule.kind,
                    SPANS[rule.period],
                    rule.minimum,
                    _metric(rule),
                    rule.effective_from,
                    rule.effective_to or FOREVER,
                    scope,
                )
            )
    return rows


def due_rows(first: int, last: int) -> list[tuple]:
    """(span, due month, period start, period end) for every period ending in [first, last]."""
    rows = []
    for span in (1, 3, 12):
        for due in range(first, last + 1):
            if due % span == span - 1:
                rows.append((span, due, *span_bounds(due, span)))
    return rows


def _values(rows: list[tuple]) -> tuple[str, list]:
    width = len(rows[0])
    sql = ", ".join("(" + ", ".join(["%s"] * width) + ")" for _ in rows)
    return sql, [value for row in rows for value in row]


_SQL = """
WITH req(rule_id, org_kind, committee_only, kind, span, minimum, metric, eff_from, eff_to, scope)
     AS (VALUES {req}),
due(span, due_month, starts, ends) AS (VALUES {due}),
held AS (
    SELECT m.org_id, m.kind, m.month_index, COUNT(*) AS n,
           SUM(CASE WHEN m.quorate THEN 1 ELSE 0 END) AS q,
           SUM(CASE WHEN m.by_secretary THEN 1 ELSE 0 END) AS s
    FROM {meeting} m JOIN {org} mo ON mo.id = m.org_id
    WHERE m.state = %s AND m.month_index BETWEEN %s AND %s AND {held_orgs}
    GROUP BY m.org_id, m.kind, m.month_index
),
checks AS (
    SELECT o.id AS org_id, d.due_month, r.rule_id, r.minimum,
           COALESCE(SUM(CASE r.metric WHEN 'q' THEN h.q WHEN 's' THEN h.s ELSE h.n END), 0)
               AS done
    FROM {org} o
    JOIN req r ON o.kind = r.org_kind AND (r.committee_only = 0 OR o.has_committee)
              AND o.path LIKE r.scope
    JOIN due d ON d.span = r.span AND r.eff_from <= d.ends AND r.eff_to >= d.starts
    LEFT JOIN held h ON h.org_id = o.id AND h.kind = r.kind
              AND h.month_index BETWEEN d.due_month - r.span + 1 AND d.due_month
    WHERE {orgs}
      -- a 党小组 with no member in good standing has nobody to meet: no rule binds it
      AND (o.kind <> %s OR EXISTS (
          SELECT 1 FROM {membership} mm WHERE mm.org_id = o.id AND mm.status = %s))
      AND (o.founded_on IS NULL OR o.founded_on <= d.ends)
      AND (o.dissolved_on IS NULL OR o.dissolved_on >= d.starts)
    GROUP BY o.id, d.due_month, r.rule_id, r.minimum
)
{select}
"""
_TOTALS = """SELECT org_id, due_month, COUNT(*) AS required,
       SUM(CASE WHEN done >= minimum THEN 1 ELSE 0 END) AS met
FROM checks GROUP BY org_id, due_month"""
_GAPS = "SELECT org_id, due_month, rule_id, done, minimum FROM checks WHERE done < minimum"


def counts(
    root: PartyOrg, first: int, last: int, *, subtree: bool = True
) -> dict[tuple[int, int], tuple[int, int]]:
    """{(org id, due month): (requirements due, requirements met)} for the subtree of `root`
    (or `root` alone)."""
    rows = _run(root, due_rows(first, last), _TOTALS, subtree=subtree)
    return {(org, due): (required, met) for org, due, required, met in rows}


def gaps(root: PartyOrg, today: date) -> list[tuple[int, int, int, int, int]]:
    """The requirements of the periods running today that are not met yet, for every organisation
    of the subtree: (org id, due month, rule id, held, required)."""
    now = today.year * 12 + today.month - 1
    due = [(span, now - now % span + span - 1) for span in (1, 3, 12)]
    rows = [(span, d, *span_bounds(d, span)) for span, d in due]
    return _run(root, rows, _GAPS, upto=now)


def _run(
    root: PartyOrg, due: list[tuple], select: str, upto: int | None = None, subtree: bool = True
) -> list[tuple]:
    if not due:
        return []
    first = min(row[1] - row[0] + 1 for row in due)
    last = max(row[1] for row in due)
    rules = list(
        MeetingRule.objects.in_force(month_bounds(first)[0], month_bounds(last)[1])
        .select_related("org")
        .order_by("pk")
    )
    req = requirement_rows(rules)
    if not req:
        return []
    req_sql, req_params = _values(req)
    due_sql, due_params = _values(due)
    sql = _SQL.format(
        req=req_sql,
        due=due_sql,
        meeting=Meeting._meta.db_table,
        org=PartyOrg._meta.db_table,
        membership=Membership._meta.db_table,
        select=select,
        held_orgs="mo.path LIKE %s" if subtree else "m.org_id = %s",
        orgs="o.path LIKE %s" if subtree else "o.id = %s",
    )
    which = root.path + "%" if subtree else root.pk
    # Held meetings count towards the periods of this range only; a yearly period needs the
    # whole year even when the range starts later. Nothing after `upto` has been held.
    params = [
        *req_params,
        *due_params,
        MeetingState.HELD,
        first,
        last if upto is None else min(last, upto),
        which,
        which,
        OrgKind.GROUP,
        MembershipStatus.NORMAL,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# -- the heat map ----------------------------------------------------------------------------

MET, UNMET, OPEN, NONE, FUTURE = "met", "unmet", "open", "none", "future"
LABELS = {
    MET: "达标",
    UNMET: "未达标",
    OPEN: "进行中（本期尚未完成）",
    NONE: "本月无到期要求",
    FUTURE: "尚未到期",
}


@dataclass
class Row:
    org: PartyOrg
    cells: list[dict] = field(default_factory=list)


@dataclass
class Matrix:
    year: int
    rows: list[Row]
    month_totals: list[dict]  # per month: organisations due, met


def _kept_rows(root: PartyOrg, first: int, last: int, orgs=None):
    from mofan.meetings import kept
    from mofan.meetings.models import ComplianceMonth

    kept.settle()

    rows = ComplianceMonth.objects.filter(month_index__range=(first, last))
    if orgs is not None:
        return rows.filter(org_id__in=[org.pk for org in orgs])
    return rows.filter(org__path__startswith=root.path)


def matrix(root: PartyOrg, year: int, today: date, orgs=None) -> Matrix:
    """Organisations (of `orgs`, or the whole subtree) × the twelve months of a year, from the
    kept results (meetings/kept.py)."""
    first, last = year * 12, year * 12 + 11
    now = today.year * 12 + today.month - 1
    found = {
        (org_id, month): (required, met, filled)
        for org_id, month, required, met, filled in _kept_rows(root, first, last, orgs)
        .order_by()
        .values_list("org_id", "month_index", "required", "met", "back_filled")
    }
    if orgs is None:
        ids = sorted(
            {org for (org, month), (required, _, _) in found.items() if required and month <= now}
        )
        orgs = list(PartyOrg.objects.filter(pk__in=ids).order_by("path"))
    totals = [{"due": 0, "met": 0} for _ in range(12)]
    rows = []
    for org in orgs:
        row = Row(org)
        for month in range(12):
            index = first + month
            required, met, filled = found.get((org.pk, index), (0, 0, 0))
            if index > now:
                status, required, met = FUTURE, 0, 0
            elif required == 0:
                status = NONE
            elif met == required:
                status = MET
            else:
                status = OPEN if index == now else UNMET
            if required:
                totals[month]["due"] += 1
                totals[month]["met"] += met == required
            row.cells.append(
                {
                    "month": month + 1,
                    "status": status,
                    "required": required,
                    "met": met,
                    "back_filled": filled,
                }
            )
        rows.append(row)
    return Matrix(year, rows, totals)


def listed_orgs(root: PartyOrg, year: int, today: date):
    """The organisations of the subtree the heat map lists for a year (those with a
    requirement due so far), in tree order: a queryset, for paging."""
    from mofan.meetings import kept
    from mofan.meetings.models import ComplianceMonth

    kept.settle()
    first = year * 12
    last = min(year * 12 + 11, today.year * 12 + today.month - 1)
    due = ComplianceMonth.objects.filter(month_index__range=(first, last), required__gt=0)
    return PartyOrg.objects.filter(
        path__startswith=root.path, pk__in=due.values("org_id")
    ).order_by("path")


def month_totals(root: PartyOrg, year: int, today: date) -> list[dict]:
    """Per month of the year, over the whole subtree: organisations with a requirement due
    and those that met all of theirs (one grouped query over the kept results)."""
    from django.db.models import Count, F, Q

    first = year * 12
    last = min(year * 12 + 11, today.year * 12 + today.month - 1)
    totals = [{"due": 0, "met": 0} for _ in range(12)]
    rows = (
        _kept_rows(root, first, last)
        .filter(required__gt=0)
        .values("month_index")
        .annotate(due=Count("pk"), met=Count("pk", filter=Q(met=F("required"))))
        .order_by()
    )
    for row in rows:
        totals[row["month_index"] - first] = {"due": row["due"], "met": row["met"]}
    return totals


# -- duties of other apps on the heat map ----------------------------------------------------


@dataclass(frozen=True)
class Overlay:
    """Duties an app above this one keeps that fall due month by month (a 发展党员 step, say):
    shown on the heat map beside the meetings — a mark and a line of the tooltip on each month
    with one overdue, the list in the month's detail. Registered by that app's ready().
    `overdue(user, org_ids, year, today)` → {(org_id, month 1–12): count} of what the user may
    read that fell due that month and is still not done; `in_month(user, org, year, month,
    today)` → [{"title", "url", "note", "overdue"}] of what falls due that month."""

    name: str
    overdue: Callable
    in_month: Callable


OVERLAYS: list[Overlay] = []


def overlay_notes(user, org_ids, year: int, today: date) -> dict:
    """{(org_id, month 1–12): ["发展党员：2项逾期未办", …]} for the rows of a heat map page."""
    notes: dict = {}
    for overlay in OVERLAYS:
        for key, count in overlay.overdue(user, org_ids, year, today).items():
            notes.setdefault(key, []).append(f"{overlay.name}：{count}项逾期未办")
    return notes


def overlay_items(user, org, year: int, month: int, today: date) -> list:
    """[(name, items)] of what falls due in one organisation's month, by app."""
    found = [(o.name, o.in_month(user, org, year, month, today)) for o in OVERLAYS]
    return [(name, items) for name, items in found if items]


# -- one organisation: the secretary's checklist ---------------------------------------------


@dataclass
class Check:
    rule: MeetingRule
    held: int
    required: int
    period_start: date
    period_end: date
    workdays_left: int
    short_of_quorum: int = 0  # held, but without more than half of those expected

    @property
    def met(self) -> bool:
        return self.held >= self.required

    @property
    def message(self) -> str:
        span = SPANS[self.rule.period]
        what = MeetingKind(self.rule.kind).label
        if self.rule.by_secretary:
            what = "书记讲党课"
        elif self.rule.quorum:
            what += f"（{self.rule.quorum_words}）"
        if self.met:
            return f"{PERIOD_WORDS[span]}{what}已完成（{self.held}/{self.required}次）"
        short = (
            f"；另有{self.short_of_quorum}次出席未过半数，不计入" if self.short_of_quorum else ""
        )
        return (
            f"{PERIOD_WORDS[span]}尚未召开{what}（已召开{self.held}次，至少{self.required}次{short}），"
            f"距{PERIOD_ENDS[span]}还有{self.workdays_left}个工作日"
        )


def why_not_counted(meeting, rules) -> str:
    """Why a meeting does not count towards the rules of its kind, or "" when it does."""
    if meeting.state == MeetingState.CANCELLED:
        return "已取消，不计入"
    if meeting.state != MeetingState.HELD:
        return "尚未召开"
    mine = [rule for rule in rules if rule.kind == meeting.kind]
    if any(rule.by_secretary for rule in mine) and not meeting.by_secretary:
        return "非支部书记讲授，不计入“书记讲党课”"
    quorum = next((rule for rule in mine if rule.quorum), None)
    if quorum and not meeting.quorate:
        who = "委员" if "委员" in quorum.quorum_words else "应到党员"
        return f"出席未过半数{who}，不计入"
    return ""


def is_bound(org: PartyOrg, start: date, end: date) -> bool:
    """Whether any rule can bind the organisation over a period: it existed during it, and (a
    党小组) it has a member in good standing. The same conditions as the heat map's SQL, so the
    checklist, a month's detail and the heat map never disagree on a duty."""
    if org.founded_on and org.founded_on > end:
        return False
    if org.dissolved_on and org.dissolved_on < start:
        return False
    return org.kind != OrgKind.GROUP or (
        Membership.objects.filter(org=org, status=MembershipStatus.NORMAL).exists()
    )


def _in_force(rule: MeetingRule, start: date, end: date) -> bool:
    return rule.effective_from <= end and (rule.effective_to or FOREVER) >= start


def applicable_rules(org: PartyOrg, start: date, end: date):
    rules = MeetingRule.objects.in_force(start, end).select_related("org")
    return [
        rule
        for rule in rules
        if org.kind in rule.org_kinds
        and (not rule.needs_committee or org.has_committee)
        and (rule.org_id is None or org.path.startswith(rule.org.path))
    ]


def checklist(org: PartyOrg, today: date) -> list[Check]:
    """For each rule on the organisation, the current period: held so far against required, and
    the working days left. Unmet first, the nearest deadline first."""
    now = today.year * 12 + today.month - 1
    checks = []
    bounds = {span: span_bounds(now - now % span + span - 1, span) for span in (1, 3, 12)}
    # Rules in force at some day of their own current period, on an organisation bound by them
    # over it: the heat map's conditions (a rule that starts mid-quarter binds that quarter).
    rules = [
        rule
        for rule in applicable_rules(org, bounds[12][0], bounds[12][1])
        if _in_force(rule, *bounds[SPANS[rule.period]])
        and is_bound(org, *bounds[SPANS[rule.period]])
    ]
    if not rules:
        return []
    bounds = {SPANS[rule.period]: bounds[SPANS[rule.period]] for rule in rules}
    low = min(b[0] for b in bounds.values())
    low_index = low.year * 12 + low.month - 1
    held = list(
        Meeting.objects.filter(
            org=org, state=MeetingState.HELD, month_index__range=(low_index, now)
        ).values_list("kind", "month_index", "quorate", "by_secretary")
    )
    for rule in rules:
        span = SPANS[rule.period]
        start, end = bounds[span]
        first = start.year * 12 + start.month - 1
        done = sum(
            1
            for kind, index, quorate, secretary in held
            if kind == rule.kind
            and index >= first
            and (secretary if rule.by_secretary else (quorate if rule.quorum else True))
        )
        short = (
            sum(
                1
                for kind, index, quorate, _ in held
                if kind == rule.kind and index >= first and not quorate
            )
            if rule.quorum
            else 0
        )
        checks.append(
            Check(
                rule=rule,
                held=done,
                short_of_quorum=short,
                required=rule.minimum,
                period_start=start,
                period_end=end,
                workdays_left=max(0, workdays.workdays_between(today, end)),
            )
        )
    checks.sort(key=lambda c: (c.met, c.period_end, c.rule.kind))
    return checks


@dataclass
class TalksLeft:
    """谈心谈话 is owed to each member every year: the meeting count alone does not show it."""

    count: int
    names: list[str]
    year: int
    article: str

    @property
    def message(self) -> str:
        more = "等" if self.count > len(self.names) else ""
        return f"{self.year}年尚有{self.count}名党员未参加谈心谈话：{'、'.join(self.names)}{more}"


def talks_left(org: PartyOrg, today: date, checks: list[Check], shown: int = 8) -> TalksLeft | None:
    """The members in good standing of a branch (and its groups) whom no 谈心谈话 of the branch
    held this year has included yet; None when no rule asks the organisation for one."""
    rule = next((c.rule for c in checks if c.rule.kind == MeetingKind.HEART_TO_HEART), None)
    if rule is None:
        return None
    talked = Attendance.objects.filter(
        meeting__org=org,
        meeting__kind=MeetingKind.HEART_TO_HEART,
        meeting__state=MeetingState.HELD,
        meeting__month_index__gte=today.year * 12,
        status=AttendanceStatus.PRESENT,
    ).values("person_id")
    members = Membership.objects.filter(
        org__path__startswith=org.path, status=MembershipStatus.NORMAL
    ).values("person_id")
    left = Person.objects.filter(pk__in=members).exclude(pk__in=talked)
    count = left.count()
    if not count:
        return TalksLeft(0, [], today.year, rule.article)
    names = list(left.order_by("name_stroke_key").values_list("name", flat=True)[:shown])
    return TalksLeft(count, names, today.year, rule.article)


def due_in_month(org, index: int) -> list[dict]:
    """The requirements whose period ends in month `index` for one organisation, each with how
    many meetings the organisation held towards it (all of them, whoever may read them)."""
    from mofan.meetings.models import Meeting

    due = []
    year_start, year_end = span_bounds(index - index % 12 + 11, 12)
    for rule in applicable_rules(org, year_start, year_end):
        span = SPANS[rule.period]
        if index % span != span - 1:
            continue  # this rule's period does not end this month
        first = index - span + 1
        period = span_bounds(index, span)
        if not (_in_force(rule, *period) and is_bound(org, *period)):
            continue
        held = Meeting.objects.held().filter(
            org=org, kind=rule.kind, month_index__range=(first, index)
        )
        if rule.by_secretary:
            held = held.filter(by_secretary=True)
        elif rule.quorum:
            held = held.filter(quorate=True)
        due.append({"rule": rule, "held": held.count()})
    return due
