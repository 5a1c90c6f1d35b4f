"""监督执纪's rules for case leads, without HTTP: registration, the collective review (集体排查)
and its four dispositions with their steps and deadlines, the result classified by the four
forms (四种形态), the follow-up visit (回访), and the daily reminders. The callers found the
records through querysets.py (404 otherwise); these functions check the rules and audit every
change."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from mofan.access.crypto import keyed_hash
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, check_version, text_input
from mofan.discipline.choices import (
    FORM_OF,
    Disposition,
    Form,
    LeadState,
    Measure,
    Source,
    StepKind,
    TalkWay,
)
from mofan.discipline.models import Lead, Review, Revisit, Step
from mofan.inspection.querysets import holding_orgs
from mofan.ledger.workdays import add_workdays
from mofan.members.rules import cn
from mofan.notify import services as notify
from mofan.orgs.models import PartyOrg

REPLY_WORKDAYS = 15  # a 函询 is answered within 15 working days of being sent
TALK_WORKDAYS = 15  # a 谈话 is held within 15 working days of the review
REMIND_DAYS = 3
# From where a collective review may dispose of a lead, and to what.
REVIEWABLE = {
    LeadState.REGISTERED: set(Disposition.values),
    LeadState.SHELVED: set(Disposition.values),
    LeadState.TALKING: {Disposition.VERIFY},  # 转初步核实 after the talk or the reply
}
FIRST_FORM = {m for m, form in FORM_OF.items() if form == Form.FIRST}
# What a result may be from each step: a talk or a letter ends in the first form, a 澄清 or a
# 了结; a verification may end in any of them.
RESULTS = {
    LeadState.TALKING: FIRST_FORM | {Measure.CLEARED, Measure.DISMISSED},
    LeadState.VERIFYING: set(Measure.values),
}
# The steps each state takes, and those that must come before a result.
STEPS = {
    (LeadState.TALKING, TalkWay.LETTER): {StepKind.LETTER_SENT, StepKind.REPLY},
    (LeadState.TALKING, TalkWay.TALK): {StepKind.TALK_HELD},
    (LeadState.VERIFYING, ""): {StepKind.REPORT},
}
BEFORE_RESULT = {
    (LeadState.TALKING, TalkWay.LETTER): StepKind.REPLY,
    (LeadState.TALKING, TalkWay.TALK): StepKind.TALK_HELD,
    (LeadState.VERIFYING, ""): StepKind.REPORT,
}


def _today() -> date:
    return timezone.localdate()


def officer_orgs(user):
    """The organisations whose discipline officer `user` is (the records they hold)."""
    return PartyOrg.objects.filter(
        pk__in=holding_orgs(user.pk), dissolved_on__isnull=True
    ).order_by("path")


def is_officer(user, org_id) -> bool:
    return officer_orgs(user).filter(pk=org_id).exists()


def has_leads(user) -> bool:
    """Whether the user holds leads (an officer) or handles one."""
    return (
        officer_orgs(user).exists()
        or Lead.handlers.through.objects.filter(user_id=user.pk).exists()
    )


def accounts_of(people) -> list:
    """The active accounts of these people, one each; InvalidInput when one has none."""
    from mofan.access.models import User

    found = list(User.objects.filter(person__in=people, is_active=True))
    if len({u.person_id for u in found}) != len({p.pk for p in people}):
        raise InvalidInput("所选承办人须有系统账号。")
    return found


def _day(value, label: str, *, earliest: date | None = None) -> date:
    if not isinstance(value, date):
        raise InvalidInput(f"请填写{label}。")
    if value > _today():
        raise InvalidInput(f"{label}不能晚于今天。")
    if earliest is not None and value < earliest:
        raise InvalidInput(f"{label}不能早于{cn(earliest)}。")
    return value


def _locked(lead: Lead, version) -> Lead:
    check_version(version)
    locked = Lead.objects.select_for_update().get(pk=lead.pk)
    if version is not None and str(version) != str(locked.version):
        raise StaleEdit()
    return locked


def _bump(lead: Lead, fields) -> None:
    lead.version += 1
    lead.save(update_fields=[*fields, "version"])


def _step(lead, actor, kind, on, text="") -> Step:
    return Step.objects.create(lead=lead, kind=kind, on=on, text=text, by=actor)


@transaction.atomic
def register(org: PartyOrg, *, actor, source, received_on, subject=None, subject_name="",
             subject_post="", allegation, finding=None) -> Lead:  # fmt: skip
    """A new lead, numbered within the organisation's year. Only its discipline officers
    register; a lead from an inspection finding names it (and the finding's round must be the
    organisation's)."""
    if not is_officer(actor, org.pk):
        raise InvalidInput("只有本组织的纪检干部可以登记问题线索。")
    if subject is not None and subject.pk == getattr(actor, "person_id", None):
        # The person concerned never sees the lead: one who registered it about themselves
        # would hold a lead nobody reads. Another officer registers it.
        raise InvalidInput(
            "不能登记反映本人的问题线索，请交由本组织其他纪检干部或上级纪检组织登记。"
        )
    if source not in Source.values:
        raise InvalidInput("请选择线索来源。")
    if finding is not None and (
        source != Source.INSPECTION or finding.target.round.org_id != org.pk
    ):
        raise InvalidInput("来自巡察问题的线索，来源须为巡视巡察，且须是本组织开展的巡察。")
    received_on = _day(received_on, "受理日期")
    name = text_input(subject_name, "被反映人姓名", required=subject is None, longest=50)
    name = name or (subject.name if subject is not None else "")
    PartyOrg.objects.select_for_update().filter(pk=org.pk).first()  # numbering one at a time
    year = received_on.year
    number = (Lead.objects.filter(org=org, year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    lead = Lead.objects.create(
        org=org, year=year, number=number, source=source, received_on=received_on,
        subject=subject, subject_name=name, subject_name_hash=keyed_hash(name),
        subject_post=text_input(subject_post, "被反映人职务", required=False, longest=100),
        allegation=text_input(allegation, "反映的主要问题", required=True, longest=20000, shortest=5),
        finding=finding, created_by=actor,
    )  # fmt: skip
    _step(lead, actor, StepKind.REGISTERED, received_on)
    audit.record(actor, "discipline.lead.registered", lead, payload={
        "source": source, "finding": finding.pk if finding else None})  # fmt: skip
    return lead


@transaction.atomic
def assign(lead: Lead, *, actor, handlers, version=None) -> Lead:
    """Name the lead's handlers (承办人): accounts that may then read it and record its steps.
    The person concerned never handles their own lead."""
    locked = _locked(lead, version)
    if not is_officer(actor, locked.org_id):
        raise InvalidInput("只有本组织的纪检干部可以指定承办人。")
    if locked.subject_id and any(u.person_id == locked.subject_id for u in handlers):
        raise InvalidInput("被反映人不能承办涉及本人的线索。")
    locked.handlers.set(handlers)
    _bump(locked, [])
    audit.record(actor, "discipline.lead.assigned", locked,
                 payload={"handlers": sorted(u.pk for u in handlers)})  # fmt: skip
    _tell(locked, [u.pk for u in handlers], f"assigned:{locked.version}", "监督执纪：请承办问题线索",
          f"{locked.org.name}指定您承办问题线索{locked.code}。")  # fmt: skip
    return locked


@transaction.atomic
def review(lead: Lead, *, actor, held_on, participants, disposition, reason, talk_way="",
           due_on=None, version=None) -> Review:  # fmt: skip
    """A collective review (集体排查) disposes of the lead: 谈话函询 (a talk within 15 working
    days, or a letter answered within 15 working days of being sent), 初步核实 (its report due
    on the day set), 暂存待查 (reviewed again on the day set) or 予以了结 (concluded)."""
    locked = _locked(lead, version)
    if not is_officer(actor, locked.org_id):
        raise InvalidInput("集体排查由本组织的纪检干部登记。")
    allowed = REVIEWABLE.get(locked.state)
    if disposition not in Disposition.values:
        raise InvalidInput("请选择处置方式。")
    if not allowed or disposition not in allowed:
        raise InvalidInput(
            f"该线索当前为“{locked.get_state_display()}”，不能作出“{Disposition(disposition).label}”的处置。"
        )
    held_on = _day(held_on, "排查日期", earliest=locked.received_on)
    people = list(participants)
    if len(people) < 2:
        raise InvalidInput("集体排查须有至少两名参加人员。")
    if locked.subject_id and any(p.pk == locked.subject_id for p in people):
        raise InvalidInput("被反映人须回避，不能参加对本人线索的集体排查。")
    reason = text_input(reason, "排查意见", required=True, longest=5000, shortest=5)
    if disposition == Disposition.TALK:
        if talk_way not in TalkWay.values:
            raise InvalidInput("谈话函询须选择谈话或函询。")
        due_on = add_workdays(held_on, TALK_WORKDAYS) if talk_way == TalkWay.TALK else None
    elif disposition in (Disposition.VERIFY, Disposition.SHELVE):
        label = "初步核实报告期限" if disposition == Disposition.VERIFY else "再次排查日期"
        if not isinstance(due_on, date):
            raise InvalidInput(f"请填写{label}。")
        if due_on <= held_on:
            raise InvalidInput(f"{label}须晚于排查日期。")
        talk_way = ""
    else:
        due_on, talk_way = None, ""
    record = Review.objects.create(lead=locked, held_on=held_on, disposition=disposition,
                                   talk_way=talk_way, reason=reason, due_on=due_on,
                                   created_by=actor)  # fmt: skip
    record.participants.set(people)
    locked.disposition, locked.talk_way, locked.due_on = disposition, talk_way, due_on
    locked.state = {
        Disposition.TALK: LeadState.TALKING, Disposition.VERIFY: LeadState.VERIFYING,
        Disposition.SHELVE: LeadState.SHELVED, Disposition.CLOSE: LeadState.CONCLUDED,
    }[disposition]  # fmt: skip
    fields = ["disposition", "talk_way", "due_on", "state"]
    if disposition == Disposition.CLOSE:
        locked.measure, locked.result, locked.concluded_on = Measure.DISMISSED, reason, held_on
        fields += ["measure", "result", "concluded_on"]
    _bump(locked, fields)
    _step(locked, actor, StepKind.REVIEWED, held_on, f"{Disposition(disposition).label}：{reason}")
    audit.record(actor, "discipline.lead.reviewed", locked, payload={
        "disposition": disposition, "talk_way": talk_way, "due_on": due_on,
        "participants": [p.pk for p in people]})  # fmt: skip
    return record


@transaction.atomic
def record_step(lead: Lead, *, actor, kind, on, text, version=None) -> Step:
    """A step of the disposition under way: a letter sent (its reply then due in 15 working
    days), the reply, the talk, the verification report."""
    locked = _locked(lead, version)
    key = (locked.state, locked.talk_way if locked.state == LeadState.TALKING else "")
    if kind not in STEPS.get(key, set()):
        label = StepKind(kind).label if kind in StepKind.values else "该环节"
        raise InvalidInput(f"该线索当前为“{locked.get_state_display()}”，不能登记“{label}”。")
    on = _day(on, "日期", earliest=locked.received_on)
    text = text_input(text, "内容", required=True, longest=20000, shortest=5)
    if kind == StepKind.REPLY and not locked.steps.filter(kind=StepKind.LETTER_SENT).exists():
        raise InvalidInput("请先登记发出函询，再登记回复。")
    step = _step(locked, actor, kind, on, text)
    if kind == StepKind.LETTER_SENT:
        locked.due_on = add_workdays(on, REPLY_WORKDAYS)
    elif kind in (StepKind.REPLY, StepKind.TALK_HELD, StepKind.REPORT):
        locked.due_on = None  # the step is done; the result is next
    _bump(locked, ["due_on"])
    audit.record(actor, "discipline.lead.step", locked, payload={"kind": kind, "on": on})
    return step


@transaction.atomic
def conclude(lead: Lead, *, actor, measure, result, on, revisit_on=None, version=None) -> Lead:
    """The result of a talk, a letter or a verification, classified by the four forms; a person
    given the second or third form is visited again (回访) on the day set."""
    locked = _locked(lead, version)
    if locked.state not in RESULTS:
        raise InvalidInput(f"该线索当前为“{locked.get_state_display()}”，不能登记办理结果。")
    key = (locked.state, locked.talk_way if locked.state == LeadState.TALKING else "")
    if not locked.steps.filter(kind=BEFORE_RESULT[key]).exists():
        raise InvalidInput(f"请先登记“{StepKind(BEFORE_RESULT[key]).label}”，再登记办理结果。")
    if measure not in Measure.values:
        raise InvalidInput("请选择处理方式。")
    if measure not in RESULTS[locked.state]:
        raise InvalidInput(
            f"谈话函询只能以第一种形态、澄清或了结办结；“{Measure(measure).label}”须经初步核实。"
        )
    on = _day(on, "办结日期", earliest=locked.received_on)
    form = FORM_OF.get(measure)
    if form in (Form.SECOND, Form.THIRD) and not isinstance(revisit_on, date):
        raise InvalidInput("第二、三种形态须安排回访日期。")
    if revisit_on is not None and (not isinstance(revisit_on, date) or revisit_on <= on):
        raise InvalidInput("回访日期须晚于办结日期。")
    locked.measure, locked.form = measure, form
    locked.result = text_input(result, "办理结果", required=True, longest=20000, shortest=5)
    locked.state, locked.concluded_on, locked.due_on = LeadState.CONCLUDED, on, None
    _bump(locked, ["measure", "form", "result", "state", "concluded_on", "due_on"])
    _step(locked, actor, StepKind.CONCLUDED, on, f"{Measure(measure).label}：{locked.result}")
    if revisit_on is not None:
        Revisit.objects.create(lead=locked, due_on=revisit_on)
    audit.record(actor, "discipline.lead.concluded", locked,
                 payload={"measure": measure, "form": form, "revisit_on": revisit_on})  # fmt: skip
    return locked


@transaction.atomic
def record_revisit(revisit: Revisit, *, actor, done_on, record) -> Revisit:
    locked = Revisit.objects.select_for_update().select_related("lead").get(pk=revisit.pk)
    if locked.done_on is not None:
        raise InvalidInput("该次回访已经登记。")
    locked.done_on = _day(done_on, "回访日期", earliest=locked.lead.concluded_on)
    locked.record = text_input(record, "回访情况", required=True, longest=20000, shortest=5)
    locked.by = actor
    locked.save(update_fields=["done_on", "record", "by"])
    _step(locked.lead, actor, StepKind.REVISITED, locked.done_on, locked.record)
    audit.record(actor, "discipline.lead.revisited", locked.lead, payload={"revisit": locked.pk})
    return locked


def _tell(lead: Lead, user_ids, key: str, title: str, body: str) -> int:
    return notify.create(
        notify.Notice(
            user_id=uid,
            kind="discipline",
            title=title,
            body=body,
            url=reverse("discipline:lead", args=[lead.pk]),
            dedupe_key=f"discipline:lead:{lead.pk}:{key}:{uid}",
        )  # fmt: skip
        for uid in set(user_ids)
    )


def remind(today: date | None = None) -> int:
    """Leads whose step is due within REMIND_DAYS or late, and visits due: their handlers (or,
    without handlers, the holding organisation's officers) once a day — never the person
    concerned. The notice names the lead's number only (never the person or the allegation).
    The officers and the handlers are read in two queries, whatever the number of leads."""
    from collections import defaultdict

    from mofan.access.models import RoleAssignment
    from mofan.access.roles import Role

    today = today or _today()
    soon = today + timedelta(days=REMIND_DAYS)
    due = list(Lead.objects.filter(
        state__in=[LeadState.TALKING, LeadState.VERIFYING, LeadState.SHELVED], due_on__lte=soon
    ).select_related("org"))  # fmt: skip
    visits = list(
        Revisit.objects.filter(done_on__isnull=True, due_on__lte=soon).select_related("lead__org")
    )
    rows = [(lead, lead.due_on, lead.get_state_display()) for lead in due]
    rows += [(v.lead, v.due_on, "回访") for v in visits]
    officers = defaultdict(list)  # org → [(user, person)]
    for org_id, user_id, person_id in RoleAssignment.objects.filter(
        role=Role.DISCIPLINE_OFFICER, org_id__in={lead.org_id for lead, _, _ in rows},
        user__is_active=True,
    ).values_list("org_id", "user_id", "user__person_id"):  # fmt: skip
        officers[org_id].append((user_id, person_id))
    handlers = defaultdict(list)  # lead → [(user, person)]
    for lead_id, user_id, person_id in Lead.handlers.through.objects.filter(
        lead_id__in=[lead.pk for lead in due], user__is_active=True
    ).values_list("lead_id", "user_id", "user__person_id"):
        handlers[lead_id].append((user_id, person_id))
    sent = 0
    for lead, day, what in rows:
        users = (what != "回访" and handlers.get(lead.pk)) or officers.get(lead.org_id, [])
        users = [
            uid for uid, person_id in users if person_id is None or person_id != lead.subject_id
        ]
        late = (today - day).days
        when = (
            f"已逾期{late}天" if late > 0 else ("今天到期" if late == 0 else f"将于{cn(day)}到期")
        )
        sent += _tell(lead, users, f"remind:{what}:{today:%Y-%m-%d}", f"监督执纪：线索{lead.code}{what}{when}",
                      f"问题线索{lead.code}（{lead.org.name}）{what}，期限{cn(day)}，{when}。")  # fmt: skip
    return sent
