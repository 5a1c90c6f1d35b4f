"""State changes of 发展党员: open an applicant's file, record a step. Each is one transaction with
its audit record. A step is refused — with the article and, for one taken too early, the day it
becomes possible — when the file is not in a stage that takes it, a step before it is missing, or
its own rule is not met (a vote without quorum, training too short, a publicity too brief). The
file keeps the dates the time rules read and its next due day, recomputed after every step."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, text_input
from mofan.meetings import services as meetings
from mofan.meetings.choices import MeetingKind, MeetingState
from mofan.meetings.models import Meeting
from mofan.members.rules import add_months, cn
from mofan.members.services import branch_of
from mofan.orgs import services as orgs
from mofan.orgs.choices import MEMBER_ORG_KINDS, MembershipKind, MembershipStatus
from mofan.orgs.models import Membership, PartyOrg, Person
from mofan.recruitment import rules
from mofan.recruitment.choices import DocumentKind, Outcome, Recommendation, Stage, StepKind
from mofan.recruitment.models import Applicant, Document, Plan, PlanQuota, Step

NOTE_LONGEST = 500


def _today() -> date:
    return timezone.localdate()


def _day(value, label: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(f"请填写{label}。")
    if value > _today():
        raise InvalidInput(f"{label}不能晚于今天。")
    return value


def _text(value, label: str, *, required: bool) -> str:
    return text_input(value, label, required=required, longest=NOTE_LONGEST, shortest=2)


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def applicant_person(*, actor, person_data: dict) -> Person:
    """The person an application is from: found by the ID number (the name must agree), or
    registered with the details of the application. A branch does not see the non-members of
    the units it serves, so it names the applicant this way rather than by a picker."""
    found = orgs.person_by_id_number(str(person_data.get("id_number", "")))
    if found is None:
        return orgs.create_person(actor=actor, **person_data)
    if found.name != (person_data.get("name") or "").strip():
        raise InvalidInput("该公民身份号码已登记在另一姓名下，请核对姓名和公民身份号码。")
    return found


@transaction.atomic
def open_file(*, actor, org: PartyOrg, applied_on: date, person: Person | None = None,
              person_data: dict | None = None, note: str = "",
              front_line: bool = False) -> Applicant:  # fmt: skip
    """入党申请: the branch registers the application it received (第五条, 第六条)."""
    if org.kind not in MEMBER_ORG_KINDS or not org.is_active:
        raise InvalidInput("入党申请应由党支部受理，请选择党支部。")
    org = branch_of(org)
    applied_on = _day(applied_on, "递交入党申请书日期")
    if person is None:
        person = applicant_person(actor=actor, person_data=person_data or {})
    if Membership.objects.filter(person=person).exists():
        raise InvalidInput(f"{person.name}已有党员记录，不能登记入党申请。")
    if Applicant.objects.filter(person=person, stage__in=rules.LIVE).exists():
        raise InvalidInput(f"{person.name}已有正在办理的发展党员档案。")
    if _age(person.birth_date, applied_on) < rules.MIN_AGE:
        raise InvalidInput(f"递交入党申请书时须年满十八岁（{rules.SOURCE}第五条）。")
    applicant = Applicant(
        person=person, org=org, stage=Stage.APPLICANT, applied_on=applied_on,
        note=_text(note, "备注", required=False)[:300], front_line=bool(front_line),
    )  # fmt: skip
    _keep_due(applicant)
    applicant.save()
    audit.record(actor, "recruitment.file.opened", applicant,
                 payload={"org": org.code, "applied_on": applied_on})  # fmt: skip
    return applicant


@transaction.atomic
def set_front_line(applicant: Applicant, *, actor, front_line: bool, version: int) -> Applicant:
    """Correct whether the applicant works 在生产、工作一线 (read by the year's figures)."""
    locked = Applicant.objects.select_for_update().filter(pk=applicant.pk).first()
    if locked is None:
        raise InvalidInput("该档案已不存在。")
    if locked.version != version:
        raise StaleEdit("该档案已被他人更新，请刷新页面查看最新情况后再修改。")
    before = locked.front_line
    locked.front_line = bool(front_line)
    locked.version += 1
    locked.save(update_fields=["front_line", "version"])
    audit.record(actor, "recruitment.file.front_line", locked,
                 payload={"before": before, "after": locked.front_line})  # fmt: skip
    return locked


def _keep_due(applicant: Applicant) -> None:
    if applicant.stage in rules.LIVE:
        facts = applicant.facts()
        applicant.next_due_on, applicant.next_due_kind = rules.next_due(
            facts, rules.done_from(facts)
        )
    else:
        applicant.next_due_on, applicant.next_due_kind = None, ""


def _full_member(person: Person | None, label: str, applicant: Applicant) -> Person:
    if person is None:
        raise InvalidInput(f"请选择{label}。")
    if person.pk == applicant.person_id:
        raise InvalidInput(f"{label}不能是申请人本人。")
    ok = Membership.objects.filter(
        person=person, kind=MembershipKind.FULL, status=MembershipStatus.NORMAL
    ).exists()
    if not ok:
        raise InvalidInput(f"{label}须为正式党员（{person.name}不是党籍正常的正式党员）。")
    return person


def _count(value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(f"请填写{label}（不小于0的整数）。")
    return value


def entitled_voters(applicant: Applicant, on: date) -> int:
    """应到会有表决权的正式党员: the branch's full members in good standing on the day."""
    branch = branch_of(applicant.org)
    return Membership.objects.in_subtree_on(branch, on).filter(kind=MembershipKind.FULL).count()


def _vote(applicant: Applicant, fields: dict, on: date) -> dict:
    """A 支部党员大会 of the applicant's branch held that day, with a quorate count of votes
    (第二十五条: both halves are of those entitled, not of those present)."""
    meeting = fields.get("meeting")
    branch = branch_of(applicant.org)
    if not isinstance(meeting, Meeting):
        raise InvalidInput(
            "请选择召开的支部党员大会（接收预备党员和预备党员转正须经支部党员大会讨论）。"
        )
    if meeting.kind != MeetingKind.BRANCH_ASSEMBLY or meeting.org_id != branch.pk:
        raise InvalidInput(f"须为{branch.name}的支部党员大会。")
    if meeting.state != MeetingState.HELD:
        raise InvalidInput("所选支部党员大会尚未登记为已召开。")
    if timezone.localtime(meeting.starts_at).date() != on:
        raise InvalidInput(
            f"日期应为支部党员大会召开的日期（{cn(timezone.localtime(meeting.starts_at).date())}）。"
        )
    entitled = entitled_voters(applicant, on)
    present = _count(fields.get("present"), "到会有表决权的正式党员人数")
    votes = [_count(fields.get(k), label) for k, label in
             (("votes_for", "赞成票"), ("votes_against", "反对票"), ("votes_abstain", "弃权票"))]  # fmt: skip
    if present > entitled:
        raise InvalidInput(f"到会有表决权的正式党员（{present}人）不能多于应到会的{entitled}人。")
    if meeting.expected_count and present > meeting.present_count:
        raise InvalidInput(
            f"该会议的出席记录实到{meeting.present_count}人，到会有表决权的正式党员"
            f"（{present}人）不能多于此数。"
        )
    if sum(votes) > present:
        raise InvalidInput(f"赞成、反对、弃权合计{sum(votes)}票，多于到会的{present}人。")
    if present * 2 <= entitled:
        raise InvalidInput(
            f"应到会有表决权的正式党员{entitled}人，实到{present}人，未超过半数，不能进行表决"
            f"（{rules.SOURCE}第二十五条）。"
        )
    return {
        "meeting": meeting, "entitled": entitled, "present": present, "votes_for": votes[0],
        "votes_against": votes[1], "votes_abstain": votes[2], "passed": votes[0] * 2 > entitled,
    }  # fmt: skip


def _stage_start(applicant: Applicant) -> date:
    return {
        Stage.APPLICANT: applicant.applied_on,
        Stage.ACTIVIST: applicant.activist_on,
        Stage.NOMINEE: applicant.nominee_on,
        Stage.PROBATIONARY: applicant.approved_on,
    }.get(applicant.stage) or applicant.applied_on


def _refusal(applicant: Applicant, kind: str, done: set[str]) -> str | None:
    rule = rules.STEPS[kind]
    label = StepKind(kind).label
    if applicant.stage not in rule.stages:
        return f"当前为“{applicant.get_stage_display()}”阶段，不能办理“{label}”（{rules.SOURCE}{rule.article}）。"
    missing = [StepKind(k).label for k in rule.after if k not in done]
    if missing:
        return f"办理“{label}”前须先完成：{'、'.join(missing)}（{rules.SOURCE}{rule.article}）。"
    if not rule.repeatable and kind in done:
        return f"“{label}”已办理。"
    return None


@transaction.atomic
def record_step(applicant: Applicant, *, actor, kind: str, done_on: date, version: int | None = None,
                **fields) -> Step:  # fmt: skip
    """One step of the file, by its rule. `fields`: what the step records (note, person_a,
    person_b, recommendation, ends_on, days, hours, meeting, present, votes_for, votes_against,
    votes_abstain, outcome, extension_months)."""
    if kind not in rules.STEPS:
        raise InvalidInput("办理事项无效。")
    locked = Applicant.objects.select_for_update().filter(pk=applicant.pk).first()
    if locked is None:
        raise InvalidInput("该档案已不存在。")
    expected = applicant.version if version is None else version
    if locked.version != expected:
        raise StaleEdit("该档案已被他人更新，请刷新页面查看最新情况后再办理。")
    applicant = Applicant.objects.select_related("person", "org").get(pk=locked.pk)
    done = rules.done_from(applicant.facts())
    refusal = _refusal(applicant, kind, done)
    if refusal:
        raise InvalidInput(refusal)
    done_on = _day(done_on, "办理日期")
    start = _stage_start(applicant)
    if done_on < start:
        raise InvalidInput(f"办理日期不能早于本阶段开始的日期（{cn(start)}）。")
    early = rules.too_early(kind, applicant.facts(), done_on, done)
    if early:
        raise InvalidInput(early)
    step = Step(applicant=applicant, kind=kind, done_on=done_on,
                recorded_by_id=getattr(actor, "pk", None))  # fmt: skip
    _check_and_fill(applicant, step, kind, done_on, fields)
    if step.meeting_id:
        step.agenda_item = meetings.append_decision(
            step.meeting, actor=actor, title=_vote_title(applicant, kind),
            decision=_vote_decision(applicant, step), reason="发展党员：记入支部党员大会表决结果",
        )  # fmt: skip
    step.save()
    _advance(applicant, step, actor=actor)
    _keep_due(applicant)
    applicant.version += 1
    applicant.save()
    audit.record(
        actor, f"recruitment.step.{kind}", applicant,
        payload={"on": done_on, "stage": applicant.stage, "step": step.pk,
                 **({"passed": step.passed} if step.passed is not None else {})},
    )  # fmt: skip
    return step


def _vote_title(applicant: Applicant, kind: str) -> str:
    name = applicant.person.name
    if kind == StepKind.ADMISSION:
        return f"讨论接收{name}同志为预备党员"
    return f"讨论预备党员{name}同志能否转为正式党员"


def _vote_decision(applicant: Applicant, step: Step) -> str:
    """The agenda item's 议定事项: the count and what it decided, in the minutes' words."""
    name = applicant.person.name
    count = (
        f"应到会有表决权的正式党员{step.entitled}人，实到{step.present}人。表决结果："
        f"赞成{step.votes_for}票，反对{step.votes_against}票，弃权{step.votes_abstain}票。"
    )
    if not step.passed:
        return count + "赞成人数未超过应到会有表决权的正式党员的半数，未通过。"
    passed = count + "赞成人数超过应到会有表决权的正式党员的半数，"
    if step.kind == StepKind.ADMISSION:
        return passed + f"同意接收{name}同志为中共预备党员，报上级党委审批。"
    return (
        passed
        + {
            Outcome.CONFIRM: f"同意{name}同志按期转为中共正式党员，报上级党委审批。",
            Outcome.EXTEND: f"同意延长{name}同志预备期{step.extension_months}个月，报上级党委审批。",
            Outcome.CANCEL: f"同意取消{name}同志预备党员资格，报上级党委审批。",
        }[step.outcome]
    )


def _check_and_fill(applicant: Applicant, step: Step, kind: str, on: date, fields: dict) -> None:
    note_required = kind in {StepKind.REVIEW, StepKind.POLITICAL, StepKind.END, StepKind.TALK}
    labels = {StepKind.REVIEW: "考察情况", StepKind.POLITICAL: "政治审查结论",
              StepKind.END: "终止原因", StepKind.TALK: "谈话情况"}  # fmt: skip
    step.note = _text(fields.get("note"), labels.get(kind, "情况记录"), required=note_required)
    if kind == StepKind.TALK:
        step.person_a = _full_member(fields.get("person_a"), "谈话人", applicant)
    elif kind == StepKind.ACTIVIST:
        if fields.get("recommendation") not in Recommendation.values:
            raise InvalidInput("请选择推荐方式（党员推荐或群团组织推优）。")
        step.recommendation = fields["recommendation"]
        step.person_a = _full_member(fields.get("person_a"), "培养联系人", applicant)
        if fields.get("person_b") is not None:
            step.person_b = _full_member(fields.get("person_b"), "第二名培养联系人", applicant)
            if step.person_b.pk == step.person_a.pk:
                raise InvalidInput("两名培养联系人不能是同一人。")
    elif kind == StepKind.NOMINEE:
        if applicant.reviews < 2:
            raise InvalidInput(
                f"入党积极分子期间每半年应考察一次，目前仅考察{applicant.reviews}次，"
                f"请先登记考察情况（{rules.SOURCE}第十二条）。"
            )
        step.person_a = _full_member(fields.get("person_a"), "入党介绍人", applicant)
        step.person_b = _full_member(fields.get("person_b"), "第二名入党介绍人", applicant)
        if step.person_b.pk == step.person_a.pk:
            raise InvalidInput(
                f"发展对象应当有两名正式党员作入党介绍人（{rules.SOURCE}第十五条）。"
            )
    elif kind == StepKind.TRAINING:
        days, hours = fields.get("days"), fields.get("hours")
        try:
            hours = Decimal(str(hours)) if hours not in (None, "") else None
        except InvalidOperation as exc:
            raise InvalidInput("培训学时须为数字。") from exc
        if days is not None and (not isinstance(days, int) or days < 0):
            raise InvalidInput("培训天数须为不小于0的整数。")
        if not rules.training_enough(days, hours):
            raise InvalidInput(
                f"集中培训时间不足：一般不少于{rules.TRAINING_DAYS}天或{rules.TRAINING_HOURS}个学时"
                f"（{rules.SOURCE}第二十条）。"
            )
        step.days, step.hours = days, hours
    elif kind == StepKind.PUBLICITY:
        ends = fields.get("ends_on")
        if not isinstance(ends, date) or ends < on:
            raise InvalidInput("请填写公示截止日期（不早于公示开始日期）。")
        workdays = rules.publicity_workdays(on, ends)
        if workdays < rules.PUBLICITY_WORKDAYS:
            raise InvalidInput(
                f"公示期{workdays}个工作日，不足{rules.PUBLICITY_WORKDAYS}个工作日。"
            )
        step.ends_on = ends
    elif kind in (StepKind.ADMISSION, StepKind.CONFIRMATION):
        for name, value in _vote(applicant, fields, on).items():
            setattr(step, name, value)
        if kind == StepKind.CONFIRMATION and step.passed:
            outcome = fields.get("outcome")
            if outcome not in Outcome.values:
                raise InvalidInput("请选择讨论结果（按期转正、延长预备期或取消预备党员资格）。")
            if outcome == Outcome.EXTEND:
                low, high = rules.EXTENSION_MONTHS
                months = fields.get("extension_months")
                if applicant.extended:
                    raise InvalidInput(f"预备期只能延长一次（{rules.SOURCE}第三十四条）。")
                if not isinstance(months, int) or not low <= months <= high:
                    raise InvalidInput(
                        f"延长预备期不能少于半年，最长不超过一年（{low}至{high}个月）。"
                    )
                step.extension_months = months
            step.outcome = outcome
    elif kind == StepKind.APPROVAL:
        if Membership.objects.filter(person=applicant.person).exists():
            raise InvalidInput(f"{applicant.person.name}已有党员记录。")


def _advance(applicant: Applicant, step: Step, *, actor) -> None:
    """What the step changes in the file (and, at approval and 转正, in the party record)."""
    kind, on = step.kind, step.done_on
    moves_to = rules.STEPS[kind].moves_to
    if kind == StepKind.TALK:
        applicant.talked_on = on
    elif kind == StepKind.ACTIVIST:
        applicant.activist_on = on
    elif kind == StepKind.REVIEW:
        applicant.reviews += 1
        applicant.last_review_on = max(on, applicant.last_review_on or on)
    elif kind == StepKind.NOMINEE:
        applicant.nominee_on = on
    elif kind == StepKind.POLITICAL:
        applicant.political_on = on
    elif kind == StepKind.TRAINING:
        applicant.trained_on = on
    elif kind == StepKind.OATH:
        applicant.oath_on = on
    elif kind == StepKind.PUBLICITY:
        applicant.publicity_ends_on = step.ends_on
    elif kind == StepKind.PRE_REVIEW:
        applicant.pre_review_on = on
    elif kind == StepKind.ADMISSION and step.passed:
        applicant.admitted_on = on
    elif kind == StepKind.APPROVAL:
        applicant.approved_on = on
        applicant.probation_ends_on = add_months(applicant.admitted_on, rules.PROBATION_YEARS * 12)
        # 预备期从支部大会通过之日起计算: the record starts on the day of the vote.
        orgs.create_membership(
            actor=actor, person=applicant.person, org=applicant.org,
            kind=MembershipKind.PROBATIONARY, joined_on=applicant.admitted_on,
        )  # fmt: skip
    elif kind == StepKind.CONFIRMATION and step.passed:
        applicant.confirmation_on = on
    elif kind == StepKind.CONFIRM_APPROVAL:
        _approve_confirmation(applicant, on, actor=actor)
    elif kind == StepKind.END:
        applicant.ended_on = on
    if moves_to:
        applicant.stage = moves_to
        applicant.reviews, applicant.last_review_on = 0, None


def _approve_confirmation(applicant: Applicant, on: date, *, actor) -> None:
    decided = (
        applicant.steps.filter(kind=StepKind.CONFIRMATION, passed=True)
        .order_by("-done_on", "-pk")
        .first()
    )
    membership = Membership.objects.get(person=applicant.person)
    if decided.outcome == Outcome.CONFIRM:
        # 党龄从预备期满转为正式党员之日算起.
        orgs.update_membership(
            membership, actor=actor, version=membership.version,
            kind=MembershipKind.FULL, confirmed_on=applicant.probation_ends_on,
        )  # fmt: skip
        applicant.stage, applicant.ended_on = Stage.FULL, on
    elif decided.outcome == Outcome.EXTEND:
        applicant.extended = True
        applicant.probation_ends_on = add_months(
            applicant.probation_ends_on, decided.extension_months
        )
        applicant.confirmation_on = None
    else:
        orgs.update_membership(
            membership, actor=actor, version=membership.version, status=MembershipStatus.REMOVED
        )
        applicant.stage, applicant.ended_on = Stage.ENDED, on


def sponsors_of(applicant: Applicant) -> list[Person]:
    """培养联系人 (at 积极分子) and 入党介绍人 (at 发展对象) named in the file."""
    people = []
    for step in applicant.steps.filter(
        kind__in=[StepKind.ACTIVIST, StepKind.NOMINEE]
    ).select_related("person_a", "person_b"):
        people += [p for p in (step.person_a, step.person_b) if p is not None]
    return people


MAX_QUOTA = 999


@transaction.atomic
def set_plan(org: PartyOrg, *, actor, year: int, quotas: dict, branches, note: str = "",
             version: int | None = None):  # fmt: skip
    """The year's quotas of the branches below `org`, all or none: each a whole number from 0 to
    999 for a branch of the subtree; a blank leaves a branch without a quota."""
    today = _today()
    if not isinstance(year, int) or not today.year - 1 <= year <= today.year + 1:
        raise InvalidInput(f"只能制定{today.year - 1}至{today.year + 1}年度的发展党员计划。")
    allowed = {b.pk: b for b in branches}
    problems = []
    clean = {}
    for org_id, value in quotas.items():
        if org_id not in allowed:
            problems.append("所列党支部不在本组织之下。")
            continue
        if value in (None, ""):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUOTA:
            problems.append(f"{allowed[org_id].name}：计划人数须为0至{MAX_QUOTA}的整数。")
            continue
        clean[org_id] = value
    if problems:
        raise InvalidInput("；".join(problems))
    plan, created = Plan.objects.select_for_update().get_or_create(org=org, year=year)
    if not created and version is not None and plan.version != version:
        raise StaleEdit("该年度计划已被他人修改，请刷新页面查看最新内容后再保存。")
    before = dict(plan.quotas.values_list("org_id", "quota"))
    plan.quotas.all().delete()
    PlanQuota.objects.bulk_create(PlanQuota(plan=plan, org_id=k, quota=v) for k, v in clean.items())
    plan.note = _text(note, "说明", required=False)[:300]
    plan.version += 0 if created else 1
    plan.save()
    audit.record(actor, "recruitment.plan.saved", plan, payload={
        "year": year, "before": {str(k): v for k, v in before.items()},
        "after": {str(k): v for k, v in clean.items()},
    })  # fmt: skip
    return plan


@transaction.atomic
def attach_document(applicant: Applicant, *, actor, upload, kind: str) -> Document:
    """A paper of the file (checked as every upload: type, size, name), with its category."""
    from mofan.core.uploads import check_upload

    if kind not in DocumentKind.values:
        raise InvalidInput("请选择材料类别。")
    if upload is None:
        raise InvalidInput("请选择要上传的文件。")
    name = check_upload(upload)
    document = Document(applicant=applicant, kind=kind, name=name, size=upload.size,
                        uploaded_by=actor)  # fmt: skip
    document.file.save(name, upload, save=False)
    document.save()
    audit.record(actor, "recruitment.document.added", applicant,
                 payload={"kind": kind, "name": name})  # fmt: skip
    return document
