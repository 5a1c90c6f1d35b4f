"""巡视巡察's rules, without HTTP: a term's coverage plan and its map, rounds and their stages,
teams with 回避 enforced, targets, and the findings a team records. The callers have found the
records through querysets.py (404 otherwise); these functions check the rules and audit every
change."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, check_version, text_input
from mofan.inspection.choices import (
    STAGES,
    Channel,
    Coverage,
    FindingCategory,
    LetterKind,
    RoundKind,
    Stage,
    TeamRole,
)
from mofan.inspection.models import (
    Evidence,
    Finding,
    Interview,
    Letter,
    Plan,
    PlanEntry,
    Round,
    Target,
    Team,
    TeamMember,
)
from mofan.inspection.querysets import below
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import Membership, PartyOrg, Person, UnitChange

# The organisations that inspect those below them (巡察 is run by a 党委 or 党组).
INSPECTING_KINDS = (OrgKind.COMMITTEE, OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE)
LONGEST_TERM = 10  # years: a 党委's term is five; a plan may be redrawn, not run for decades
# Findings are recorded from 进驻 until the feedback is given.
FINDING_STAGES = (Stage.STATIONED, Stage.INQUIRING, Stage.REPORTING)


def _today() -> date:
    return timezone.localdate()


def inspecting_orgs(user):
    """The organisations whose inspections `user` keeps: those they are the discipline officer
    of, of the kinds that inspect."""
    from mofan.inspection.querysets import holding_orgs

    return PartyOrg.objects.filter(
        pk__in=holding_orgs(user.pk), kind__in=INSPECTING_KINDS, dissolved_on__isnull=True
    ).order_by("path")


def _year(value, label="年度") -> int:
    if not isinstance(value, int) or not 2000 <= value <= 2100:
        raise InvalidInput(f"{label}须为2000至2100之间的年份。")
    return value


def _bump(obj, fields=()) -> None:
    obj.version += 1
    obj.save(update_fields=[*fields, "version"])


def _locked(model, obj, version):
    check_version(version)
    locked = model.objects.select_for_update().get(pk=obj.pk)
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    return locked


# -- the coverage plan ------------------------------------------------------------------------


@transaction.atomic
def create_plan(org: PartyOrg, *, actor, title, first_year, last_year) -> Plan:
    if org.kind not in INSPECTING_KINDS:
        raise InvalidInput("巡察规划由党委、党组或机关党委制定。")
    title = text_input(title, "规划名称", required=True, longest=200)
    first_year, last_year = _year(first_year, "起始年度"), _year(last_year, "终止年度")
    if not 0 <= last_year - first_year < LONGEST_TERM:
        raise InvalidInput(f"规划期须为1至{LONGEST_TERM}年，且终止年度不早于起始年度。")
    plan = Plan.objects.create(org=org, title=title, first_year=first_year, last_year=last_year,
                               created_by=actor)  # fmt: skip
    audit.record(actor, "inspection.plan.created", plan, payload={
        "org": org.pk, "years": [first_year, last_year]})  # fmt: skip
    return plan


@transaction.atomic
def plan_orgs(plan: Plan, *, actor, orgs, year, version=None) -> int:
    """Plan organisations below the plan's for a year of the term (an organisation already
    planned moves to that year). Returns how many."""
    plan = _locked(Plan, plan, version)
    year = _year(year, "计划年度")
    if not plan.first_year <= year <= plan.last_year:
        raise InvalidInput(f"计划年度须在规划期{plan.first_year}—{plan.last_year}年内。")
    wanted = {org.pk for org in orgs}
    if not wanted:
        raise InvalidInput("请选择要列入计划的组织。")
    allowed = set(
        below(plan.org)
        .filter(pk__in=wanted, dissolved_on__isnull=True)
        .values_list("pk", flat=True)
    )
    if wanted - allowed:
        raise InvalidInput("所选组织须为本组织下属、未撤销的党组织（党小组除外）。")
    PlanEntry.objects.filter(plan=plan, org_id__in=wanted).update(year=year)
    known = set(
        PlanEntry.objects.filter(plan=plan, org_id__in=wanted).values_list("org_id", flat=True)
    )
    PlanEntry.objects.bulk_create(
        PlanEntry(plan=plan, org_id=pk, year=year) for pk in wanted - known
    )
    _bump(plan)
    audit.record(
        actor, "inspection.plan.planned", plan, payload={"year": year, "orgs": sorted(wanted)}
    )
    return len(wanted)


@dataclass
class CoverageRow:
    org_id: int
    name: str
    path: str
    kind: str
    status: str
    planned_year: int | None
    inspected_year: int | None
    note: str

    @property
    def label(self) -> str:
        return Coverage(self.status).label


@dataclass
class CoverageMap:
    rows: list[CoverageRow]
    counts: dict  # status → n
    by_year: dict  # year → {"planned": n, "inspected": n}
    due: int  # organisations the term must cover
    rate: float | None  # inspected ÷ due, in %


def coverage(plan: Plan) -> CoverageMap:
    """Who the term has inspected, planned and not yet covered, over the organisations below
    the plan's. An organisation counts if it existed during the term; one founded during it is
    due like the others; one dissolved or merged away before it was inspected is not due (its
    members and work went to another, covered in its turn); one inspected before it was
    dissolved stays inspected. Three queries whatever the size of the tree."""
    start, end = date(plan.first_year, 1, 1), date(plan.last_year, 12, 31)
    orgs = (
        below(plan.org)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=start))
        .values_list("pk", "name", "path", "kind", "founded_on", "dissolved_on")
        .order_by("path")
    )
    planned = dict(plan.entries.values_list("org_id", "year"))
    # An organisation is inspected once a round of the plan's organisation was stationed there
    # (进驻) within the term; 回头看 counts as well.
    inspected = dict(
        Target.objects.filter(round__org_id=plan.org_id, round__year__range=(plan.first_year, plan.last_year))
        .exclude(round__stage=Stage.PREPARING)
        .values("org_id").annotate(year=Max("round__year")).values_list("org_id", "year")
    )  # fmt: skip
    rows, counts, by_year = [], dict.fromkeys(Coverage.values, 0), {}
    for year in range(plan.first_year, plan.last_year + 1):
        by_year[year] = {"planned": 0, "inspected": 0}
    for pk, name, path, kind, founded, dissolved in orgs:
        note = ""
        if pk in inspected:
            status = Coverage.INSPECTED
            by_year[inspected[pk]]["inspected"] += 1
        elif dissolved is not None and dissolved <= end:  # gone during the term
            status, note = Coverage.GONE, f"{dissolved:%Y年%-m月%-d日}撤销或合并，未巡察"
        elif pk in planned:
            status = Coverage.PLANNED
        else:
            status = Coverage.UNCOVERED
        if pk in planned and planned[pk] in by_year:
            by_year[planned[pk]]["planned"] += 1
        if founded is not None and founded > start and not note:
            note = f"{founded:%Y年%-m月%-d日}成立"
        counts[status] += 1
        rows.append(
            CoverageRow(pk, name, path, kind, status, planned.get(pk), inspected.get(pk), note)
        )
    due = len(rows) - counts[Coverage.GONE]
    rate = counts[Coverage.INSPECTED] * 100 / due if due else None
    return CoverageMap(rows, counts, by_year, due, rate)


# -- rounds, teams and targets ------------------------------------------------------------------


@transaction.atomic
def create_round(org: PartyOrg, *, actor, kind, title, year, plan: Plan | None = None) -> Round:
    if org.kind not in INSPECTING_KINDS:
        raise InvalidInput("巡察由党委、党组或机关党委组织。")
    if kind not in RoundKind.values:
        raise InvalidInput("请选择巡察类别。")
    title = text_input(title, "轮次名称", required=True, longest=200)
    year = _year(year)
    if plan is not None and plan.org_id != org.pk:
        raise InvalidInput("所选规划不是本组织的规划。")
    round_ = Round.objects.create(
        org=org, plan=plan, kind=kind, title=title, year=year, created_by=actor,
        stage_dates={Stage.PREPARING: _today().isoformat()},
    )  # fmt: skip
    audit.record(actor, "inspection.round.created", round_, payload={"kind": kind, "year": year})
    return round_


def _preparing(round_: Round) -> None:
    if round_.stage != Stage.PREPARING:
        raise InvalidInput("巡察组和巡察对象只能在准备阶段调整。")


@transaction.atomic
def add_team(round_: Round, *, actor, name, phone="", mailbox="") -> Team:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _preparing(round_)
    name = text_input(name, "巡察组名称", required=True, longest=60)
    if round_.teams.filter(name=name).exists():
        raise InvalidInput(f"本轮已有“{name}”。")
    team = Team.objects.create(
        round=round_, name=name, phone=text_input(phone, "值班电话", required=False, longest=40),
        mailbox=text_input(mailbox, "联系邮箱或信箱", required=False, longest=200),
    )  # fmt: skip
    audit.record(actor, "inspection.team.created", round_, payload={"team": team.pk, "name": name})
    return team


def recusal(person: Person, org: PartyOrg, today: date | None = None) -> str | None:
    """Why `person` may not inspect `org` (回避), or None: they work in the unit the organisation
    is set up in (or a part of it), left such a unit less than N years ago
    (settings.INSPECTION_RECUSAL_YEARS), or are a member of the organisation or one below it."""
    today = today or _today()
    years = settings.INSPECTION_RECUSAL_YEARS
    unit = org.unit

    def within(other) -> bool:  # the unit itself or one of its parts
        return other.path.startswith(unit.path)

    if unit is not None and person.unit_id == unit.pk:
        return f"{person.name}在{unit.name}工作，{org.name}设在该单位"
    if unit is not None and within(person.unit):
        return f"{person.name}在{person.unit.name}工作，该单位属于{org.name}所在的{unit.name}"
    if unit is not None and years:
        since = today - timedelta(days=round(365.25 * years))
        for change in UnitChange.objects.filter(person=person, on__gt=since).select_related("left"):
            if within(change.left):
                return (f"{person.name}于{change.on:%Y年%-m月%-d日}离开{change.left.name}，"
                        f"未满{years}年")  # fmt: skip
    membership = Membership.objects.filter(person=person).select_related("org").first()
    if membership is not None and membership.org.path.startswith(org.path):
        return f"{person.name}是{org.name}的党员"
    return None


def _recuse(person: Person, orgs) -> None:
    for org in orgs:
        reason = recusal(person, org)
        if reason:
            raise InvalidInput(f"须回避：{reason}，不能参加对{org.name}的巡察。")


@transaction.atomic
def add_member(team: Team, *, actor, person: Person, role) -> TeamMember:
    round_ = Round.objects.select_for_update().get(pk=team.round_id)
    _preparing(round_)
    if role not in TeamRole.values:
        raise InvalidInput("请选择组内职务。")
    if TeamMember.objects.filter(team__round=round_, person=person).exists():
        raise InvalidInput(f"{person.name}已在本轮的巡察组中。")
    if role == TeamRole.LEADER and team.members.filter(role=TeamRole.LEADER).exists():
        raise InvalidInput(f"{team.name}已有组长。")
    _recuse(person, [t.org for t in team.targets.select_related("org__unit")])
    member = TeamMember.objects.create(team=team, person=person, role=role, home_unit=person.unit)
    audit.record(actor, "inspection.member.added", round_, payload={
        "team": team.pk, "person": person.pk, "role": role})  # fmt: skip
    _tell_member(member, round_)
    return member


def _tell_member(member: TeamMember, round_: Round) -> None:
    """A member with an account is told where to find the round (they have no menu entry)."""
    from django.urls import reverse

    from mofan.notify import services as notify

    user_id = getattr(getattr(member.person, "user", None), "pk", None)
    if user_id is None:
        return
    notify.create([notify.Notice(
        user_id=user_id, kind="inspection", title=f"巡视巡察：您已编入{member.team.name}",
        body=f"{round_.org.name}{round_.title}，{member.team.name}{member.get_role_display()}。",
        url=reverse("inspection:round", args=[round_.pk]),
        dedupe_key=f"inspection:{round_.pk}:member:{member.pk}",
    )])  # fmt: skip


@transaction.atomic
def remove_member(member: TeamMember, *, actor) -> None:
    """Take a member off a team (while preparing): one who must stand aside, or is replaced."""
    round_ = Round.objects.select_for_update().get(pk=member.team.round_id)
    _preparing(round_)
    audit.record(actor, "inspection.member.removed", round_, payload={
        "team": member.team_id, "person": member.person_id, "role": member.role})  # fmt: skip
    member.delete()


@transaction.atomic
def add_target(round_: Round, *, actor, org: PartyOrg, team: Team) -> Target:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _preparing(round_)
    if team.round_id != round_.pk:
        raise InvalidInput("所选巡察组不属于本轮。")
    if not below(round_.org).filter(pk=org.pk, dissolved_on__isnull=True).exists():
        raise InvalidInput("巡察对象须为本组织下属、未撤销的党组织（党小组除外）。")
    if round_.targets.filter(org=org).exists():
        raise InvalidInput(f"{org.name}已是本轮的巡察对象。")
    if round_.kind == RoundKind.FOLLOW_UP and not (
        Target.objects.filter(org=org, round__org_id=round_.org_id)
        .exclude(round__kind=RoundKind.FOLLOW_UP).exclude(round__stage=Stage.PREPARING).exists()
    ):  # fmt: skip
        raise InvalidInput(f"“回头看”的对象须是此前巡察过的组织，{org.name}尚未巡察。")
    for member in team.members.select_related("person__unit"):
        _recuse(member.person, [org])
    target = Target.objects.create(round=round_, org=org, team=team)
    audit.record(actor, "inspection.target.added", round_, payload={"org": org.pk, "team": team.pk})
    return target


@transaction.atomic
def advance(round_: Round, *, actor, version=None) -> Round:
    """The next stage, from today. 进驻 needs targets, each with a team led by a 组长; 移交 needs
    the findings handed over (rectify.hand_over)."""
    round_ = _locked(Round, round_, version)
    at = STAGES.index(round_.stage)
    if at + 1 >= len(STAGES):
        raise InvalidInput("本轮巡察已经结束。")
    following = STAGES[at + 1]
    if following == Stage.STATIONED:
        targets = list(round_.targets.select_related("org__unit", "team"))
        if not targets:
            raise InvalidInput("请先确定巡察对象。")
        leaderless = [t.org.name for t in targets
                      if not t.team.members.filter(role=TeamRole.LEADER).exists()]  # fmt: skip
        if leaderless:
            raise InvalidInput(f"以下对象的巡察组尚无组长：{'、'.join(leaderless[:5])}。")
        # Checked again as the team goes in: a member may have moved since being assigned.
        reasons = [
            f"{reason}，不能参加对{target.org.name}的巡察"
            for target in targets
            for member in target.team.members.select_related("person__unit")
            if (reason := recusal(member.person, target.org))
        ]
        if reasons:
            raise InvalidInput(f"进驻前须调整巡察组成员：{'；'.join(reasons[:5])}。")
    if following == Stage.HANDOVER:
        from mofan.inspection.rectify import handed_over

        if not handed_over(round_):
            raise InvalidInput(
                "请先将反馈问题移交整改（生成被巡察组织的整改台账），再进入移交阶段。"
            )
    round_.stage = following
    round_.stage_dates = {**round_.stage_dates, following: _today().isoformat()}
    _bump(round_, ["stage", "stage_dates"])
    audit.record(actor, "inspection.round.advanced", round_, payload={"stage": following})
    return round_


# -- findings ---------------------------------------------------------------------------------


def _finding_values(category, title, facts) -> tuple[str, str, str]:
    if category not in FindingCategory.values:
        raise InvalidInput("请选择问题类别。")
    return (
        category,
        text_input(title, "问题概要", required=True, longest=200),
        text_input(facts, "问题事实", required=True, longest=20000, shortest=10),
    )


@transaction.atomic
def add_finding(target: Target, *, actor, category, title, facts) -> Finding:
    round_ = Round.objects.select_for_update().get(pk=target.round_id)
    if round_.stage not in FINDING_STAGES:
        raise InvalidInput("进驻后、反馈前才能登记发现的问题。")
    category, title, facts = _finding_values(category, title, facts)
    number = (target.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding.objects.create(target=target, number=number, category=category,
                                     title=title, facts=facts, created_by=actor)  # fmt: skip
    audit.record(actor, "inspection.finding.created", finding,
                 payload={"target": target.pk, "category": category})  # fmt: skip
    return finding


@transaction.atomic
def update_finding(finding: Finding, *, actor, version, category, title, facts) -> Finding:
    locked = _locked(Finding, finding, version)
    if Round.objects.get(pk=locked.target.round_id).stage not in FINDING_STAGES:
        raise InvalidInput("反馈后问题不能再修改。")
    locked.category, locked.title, locked.facts = _finding_values(category, title, facts)
    _bump(locked, ["category", "title", "facts"])
    audit.record(actor, "inspection.finding.updated", locked, payload={"category": locked.category})
    return locked


@transaction.atomic
def add_evidence(finding: Finding, *, actor, upload) -> Evidence:
    """A file bearing the finding out, while findings are recorded (进驻 to 报告)."""
    from mofan.core.uploads import keep_upload

    round_ = Round.objects.select_for_update().get(pk=finding.target.round_id)
    if round_.stage not in FINDING_STAGES:
        raise InvalidInput("进驻后、反馈前才能为问题添加证据材料。")
    if upload is None:
        raise InvalidInput("请选择证据材料文件。")
    evidence = Evidence(finding=finding, uploaded_by=actor)
    keep_upload(evidence, upload)
    evidence.save()
    audit.record(actor, "inspection.evidence.added", finding,
                 payload={"evidence": evidence.pk, "file": evidence.file_name})  # fmt: skip
    return evidence


# -- 了解: 个别谈话 and 来信来访 ----------------------------------------------------------------


def _date(value, label: str, round_: Round) -> date:
    if not isinstance(value, date):
        raise InvalidInput(f"请填写{label}。")
    started = round_.stage_dates.get(Stage.STATIONED)
    if started and value < date.fromisoformat(started):
        raise InvalidInput(f"{label}不能早于进驻日期。")
    if value > _today():
        raise InvalidInput(f"{label}不能晚于今天。")
    return value


def _inquiring(round_: Round, what: str) -> None:
    if round_.stage not in FINDING_STAGES:
        raise InvalidInput(f"进驻后、反馈前才能登记{what}。")


@transaction.atomic
def add_interview(target: Target, *, actor, held_on, interviewee, post="", summary) -> Interview:
    """A 个别谈话 at a target (the team, or the round's keepers)."""
    round_ = Round.objects.select_for_update().get(pk=target.round_id)
    _inquiring(round_, "个别谈话")
    interview = Interview.objects.create(
        target=target, held_on=_date(held_on, "谈话日期", round_),
        interviewee=text_input(interviewee, "谈话对象", required=True, longest=50),
        post=text_input(post, "谈话对象职务", required=False, longest=60),
        summary=text_input(summary, "谈话要点", required=True, longest=20000, shortest=5),
        created_by=actor,
    )  # fmt: skip
    audit.record(actor, "inspection.interview.created", interview, payload={"target": target.pk})
    return interview


@transaction.atomic
def register_letter(round_: Round, *, actor, channel, received_on, sender="", content) -> Letter:
    """A 来信来访 received by the round (its keepers register it; the sender may be anonymous)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _inquiring(round_, "来信来访")
    if channel not in Channel.values:
        raise InvalidInput("请选择来源方式。")
    number = (round_.letters.aggregate(n=Max("number"))["n"] or 0) + 1
    letter = Letter.objects.create(
        round=round_, number=number, channel=channel,
        received_on=_date(received_on, "收到日期", round_),
        sender=text_input(sender, "反映人", required=False, longest=50),
        content=text_input(content, "反映内容", required=True, longest=20000, shortest=5),
        created_by=actor,
    )  # fmt: skip
    audit.record(actor, "inspection.letter.registered", letter, payload={"channel": channel})
    return letter


@transaction.atomic
def classify_letter(letter: Letter, *, actor, version, kind, target: Target | None) -> Letter:
    """Classify a 来信来访 and hand it to the team of the target it concerns (or to none: one
    that concerns no target of the round is kept by the keepers)."""
    locked = _locked(Letter, letter, version)
    _inquiring(Round.objects.get(pk=locked.round_id), "来信来访的分类")
    if kind not in LetterKind.values or not kind:
        raise InvalidInput("请选择分类。")
    if target is not None and target.round_id != locked.round_id:
        raise InvalidInput("所选巡察对象不属于本轮。")
    locked.kind, locked.target = kind, target
    locked.handed_at = timezone.now() if target is not None else None
    _bump(locked, ["kind", "target", "handed_at"])
    audit.record(actor, "inspection.letter.classified", locked, payload={
        "kind": kind, "target": target.pk if target else None})  # fmt: skip
    return locked
