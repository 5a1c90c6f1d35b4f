"""Transfers and standing decisions: each step by its rule, refused with the reason and nothing
changed otherwise; the record moves on the day of acceptance and its history says where it was."""

from datetime import date

import pytest

from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.members import services
from mofan.members.choices import StandingKind, TransferKind, TransferState
from mofan.members.models import StandingChange, Transfer
from mofan.members.tests.conftest import held_assembly
from mofan.notify.models import Notification
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership, MembershipTransfer

pytestmark = pytest.mark.django_db


def _membership(person):
    return Membership.objects.select_related("person", "org").get(person=person)


def _issue(w, person=None, to_org=None, **kwargs):
    kwargs.setdefault("issued_on", date(2026, 11, 18))
    kwargs.setdefault("reason", "job")
    return services.issue_transfer(
        _membership(person or w.amy_p), actor=w.alice, to_org=to_org or w.branch_c, **kwargs
    )


def test_a_letter_waits_for_the_receiver_and_the_record_moves_on_acceptance(members_world):
    w = members_world
    transfer = _issue(w)
    assert transfer.state == TransferState.PENDING
    assert transfer.valid_until == date(2026, 12, 18)  # 30 days from issue by default
    assert transfer.letter_number == f"〔2026〕第{transfer.pk:06d}号"
    assert _membership(w.amy_p).org == w.branch_a  # not moved until accepted
    # The receiving branch's secretary is told.
    assert Notification.objects.filter(user=w.dora, kind="transfer").count() == 1

    services.accept_transfer(transfer, actor=w.dora, accepted_on=date(2026, 11, 20))
    membership = _membership(w.amy_p)
    assert (membership.org, membership.status) == (w.branch_c, MembershipStatus.NORMAL)
    transfer.refresh_from_db()
    assert (transfer.state, transfer.decided_on) == (TransferState.ACCEPTED, date(2026, 11, 20))
    history = list(
        MembershipTransfer.objects.filter(membership=membership).values_list(
            "direction", "happened_on", "from_org__code", "to_org__code"
        )
    )
    assert sorted(history) == [
        ("in", date(2026, 11, 20), "A", "C"),
        ("out", date(2026, 11, 20), "A", "C"),
    ]
    # The sender's keepers and the member are told it is done.
    assert Notification.objects.filter(user=w.alice, title__contains="已接收").exists()
    assert Notification.objects.filter(user=w.amy, title__contains="已接收").exists()
    assert AuditEvent.objects.filter(action="members.transfer.accepted").count() == 1


def test_the_member_counts_in_the_old_branch_before_and_the_new_one_after(members_world):
    w = members_world
    transfer = _issue(w)
    services.accept_transfer(transfer, actor=w.dora, accepted_on=date(2026, 11, 20))
    before, after = date(2026, 11, 19), date(2026, 11, 20)

    def members(org, day):
        return set(
            Membership.objects.in_subtree_on(org, day).values_list("person__name", flat=True)
        )

    assert members(w.branch_a, before) == {"张三", "李四"}
    assert members(w.branch_a, after) == {"张三"}
    assert members(w.branch_c, before) == {"钱十"}
    assert members(w.branch_c, after) == {"钱十", "李四"}
    # Nobody is counted before they joined.
    assert members(w.branch_a, date(2010, 6, 30)) == set()


def test_a_member_transferred_out_of_the_system_counts_until_that_day(members_world):
    w = members_world
    services.issue_transfer(
        _membership(w.amy_p), actor=w.alice, issued_on=date(2026, 11, 10), reason="job",
        other_org_name="中共某省某市委员会组织部", letter_number="（2026）第88号",
    )  # fmt: skip
    membership = _membership(w.amy_p)
    assert membership.status == MembershipStatus.TRANSFERRED_OUT
    transfer = Transfer.objects.get(person=w.amy_p)
    assert (transfer.kind, transfer.state, transfer.letter_number) == (
        TransferKind.OUT, TransferState.DONE, "（2026）第88号",
    )  # fmt: skip
    names = Membership.objects.in_subtree_on(w.branch_a, date(2026, 11, 9)).values_list(
        "person__name", flat=True
    )
    assert set(names) == {"张三", "李四"}
    assert set(
        Membership.objects.in_subtree_on(w.branch_a, date(2026, 11, 10)).values_list(
            "person__name", flat=True
        )
    ) == {"张三"}


@pytest.mark.parametrize(
    "target, message",
    [
        ("general", "不直接接收党员组织关系"),
        ("organ", "不直接接收党员组织关系"),
        ("branch_a", "与当前所在党组织相同"),
    ],
)
def test_a_letter_to_an_organisation_that_keeps_no_members_is_refused(
    members_world, target, message
):
    w = members_world
    with pytest.raises(InvalidInput, match=message):
        _issue(w, to_org=getattr(w, target))
    assert not Transfer.objects.exists()


def test_a_dissolved_receiver_is_refused(members_world):
    w = members_world
    from mofan.orgs.models import PartyOrg

    PartyOrg.objects.filter(pk=w.branch_c.pk).update(dissolved_on=date(2026, 10, 1))
    w.branch_c.refresh_from_db()
    with pytest.raises(InvalidInput, match="已撤销"):
        _issue(w)


def test_one_letter_at_a_time_and_not_for_a_member_out_of_contact(members_world):
    w = members_world
    _issue(w)
    with pytest.raises(InvalidInput, match="待接收"):
        _issue(w, to_org=w.branch_b)
    services.mark_lost(
        _membership(w.alice_p), actor=w.alice, since=date(2026, 1, 5), note="电话停机，多方查找未果"
    )
    with pytest.raises(InvalidInput, match="失联"):
        _issue(w, person=w.alice_p)
    assert Transfer.objects.count() == 1


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"issued_on": date(2026, 11, 21)}, "不能晚于今天"),
        ({"issued_on": date(2009, 1, 1)}, "早于入党日期"),
        ({"issued_on": date(2026, 9, 1)}, "已于2026年10月1日过期"),
        ({"valid_days": 0}, "有效期须为1至90天"),
        ({"valid_days": 91}, "有效期须为1至90天"),
        ({"reason": "whim"}, "转接原因"),
    ],
)
def test_bad_letters_are_refused(members_world, kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        _issue(members_world, **kwargs)
    assert not Transfer.objects.exists()


def test_a_letter_out_of_the_system_needs_its_number_and_one_destination(members_world):
    w = members_world
    membership = _membership(w.amy_p)
    with pytest.raises(InvalidInput, match="介绍信编号"):
        services.issue_transfer(
            membership, actor=w.alice, issued_on=date(2026, 11, 10), reason="job",
            other_org_name="中共某市委员会",
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="二选一"):
        services.issue_transfer(
            membership, actor=w.alice, issued_on=date(2026, 11, 10), reason="job",
            to_org=w.branch_c, other_org_name="中共某市委员会",
        )  # fmt: skip
    assert _membership(w.amy_p).status == MembershipStatus.NORMAL


def test_acceptance_after_the_letter_expired_or_before_it_was_issued_is_refused(
    members_world, time_machine
):
    w = members_world
    time_machine.move_to(date(2026, 11, 5), tick=False)
    transfer = _issue(w, issued_on=date(2026, 11, 1), valid_days=10)
    time_machine.move_to(date(2026, 11, 20), tick=False)
    with pytest.raises(InvalidInput, match="早于介绍信开具日期"):
        services.accept_transfer(transfer, actor=w.dora, accepted_on=date(2026, 10, 31))
    with pytest.raises(InvalidInput, match="已于2026年11月11日过期"):
        services.accept_transfer(transfer, actor=w.dora, accepted_on=date(2026, 11, 20))
    transfer.refresh_from_db()
    assert transfer.state == TransferState.PENDING
    assert _membership(w.amy_p).org == w.branch_a


def test_a_returned_letter_leaves_the_member_where_they_were(members_world):
    w = members_world
    transfer = _issue(w)
    with pytest.raises(InvalidInput, match="退回原因"):
        services.return_transfer(transfer, actor=w.dora, reason=" ")
    services.return_transfer(transfer, actor=w.dora, reason="本支部非该同志工作单位党组织")
    transfer.refresh_from_db()
    assert (transfer.state, transfer.return_reason) == (
        TransferState.RETURNED, "本支部非该同志工作单位党组织",
    )  # fmt: skip
    assert _membership(w.amy_p).org == w.branch_a
    assert Notification.objects.filter(user=w.alice, title__contains="退回").exists()
    with pytest.raises(InvalidInput, match="已退回"):
        services.accept_transfer(transfer, actor=w.dora, accepted_on=date(2026, 11, 20))
    # A new letter may be issued after a return.
    assert _issue(w, to_org=w.branch_b).state == TransferState.PENDING


def test_two_receivers_acting_on_one_letter_the_second_is_told(members_world):
    w = members_world
    transfer = _issue(w)
    stale = Transfer.objects.get(pk=transfer.pk)
    services.accept_transfer(transfer, actor=w.dora, accepted_on=date(2026, 11, 20))
    # A page read before the acceptance: refused as stale, nothing changed.
    with pytest.raises(StaleEdit):
        services.return_transfer(stale, actor=w.dora, reason="重复办理", version=1)
    # Read afresh: it is no longer pending.
    with pytest.raises(InvalidInput, match="已接收"):
        services.return_transfer(
            Transfer.objects.get(pk=transfer.pk), actor=w.dora, reason="重复办理"
        )
    assert Transfer.objects.get(pk=transfer.pk).state == TransferState.ACCEPTED


def test_a_letter_for_a_record_that_moved_since_cannot_be_accepted(members_world):
    w = members_world
    transfer = _issue(w)
    Membership.objects.filter(person=w.amy_p).update(org=w.branch_b)
    with pytest.raises(InvalidInput, match="已有变动"):
        services.accept_transfer(transfer, actor=w.dora, accepted_on=date(2026, 11, 20))


def test_withdrawn_by_the_sender(members_world):
    w = members_world
    transfer = _issue(w)
    services.withdraw_transfer(transfer, actor=w.alice, reason="该同志调动取消")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.WITHDRAWN
    assert Notification.objects.filter(user=w.dora, title__contains="撤回").exists()


def test_a_member_arriving_from_outside_the_system(members_world):
    w = members_world
    transfer = services.receive_from_outside(
        actor=w.dora,
        org=w.branch_c,
        person_data={
            "name": "郑十一", "gender": "M", "ethnicity": "汉族", "birth_date": date(1988, 3, 4),
            "id_number": "110105198803040014", "phone": "", "education": "bachelor",
            "unit": w.unit_c, "job_title": "", "rank": "",
        },
        membership_data={"kind": "full", "joined_on": date(2012, 6, 1), "confirmed_on": date(2013, 6, 1)},
        other_org_name="中共某大学委员会",
        letter_number="校组〔2026〕15号",
        received_on=date(2026, 11, 19),
        reason="job",
    )  # fmt: skip
    membership = Membership.objects.get(person_id=transfer.person_id)
    assert membership.org == w.branch_c
    assert (transfer.kind, transfer.state, transfer.other_org_name) == (
        TransferKind.IN, TransferState.DONE, "中共某大学委员会",
    )  # fmt: skip
    line = MembershipTransfer.objects.get(membership=membership)
    assert (line.direction, line.other_org_name, line.happened_on) == (
        "in", "中共某大学委员会", date(2026, 11, 19),
    )  # fmt: skip


def test_arrival_into_an_organisation_that_keeps_no_members_changes_nothing(members_world):
    w = members_world
    people = Membership.objects.count()
    with pytest.raises(InvalidInput, match="不接收党员组织关系"):
        services.receive_from_outside(
            actor=w.carol, org=w.general, person_data={}, membership_data={},
            other_org_name="中共某大学委员会", letter_number="1", received_on=date(2026, 11, 19),
            reason="job",
        )  # fmt: skip
    assert Membership.objects.count() == people


# --- standing ---------------------------------------------------------------------------


def test_lost_contact_then_stopped_by_a_quorate_general_meeting_after_six_months(members_world):
    w = members_world
    membership = _membership(w.amy_p)
    services.mark_lost(
        membership, actor=w.alice, since=date(2026, 3, 10), note="外出务工，电话停机，多方查找未果"
    )
    assert _membership(w.amy_p).status == MembershipStatus.LOST_CONTACT
    early = held_assembly(w.branch_a, date(2026, 9, 1))
    with pytest.raises(InvalidInput, match="2026年9月10日后方可停止党籍"):
        services.stop_membership(
            _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 9, 1), meeting=early,
            note="支部大会讨论决定",
        )  # fmt: skip
    inquorate = held_assembly(w.branch_a, date(2026, 10, 8), quorate=False)
    with pytest.raises(InvalidInput, match="未超过应到会人数的一半"):
        services.stop_membership(
            _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 10, 8), meeting=inquorate,
            note="支部大会讨论决定",
        )  # fmt: skip
    other = held_assembly(w.branch_b, date(2026, 10, 9))
    with pytest.raises(InvalidInput, match="第一党支部的支部党员大会"):
        services.stop_membership(
            _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 10, 9), meeting=other,
            note="支部大会讨论决定",
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="请选择作出决定的支部党员大会"):
        services.stop_membership(
            _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 10, 9), meeting=None,
            note="支部大会讨论决定",
        )  # fmt: skip
    assert _membership(w.amy_p).status == MembershipStatus.LOST_CONTACT
    meeting = held_assembly(w.branch_a, date(2026, 10, 12))
    services.stop_membership(
        _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 10, 12), meeting=meeting,
        note="支部大会讨论决定停止其党籍", approval="机关党委2026年10月20日批准",
    )  # fmt: skip
    assert _membership(w.amy_p).status == MembershipStatus.STOPPED
    kinds = list(StandingChange.objects.filter(person=w.amy_p).values_list("kind", "meeting"))
    assert sorted(kinds) == [(StandingKind.LOST, None), (StandingKind.STOPPED, meeting.pk)]
    # 除名 only two years after the stop.
    with pytest.raises(InvalidInput, match="2028年10月12日后方可除名"):
        services.remove_membership(
            _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 11, 20), meeting=meeting,
            note="按自行脱党除名",
        )  # fmt: skip
    # Found again: restored by a general meeting.
    services.restore_membership(
        _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 11, 20),
        meeting=held_assembly(w.branch_a, date(2026, 11, 20)), note="本人主动联系，恢复党籍",
    )  # fmt: skip
    assert _membership(w.amy_p).status == MembershipStatus.NORMAL


def test_a_member_found_again_before_any_decision(members_world):
    w = members_world
    services.mark_lost(_membership(w.amy_p), actor=w.alice, since=date(2026, 5, 1), note="联系不上")
    with pytest.raises(InvalidInput, match="不能早于失去联系的日期"):
        services.mark_found(
            _membership(w.amy_p), actor=w.alice, on=date(2026, 4, 1), note="已联系上"
        )
    services.mark_found(_membership(w.amy_p), actor=w.alice, on=date(2026, 6, 1), note="本人回电")
    assert _membership(w.amy_p).status == MembershipStatus.NORMAL
    with pytest.raises(InvalidInput, match="只有失联党员才能停止党籍"):
        services.stop_membership(
            _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 11, 20),
            meeting=held_assembly(w.branch_a, date(2026, 11, 20)), note="x" * 5,
        )  # fmt: skip


def test_a_member_of_a_group_is_decided_on_by_the_branch_meeting(members_world):
    w = members_world
    Membership.objects.filter(person=w.amy_p).update(org=w.group_a)
    services.mark_lost(_membership(w.amy_p), actor=w.alice, since=date(2026, 1, 1), note="联系不上")
    services.stop_membership(
        _membership(w.amy_p), actor=w.alice, decided_on=date(2026, 11, 20),
        meeting=held_assembly(w.branch_a, date(2026, 11, 20)), note="支部大会决定",
    )  # fmt: skip
    assert _membership(w.amy_p).status == MembershipStatus.STOPPED


def test_the_keepers_of_an_organisation_in_two_queries(members_world, django_assert_num_queries):
    w = members_world
    with django_assert_num_queries(2):
        found = services.keepers_by_org([w.branch_a, w.group_a, w.branch_b, w.branch_c])
    # The secretary of the branch (for its group too) and the org admin of the organ above.
    assert found[w.branch_a.pk] == sorted([w.alice.pk, w.carol.pk])
    assert found[w.group_a.pk] == sorted([w.alice.pk, w.carol.pk])
    assert found[w.branch_b.pk] == sorted([w.bob.pk, w.carol.pk])
    assert found[w.branch_c.pk] == [w.dora.pk]
