"""发展党员 by its rules: an applicant goes from application to full membership with each step on
its day; a step too early is refused with the day it becomes possible and its article, a step out
of order with what must come first, a vote without quorum with the count; nothing changes when a
step is refused."""

from datetime import date

import pytest

from mofan.core.errors import InvalidInput, StaleEdit
from mofan.orgs.models import Membership
from mofan.recruitment import services
from mofan.recruitment.choices import Stage, StepKind
from mofan.recruitment.models import Applicant, Step
from mofan.recruitment.tests.conftest import assembly

pytestmark = pytest.mark.django_db


def _step(applicant, kind, on, **fields):
    applicant.refresh_from_db()
    return services.record_step(applicant, actor=None, kind=kind, done_on=on, **fields)


def _to_activist(w, time_machine):
    time_machine.move_to(date(2025, 3, 1), tick=False)
    applicant = services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2025, 3, 1)
    )
    time_machine.move_to(date(2025, 4, 10), tick=False)
    _step(applicant, StepKind.TALK, date(2025, 3, 20), person_a=w.alice_p, note="了解入党动机")
    _step(applicant, StepKind.ACTIVIST, date(2025, 4, 10), recommendation="members",
          person_a=w.qian, person_b=w.sun)  # fmt: skip
    return applicant


def test_the_whole_way_from_application_to_full_membership(recruit_world, time_machine):
    w = recruit_world
    applicant = _to_activist(w, time_machine)
    assert applicant.__class__.objects.get(pk=applicant.pk).stage == Stage.ACTIVIST
    time_machine.move_to(date(2026, 4, 20), tick=False)
    _step(applicant, StepKind.REVIEW, date(2025, 10, 8), note="表现良好")
    _step(applicant, StepKind.REVIEW, date(2026, 4, 8), note="表现良好")
    _step(applicant, StepKind.NOMINEE, date(2026, 4, 15), person_a=w.qian, person_b=w.sun)
    time_machine.move_to(date(2026, 6, 30), tick=False)
    _step(applicant, StepKind.POLITICAL, date(2026, 5, 10), note="政治审查合格")
    _step(applicant, StepKind.TRAINING, date(2026, 5, 20), days=3)
    _step(applicant, StepKind.PUBLICITY, date(2026, 6, 1), ends_on=date(2026, 6, 5))
    _step(applicant, StepKind.PRE_REVIEW, date(2026, 6, 10))
    meeting = assembly(w.branch_a, date(2026, 6, 25))
    _step(applicant, StepKind.ADMISSION, date(2026, 6, 25), meeting=meeting, present=4,
          votes_for=4, votes_against=0, votes_abstain=0)  # fmt: skip
    time_machine.move_to(date(2026, 7, 15), tick=False)
    _step(applicant, StepKind.APPROVAL, date(2026, 7, 15))
    membership = Membership.objects.get(person=w.chen)
    # 预备期从支部大会通过之日起计算.
    assert (membership.kind, membership.joined_on, membership.org) == (
        "probationary", date(2026, 6, 25), w.branch_a,
    )  # fmt: skip
    applicant.refresh_from_db()
    assert (applicant.stage, applicant.probation_ends_on) == (Stage.PROBATIONARY, date(2027, 6, 25))
    _step(applicant, StepKind.OATH, date(2026, 7, 15))
    time_machine.move_to(date(2027, 7, 10), tick=False)
    _step(applicant, StepKind.REVIEW, date(2026, 12, 20), note="预备期考察")
    confirm = assembly(w.branch_a, date(2027, 7, 5))
    _step(applicant, StepKind.CONFIRMATION, date(2027, 7, 5), meeting=confirm, present=4,
          votes_for=4, votes_against=0, votes_abstain=0, outcome="confirm")  # fmt: skip
    _step(applicant, StepKind.CONFIRM_APPROVAL, date(2027, 7, 10))
    applicant.refresh_from_db()
    membership.refresh_from_db()
    assert applicant.stage == Stage.FULL
    # 党龄从预备期满转为正式党员之日算起.
    assert (membership.kind, membership.confirmed_on) == ("full", date(2027, 6, 25))
    assert applicant.next_due_on is None


def test_an_activist_becomes_a_nominee_only_after_a_year_with_its_article(
    recruit_world, time_machine
):
    w = recruit_world
    applicant = _to_activist(w, time_machine)
    time_machine.move_to(date(2026, 3, 1), tick=False)
    _step(applicant, StepKind.REVIEW, date(2025, 10, 1), note="表现良好")
    _step(applicant, StepKind.REVIEW, date(2026, 2, 1), note="表现良好")
    with pytest.raises(InvalidInput) as refused:
        _step(applicant, StepKind.NOMINEE, date(2026, 3, 1), person_a=w.qian, person_b=w.sun)
    assert "积极分子培养期满一年：2026年4月10日后方可列为发展对象" in refused.value.message
    assert "第十四条" in refused.value.message
    applicant.refresh_from_db()
    assert applicant.stage == Stage.ACTIVIST


def test_without_a_review_each_half_year_there_is_no_nominee(recruit_world, time_machine):
    w = recruit_world
    applicant = _to_activist(w, time_machine)
    time_machine.move_to(date(2026, 5, 1), tick=False)
    _step(applicant, StepKind.REVIEW, date(2026, 4, 20), note="表现良好")
    applicant.refresh_from_db()
    # The half-year review was due by 2025年10月10日: the file says so.
    assert applicant.next_due_on == date(2026, 10, 20)
    with pytest.raises(InvalidInput, match="目前仅考察1次"):
        _step(applicant, StepKind.NOMINEE, date(2026, 5, 1), person_a=w.qian, person_b=w.sun)


@pytest.mark.parametrize(
    "kind, message",
    [
        (StepKind.NOMINEE, "当前为“入党申请人”阶段，不能办理“列为发展对象”"),
        (StepKind.ACTIVIST, "办理“确定为入党积极分子”前须先完成：派人谈话"),
        (StepKind.APPROVAL, "当前为“入党申请人”阶段"),
    ],
)
def test_a_step_out_of_order_is_refused_with_what_comes_first(recruit_world, kind, message):
    w = recruit_world
    applicant = services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2026, 11, 1)
    )
    with pytest.raises(InvalidInput, match=message):
        _step(applicant, kind, date(2026, 11, 20), recommendation="members", person_a=w.qian)
    assert not Step.objects.exists()


def test_the_talk_is_due_within_a_month(recruit_world):
    w = recruit_world
    applicant = services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2026, 10, 10)
    )
    assert (applicant.next_due_on, applicant.next_due_kind) == (date(2026, 11, 10), StepKind.TALK)


def test_who_may_not_apply(recruit_world):
    w = recruit_world
    with pytest.raises(InvalidInput, match="年满十八岁"):
        services.open_file(actor=None, person=w.young, org=w.branch_a, applied_on=date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="已有党员记录"):
        services.open_file(actor=None, person=w.amy_p, org=w.branch_a, applied_on=date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="由党支部受理"):
        services.open_file(actor=None, person=w.chen, org=w.organ, applied_on=date(2026, 11, 1))
    services.open_file(actor=None, person=w.chen, org=w.branch_a, applied_on=date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="正在办理"):
        services.open_file(actor=None, person=w.chen, org=w.branch_b, applied_on=date(2026, 11, 2))
    assert Applicant.objects.count() == 1


def _to_pre_review(w, time_machine):
    applicant = _to_activist(w, time_machine)
    time_machine.move_to(date(2026, 6, 30), tick=False)
    _step(applicant, StepKind.REVIEW, date(2025, 10, 8), note="良好")
    _step(applicant, StepKind.REVIEW, date(2026, 4, 8), note="良好")
    _step(applicant, StepKind.NOMINEE, date(2026, 4, 15), person_a=w.qian, person_b=w.sun)
    _step(applicant, StepKind.POLITICAL, date(2026, 5, 10), note="合格")
    return applicant


def test_training_and_publicity_by_their_minimums(recruit_world, time_machine):
    w = recruit_world
    applicant = _to_pre_review(w, time_machine)
    with pytest.raises(InvalidInput, match="不少于3天或24个学时"):
        _step(applicant, StepKind.TRAINING, date(2026, 5, 20), days=2, hours="16")
    _step(applicant, StepKind.TRAINING, date(2026, 5, 20), hours="24")
    # 2026年6月1日 (Mon) to 6月4日 (Thu): four working days.
    with pytest.raises(InvalidInput, match="公示期4个工作日，不足5个工作日"):
        _step(applicant, StepKind.PUBLICITY, date(2026, 6, 1), ends_on=date(2026, 6, 4))
    _step(applicant, StepKind.PUBLICITY, date(2026, 6, 1), ends_on=date(2026, 6, 5))
    with pytest.raises(InvalidInput, match="公示期至2026年6月5日，期满后方可报上级党委预审"):
        _step(applicant, StepKind.PRE_REVIEW, date(2026, 6, 5))


def test_the_vote_needs_a_quorum_and_a_majority_of_those_entitled(recruit_world, time_machine):
    w = recruit_world
    applicant = _to_pre_review(w, time_machine)
    _step(applicant, StepKind.TRAINING, date(2026, 5, 20), days=3)
    _step(applicant, StepKind.PUBLICITY, date(2026, 6, 1), ends_on=date(2026, 6, 5))
    _step(applicant, StepKind.PRE_REVIEW, date(2026, 6, 10))
    meeting = assembly(w.branch_a, date(2026, 6, 25))
    votes = {"meeting": meeting, "votes_against": 0, "votes_abstain": 0}
    # Branch A's full members on the day: 张三, 李四, 钱二, 孙三 — four entitled.
    with pytest.raises(InvalidInput, match="应到会有表决权的正式党员4人，实到2人，未超过半数"):
        _step(applicant, StepKind.ADMISSION, date(2026, 6, 25), present=2, votes_for=2, **votes)
    with pytest.raises(InvalidInput, match="多于到会的3人"):
        _step(applicant, StepKind.ADMISSION, date(2026, 6, 25), present=3, votes_for=4, **votes)
    with pytest.raises(InvalidInput, match="日期应为支部党员大会召开的日期"):
        _step(applicant, StepKind.ADMISSION, date(2026, 6, 26), present=3, votes_for=3, **votes)
    # The meeting's own attendance bounds those present.
    meeting.expected_count, meeting.present_count = 6, 3
    meeting.save()
    with pytest.raises(
        InvalidInput, match="出席记录实到3人，到会有表决权的正式党员（4人）不能多于"
    ):
        _step(applicant, StepKind.ADMISSION, date(2026, 6, 25), present=4, votes_for=4, **votes)
    assert not Step.objects.filter(kind=StepKind.ADMISSION).exists()
    meeting.expected_count = meeting.present_count = 0
    meeting.save()
    # Quorate, but two for out of four entitled is not more than half: recorded, not passed.
    _step(applicant, StepKind.ADMISSION, date(2026, 6, 25), present=3, votes_for=2,
          votes_against=1, votes_abstain=0, meeting=meeting)  # fmt: skip
    applicant.refresh_from_db()
    assert applicant.admitted_on is None and applicant.stage == Stage.NOMINEE
    with pytest.raises(InvalidInput, match="须先完成：支部党员大会讨论接收"):
        _step(applicant, StepKind.APPROVAL, date(2026, 6, 30))
    _step(applicant, StepKind.ADMISSION, date(2026, 6, 25), present=4, votes_for=3,
          votes_against=1, votes_abstain=0, meeting=meeting)  # fmt: skip
    applicant.refresh_from_db()
    assert applicant.admitted_on == date(2026, 6, 25)
    assert (applicant.next_due_on, applicant.next_due_kind) == (
        date(2026, 9, 25),
        StepKind.APPROVAL,
    )


def test_a_probation_extended_once_then_confirmed(recruit_world, time_machine):
    w = recruit_world
    applicant = _to_pre_review(w, time_machine)
    _step(applicant, StepKind.TRAINING, date(2026, 5, 20), days=3)
    _step(applicant, StepKind.PUBLICITY, date(2026, 6, 1), ends_on=date(2026, 6, 5))
    _step(applicant, StepKind.PRE_REVIEW, date(2026, 6, 10))
    vote = {"present": 4, "votes_for": 4, "votes_against": 0, "votes_abstain": 0}
    _step(
        applicant,
        StepKind.ADMISSION,
        date(2026, 6, 25),
        meeting=assembly(w.branch_a, date(2026, 6, 25)),
        **vote,
    )
    _step(applicant, StepKind.APPROVAL, date(2026, 6, 30))
    time_machine.move_to(date(2027, 7, 20), tick=False)
    with pytest.raises(InvalidInput, match="2027年6月25日满"):
        _step(applicant, StepKind.CONFIRMATION, date(2027, 6, 20),
              meeting=assembly(w.branch_a, date(2027, 6, 20)), outcome="confirm", **vote)  # fmt: skip
    with pytest.raises(InvalidInput, match="不能少于半年"):
        _step(applicant, StepKind.CONFIRMATION, date(2027, 7, 1),
              meeting=assembly(w.branch_a, date(2027, 7, 1)), outcome="extend",
              extension_months=3, **vote)  # fmt: skip
    _step(applicant, StepKind.CONFIRMATION, date(2027, 7, 1),
          meeting=assembly(w.branch_a, date(2027, 7, 1)), outcome="extend", extension_months=6, **vote)  # fmt: skip
    _step(applicant, StepKind.CONFIRM_APPROVAL, date(2027, 7, 10))
    applicant.refresh_from_db()
    assert (applicant.stage, applicant.probation_ends_on, applicant.extended) == (
        Stage.PROBATIONARY, date(2027, 12, 25), True,
    )  # fmt: skip
    time_machine.move_to(date(2028, 1, 20), tick=False)
    with pytest.raises(InvalidInput, match="只能延长一次"):
        _step(applicant, StepKind.CONFIRMATION, date(2028, 1, 5),
              meeting=assembly(w.branch_a, date(2028, 1, 5)), outcome="extend",
              extension_months=6, **vote)  # fmt: skip
    _step(applicant, StepKind.CONFIRMATION, date(2028, 1, 6),
          meeting=assembly(w.branch_a, date(2028, 1, 6)), outcome="confirm", **vote)  # fmt: skip
    _step(applicant, StepKind.CONFIRM_APPROVAL, date(2028, 1, 15))
    membership = Membership.objects.get(person=w.chen)
    assert (membership.kind, membership.confirmed_on) == ("full", date(2027, 12, 25))


def test_two_people_recording_at_once_the_second_is_told(recruit_world):
    w = recruit_world
    applicant = services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2026, 11, 1)
    )
    stale_version = applicant.version
    services.record_step(applicant, actor=None, kind=StepKind.TALK, done_on=date(2026, 11, 5),
                         person_a=w.alice_p, note="谈话", version=stale_version)  # fmt: skip
    with pytest.raises(StaleEdit):
        services.record_step(applicant, actor=None, kind=StepKind.END, done_on=date(2026, 11, 6),
                             note="本人撤回", version=stale_version)  # fmt: skip


def test_sponsors_are_full_members_other_than_the_applicant(recruit_world, time_machine):
    w = recruit_world
    time_machine.move_to(date(2025, 3, 1), tick=False)
    applicant = services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2025, 3, 1)
    )
    _step(applicant, StepKind.TALK, date(2025, 3, 1), person_a=w.alice_p, note="谈话")
    with pytest.raises(InvalidInput, match="不是党籍正常的正式党员"):
        _step(applicant, StepKind.ACTIVIST, date(2025, 3, 1), recommendation="members",
              person_a=w.outsider_p)  # fmt: skip
    with pytest.raises(InvalidInput, match="不能是申请人本人"):
        _step(
            applicant,
            StepKind.ACTIVIST,
            date(2025, 3, 1),
            recommendation="members",
            person_a=w.chen,
        )
    with pytest.raises(InvalidInput, match="推荐方式"):
        _step(applicant, StepKind.ACTIVIST, date(2025, 3, 1), person_a=w.qian)


def test_a_file_ends_with_its_reason_but_a_probationary_member_only_by_the_meeting(
    recruit_world, time_machine
):
    w = recruit_world
    applicant = services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2026, 11, 1)
    )
    with pytest.raises(InvalidInput, match="终止原因"):
        _step(applicant, StepKind.END, date(2026, 11, 10), note="")
    _step(applicant, StepKind.END, date(2026, 11, 10), note="本人申请撤回")
    applicant.refresh_from_db()
    assert (applicant.stage, applicant.ended_on, applicant.next_due_on) == (
        Stage.ENDED, date(2026, 11, 10), None,
    )  # fmt: skip
    # A new file may follow an ended one.
    assert services.open_file(
        actor=None, person=w.chen, org=w.branch_a, applied_on=date(2026, 11, 15)
    )


def test_a_probationary_member_is_not_ended_but_decided_on(recruit_world, time_machine):
    w = recruit_world
    applicant = _to_pre_review(w, time_machine)
    _step(applicant, StepKind.TRAINING, date(2026, 5, 20), days=3)
    _step(applicant, StepKind.PUBLICITY, date(2026, 6, 1), ends_on=date(2026, 6, 5))
    _step(applicant, StepKind.PRE_REVIEW, date(2026, 6, 10))
    _step(applicant, StepKind.ADMISSION, date(2026, 6, 25),
          meeting=assembly(w.branch_a, date(2026, 6, 25)), present=4, votes_for=4,
          votes_against=0, votes_abstain=0)  # fmt: skip
    _step(applicant, StepKind.APPROVAL, date(2026, 6, 30))
    with pytest.raises(InvalidInput, match="当前为“预备党员”阶段，不能办理“终止发展”"):
        _step(applicant, StepKind.END, date(2026, 6, 30), note="不再发展")
    assert Membership.objects.get(person=w.chen).status == "normal"


def _to_the_vote(w, time_machine):
    applicant = _to_pre_review(w, time_machine)
    _step(applicant, StepKind.TRAINING, date(2026, 5, 20), days=3)
    _step(applicant, StepKind.PUBLICITY, date(2026, 6, 1), ends_on=date(2026, 6, 5))
    _step(applicant, StepKind.PRE_REVIEW, date(2026, 6, 10))
    return applicant


def test_each_vote_goes_into_the_meeting_s_minutes_as_an_agenda_item(recruit_world, time_machine):
    from mofan.meetings.models import AgendaItem

    w = recruit_world
    applicant = _to_the_vote(w, time_machine)
    meeting = assembly(w.branch_a, date(2026, 6, 25))
    AgendaItem.objects.create(meeting=meeting, order=1, title="学习党章")
    votes = {"meeting": meeting, "votes_abstain": 0}
    failed = _step(applicant, StepKind.ADMISSION, date(2026, 6, 25), present=3, votes_for=2,
                   votes_against=1, **votes)  # fmt: skip
    passed = _step(applicant, StepKind.ADMISSION, date(2026, 6, 25), present=4, votes_for=3,
                   votes_against=1, **votes)  # fmt: skip
    items = list(meeting.agenda.order_by("order"))
    assert [(i.order, i.title) for i in items] == [
        (1, "学习党章"),
        (2, "讨论接收陈一同志为预备党员"),
        (3, "讨论接收陈一同志为预备党员"),
    ]
    assert items[1].decision == (
        "应到会有表决权的正式党员4人，实到3人。表决结果：赞成2票，反对1票，弃权0票。"
        "赞成人数未超过应到会有表决权的正式党员的半数，未通过。"
    )
    assert items[2].decision.endswith(
        "赞成3票，反对1票，弃权0票。赞成人数超过应到会有表决权的正式党员的半数，"
        "同意接收陈一同志为中共预备党员，报上级党委审批。"
    )
    assert (failed.agenda_item_id, passed.agenda_item_id) == (items[1].pk, items[2].pk)
    meeting.refresh_from_db()
    assert meeting.version == 3  # two additions, each a new version of the minutes


def test_a_vote_on_locked_minutes_keeps_the_earlier_version(recruit_world, time_machine):
    from datetime import datetime

    from mofan.access.models import User
    from mofan.meetings.models import MinutesRevision

    w = recruit_world
    applicant = _to_the_vote(w, time_machine)
    meeting = assembly(w.branch_a, date(2026, 6, 25))
    meeting.summary = "支部党员大会，讨论发展党员"
    meeting.recorded_at = datetime(2026, 6, 25, 12, 0, tzinfo=meeting.starts_at.tzinfo)
    meeting.save()
    alice = User.objects.get(username="alice")
    applicant.refresh_from_db()
    services.record_step(applicant, actor=alice, kind=StepKind.ADMISSION,
                         done_on=date(2026, 6, 25), meeting=meeting, present=4, votes_for=4,
                         votes_against=0, votes_abstain=0)  # fmt: skip
    revision = MinutesRevision.objects.get(meeting=meeting)
    assert revision.reason == "发展党员：记入支部党员大会表决结果"
    assert revision.content["agenda"] == [] and revision.changed_by == alice
    assert meeting.agenda.get().title == "讨论接收陈一同志为预备党员"


def test_the_confirmation_vote_says_what_was_decided(recruit_world, time_machine):
    w = recruit_world
    applicant = _to_the_vote(w, time_machine)
    vote = {"present": 4, "votes_for": 4, "votes_against": 0, "votes_abstain": 0}
    _step(applicant, StepKind.ADMISSION, date(2026, 6, 25),
          meeting=assembly(w.branch_a, date(2026, 6, 25)), **vote)  # fmt: skip
    _step(applicant, StepKind.APPROVAL, date(2026, 6, 30))
    time_machine.move_to(date(2027, 7, 20), tick=False)
    meeting = assembly(w.branch_a, date(2027, 7, 1))
    _step(applicant, StepKind.CONFIRMATION, date(2027, 7, 1), meeting=meeting, outcome="extend",
          extension_months=6, **vote)  # fmt: skip
    item = meeting.agenda.get()
    assert item.title == "讨论预备党员陈一同志能否转为正式党员"
    assert item.decision.endswith("同意延长陈一同志预备期6个月，报上级党委审批。")


def test_the_approval_form_holds_the_whole_file(recruit_world, time_machine):
    from docx import Document

    from mofan.recruitment import documents

    w = recruit_world
    applicant = _to_the_vote(w, time_machine)
    _step(applicant, StepKind.ADMISSION, date(2026, 6, 25),
          meeting=assembly(w.branch_a, date(2026, 6, 25)), present=4, votes_for=3,
          votes_against=0, votes_abstain=1)  # fmt: skip
    applicant.refresh_from_db()
    steps = list(applicant.steps.select_related("person_a", "person_b", "meeting"))
    rows = {
        row.cells[0].text: row.cells[1].text
        for row in Document(documents.approval_form(applicant, steps, StepKind.ADMISSION))
        .tables[0].rows
    }  # fmt: skip
    assert rows["姓名"] == "陈一" and rows["出生年月"] == "1998年4月"
    assert rows["确定为入党积极分子"] == "2025年4月10日（党员推荐），培养联系人：钱二、孙三"
    assert rows["培养考察"] == "共考察2次：2025年10月8日、2026年4月8日"
    assert rows["列为发展对象"] == "2026年4月15日，入党介绍人：钱二、孙三"
    assert rows["公示"] == "2026年6月1日至2026年6月5日"
    assert rows["支部大会决议"] == (
        "2026年6月25日召开支部党员大会（6月25日支部党员大会）。应到会有表决权的正式党员4人，"
        "实到4人；赞成3票，反对0票，弃权1票。同意接收陈一同志为中共预备党员。"
    )
    assert rows["上级党委审批"].startswith("（审批意见）")
    _step(applicant, StepKind.APPROVAL, date(2026, 6, 30))
    applicant.refresh_from_db()
    approved = Document(documents.approval_form(applicant, steps, StepKind.ADMISSION))
    assert approved.tables[0].rows[-1].cells[1].text == (
        "2026年6月30日批准为中共预备党员，预备期自2026年6月25日起一年"
    )
