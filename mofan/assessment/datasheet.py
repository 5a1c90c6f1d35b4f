"""Documents generated from the records for the 三项制度, in Word with 公文 layout (core/word.py):
the data sheet of one who reports in a 述职评议 (their organisation's figures for the year, so
nobody counts by hand), and the data appendix of a 党委（党组）'s annual report on 党建 (the same
figures for it and for each organisation directly below it). Each figure is the one the record
scorers of the indicator system compute (formulas.py), in words, without their scoring rule."""

from datetime import date

from django.db.models import Count, Q, Sum

from mofan.assessment import debriefs, formulas, registry
from mofan.assessment.choices import DebriefState, RoundState
from mofan.assessment.models import CheckEntry, Debrief, Debriefer, Round
from mofan.core import word
from mofan.members.rules import cn
from mofan.orgs.choices import MembershipKind, MembershipStatus, OrgKind
from mofan.orgs.models import Membership, PartyOrg

# The figures of a data sheet: every record scorer but the 述职评议 result itself.
SHEET_FORMULAS = [name for name in formulas.FORMULAS if name != "debrief_rating"]
LISTED = 200  # rows of a list in a sheet; the system holds the rest


def _applies(formula, org: PartyOrg) -> bool:
    return not formula.kinds or org.kind in formula.kinds


def figures(org: PartyOrg, year: int, upto: date) -> list[tuple[str, str]]:
    """(what, the figure in words) for one organisation, from the record scorers."""
    found = []
    for name in SHEET_FORMULAS:
        formula = formulas.FORMULAS[name]
        if _applies(formula, org):
            detail = formula.measure(org, [org], year, upto)[org.pk]
            found.append((formula.label, formula.facts(detail)))
    return found


def _intro(document, upto: date, what: str = "本表") -> None:
    word.paragraph(
        document,
        f"{what}由模范机关建设平台依据系统中的组织生活、会议、发展党员、组织设置等记录自动生成，"
        f"数据截至{cn(upto)}，不需手工统计；各项数字可在系统中查看对应记录。",
    )


def _months_table(document, org: PartyOrg, year: int, upto: date) -> None:
    rows = formulas.FORMULAS["meetings_compliance"].evidence(None, org, year, upto, {})
    if rows:
        word.table(document, ["月份", "组织生活要求", "是否全部达到"],
                   [[r.title, r.note, "是" if r.counted else "否"] for r in rows])  # fmt: skip
    else:
        word.paragraph(document, "本年度尚无到期的组织生活要求。")


def debrief_sheet(debriefer: Debriefer, *, upto: date) -> str:
    """The 述职 data sheet of one who reports; returns the path of a temporary file (the caller
    streams and removes it)."""
    debrief, org, person = debriefer.debrief, debriefer.org, debriefer.person
    upto = min(upto, date(debrief.year, 12, 31))
    document = word.official_document()
    word.title(document, f"{org.name}{debrief.year}年度抓党建工作述职数据表")
    word.paragraph(document, f"述职人：{person.name}（{org.name}{debriefer.post}）", indent=False)
    _intro(document, upto)
    word.heading(document, "一、主要数据")
    word.table(document, ["项目", "情况"], figures(org, debrief.year, upto))
    word.heading(document, "二、组织生活逐月情况")
    _months_table(document, org, debrief.year, upto)
    if org.kind in formulas.LEADING:
        word.heading(document, "三、党委（党组）会议和中心组学习")
        rows = []
        for name in ("first_topic", "study_reports"):
            rows += formulas.FORMULAS[name].evidence(None, org, debrief.year, upto, {})
        word.table(document, ["会议", "情况"], [[r.title, r.note] for r in rows[:LISTED]]
                   or [["本年度尚无记录", ""]])  # fmt: skip
    return word.save_temporary(document, "mofan-debrief-sheet-")


# -- the annual report's data appendix ---------------------------------------------------------


def _below(org: PartyOrg):
    return PartyOrg.objects.filter(path__startswith=org.path).exclude(pk=org.pk)


def _children(org: PartyOrg) -> list[PartyOrg]:
    return list(
        PartyOrg.objects.filter(
            path__startswith=org.path, depth=org.depth + 1, dissolved_on__isnull=True
        ).exclude(kind=OrgKind.GROUP).order_by("path")[:LISTED]
    )  # fmt: skip


def _rolled_up(children: list[PartyOrg], rows, fields) -> dict[int, dict]:
    """Sums of (path, {field: n}) rows over each child's subtree."""
    owners = {child.path: [child.pk] for child in children}
    return formulas.sums_below(rows, owners, [child.pk for child in children], fields)


def _compliance_below(org: PartyOrg, children, year: int, upto: date) -> dict[int, dict]:
    from mofan.meetings import kept
    from mofan.meetings.models import ComplianceMonth

    kept.settle()
    first, last = formulas.ended_months(year, upto)
    rows = (
        ComplianceMonth.objects.filter(
            org__path__startswith=org.path, month_index__range=(first, last)
        )
        .values("org__path")
        .annotate(required=Sum("required"), met=Sum("met"))
        .order_by()
    )
    return _rolled_up(children, [(r["org__path"], r) for r in rows], ("required", "met"))


def _members_below(org: PartyOrg, children) -> dict[int, dict]:
    rows = (
        Membership.objects.filter(org__path__startswith=org.path, status=MembershipStatus.NORMAL)
        .values("org__path")
        .annotate(
            full=Count("id", filter=Q(kind=MembershipKind.FULL)),
            probationary=Count("id", filter=Q(kind=MembershipKind.PROBATIONARY)),
        )
        .order_by()
    )
    return _rolled_up(children, [(r["org__path"], r) for r in rows], ("full", "probationary"))


def _basics(document, org: PartyOrg) -> None:
    kinds = dict(
        _below(org).filter(dissolved_on__isnull=True).values_list("kind")
        .annotate(n=Count("id")).order_by()
    )  # fmt: skip
    members = Membership.objects.filter(
        org__path__startswith=org.path, status=MembershipStatus.NORMAL
    ).aggregate(
        full=Count("id", filter=Q(kind=MembershipKind.FULL)),
        probationary=Count("id", filter=Q(kind=MembershipKind.PROBATIONARY)),
    )
    orgs = "、".join(f"{OrgKind(k).label}{kinds[k]}个" for k in OrgKind.values if kinds.get(k))
    word.paragraph(
        document,
        f"截至报告日，{org.name}下设{orgs or '党组织0个'}；党员{members['full'] + members['probationary']}名，"
        f"其中正式党员{members['full']}名、预备党员{members['probationary']}名。",
    )


def _share(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _debrief_lines(org: PartyOrg, year: int) -> list[list[str]]:
    rows = []
    published = Debrief.objects.filter(org=org, year=year, state=DebriefState.PUBLISHED)
    for debrief in published.order_by("held_on"):
        for line in debriefs.tally(debrief):
            rows.append([
                debrief.get_kind_display(), line.debriefer.person.name, line.debriefer.org.name,
                str(line.composite if line.composite is not None else "—"),
                f"{line.approval}%" if line.approval is not None else "—",
                line.grade_label + ("（约谈）" if line.flagged else ""),
            ])  # fmt: skip
    return rows[:LISTED]


def _round_lines(org: PartyOrg, year: int) -> list[list[str]]:
    from mofan.assessment.choices import Grade

    rows = []
    rounds = Round.objects.filter(
        scheme__org=org, scheme__year=year, state=RoundState.PUBLISHED
    ).order_by("published_at")
    for round_ in rounds:
        grades = dict(round_.targets.values_list("grade").annotate(n=Count("id")).order_by())
        rows.append([round_.title, str(sum(grades.values()))]
                    + [str(grades.get(g, 0)) for g in Grade.values])  # fmt: skip
    return rows


def annual_appendix(org: PartyOrg, year: int, *, upto: date) -> str:
    """The data appendix of a 党委（党组）'s annual report on 党建; returns the path of a
    temporary file (the caller streams and removes it)."""
    from mofan.assessment.choices import Grade

    upto = min(upto, date(year, 12, 31))
    document = word.official_document()
    word.title(document, f"{org.name}{year}年度党建工作报告数据附件")
    _intro(document, upto, "本附件")
    word.heading(document, "一、组织和党员基本情况")
    _basics(document, org)
    word.heading(document, "二、本级主要数据")
    word.table(document, ["项目", "情况"], figures(org, year, upto))
    word.heading(document, "三、下级党组织情况")
    children = _children(org)
    if children:
        compliance = _compliance_below(org, children, year, upto)
        members = _members_below(org, children)
        talks = formulas.FORMULAS["heart_to_heart"].measure(org, children, year, upto)
        overdue = formulas.FORMULAS["recruitment_timely"].measure(org, children, year, upto)
        rows = []
        for child in children:
            done, due = compliance[child.pk]["met"], compliance[child.pk]["required"]
            talk = talks[child.pk]
            rows.append([
                child.name, str(members[child.pk]["full"] + members[child.pk]["probationary"]),
                f"{done}/{due}（{_share(done, due)}）",
                f"{talk['talked']}/{talk['members']}（{_share(talk['talked'], talk['members'])}）",
                str(overdue[child.pk]["overdue"]),
            ])  # fmt: skip
        word.table(document, ["党组织", "党员", "组织生活达到/要求", "谈心谈话覆盖", "逾期发展党员事项"],
                   rows)  # fmt: skip
    else:
        word.paragraph(document, "无下级党组织。")
    word.heading(document, "四、述职评议")
    lines = _debrief_lines(org, year)
    if lines:
        word.table(document, ["类别", "述职人", "所在组织", "综合得分", "好和较好", "等次"], lines)
    else:
        word.paragraph(document, "本年度本级组织的述职评议尚未公布结果。")
    word.heading(document, "五、考核评价")
    rounds = _round_lines(org, year)
    if rounds:
        word.table(document, ["考核", "考核对象"] + [g.label for g in Grade], rounds)
    else:
        word.paragraph(document, "本年度本级组织的考核尚未公布结果。")
    word.heading(document, "六、督查检查考核")
    issued = registry.counts_by_kind(CheckEntry.objects.filter(org=org, year=year))
    got = registry.received([org.pk], year).get(org.pk, 0)
    word.paragraph(
        document,
        f"本年度本级组织实施督查检查考核{sum(issued.values())}项，本级组织接受督查检查考核{got}次。",
    )
    return word.save_temporary(document, "mofan-annual-appendix-")
