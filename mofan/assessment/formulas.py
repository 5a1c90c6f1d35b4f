"""The record-based scorers of an indicator system: each a named, tested function of the records
already in the system, its parameters in data (the scheme's indicator keeps them). A scorer
measures every target of a round at once — one or two queries over the round's subtree, however
many organisations — keeping the counts it used, so that each point can be traced to them; and
lists, for one organisation, the records behind its figure (the evidence drill-down).

What a scorer counts is a fact the organisation's work leaves in the records (meetings held,
steps taken on time, an organisation set up by the rules), never the use of the app itself."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.urls import reverse

from mofan.assessment.choices import LEADING_KINDS as LEADING
from mofan.assessment.rules import figure
from mofan.members.rules import cn

STEP = 4  # the width of one level of an organisation's tree path (treebeard's steplen)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    low: Decimal
    high: Decimal
    default: Decimal


@dataclass(frozen=True)
class Row:
    """One record behind a figure: what it is, what it counted for, where to read it."""

    title: str
    note: str = ""
    url: str = ""
    counted: bool | None = None  # True: counted for; False: counted against; None: context


@dataclass(frozen=True)
class Formula:
    name: str
    label: str
    reads: str  # what it reads, for the scheme editor
    params: tuple
    measure: object  # (root, targets, year, upto) -> {org_id: detail}
    score: object  # (detail, params, points) -> (Decimal, explanation)
    evidence: object  # (user, org, year, upto, detail) -> [Row]
    facts: object  # (detail) -> the figure in words, without the scoring rule (data sheets)
    kinds: tuple = ()  # the organisation kinds it is meant for (a data sheet leaves it out for
    # others); empty: every kind


def _points(value) -> Decimal:
    return max(Decimal(0), Decimal(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def _proportional(points, part: int, whole: int, full_share) -> tuple[Decimal, Decimal]:
    """(points in proportion to part ÷ whole, full at `full_share` %; the share in %). Nothing
    to count is the full share."""
    share = Decimal(part * 100) / Decimal(whole) if whole else Decimal(100)
    return points * min(Decimal(1), share / full_share), share


def _ancestors(path: str):
    for end in range(STEP, len(path) + 1, STEP):
        yield path[:end]


def subtree_counts(paths, targets: dict[str, int]) -> dict[int, int]:
    """For each target organisation (by path), how many of `paths` lie in its subtree."""
    counts: dict[int, int] = {}
    for path in paths:
        for prefix in _ancestors(path):
            org_id = targets.get(prefix)
            if org_id is not None:
                counts[org_id] = counts.get(org_id, 0) + 1
    return counts


def _months(year: int, upto: date) -> tuple[int, int]:
    return year * 12, min(year * 12 + 11, upto.year * 12 + upto.month - 1)


def ended_months(year: int, upto: date) -> tuple[int, int]:
    """The year's months whose requirements were due by `upto`: a requirement falls due when its
    period ends, so the month of `upto` counts only on its last day (a branch is not short of
    November's meeting on 20 November)."""
    first, last = _months(year, upto)
    ends = (upto + timedelta(days=1)).month != upto.month
    if not ends and last == upto.year * 12 + upto.month - 1:
        last -= 1
    return first, last


# -- 组织生活: the compliance engine's kept results --------------------------------------------


def _compliance_measure(root, targets, year, upto):
    from mofan.meetings import kept
    from mofan.meetings.models import ComplianceMonth

    kept.settle()
    first, last = ended_months(year, upto)
    ids = {org.pk for org in targets}
    rows = (
        ComplianceMonth.objects.filter(
            org__path__startswith=root.path, month_index__range=(first, last)
        )
        .values("org_id")
        .annotate(required=Sum("required"), met=Sum("met"), back_filled=Sum("back_filled"))
        .order_by()
    )
    found = {org_id: {"required": 0, "met": 0, "back_filled": 0} for org_id in ids}
    for row in rows:
        if row["org_id"] in ids:
            found[row["org_id"]] = {k: row[k] or 0 for k in ("required", "met", "back_filled")}
    return found


def _compliance_facts(detail) -> str:
    words = f"到期要求{detail['required']}项，达到{detail['met']}项"
    if detail["back_filled"]:
        words += f"，补记录{detail['back_filled']}次"
    return words


def _compliance_score(detail, params, points):
    per_miss = params["per_miss"]
    missed = detail["required"] - detail["met"]
    late = 0 if params["back_filled_counts"] else detail["back_filled"]
    lost = per_miss * (missed + late)
    words = _compliance_facts(detail) + ("（不计入）" if late else "")
    words += f"；每缺1项扣{figure(per_miss)}分"
    return _points(points - lost), words


def _compliance_evidence(user, org, year, upto, detail):
    from mofan.meetings.models import ComplianceMonth

    first, last = ended_months(year, upto)
    months = ComplianceMonth.objects.filter(org=org, month_index__range=(first, last)).filter(
        Q(required__gt=0) | Q(back_filled__gt=0)
    )
    rows = []
    for month in months.order_by("month_index"):
        number = month.month_index % 12 + 1
        note = f"到期要求{month.required}项，达到{month.met}项"
        if month.back_filled:
            note += f"；补记录{month.back_filled}次"
        rows.append(Row(f"{year}年{number}月", note,
                        reverse("meetings:cell", args=[org.pk, year, number]),
                        month.met == month.required))  # fmt: skip
    return rows


# -- 第一议题: the first item of each 党委（党组）会议 -------------------------------------------


def first_topic_meetings(year, upto):
    from mofan.meetings.choices import MeetingKind, MeetingState
    from mofan.meetings.models import AgendaItem, Meeting

    first, last = _months(year, upto)
    opening = AgendaItem.objects.filter(meeting=OuterRef("pk")).order_by("order", "pk")
    return Meeting.objects.filter(
        kind=MeetingKind.COMMITTEE_MEETING,
        state=MeetingState.HELD,
        month_index__range=(first, last),
    ).annotate(first_topic=Subquery(opening.values("is_first_topic")[:1]))


def _first_topic_measure(root, targets, year, upto):
    ids = {org.pk for org in targets}
    rows = (
        first_topic_meetings(year, upto)
        .filter(org__path__startswith=root.path)
        .values("org_id")
        .annotate(held=Count("id"), opened=Count("id", filter=Q(first_topic=True)))
        .order_by()
    )
    found = {org_id: {"held": 0, "opened": 0} for org_id in ids}
    for row in rows:
        if row["org_id"] in ids:
            found[row["org_id"]] = {"held": row["held"], "opened": row["opened"]}
    return found


def _first_topic_facts(detail) -> str:
    return f"召开党委（党组）会议{detail['held']}次，第一议题{detail['opened']}次"


def _first_topic_score(detail, params, points):
    per_miss, minimum = params["per_miss"], int(params["minimum"])
    short = max(0, minimum - detail["held"])
    missed = detail["held"] - detail["opened"] + short
    words = _first_topic_facts(detail)
    if minimum:
        words += f"（全年应不少于{minimum}次）"
    return _points(points - per_miss * missed), words + f"；每缺1次扣{figure(per_miss)}分"


def _first_topic_evidence(user, org, year, upto, detail):
    from django.utils import timezone

    meetings = first_topic_meetings(year, upto).filter(org=org).order_by("starts_at")
    return [
        Row(m.title, f"{cn(timezone.localtime(m.starts_at).date())}；"
            + ("第一议题已学习" if m.first_topic else "首个议题不是第一议题"),
            reverse("meetings:meeting", args=[m.pk]), bool(m.first_topic))
        for m in meetings
    ]  # fmt: skip


# -- 发展党员: steps past their day -------------------------------------------------------------


def _overdue_files(upto):
    from mofan.recruitment import rules
    from mofan.recruitment.models import Applicant

    return Applicant.objects.filter(stage__in=rules.LIVE, next_due_on__lt=upto)


def _recruitment_measure(root, targets, year, upto):
    paths = _overdue_files(upto).filter(org__path__startswith=root.path)
    counts = subtree_counts(paths.values_list("org__path", flat=True), _by_path(targets))
    return {org.pk: {"overdue": counts.get(org.pk, 0)} for org in targets}


def _recruitment_facts(detail) -> str:
    return f"逾期未办的发展党员事项{detail['overdue']}项"


def _recruitment_score(detail, params, points):
    per = params["per_overdue"]
    return (
        _points(points - per * detail["overdue"]),
        f"{_recruitment_facts(detail)}；每项扣{figure(per)}分",
    )


def _recruitment_evidence(user, org, year, upto, detail):
    from mofan.access.scoping import Action
    from mofan.recruitment.choices import StepKind
    from mofan.recruitment.models import Applicant

    files = (
        _overdue_files(upto)
        .filter(pk__in=Applicant.objects.restrict(user, Action.RECRUIT).in_subtree(org))
        .select_related("person")
        .order_by("next_due_on", "pk")
    )
    rows = [
        Row(f"{f.person.name}：{StepKind(f.next_due_kind).label}", f"应于{cn(f.next_due_on)}前办理",
            reverse("recruitment:file", args=[f.pk]), False)
        for f in files
    ]  # fmt: skip
    hidden = detail.get("overdue", 0) - len(rows)
    if hidden > 0:
        rows.append(Row(f"另有{hidden}项", "发展党员档案仅限党支部和上级党委组织部门查阅"))
    return rows


# -- 组织设置: 党支部 size, 支委会, 按期换届 ----------------------------------------------------


def _by_path(targets) -> dict[str, int]:
    return {org.path: org.pk for org in targets}


def _full_members(root):
    from mofan.orgs.choices import MembershipKind, MembershipStatus
    from mofan.orgs.models import Membership

    return Membership.objects.filter(
        org__path__startswith=root.path,
        status=MembershipStatus.NORMAL,
        kind=MembershipKind.FULL,
    ).values_list("org__path", flat=True)


def _setup_flags(org, full: int, upto: date) -> list[str]:
    from mofan.orgs.rules import flags

    found = flags(
        kind=org.kind, has_committee=org.has_committee, term_started_on=org.term_started_on,
        full_members=full, subtree_members=full, today=upto,
    )  # fmt: skip
    return [flag.message for flag in found if flag.severity == "error"]


def _setup_measure(root, targets, year, upto):
    counts = subtree_counts(_full_members(root), _by_path(targets))
    return {
        org.pk: {"flags": _setup_flags(org, counts.get(org.pk, 0), upto),
                 "full_members": counts.get(org.pk, 0)}
        for org in targets
    }  # fmt: skip


def _setup_facts(detail) -> str:
    problems = detail["flags"]
    words = "；".join(problems) if problems else "组织设置、委员会设立和换届符合规定"
    return f"正式党员{detail['full_members']}人；{words}"


def _setup_score(detail, params, points):
    per = params["per_flag"]
    return (
        _points(points - per * len(detail["flags"])),
        f"{_setup_facts(detail)}；每项问题扣{figure(per)}分",
    )


def _setup_evidence(user, org, year, upto, detail):
    url = reverse("orgs:org_detail", args=[org.pk])
    rows = [Row(f"正式党员{detail.get('full_members', 0)}人", "党籍正常的正式党员", url)]
    rows += [Row(message, "", url, False) for message in detail.get("flags", [])]
    return rows


# -- 谈心谈话: the members talked with during the year -----------------------------------------


def _talks(year, upto):
    from mofan.meetings.choices import AttendanceStatus, MeetingKind, MeetingState
    from mofan.meetings.models import Attendance

    first, last = _months(year, upto)
    return Attendance.objects.filter(
        meeting__kind=MeetingKind.HEART_TO_HEART,
        meeting__state=MeetingState.HELD,
        meeting__month_index__range=(first, last),
        status=AttendanceStatus.PRESENT,
    )


def _talk_measure(root, targets, year, upto):
    from mofan.orgs.choices import MembershipStatus
    from mofan.orgs.models import Membership

    by_path = _by_path(targets)
    members = Membership.objects.filter(
        org__path__startswith=root.path, status=MembershipStatus.NORMAL
    )
    talked = (
        members.filter(person_id__in=_talks(year, upto).values("person_id"))
        .values_list("org__path", flat=True)
    )  # fmt: skip
    everyone = subtree_counts(members.values_list("org__path", flat=True), by_path)
    reached = subtree_counts(talked, by_path)
    return {
        org.pk: {"members": everyone.get(org.pk, 0), "talked": reached.get(org.pk, 0)}
        for org in targets
    }


def _talk_facts(detail) -> str:
    members, talked = detail["members"], detail["talked"]
    if not members:
        return "无党籍正常的党员"
    return f"党员{members}人，本年参加谈心谈话{talked}人（{Decimal(talked * 100) / Decimal(members):.1f}%）"


def _talk_score(detail, params, points):
    full_share = params["full_share"]
    members, talked = detail["members"], detail["talked"]
    if not members:
        return _points(points), _talk_facts(detail)
    share = Decimal(talked * 100) / Decimal(members)
    value = points * min(Decimal(1), share / full_share)
    return (
        _points(value),
        f"{_talk_facts(detail)}；达到{figure(full_share)}%得满分，不足按比例计分",
    )


def _talk_evidence(user, org, year, upto, detail):
    from django.utils import timezone

    from mofan.meetings.choices import MeetingKind, MeetingState
    from mofan.meetings.models import Meeting

    first, last = _months(year, upto)
    meetings = Meeting.objects.filter(
        org__path__startswith=org.path, kind=MeetingKind.HEART_TO_HEART,
        state=MeetingState.HELD, month_index__range=(first, last),
    ).order_by("starts_at")[:200]  # fmt: skip
    return [
        Row(m.title, f"{cn(timezone.localtime(m.starts_at).date())}；参加{m.present_count}人",
            reverse("meetings:meeting", args=[m.pk]), True)
        for m in meetings
    ]  # fmt: skip


# -- 述职评议: the published result of the secretary's report ------------------------------------


def _debrief_measure(root, targets, year, upto):
    from mofan.assessment.choices import DebriefState
    from mofan.assessment.debriefs import line_of
    from mofan.assessment.models import Debriefer

    ids = {org.pk for org in targets}
    rows = (
        Debriefer.objects.filter(
            debrief__org=root, debrief__year=year, debrief__state=DebriefState.PUBLISHED,
            debrief__held_on__lte=upto, org_id__in=ids,
        )
        .select_related("person", "debrief")
        .order_by("debrief__held_on", "debrief_id")
    )  # fmt: skip
    found = {org_id: {} for org_id in ids}
    for row in rows:  # the latest debrief of the year wins
        line = line_of(row)
        found[row.org_id] = {
            "debrief": row.debrief_id, "title": row.debrief.title, "person": row.person.name,
            "counts": line.counts,
            "composite": str(line.composite) if line.composite is not None else None,
        }  # fmt: skip
    return found


def _debrief_facts(detail) -> str:
    if not detail.get("composite"):
        return "本年度未参加述职评议，或评议结果尚未公布"
    counts = detail["counts"]
    return (
        f"{detail['person']}述职评议综合得分{figure(Decimal(detail['composite']))}"
        f"（好{counts['good']}、较好{counts['fair_good']}、一般{counts['fair']}、差{counts['poor']}"
        f"、不了解{counts['unknown']}票）"
    )


def _debrief_score(detail, params, points):
    if not detail.get("composite"):
        return _points(0), _debrief_facts(detail)
    composite = Decimal(detail["composite"])
    value = points * min(Decimal(1), composite / params["full_at"])
    return _points(
        value
    ), f"{_debrief_facts(detail)}；综合得分达到{figure(params['full_at'])}得满分"


def _debrief_evidence(user, org, year, upto, detail):
    if not detail.get("debrief"):
        return []
    return [Row(detail["title"], f"{detail['person']}：综合得分{detail['composite'] or '—'}",
                reverse("assessment:debrief", args=[detail["debrief"]]), True)]  # fmt: skip


# -- 中心组 一学一报: the members' study reports after each session, on time ---------------------


def _study_sessions(year, upto):
    from mofan.meetings.choices import MeetingKind, MeetingState
    from mofan.meetings.models import Meeting

    first, last = _months(year, upto)
    return Meeting.objects.filter(
        kind=MeetingKind.CENTRAL_GROUP_STUDY, state=MeetingState.HELD,
        month_index__range=(first, last), report_due_on__isnull=False, report_due_on__lt=upto,
    )  # fmt: skip


def _study_counts(sessions):
    """Per session: the members due to report and those who reported by the day."""
    from django.db.models import F

    from mofan.meetings.choices import AttendanceRole
    from mofan.meetings.models import StudyReport

    on_time = StudyReport.objects.filter(
        meeting=OuterRef("pk"), submitted_at__date__lte=F("meeting__report_due_on")
    ).values("meeting").annotate(n=Count("id")).values("n")  # fmt: skip
    return sessions.annotate(
        due=Count("attendance", filter=Q(attendance__role=AttendanceRole.MEMBER), distinct=True),
        on_time=Subquery(on_time[:1]),
    )


def _study_measure(root, targets, year, upto):
    ids = {org.pk for org in targets}
    found = {org_id: {"sessions": 0, "due": 0, "on_time": 0} for org_id in ids}
    sessions = _study_counts(_study_sessions(year, upto).filter(org__path__startswith=root.path))
    for org_id, due, on_time in sessions.values_list("org_id", "due", "on_time"):
        if org_id in ids:
            row = found[org_id]
            row["sessions"] += 1
            row["due"] += due
            row["on_time"] += min(due, on_time or 0)
    return found


def _study_facts(detail) -> str:
    return (
        f"中心组学习{detail['sessions']}次（已过报告期限），应交学习报告{detail['due']}份，"
        f"按时提交{detail['on_time']}份"
    )


def _study_score(detail, params, points):
    full_share, minimum, per_short = (
        params["full_share"], int(params["minimum"]), params["per_short"]
    )  # fmt: skip
    value, share = _proportional(points, detail["on_time"], detail["due"], full_share)
    value -= per_short * max(0, minimum - detail["sessions"])
    words = f"{_study_facts(detail)}（{share:.1f}%）；按时提交率达到{figure(full_share)}%得满分，不足按比例计分"
    if minimum:
        words += f"；全年学习不少于{minimum}次，每少1次扣{figure(per_short)}分"
    return _points(value), words


def _study_evidence(user, org, year, upto, detail):
    from django.utils import timezone

    sessions = _study_counts(_study_sessions(year, upto).filter(org=org)).order_by("starts_at")
    return [
        Row(m.title, f"{cn(timezone.localtime(m.starts_at).date())}；报告期限{cn(m.report_due_on)}；"
            f"应交{m.due}份，按时{min(m.due, m.on_time or 0)}份",
            reverse("meetings:meeting", args=[m.pk]), min(m.due, m.on_time or 0) == m.due)
        for m in sessions
    ]  # fmt: skip


# -- 督办落实 and 整改: the ledger's work led by the organisation's unit ------------------------------
# A party organisation names the unit it is set up in (PartyOrg.unit); the items and findings the
# units of that unit's subtree lead count for it. One grouped query over all units, rolled up to
# each target's unit by path: the queries do not grow with the number of organisations.


def _by_unit(targets) -> dict[str, list[int]]:
    """Unit path → the targets set up in that unit."""
    from mofan.orgs.models import Unit

    paths = dict(Unit.objects.filter(pk__in={t.unit_id for t in targets if t.unit_id})
                 .values_list("pk", "path"))  # fmt: skip
    found: dict[str, list[int]] = {}
    for target in targets:
        if target.unit_id in paths:
            found.setdefault(paths[target.unit_id], []).append(target.pk)
    return found


def sums_below(rows, owners: dict[str, list[int]], ids, fields) -> dict[int, dict]:
    """For each id, the sums of `fields` over the (path, {field: n}) rows lying in the subtree
    of a path it owns (`owners`: path → ids)."""
    found = {i: dict.fromkeys(fields, 0) for i in ids}
    for path, values in rows:
        for prefix in _ancestors(path):
            for owner in owners.get(prefix, ()):
                for key in fields:
                    found[owner][key] += values[key] or 0
    return found


def _roll_up(rows, targets, fields) -> dict[int, dict]:
    """Sum (unit path, {field: n}) rows into the targets whose unit holds that path."""
    found = sums_below(rows, _by_unit(targets), [t.pk for t in targets], fields)
    for target in targets:
        found[target.pk]["unit"] = bool(target.unit_id)
    return found


def _year_items(year, upto):
    """Items handed down whose deadline falls in the year up to the day (the 通报's counts)."""
    from mofan.ledger.models import Item

    return Item.objects.filter(
        lead_unit__isnull=False,
        deadline__gte=date(year, 1, 1),
        deadline__lte=min(upto, date(year, 12, 31)),
    )


def _items_measure(root, targets, year, upto):
    from mofan.ledger.circular import handed_counts

    fields = ("due", "closed_on_time", "overdue")
    rows = handed_counts(_year_items(year, upto), upto, "lead_unit__path")
    return _roll_up([(r["lead_unit__path"], r) for r in rows], list(targets), fields)


def _items_facts(detail) -> str:
    if not detail.get("unit"):
        return "未指定所在单位，无法统计督办事项"
    return (
        f"本年到期的督办事项{detail['due']}项，按期办结{detail['closed_on_time']}项，"
        f"逾期未办结{detail['overdue']}项"
    )


def _items_score(detail, params, points):
    if not detail.get("unit"):
        return _points(0), _items_facts(detail)
    full_share, per = params["full_share"], params["per_overdue"]
    value, share = _proportional(points, detail["closed_on_time"], detail["due"], full_share)
    return _points(value - per * detail["overdue"]), (
        f"{_items_facts(detail)}（按期办结率{share:.1f}%）；达到{figure(full_share)}%得满分，"
        f"不足按比例计分，每项逾期扣{figure(per)}分"
    )


def _unit_items(user, org, items, counted: int, row) -> list:
    """The items of `items` led in the organisation's unit subtree that the user may read, as
    rows (`row(item)`), and a line for those counted but not readable to them."""
    from mofan.access.scoping import Action
    from mofan.ledger.models import Item

    if org.unit_id is None:
        return []
    items = (
        items.filter(pk__in=Item.objects.restrict(user, Action.VIEW).values("pk"),
                     lead_unit__path__startswith=org.unit.path)
        .select_related("lead_unit").order_by("deadline", "pk")[:200]
    )  # fmt: skip
    rows = [row(item) for item in items]
    if counted - len(rows) > 0 and len(rows) < 200:
        rows.append(Row("其余事项", "督办事项仅限台账的督办人和承办单位查阅"))
    return rows


def _items_evidence(user, org, year, upto, detail):
    from mofan.ledger.choices import ItemState

    def row(item):
        closed = item.closed_at.date() if item.closed_at else None
        on_time = closed is not None and closed <= item.deadline
        note = f"{item.lead_unit.name}；时限{cn(item.deadline)}；" + (
            f"{cn(closed)}销号" if closed else item.get_state_display()
        )
        return Row(f"{item.number} {item.content[:40]}", note,
                   reverse("ledger:item", args=[item.pk]), on_time)  # fmt: skip

    items = _year_items(year, upto).exclude(state=ItemState.DRAFT)
    return _unit_items(user, org, items, detail.get("due", 0), row)


# -- 督办事项落实效果评估: the grades given at 销号 ------------------------------------------------

# What each grade of an item's 落实效果评估 is worth (as a 述职评议 ballot's: 好 100, 较好 80,
# 一般 60, 差 0); the mean over the items closed in the year is the figure.
GRADE_WORTH = {"good": 100, "fairly_good": 80, "average": 60, "poor": 0}


def _closed_items(year, upto):
    """Items handed down and closed out (销号, with their evaluation) in the year up to the day."""
    from mofan.ledger.choices import ItemState
    from mofan.ledger.models import Item

    return Item.objects.filter(
        lead_unit__isnull=False, state=ItemState.CLOSED,
        closed_at__date__gte=date(year, 1, 1), closed_at__date__lte=min(upto, date(year, 12, 31)),
    )  # fmt: skip


def _grades_measure(root, targets, year, upto):
    fields = ("closed", *GRADE_WORTH)
    rows = (
        _closed_items(year, upto).values("lead_unit__path")
        .annotate(closed=Count("pk"), **{g: Count("pk", filter=Q(evaluation=g)) for g in GRADE_WORTH})
        .order_by()
    )  # fmt: skip
    return _roll_up([(r["lead_unit__path"], r) for r in rows], list(targets), fields)


def _grades_mean(detail) -> Decimal | None:
    rated = sum(detail.get(g, 0) for g in GRADE_WORTH)
    if not rated:
        return None
    return Decimal(sum(detail[g] * w for g, w in GRADE_WORTH.items())) / Decimal(rated)


def _grades_facts(detail) -> str:
    if not detail.get("unit"):
        return "未指定所在单位，无法统计督办事项"
    return (
        f"本年销号的督办事项{detail['closed']}项，落实效果评估为好{detail['good']}项、"
        f"较好{detail['fairly_good']}项、一般{detail['average']}项、差{detail['poor']}项"
    )


def _grades_score(detail, params, points):
    if not detail.get("unit"):
        return _points(0), _grades_facts(detail)
    full_at, per = params["full_at"], params["per_poor"]
    mean = _grades_mean(detail)
    value = points if mean is None else points * min(Decimal(1), mean / full_at)
    shown = "无评估，计满分" if mean is None else f"评估均值{mean:.1f}"
    return _points(value - per * detail["poor"]), (
        f"{_grades_facts(detail)}（{shown}）；按好100、较好80、一般60、差0计，均值达到"
        f"{figure(full_at)}得满分，不足按比例计分，每项“差”扣{figure(per)}分"
    )


def _grades_evidence(user, org, year, upto, detail):
    def row(item):
        grade = item.get_evaluation_display() or "未评估"
        note = f"{item.lead_unit.name}；{cn(item.closed_at.date())}销号；落实效果：{grade}"
        return Row(f"{item.number} {item.content[:40]}", note,
                   reverse("ledger:item", args=[item.pk]),
                   (item.evaluation != "poor") if item.evaluation else None)  # fmt: skip

    return _unit_items(user, org, _closed_items(year, upto), detail.get("closed", 0), row)


def _findings(year, upto):
    """(finding, unit path) for each finding with a measure a unit leads, open during the year."""
    from mofan.ledger.models import Item

    return (
        Item.objects.filter(finding__isnull=False, lead_unit__isnull=False,
                            finding__created_at__date__lte=upto)
        .filter(Q(finding__closed_at__isnull=True) | Q(finding__closed_at__year__gte=year))
        .values_list("finding_id", "lead_unit__path", "finding__state")
        .distinct()
    )  # fmt: skip


def _findings_measure(root, targets, year, upto):
    from mofan.ledger.choices import FindingState, FollowUpOutcome
    from mofan.ledger.models import FollowUpCheck

    targets = list(targets)
    rows = list(_findings(year, upto))
    relapsed = set(
        FollowUpCheck.objects.filter(finding_id__in={r[0] for r in rows},
                                     outcome=FollowUpOutcome.REOPENED)
        .values_list("finding_id", flat=True)
    )  # fmt: skip
    by_unit = _by_unit(targets)
    seen: dict[int, dict[int, str]] = {t.pk: {} for t in targets}  # a finding counts once
    for finding_id, path, state in rows:
        for prefix in _ancestors(path):
            for org_id in by_unit.get(prefix, ()):
                seen[org_id][finding_id] = state
    found = {}
    for target in targets:
        states = seen[target.pk]
        found[target.pk] = {
            "unit": bool(target.unit_id), "findings": len(states),
            "closed": sum(1 for f, s in states.items()
                          if s == FindingState.CLOSED and f not in relapsed),
            "relapsed": sum(1 for f in states if f in relapsed),
        }  # fmt: skip
    return found


def _findings_facts(detail) -> str:
    if not detail.get("unit"):
        return "未指定所在单位，无法统计整改问题"
    return (
        f"牵头整改的问题{detail['findings']}个，已销号且未反弹{detail['closed']}个，"
        f"回头看发现反弹{detail['relapsed']}个"
    )


def _findings_score(detail, params, points):
    if not detail.get("unit"):
        return _points(0), _findings_facts(detail)
    full_share, per = params["full_share"], params["per_relapse"]
    value, share = _proportional(points, detail["closed"], detail["findings"], full_share)
    return _points(value - per * detail["relapsed"]), (
        f"{_findings_facts(detail)}（销号率{share:.1f}%）；达到{figure(full_share)}%得满分，"
        f"不足按比例计分，每个反弹问题扣{figure(per)}分"
    )


def _findings_evidence(user, org, year, upto, detail):
    from mofan.access.scoping import Action
    from mofan.ledger.models import Finding

    if org.unit_id is None:
        return []
    ids = {f for f, path, _ in _findings(year, upto) if path.startswith(org.unit.path)}
    findings = (
        Finding.objects.restrict(user, Action.VIEW).filter(pk__in=ids)
        .select_related("ledger").order_by("ledger_id", "number")[:200]
    )  # fmt: skip
    rows = [
        Row(f"{f.ledger.name} 问题{f.number}", f"{f.description[:40]}；{f.get_state_display()}",
            reverse("ledger:finding", args=[f.pk]), f.state == "closed")
        for f in findings
    ]  # fmt: skip
    if len(ids) > len(rows) and len(rows) < 200:
        rows.append(Row(f"另有{len(ids) - len(rows)}个", "整改台账仅限其督办人和承办单位查阅"))
    return rows


def _param(name, label, low, high, default) -> Param:
    return Param(name, label, Decimal(low), Decimal(high), Decimal(default))


FORMULAS = {
    formula.name: formula
    for formula in (
        Formula(
            "meetings_compliance", "组织生活按规定开展",
            "“三会一课”、主题党日、组织生活会等按组织生活规定到期的要求（合规热力图的同一结果）",
            (_param("per_miss", "每缺1项扣分", "0.1", "100", "1"),
             _param("back_filled_counts", "补记录是否计入（1计入，0不计入）", "0", "1", "1")),
            _compliance_measure, _compliance_score, _compliance_evidence, _compliance_facts,
        ),
        Formula(
            "first_topic", "第一议题制度落实",
            "党委（党组）会议首个议题为“第一议题”的次数",
            (_param("per_miss", "每缺1次扣分", "0.1", "100", "1"),
             _param("minimum", "全年会议不少于（次）", "0", "52", "0")),
            _first_topic_measure, _first_topic_score, _first_topic_evidence, _first_topic_facts, LEADING,
        ),
        Formula(
            "recruitment_timely", "发展党员按程序和时限办理",
            "发展党员档案中逾期未办的事项（谈话、考察、审批、转正讨论等）",
            (_param("per_overdue", "每项扣分", "0.1", "100", "1"),),
            _recruitment_measure, _recruitment_score, _recruitment_evidence, _recruitment_facts,
        ),
        Formula(
            "org_setup", "组织设置和按期换届",
            "党支部正式党员不少于3人、7人以上设支部委员会、任期届满按期换届",
            (_param("per_flag", "每项问题扣分", "0.1", "100", "2"),),
            _setup_measure, _setup_score, _setup_evidence, _setup_facts,
        ),
        Formula(
            "heart_to_heart", "谈心谈话全覆盖",
            "本年参加谈心谈话的党员占党籍正常党员的比例",
            (_param("full_share", "达到该比例（%）得满分", "1", "100", "100"),),
            _talk_measure, _talk_score, _talk_evidence, _talk_facts,
        ),
        Formula(
            "debrief_rating", "书记抓党建述职评议结果",
            "本组织书记在本年度述职评议中的综合得分（已公布的不记名评议结果）",
            (_param("full_at", "综合得分达到该分得满分", "1", "100", "90"),),
            _debrief_measure, _debrief_score, _debrief_evidence, _debrief_facts,
        ),
        Formula(
            "study_reports", "中心组学习“一学一报”",
            "理论学习中心组每次学习后成员按期提交学习报告的比例，以及全年学习次数",
            (_param("full_share", "按时提交率达到该比例（%）得满分", "1", "100", "100"),
             _param("minimum", "全年学习不少于（次）", "0", "24", "0"),
             _param("per_short", "每少1次扣分", "0", "100", "1")),
            _study_measure, _study_score, _study_evidence, _study_facts, LEADING,
        ),
        Formula(
            "ledger_on_time", "督办事项按期办结",
            "本组织所在单位（含下属部门）牵头、本年到期的督办事项按期销号的比例，以及逾期未办结的事项",
            (_param("full_share", "按期办结率达到该比例（%）得满分", "1", "100", "100"),
             _param("per_overdue", "每项逾期扣分", "0", "100", "1")),
            _items_measure, _items_score, _items_evidence, _items_facts,
        ),
        Formula(
            "ledger_grades", "督办事项落实效果评估",
            "本组织所在单位（含下属部门）牵头、本年销号的督办事项的落实效果评估（好、较好、一般、差）",
            (_param("full_at", "评估均值达到该分得满分", "1", "100", "90"),
             _param("per_poor", "每项“差”扣分", "0", "100", "0")),
            _grades_measure, _grades_score, _grades_evidence, _grades_facts,
        ),
        Formula(
            "findings_closed", "整改问题销号且不反弹",
            "本组织所在单位（含下属部门）牵头整改的问题已销号的比例，以及回头看发现反弹的问题",
            (_param("full_share", "销号率达到该比例（%）得满分", "1", "100", "100"),
             _param("per_relapse", "每个反弹问题扣分", "0", "100", "2")),
            _findings_measure, _findings_score, _findings_evidence, _findings_facts,
        ),
    )
}  # fmt: skip


def params_problem(name: str, params: dict) -> str | None:
    """Why a formula name or its parameters are not usable, or None."""
    formula = FORMULAS.get(name)
    if formula is None:
        return "请选择计分公式。"
    for param in formula.params:
        raw = params.get(param.name, param.default)
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            return f"参数“{param.label}”须为数字。"
        if not value.is_finite() or not param.low <= value <= param.high:
            return f"参数“{param.label}”须在{figure(param.low)}至{figure(param.high)}之间。"
    unknown = set(params) - {p.name for p in formula.params}
    if unknown:
        return f"公式“{formula.label}”没有参数：{'、'.join(sorted(unknown))}。"
    return None


def resolved(name: str, params: dict) -> dict[str, Decimal]:
    formula = FORMULAS[name]
    return {p.name: Decimal(str(params.get(p.name, p.default))) for p in formula.params}
