"""移交 and 整改 of a round, without HTTP: at 反馈 one step makes each target's rectification ledger
from its findings (the target's own people supervise it and fill in the measures, owners and
deadlines), with the 整改方案 and the 整改情况报告 due on computed days and reminded; the target
sends both papers; the inspecting organisation rates each finding's rectification (未到位 reopens
it); the 整改进展公开 text is generated from the records, reviewed and published as it stands; and
the figures of a round or a term are counted set-based."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from mofan.access.models import RoleAssignment, User
from mofan.access.roles import Role
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, check_version, text_input
from mofan.core.uploads import keep_upload
from mofan.inspection.choices import (
    STAGES,
    DisclosureState,
    FindingCategory,
    Rating,
    RectificationPaper,
    Stage,
)
from mofan.inspection.models import Disclosure, Finding, Rectification, Round, Target
from mofan.ledger import services as ledgers
from mofan.ledger.choices import AccountabilityKind, FindingState
from mofan.ledger.models import Accountability, Item
from mofan.members.rules import cn
from mofan.notify import services as notify

REPORT_MONTHS = 2  # the 整改情况报告 is due two months after the feedback
REMIND_DAYS = 3  # reminders start this many days before a paper is due
# Who at the target answers for the rectification (its ledger's supervisors): the organisation's
# secretary, admins and 督办员, and the 督办员 of the unit it is set up in.
ANSWERING_ROLES = (Role.BRANCH_SECRETARY, Role.ORG_ADMIN, Role.SUPERVISOR)


def _today() -> date:
    return timezone.localdate()


def months_after(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days (31 August
    → 31 October; 31 December → 28 or 29 February). Hand-written: one line of calendar
    arithmetic is not worth python-dateutil as a dependency."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_dates(fed_back_on: date) -> tuple[date, date]:
    """(整改方案, 整改情况报告): the plan within INSPECTION_PLAN_WORKDAYS working days of the
    official calendar, the report within two months."""
    from mofan.ledger.workdays import add_workdays

    return (
        add_workdays(fed_back_on, settings.INSPECTION_PLAN_WORKDAYS),
        months_after(fed_back_on, REPORT_MONTHS),
    )


def answering(org) -> list[User]:
    """The active accounts that answer for `org`'s rectification."""
    query = Q(role__in=ANSWERING_ROLES, org=org)
    if org.unit_id is not None:
        query |= Q(role=Role.SUPERVISOR, unit_id=org.unit_id)
    ids = RoleAssignment.objects.filter(query, user__is_active=True).values("user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def problem_text(finding: Finding) -> str:
    return f"【{finding.get_category_display()}】{finding.title}：{finding.facts}"


def _fed_back_on(round_: Round) -> date:
    return date.fromisoformat(round_.stage_dates[Stage.FEEDBACK])


@transaction.atomic
def hand_over(round_: Round, *, actor) -> list[Rectification]:
    """At 反馈: every target with findings gets its rectification ledger, one finding of the
    ledger per finding of the round, supervised by those who answer for the target; the papers'
    days are computed from the feedback. All or nothing: a target nobody answers for stops the
    whole step, with its name."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.stage != Stage.FEEDBACK:
        raise InvalidInput("反馈阶段才能移交整改。")
    targets = list(
        round_.targets.select_related("org__unit", "team")
        .annotate(n=Count("findings"), handed=Exists(Rectification.objects.filter(target=OuterRef("pk"))))
        .filter(n__gt=0)
    )  # fmt: skip
    if not targets:
        raise InvalidInput("本轮尚未登记发现的问题，没有需要移交整改的内容。")
    if any(t.handed for t in targets):
        raise InvalidInput("本轮已移交整改，不能重复移交。")
    answers = {t.pk: answering(t.org) for t in targets}
    nobody = [t.org.name for t in targets if not answers[t.pk] or t.org.unit_id is None]
    if nobody:
        raise InvalidInput(
            f"以下组织尚无负责整改的人员（书记、党建管理员或督办员），请先授权后再移交："
            f"{'、'.join(nobody[:10])}{'等' if len(nobody) > 10 else ''}。"
        )
    fed_back = _fed_back_on(round_)
    plan_due, report_due = due_dates(fed_back)
    made = []
    for target in targets:
        findings = list(target.findings.order_by("number"))
        handed = ledgers.open_rectification_ledger(
            actor=actor, name=f"{target.org.name}{round_.title}反馈问题整改台账",
            year=fed_back.year, unit=target.org.unit, supervisors=answers[target.pk],
            source={
                "title": f"{round_.org.name}{target.team.name}关于{round_.title}巡察{target.org.name}的反馈意见"[:300],
                "issuer": round_.org.name[:100], "issued_on": fed_back,
                "summary": f"{cn(fed_back)}反馈问题{len(findings)}个；整改方案请于{cn(plan_due)}前、"
                           f"整改情况报告请于{cn(report_due)}前报送{round_.org.name}。",
            },
            problems=[problem_text(f) for f in findings],
        )  # fmt: skip
        for finding, ledger_finding in zip(findings, handed.findings, strict=True):
            finding.ledger_finding = ledger_finding
        Finding.objects.bulk_update(findings, ["ledger_finding"], batch_size=500)
        made.append(Rectification(
            target=target, ledger=handed.ledger, fed_back_on=fed_back, plan_due_on=plan_due,
            report_due_on=report_due,
        ))  # fmt: skip
    made = Rectification.objects.bulk_create(made)
    audit.record(actor, "inspection.round.handed_over", round_, payload={
        "targets": [r.target_id for r in made], "ledgers": [r.ledger_id for r in made]})  # fmt: skip
    transaction.on_commit(lambda: _tell_handed(made, round_))
    return made


def _tell(rectification: Rectification, key: str, title: str, body: str) -> int:
    users = rectification.ledger.supervisors.filter(is_active=True).values_list("pk", flat=True)
    return notify.create(
        notify.Notice(
            user_id=uid,
            kind="inspection",
            title=title,
            body=body,
            url=reverse("inspection:rectification", args=[rectification.pk]),
            dedupe_key=f"inspection:rectification:{rectification.pk}:{key}",
        )  # fmt: skip
        for uid in users
    )


def _tell_handed(made: list[Rectification], round_: Round) -> None:
    for rect in made:
        _tell(
            rect, "handed", f"巡视巡察：{round_.org.name}已反馈巡察意见，请组织整改",
            f"{round_.title}反馈问题已列入“{rect.ledger.name}”，请逐项制定整改措施、明确责任人和时限；"
            f"整改方案请于{cn(rect.plan_due_on)}前、整改情况报告请于{cn(rect.report_due_on)}前报送。",
        )  # fmt: skip


def handed_over(round_: Round) -> bool:
    """Whether every target with findings has its rectification (checked before 移交)."""
    return not round_.targets.filter(findings__isnull=False, rectification__isnull=True).exists()


# -- the target's papers -------------------------------------------------------------------------


@transaction.atomic
def send_paper(rectification: Rectification, *, actor, paper: str, upload) -> Rectification:
    """The target sends its 整改方案 or 整改情况报告 (a later copy replaces the earlier; the trail
    keeps both sendings). Refused once the round has ended."""
    rect = (
        Rectification.objects.select_for_update()
        .select_related("target__round")
        .get(pk=rectification.pk)
    )
    if paper not in RectificationPaper.values:
        raise InvalidInput("请选择报送的材料。")
    if rect.target.round.stage == Stage.CLOSED:
        raise InvalidInput("本轮巡察已经结束，不能再报送整改材料。")
    if upload is None:
        raise InvalidInput(f"请选择{RectificationPaper(paper).label}文件。")
    keep_upload(rect, upload, field=f"{paper}_file", name_field=f"{paper}_file_name")
    setattr(rect, f"{paper}_sent_at", timezone.now())
    rect.save(update_fields=[f"{paper}_file", f"{paper}_file_name", f"{paper}_sent_at"])
    due = getattr(rect, f"{paper}_due_on")
    late = (_today() - due).days
    audit.record(actor, f"inspection.{paper}.sent", rect, payload={
        "file": getattr(rect, f"{paper}_file_name"), "late_days": max(late, 0)})  # fmt: skip
    return rect


# -- 整改评估 -------------------------------------------------------------------------------------


@transaction.atomic
def rate(finding: Finding, *, actor, rating: str, evidence: str, version=None) -> Finding:
    """The inspecting organisation's rating of one finding's rectification, in the 评估 stage.
    整改到位 needs the finding closed out in the ledger; 未到位 reopens it there."""
    check_version(version)
    # of=self: the ledger's finding is an outer join, which PostgreSQL does not lock.
    locked = Finding.objects.select_for_update(of=("self",)).select_related(
        "target__round", "ledger_finding"
    ).get(pk=finding.pk)  # fmt: skip
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    if locked.target.round.stage != Stage.EVALUATING:
        raise InvalidInput("评估阶段才能评定整改情况。")
    if locked.ledger_finding is None:
        raise InvalidInput("该问题没有移交整改，无从评估。")
    if rating not in Rating.values:
        raise InvalidInput("请选择评估结论：整改到位、基本到位或未到位。")
    evidence = text_input(evidence, "评估依据", required=True, longest=5000, shortest=5)
    if rating == Rating.DONE and locked.ledger_finding.state != FindingState.CLOSED:
        raise InvalidInput("该问题在整改台账中尚未销号，不能评为整改到位。")
    locked.rating, locked.rating_evidence = rating, evidence
    locked.rated_by, locked.rated_at = actor, timezone.now()
    locked.version += 1
    locked.save(update_fields=["rating", "rating_evidence", "rated_by", "rated_at", "version"])
    audit.record(actor, "inspection.finding.rated", locked, payload={"rating": rating})
    if rating == Rating.NOT_DONE and locked.ledger_finding.state != FindingState.REOPENED:
        ledgers.reopen_finding(locked.ledger_finding, actor=actor, reason="巡察整改评估：未到位")
        rect = locked.target.rectification
        transaction.on_commit(lambda: _tell(
            rect, f"reopened:{locked.pk}:{locked.version}",
            f"巡视巡察：问题{locked.ledger_finding.number}整改评估为未到位",
            f"{locked.target.round.org.name}评估“{rect.ledger.name}”问题{locked.ledger_finding.number}"
            f"整改未到位，已重新打开，请补充整改措施。评估依据：{evidence}",
        ))  # fmt: skip
    return locked


# -- figures: a target's, a round's, a term's -------------------------------------------------------


@dataclass
class Figures:
    problems: int = 0
    handed: int = 0  # in a rectification ledger
    closed: int = 0  # closed out there
    long_term: int = 0  # not closed, with a measure to keep up (长期坚持)
    measures: int = 0
    ratings: dict = field(default_factory=lambda: dict.fromkeys(Rating.values, 0))
    by_category: dict = field(default_factory=dict)  # label → n
    accountability: dict = field(default_factory=dict)  # label → n
    leads: int = 0  # case leads registered from the findings (监督执纪)

    @property
    def accountable(self) -> int:
        return sum(self.accountability.values())

    @property
    def open(self) -> int:
        return self.handed - self.closed

    @property
    def rate(self) -> float | None:
        return round(self.closed * 100 / self.handed, 1) if self.handed else None

    def as_dict(self) -> dict:
        return {
            "problems": self.problems, "handed": self.handed, "closed": self.closed,
            "long_term": self.long_term, "measures": self.measures, "ratings": self.ratings,
            "by_category": self.by_category, "accountability": self.accountability,
            "leads": self.leads, "rate": self.rate,
        }  # fmt: skip


def figures(findings) -> Figures:
    """The figures of a set of findings (a queryset): by category, how many were handed over,
    closed out, kept up long-term, rated how, and the accountability recorded on their measures.
    Seven grouped queries whatever the number of findings."""
    return figures_by(findings, None).get(None, Figures())


def figures_by(findings, key: str | None) -> dict:
    """The same figures for each value of `key` (a path from a finding, e.g.
    "target__round__year"; None: one group), in the same seven grouped queries."""
    from collections import defaultdict

    from mofan.ledger.models import Finding as LedgerFinding

    found: dict = defaultdict(Figures)

    def rows(queryset, path: str, *fields):
        """(group, *fields, n) of a grouped count; `path` leads from the queryset's model to
        the inspection finding."""
        group = (f"{path}{key}",) if key else ()
        if not group and not fields:
            yield None, queryset.count()
            return
        for row in queryset.values_list(*group, *fields).annotate(n=Count("pk")).order_by():
            yield (row[0] if key else None, *row[len(group) :])

    labels = dict(FindingCategory.choices)
    for group, category, n in rows(findings, "", "category"):
        found[group].by_category[labels.get(category, category)] = n
        found[group].problems += n
    for figures_ in found.values():
        figures_.by_category = dict(sorted(figures_.by_category.items(), key=lambda kv: -kv[1]))
    for group, rating, n in rows(findings.exclude(rating=""), "", "rating"):
        found[group].ratings[rating] = n
    ledger_ids = findings.filter(ledger_finding__isnull=False).values("ledger_finding_id")
    for group, state, n in rows(
        LedgerFinding.objects.filter(pk__in=ledger_ids), "inspection_finding__", "state"
    ):
        found[group].handed += n
        if state == FindingState.CLOSED:
            found[group].closed += n
    measures = Item.objects.filter(finding_id__in=ledger_ids)
    for group, n in rows(measures, "finding__inspection_finding__"):
        found[group].measures += n
    # Long-term: the problems not closed out with a measure kept up (长期坚持), counted once each.
    long_term = (
        measures.filter(ongoing=True).exclude(finding__state=FindingState.CLOSED)
        .values_list(*((f"finding__inspection_finding__{key}",) if key else ()), "finding_id")
        .distinct()
    )  # fmt: skip
    for row in long_term:
        found[row[0] if key else None].long_term += 1
    # Case leads registered from the findings (监督执纪's Lead.finding, read by its relation name).
    for row in findings.filter(leads__isnull=False).values_list(*((key,) if key else ()), "leads"):
        found[row[0] if key else None].leads += 1
    kinds = dict(AccountabilityKind.choices)
    for group, kind, n in rows(
        Accountability.objects.filter(item__finding_id__in=ledger_ids),
        "item__finding__inspection_finding__", "kind",
    ):  # fmt: skip
        found[group].accountability[kinds.get(kind, kind)] = n
    return dict(found)


def round_figures(round_: Round) -> Figures:
    return figures(Finding.objects.filter(target__round=round_))


def term_figures(plan) -> dict:
    """A term's figures: its whole and each year's (the rounds of the plan's organisation in the
    term's years) — fourteen grouped queries, not seven a year."""
    findings = Finding.objects.filter(
        target__round__org_id=plan.org_id,
        target__round__year__range=(plan.first_year, plan.last_year),
    )
    yearly = figures_by(findings, "target__round__year")
    return {
        "all": figures(findings),
        "years": [
            (year, yearly.get(year, Figures()))
            for year in range(plan.first_year, plan.last_year + 1)
        ],
    }


# -- 整改进展公开 ------------------------------------------------------------------------------------


def disclosure_text(rect: Rectification, found: Figures, today: date) -> str:
    """The public text of a target's rectification, every figure from the records."""
    target, round_ = rect.target, rect.target.round
    org, inspecting = target.org.name, round_.org.name
    stationed = round_.stage_dates.get(Stage.STATIONED)
    opening = (
        f"根据{inspecting}统一部署，{inspecting}{target.team.name}"
        + (f"于{cn(date.fromisoformat(stationed))}起" if stationed else "")
        + f"对{org}开展了{round_.get_kind_display()}，并于{cn(rect.fed_back_on)}反馈了巡察意见。"
        f"现将巡察整改进展情况予以公开。"
    )
    lines = [opening]
    progress = (
        f"一、整改总体情况。巡察反馈问题{found.handed}个，制定整改措施{found.measures}条。"
        f"截至{cn(today)}，已完成整改{found.closed}个，整改完成率{found.rate or 0:g}%"
    )
    if found.open:
        progress += f"；正在整改{found.open}个" + (
            f"，其中需长期坚持、持续推进的{found.long_term}个" if found.long_term else ""
        )
    lines.append(progress + "。")
    if found.accountable:
        parts = "、".join(f"{label}{n}人次" for label, n in found.accountability.items())
        lines.append(f"二、问责情况。针对巡察反馈问题，问责{found.accountable}人次，其中{parts}。")
    else:
        lines.append("二、问责情况。截至目前，巡察整改中未作出问责处理。")
    rated = sum(found.ratings.values())
    if rated:
        lines.append(
            f"三、整改评估情况。{inspecting}对{rated}个问题的整改情况进行了评估，"
            f"整改到位{found.ratings[Rating.DONE]}个、基本到位{found.ratings[Rating.MOSTLY]}个、"
            f"未到位{found.ratings[Rating.NOT_DONE]}个，未到位的问题已重新整改。"
        )
    lines.append(
        f"{'四' if rated else '三'}、欢迎监督。对巡察整改落实情况有意见建议的，"
        f"可向{org}或{inspecting}反映。"
    )
    return "\n".join(lines)


@transaction.atomic
def draft_disclosure(rect: Rectification, *, actor) -> Disclosure:
    """A new draft from today's records (an earlier draft not published gives way to it)."""
    Rectification.objects.select_for_update().get(pk=rect.pk)
    today = _today()
    found = figures(Finding.objects.filter(target_id=rect.target_id))
    rect.target.disclosures.filter(state=DisclosureState.DRAFT).delete()
    disclosure = Disclosure.objects.create(
        target=rect.target, text=disclosure_text(rect, found, today), figures=found.as_dict(),
        generated_at=timezone.now(),
    )  # fmt: skip
    audit.record(actor, "inspection.disclosure.drafted", disclosure, payload=found.as_dict())
    return disclosure


@transaction.atomic
def publish_disclosure(disclosure: Disclosure, *, actor, version=None) -> Disclosure:
    check_version(version)
    locked = Disclosure.objects.select_for_update().get(pk=disclosure.pk)
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    if locked.state != DisclosureState.DRAFT:
        raise InvalidInput("该公开内容已经公开。")
    locked.state, locked.published_by, locked.published_at = (
        DisclosureState.PUBLISHED, actor, timezone.now(),
    )  # fmt: skip
    locked.version += 1
    locked.save(update_fields=["state", "published_by", "published_at", "version"])
    audit.record(actor, "inspection.disclosure.published", locked)
    rect = locked.target.rectification
    transaction.on_commit(lambda: _tell(
        rect, f"disclosed:{locked.pk}", "巡视巡察：整改进展情况已公开",
        f"{rect.target.round.org.name}已审核公开{rect.target.org.name}巡察整改进展情况。",
    ))  # fmt: skip
    return locked


# -- reminders --------------------------------------------------------------------------------------


def remind(today: date | None = None) -> int:
    """Each day: a paper due within REMIND_DAYS or overdue and not sent, to the target's people
    (once a day per paper); the rounds' stages before 评估 only."""
    today = today or _today()
    sent = 0
    open_stages = STAGES[STAGES.index(Stage.FEEDBACK) : STAGES.index(Stage.EVALUATING) + 1]
    soon = today + timedelta(days=REMIND_DAYS)
    for paper in RectificationPaper:
        pending = Rectification.objects.filter(
            **{f"{paper.value}_sent_at__isnull": True, f"{paper.value}_due_on__lte": soon},
            target__round__stage__in=open_stages,
        ).select_related("target__org", "target__round__org", "ledger")
        for rect in pending:
            due = getattr(rect, f"{paper.value}_due_on")
            late = (today - due).days
            when = (
                f"已逾期{late}天"
                if late > 0
                else ("今天到期" if late == 0 else f"将于{cn(due)}到期")
            )
            sent += _tell(
                rect, f"remind:{paper.value}:{today:%Y-%m-%d}",
                f"巡视巡察：{paper.label}{when}",
                f"{rect.target.org.name}的{rect.target.round.title}{paper.label}（期限{cn(due)}）"
                f"尚未报送{rect.target.round.org.name}，{when}。",
            )  # fmt: skip
    return sent


def late_papers(round_: Round, today: date | None = None) -> list[tuple[Target, str, int]]:
    """(target, paper label, days late) of the round's papers past their day and not sent."""
    today = today or _today()
    rows = []
    for rect in Rectification.objects.filter(target__round=round_).select_related("target__org"):
        for paper in RectificationPaper:
            due = getattr(rect, f"{paper.value}_due_on")
            if getattr(rect, f"{paper.value}_sent_at") is None and due < today:
                rows.append((rect.target, paper.label, (today - due).days))
    return rows


def ledger_states(findings) -> dict:
    """{finding pk: the state of its ledger finding's label} for the findings read."""
    labels = dict(FindingState.choices)
    return {
        f.pk: labels.get(f.ledger_finding.state, "") if f.ledger_finding_id else ""
        for f in findings
    }
