"""State changes of 组织关系转接 and of a member's standing. Each is one transaction with its
audit record; the party record itself moves through `orgs.services` (which keeps the history of
where it was on each date), and the people at the other end are told by a notice.

A transfer inside the system is two steps by two organisations: the sending one issues the
letter, the receiving one accepts it (the record moves on that day) or returns it with a reason;
the sender may withdraw a letter not yet acted on. A transfer out of or into the system is one
step, recorded from the paper letter and its number."""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mofan.access.models import RoleAssignment
from mofan.access.roles import Role
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, text_input
from mofan.meetings.choices import MeetingKind, MeetingState
from mofan.meetings.models import Meeting
from mofan.members import rules
from mofan.members.choices import (
    ACCEPTING_KINDS,
    StandingKind,
    TransferKind,
    TransferReason,
    TransferState,
)
from mofan.members.models import StandingChange, Transfer
from mofan.notify import services as notify
from mofan.orgs import services as orgs
from mofan.orgs.choices import MembershipStatus, OrgKind
from mofan.orgs.models import Membership, PartyOrg

cn = rules.cn


def _text(value, label: str, *, required: bool, longest: int, shortest: int = 2) -> str:
    return text_input(value, label, required=required, longest=longest, shortest=shortest)


def _day(value, label: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(f"请填写{label}。")
    if value > timezone.localdate():
        raise InvalidInput(f"{label}不能晚于今天。")
    return value


def _bump(transfer: Transfer, version: int | None, **fields) -> None:
    """Write the fields only if nobody acted on the transfer since it was read."""
    expected = transfer.version if version is None else version
    updated = Transfer.objects.filter(pk=transfer.pk, version=expected).update(
        **fields, version=expected + 1
    )
    if not updated:
        raise StaleEdit("该转接已被他人处理，请刷新页面查看最新状态。")
    for name, value in fields.items():
        setattr(transfer, name, value)
    transfer.version = expected + 1


def _locked_membership(membership: Membership) -> Membership:
    """The member's record as it is now, locked for the rest of the transaction."""
    fresh = Membership.objects.select_for_update().filter(pk=membership.pk).first()
    if fresh is None:
        raise InvalidInput("该党员记录已不存在。")
    return Membership.objects.select_related("person", "org").get(pk=fresh.pk)


def keepers(org: PartyOrg) -> list[int]:
    """The accounts that keep an organisation's party records: its branch's secretary and the
    org admins of it and of the organisations above it."""
    return keepers_by_org([org])[org.pk]


def keepers_by_org(orgs) -> dict[int, list[int]]:
    """keepers() of many organisations in two queries (the daily checks tell thousands)."""
    step = PartyOrg.steplen

    def ancestry(path: str) -> list[str]:
        return [path[:end] for end in range(step, len(path) + 1, step)]

    def branch_path(org) -> str:
        # A 党小组's records are kept by the secretary of the branch above it.
        return org.path[:-step] if org.kind == OrgKind.GROUP and org.depth > 1 else org.path

    orgs = list(orgs)
    admins: dict[str, list[int]] = {}
    for user_id, path in RoleAssignment.objects.filter(
        user__is_active=True,
        role=Role.ORG_ADMIN,
        org__path__in={p for org in orgs for p in ancestry(org.path)},
    ).values_list("user_id", "org__path"):
        admins.setdefault(path, []).append(user_id)
    secretaries: dict[str, list[int]] = {}
    for user_id, path in RoleAssignment.objects.filter(
        user__is_active=True,
        role=Role.BRANCH_SECRETARY,
        org__path__in={branch_path(org) for org in orgs},
    ).values_list("user_id", "org__path"):
        secretaries.setdefault(path, []).append(user_id)
    return {
        org.pk: sorted(
            {u for p in ancestry(org.path) for u in admins.get(p, [])}
            | set(secretaries.get(branch_path(org), []))
        )
        for org in orgs
    }


def _tell(user_ids, transfer: Transfer, title: str, body: str, event: str) -> None:
    notify.create(
        notify.Notice(
            user_id=user_id,
            kind="transfer",
            title=title,
            body=body,
            url=reverse("members:transfer", args=[transfer.pk]),
            dedupe_key=f"transfer:{transfer.pk}:{event}:{user_id}",
        )
        for user_id in set(user_ids)
    )


def _member_user(person_id: int) -> list[int]:
    from mofan.access.models import User

    return list(
        User.objects.filter(person_id=person_id, is_active=True).values_list("pk", flat=True)
    )


def _check_target(to_org: PartyOrg, from_org: PartyOrg) -> None:
    if to_org.kind not in ACCEPTING_KINDS:
        raise InvalidInput(
            f"{to_org.name}是{to_org.get_kind_display()}，不直接接收党员组织关系，请选择党支部（或党小组）。"
        )
    if not to_org.is_active:
        raise InvalidInput(f"{to_org.name}已撤销，不能接收组织关系。")
    if to_org.pk == from_org.pk:
        raise InvalidInput("接收党组织与当前所在党组织相同。")


def _check_movable(membership: Membership) -> None:
    if membership.status != MembershipStatus.NORMAL:
        raise InvalidInput(
            f"{membership.person.name}的党籍状态为“{membership.get_status_display()}”，不能转接组织关系。"
        )
    if Transfer.objects.filter(
        person_id=membership.person_id, state=TransferState.PENDING
    ).exists():
        raise InvalidInput(
            f"{membership.person.name}已有一份待接收的组织关系介绍信，请先等待办结或撤回。"
        )


def _check_issued_on(membership: Membership, issued_on: date) -> None:
    issued_on = _day(issued_on, "开具日期")
    if issued_on < membership.joined_on:
        raise InvalidInput("开具日期不能早于入党日期。")
    last = (
        membership.transfers.order_by("-happened_on").values_list("happened_on", flat=True).first()
    )
    if last and issued_on < last:
        raise InvalidInput(f"开具日期不能早于该党员上一次转接的日期（{cn(last)}）。")


@transaction.atomic
def issue_transfer(
    membership: Membership,
    *,
    actor,
    issued_on: date,
    reason: str,
    to_org: PartyOrg | None = None,
    other_org_name: str = "",
    letter_number: str = "",
    valid_days: int | None = None,
    note: str = "",
) -> Transfer:
    """The sending organisation's letter: to an organisation in the system (it waits there to be
    accepted), or out of the system (recorded at once with the paper letter's number)."""
    membership = _locked_membership(membership)
    _check_movable(membership)
    if reason not in TransferReason.values:
        raise InvalidInput("请选择转接原因。")
    other_org_name = _text(other_org_name, "系统外党组织名称", required=False, longest=200)
    if (to_org is None) == (not other_org_name):
        raise InvalidInput("请选择本系统内的接收党组织，或填写系统外接收党组织的名称（二选一）。")
    _check_issued_on(membership, issued_on)
    note = _text(note, "说明", required=False, longest=300)
    from_org = membership.org
    if to_org is not None:
        _check_target(to_org, from_org)
        days = rules.valid_days() if valid_days is None else valid_days
        if not isinstance(days, int) or not 1 <= days <= rules.MAX_VALID_DAYS:
            raise InvalidInput(f"有效期须为1至{rules.MAX_VALID_DAYS}天。")
        valid_until = issued_on + timedelta(days=days)
        if valid_until < timezone.localdate():
            raise InvalidInput(
                f"按开具日期计算，介绍信已于{cn(valid_until)}过期，请核对开具日期或有效期。"
            )
        transfer = Transfer.objects.create(
            kind=TransferKind.WITHIN,
            state=TransferState.PENDING,
            person_id=membership.person_id,
            from_org=from_org,
            to_org=to_org,
            reason=reason,
            issued_on=issued_on,
            valid_until=valid_until,
            note=note,
            issued_by_id=getattr(actor, "pk", None),
        )
        # The system's own letters are numbered by year and record: 〔2026〕第000123号.
        transfer.letter_number = f"〔{issued_on.year}〕第{transfer.pk:06d}号"
        transfer.save(update_fields=["letter_number"])
        audit.record(actor, "members.transfer.issued", transfer, payload=_payload(transfer))
        _tell(
            keepers(to_org),
            transfer,
            f"组织关系转入待接收：{membership.person.name}",
            f"{from_org.name}为{membership.person.name}开具了转往{to_org.name}的组织关系介绍信"
            f"（{transfer.letter_number}，有效期至{cn(valid_until)}），请核对后接收或退回。",
            "issued",
        )
        return transfer
    letter_number = _text(letter_number, "介绍信编号", required=True, longest=40, shortest=1)
    transfer = Transfer.objects.create(
        kind=TransferKind.OUT,
        state=TransferState.DONE,
        person_id=membership.person_id,
        from_org=from_org,
        other_org_name=other_org_name,
        letter_number=letter_number,
        reason=reason,
        issued_on=issued_on,
        decided_on=issued_on,
        note=note,
        issued_by_id=getattr(actor, "pk", None),
        decided_by_id=getattr(actor, "pk", None),
    )
    orgs.transfer(
        membership, actor=actor, on=issued_on, other_org_name=other_org_name, note=letter_number
    )
    audit.record(actor, "members.transfer.out", transfer, payload=_payload(transfer))
    return transfer


def _payload(transfer: Transfer) -> dict:
    return {
        "kind": transfer.kind,
        "from": transfer.from_name,
        "to": transfer.to_name,
        "letter": transfer.letter_number,
        "issued_on": transfer.issued_on,
    }


def _pending(transfer: Transfer) -> None:
    if transfer.state != TransferState.PENDING:
        raise InvalidInput(f"该转接已{transfer.get_state_display()}，不能再办理。")


@transaction.atomic
def accept_transfer(transfer: Transfer, *, actor, accepted_on: date, version: int | None = None):
    """The receiving organisation takes the member in: from that day the record is kept there,
    and their earlier records stay with the organisations that kept them."""
    _pending(transfer)
    accepted_on = _day(accepted_on, "接收日期")
    if accepted_on < transfer.issued_on:
        raise InvalidInput(f"接收日期不能早于介绍信开具日期（{cn(transfer.issued_on)}）。")
    if transfer.valid_until and accepted_on > transfer.valid_until:
        raise InvalidInput(
            f"介绍信已于{cn(transfer.valid_until)}过期，不能接收；请退回，由转出党组织重新开具。"
        )
    membership = _locked_membership(Membership(pk=transfer.person.membership.pk))
    if membership.org_id != transfer.from_org_id or membership.status != MembershipStatus.NORMAL:
        raise InvalidInput(
            "该党员的组织关系在开具介绍信后已有变动，请退回，由转出党组织核实后重新开具。"
        )
    _check_target(transfer.to_org, membership.org)
    _bump(
        transfer,
        version,
        state=TransferState.ACCEPTED,
        decided_on=accepted_on,
        decided_by_id=getattr(actor, "pk", None),
    )
    orgs.transfer(
        membership,
        actor=actor,
        on=accepted_on,
        to_org=transfer.to_org,
        note=transfer.letter_number,
    )
    audit.record(actor, "members.transfer.accepted", transfer, payload=_payload(transfer))
    _tell(
        keepers(transfer.from_org) + _member_user(transfer.person_id),
        transfer,
        f"组织关系已接收：{transfer.person.name}",
        f"{transfer.to_org.name}已于{cn(accepted_on)}接收{transfer.person.name}的组织关系"
        f"（{transfer.letter_number}）。",
        "accepted",
    )
    return transfer


def _close(transfer: Transfer, *, actor, reason, version, state, event, label, told, title, said):
    """A pending letter ended without moving the member (returned or withdrawn), with its reason."""
    _pending(transfer)
    reason = _text(reason, label, required=True, longest=300)
    _bump(
        transfer,
        version,
        state=state,
        decided_on=timezone.localdate(),
        decided_by_id=getattr(actor, "pk", None),
        return_reason=reason,
    )
    audit.record(
        actor,
        f"members.transfer.{event}",
        transfer,
        payload={**_payload(transfer), "reason": reason},
    )
    _tell(keepers(told), transfer, f"{title}：{transfer.person.name}",
          f"{said}{transfer.person.name}的组织关系介绍信（{transfer.letter_number}）。{label}：{reason}",
          event)  # fmt: skip
    return transfer


@transaction.atomic
def return_transfer(transfer: Transfer, *, actor, reason: str, version: int | None = None):
    """The receiving organisation sends the letter back; the member stays where they were."""
    return _close(
        transfer, actor=actor, reason=reason, version=version, state=TransferState.RETURNED,
        event="returned", label="退回原因", told=transfer.from_org,
        title="组织关系介绍信被退回", said=f"{transfer.to_org.name}退回了",
    )  # fmt: skip


@transaction.atomic
def withdraw_transfer(transfer: Transfer, *, actor, reason: str, version: int | None = None):
    """The sending organisation takes back a letter the receiver has not acted on."""
    return _close(
        transfer, actor=actor, reason=reason, version=version, state=TransferState.WITHDRAWN,
        event="withdrawn", label="撤回原因", told=transfer.to_org,
        title="组织关系介绍信已撤回", said=f"{transfer.from_org.name}撤回了",
    )  # fmt: skip


@transaction.atomic
def receive_from_outside(
    *,
    actor,
    org: PartyOrg,
    person_data: dict,
    membership_data: dict,
    other_org_name: str,
    letter_number: str,
    received_on: date,
    reason: str,
    note: str = "",
) -> Transfer:
    """A member arriving with a letter from a party organisation outside the system: their
    person and party record are created in the receiving organisation on the day."""
    if org.kind not in ACCEPTING_KINDS or not org.is_active:
        raise InvalidInput(f"{org.name}不接收党员组织关系，请选择党支部（或党小组）。")
    if reason not in TransferReason.values:
        raise InvalidInput("请选择转接原因。")
    other_org_name = _text(other_org_name, "转出党组织名称", required=True, longest=200)
    letter_number = _text(letter_number, "介绍信编号", required=True, longest=40, shortest=1)
    received_on = _day(received_on, "接收日期")
    joined_on = membership_data.get("joined_on")
    if isinstance(joined_on, date) and received_on < joined_on:
        raise InvalidInput("接收日期不能早于入党日期。")
    note = _text(note, "说明", required=False, longest=300)
    membership = orgs.register_member(
        actor=actor, org=org, person_data=person_data, membership_data=membership_data
    )
    orgs.arrived(
        membership, actor=actor, on=received_on, other_org_name=other_org_name, note=letter_number
    )
    transfer = Transfer.objects.create(
        kind=TransferKind.IN,
        state=TransferState.DONE,
        person_id=membership.person_id,
        to_org=org,
        other_org_name=other_org_name,
        letter_number=letter_number,
        reason=reason,
        issued_on=received_on,
        decided_on=received_on,
        note=note,
        issued_by_id=getattr(actor, "pk", None),
        decided_by_id=getattr(actor, "pk", None),
    )
    audit.record(actor, "members.transfer.in", transfer, payload=_payload(transfer))
    return transfer


# --- standing: 失联, 停止党籍, 恢复党籍, 除名 ---------------------------------------------------


def branch_of(org: PartyOrg) -> PartyOrg:
    """The 党支部 whose general meeting decides for a member kept in it or in one of its groups."""
    if org.kind == OrgKind.GROUP:
        parent = PartyOrg.objects.get_parent(org)
        if parent is not None:
            return parent
    return org


def last_change(person_id: int, kind: str) -> StandingChange | None:
    return (
        StandingChange.objects.filter(person_id=person_id, kind=kind)
        .order_by("-effective_on", "-pk")
        .first()
    )


def _decision_meeting(membership: Membership, meeting: Meeting | None, decided_on: date) -> Meeting:
    branch = branch_of(membership.org)
    if meeting is None:
        raise InvalidInput(f"请选择作出决定的支部党员大会（{rules.MEETING_RULE}）。")
    if meeting.kind != MeetingKind.BRANCH_ASSEMBLY or meeting.org_id != branch.pk:
        raise InvalidInput(f"须由{branch.name}的支部党员大会决定（{rules.MEETING_RULE}）。")
    if meeting.state != MeetingState.HELD:
        raise InvalidInput("所选支部党员大会尚未召开或未登记为已召开。")
    held_on = timezone.localtime(meeting.starts_at).date()
    if held_on > decided_on:
        raise InvalidInput(f"决定日期不能早于支部党员大会召开日期（{cn(held_on)}）。")
    if not meeting.quorate:
        raise InvalidInput(
            "所选支部党员大会到会的有表决权党员未超过应到会人数的一半，不能作出决定。"
        )
    return meeting


def _change(membership, *, actor, kind, status, effective_on, note, meeting=None, approval=""):
    change = StandingChange.objects.create(
        person_id=membership.person_id,
        org=membership.org,
        kind=kind,
        effective_on=effective_on,
        meeting=meeting,
        approval=approval,
        note=note,
        recorded_by_id=getattr(actor, "pk", None),
    )
    before = membership.status
    orgs.update_membership(membership, actor=actor, version=membership.version, status=status)
    audit.record(
        actor,
        f"members.standing.{kind}",
        change,
        payload={
            "person": membership.person_id,
            "status": [before, status],
            "on": effective_on,
            "meeting": meeting.pk if meeting else None,
        },
    )
    return change


@transaction.atomic
def mark_lost(membership: Membership, *, actor, since: date, note: str) -> StandingChange:
    """认定失联: the branch records from when it has had no contact with the member."""
    membership = _locked_membership(membership)
    if membership.status != MembershipStatus.NORMAL:
        raise InvalidInput(f"党籍状态为“{membership.get_status_display()}”，不能认定失联。")
    if Transfer.objects.filter(
        person_id=membership.person_id, state=TransferState.PENDING
    ).exists():
        raise InvalidInput("该党员有待接收的组织关系介绍信，请先办结或撤回。")
    since = _day(since, "失去联系的日期")
    if since < membership.joined_on:
        raise InvalidInput("失去联系的日期不能早于入党日期。")
    note = _text(note, "查找联系情况", required=True, longest=500)
    return _change(
        membership,
        actor=actor,
        kind=StandingKind.LOST,
        status=MembershipStatus.LOST_CONTACT,
        effective_on=since,
        note=note,
    )


@transaction.atomic
def mark_found(membership: Membership, *, actor, on: date, note: str) -> StandingChange:
    membership = _locked_membership(membership)
    if membership.status != MembershipStatus.LOST_CONTACT:
        raise InvalidInput("该党员不是失联状态。")
    lost = last_change(membership.person_id, StandingKind.LOST)
    on = _day(on, "恢复联系的日期")
    if lost and on < lost.effective_on:
        raise InvalidInput(f"恢复联系的日期不能早于失去联系的日期（{cn(lost.effective_on)}）。")
    note = _text(note, "情况说明", required=True, longest=500)
    return _change(
        membership,
        actor=actor,
        kind=StandingKind.FOUND,
        status=MembershipStatus.NORMAL,
        effective_on=on,
        note=note,
    )


def _decided(membership, *, actor, kind, status, decided_on, meeting, note, approval):
    """A decision of the branch's general meeting on a member's standing, recorded."""
    meeting = _decision_meeting(membership, meeting, decided_on)
    return _change(
        membership,
        actor=actor,
        kind=kind,
        status=status,
        effective_on=decided_on,
        meeting=meeting,
        note=_text(note, "情况说明", required=True, longest=500),
        approval=_text(approval, "上级党组织批准情况", required=False, longest=200),
    )


def _in_status(membership: Membership, status: str, refusal: str) -> Membership:
    membership = _locked_membership(membership)
    if membership.status != status:
        raise InvalidInput(refusal)
    return membership


@transaction.atomic
def stop_membership(membership: Membership, *, actor, decided_on: date, meeting, note: str,
                    approval: str = "") -> StandingChange:  # fmt: skip
    """停止党籍: only for a member out of contact six months or more, by the branch's general
    meeting (a quorate one, held on or before the decision)."""
    membership = _in_status(
        membership,
        MembershipStatus.LOST_CONTACT,
        f"只有失联党员才能停止党籍（{rules.LOST_RULE}）。",
    )
    decided_on = _day(decided_on, "决定日期")
    lost = last_change(membership.person_id, StandingKind.LOST)
    if lost is None:
        raise InvalidInput("未登记失去联系的日期，请先认定失联。")
    earliest = rules.may_stop_from(lost.effective_on)
    if decided_on < earliest:
        raise InvalidInput(
            f"失去联系自{cn(lost.effective_on)}起未满{rules.LOST_MONTHS}个月，{cn(earliest)}后方可停止党籍"
            f"（{rules.LOST_SOURCE}：{rules.LOST_RULE}）。"
        )
    return _decided(
        membership, actor=actor, kind=StandingKind.STOPPED, status=MembershipStatus.STOPPED,
        decided_on=decided_on, meeting=meeting, note=note, approval=approval,
    )  # fmt: skip


@transaction.atomic
def restore_membership(membership: Membership, *, actor, decided_on: date, meeting, note: str,
                       approval: str = "") -> StandingChange:  # fmt: skip
    """恢复党籍: a stopped member found again, by the branch's general meeting."""
    membership = _in_status(
        membership, MembershipStatus.STOPPED, "只有已停止党籍的党员才能恢复党籍。"
    )
    decided_on = _day(decided_on, "决定日期")
    stopped = last_change(membership.person_id, StandingKind.STOPPED)
    if stopped and decided_on < stopped.effective_on:
        raise InvalidInput(f"决定日期不能早于停止党籍的日期（{cn(stopped.effective_on)}）。")
    return _decided(
        membership, actor=actor, kind=StandingKind.RESTORED, status=MembershipStatus.NORMAL,
        decided_on=decided_on, meeting=meeting, note=note, approval=approval,
    )  # fmt: skip


@transaction.atomic
def remove_membership(membership: Membership, *, actor, decided_on: date, meeting, note: str,
                      approval: str = "") -> StandingChange:  # fmt: skip
    """除名 of a member stopped two years and still out of reach (自行脱党)."""
    membership = _in_status(
        membership, MembershipStatus.STOPPED,
        f"只有已停止党籍的党员才能按自行脱党除名（{rules.STOPPED_RULE}）。",
    )  # fmt: skip
    decided_on = _day(decided_on, "决定日期")
    stopped = last_change(membership.person_id, StandingKind.STOPPED)
    if stopped is None:
        raise InvalidInput("未登记停止党籍的决定，不能除名。")
    earliest = rules.may_remove_from(stopped.effective_on)
    if decided_on < earliest:
        raise InvalidInput(
            f"停止党籍自{cn(stopped.effective_on)}起未满{rules.STOPPED_YEARS}年，{cn(earliest)}后方可除名"
            f"（{rules.STOPPED_RULE}）。"
        )
    return _decided(
        membership, actor=actor, kind=StandingKind.REMOVED, status=MembershipStatus.REMOVED,
        decided_on=decided_on, meeting=meeting, note=note, approval=approval,
    )  # fmt: skip
