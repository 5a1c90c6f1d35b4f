"""Plan, notify, sign in, leave, minutes, lock and correction, cancel: the services alone."""

from datetime import timedelta

import pytest
from django.utils import timezone
from time_machine import travel

from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.meetings import services
from mofan.meetings.choices import AttendanceStatus, MeetingKind, MeetingState
from mofan.meetings.models import Attendance, MinutesRevision
from mofan.meetings.tests.conftest import at


def _assembly(w, **kwargs):
    defaults = {
        "kind": MeetingKind.BRANCH_ASSEMBLY,
        "title": "2026年第四季度支部党员大会",
        "starts_at": at(2026, 11, 20, 14),
        "ends_at": at(2026, 11, 20, 16),
        "place": "机关第三会议室",
        "agenda": [
            {
                "title": "学习习近平总书记最新重要讲话精神",
                "is_first_topic": True,
                "materials": "讲话原文",
            },
            {"title": "研究发展党员工作"},
        ],
    }
    return services.plan_meeting(w.branch_a, actor=w.alice, **(defaults | kwargs))


@travel("2026-11-18 10:00:00+08:00", tick=False)
def test_planning_expects_the_branch_members_and_counts_study_time(meeting_world):
    meeting = _assembly(meeting_world)
    people = set(meeting.attendance.values_list("person_id", flat=True))
    assert people == {meeting_world.alice_p.pk, meeting_world.amy_p.pk}
    assert meeting.expected_count == 2 and meeting.present_count == 0
    assert meeting.study_hours == 2
    assert meeting.month_index == 2026 * 12 + 10
    assert [a.title for a in meeting.agenda.all()][0].startswith("学习")
    assert AuditEvent.objects.filter(action="meetings.meeting.planned").count() == 1


def test_only_the_secretary_or_an_org_admin_plans(meeting_world):
    with pytest.raises(services.NotAllowed):
        services.plan_meeting(
            meeting_world.branch_a, actor=meeting_world.bob, kind=MeetingKind.THEME_DAY,
            title="主题党日", starts_at=at(2026, 11, 20), ends_at=at(2026, 11, 20, 11),
        )  # fmt: skip
    services.plan_meeting(
        meeting_world.branch_a, actor=meeting_world.carol, kind=MeetingKind.THEME_DAY,
        title="主题党日", starts_at=at(2026, 11, 20), ends_at=at(2026, 11, 20, 11),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": MeetingKind.BRANCH_COMMITTEE}, "未设支部委员会"),
        ({"kind": MeetingKind.DEMOCRATIC_LIFE_MEETING}, "不召开民主生活会"),
        ({"ends_at": at(2026, 11, 20, 13)}, "结束时间须晚于开始时间"),
        ({"title": "  "}, "请填写会议名称"),
        ({"kind": "nonsense"}, "会议类型无效"),
    ],
)
def test_bad_plans_are_refused_in_chinese(meeting_world, kwargs, message):
    with pytest.raises(InvalidInput, match=message):
        _assembly(meeting_world, **kwargs)


def test_sign_in_by_qr_within_the_window_only(meeting_world):
    with travel("2026-11-18 10:00:00+08:00", tick=False):
        meeting = _assembly(meeting_world)
        token = services.sign_in_token(meeting)
        with pytest.raises(InvalidInput, match="不在签到时间内"):
            services.sign_in(token, user=meeting_world.amy)
    with travel("2026-11-20 13:45:00+08:00", tick=False):
        assert services.sign_in(token, user=meeting_world.amy) == (meeting, True)
        assert services.sign_in(token, user=meeting_world.amy) == (meeting, False)  # twice: once
        with pytest.raises(services.NotAllowed, match="不在本次会议的应到名单中"):
            services.sign_in(token, user=meeting_world.bob)
        with pytest.raises(InvalidInput, match="签到码无效"):
            services.sign_in(token[:-2] + "xx", user=meeting_world.amy)
    meeting.refresh_from_db()
    assert meeting.present_count == 1 and not meeting.quorate  # 1 of 2 is not more than half
    with travel("2026-11-20 14:10:00+08:00", tick=False):
        services.sign_in(token, user=meeting_world.alice)
    meeting.refresh_from_db()
    assert meeting.present_count == 2 and meeting.quorate


def test_a_token_of_one_meeting_does_not_open_another(meeting_world):
    with travel("2026-11-18 10:00:00+08:00", tick=False):
        first = _assembly(meeting_world)
        services.sign_in_token(first)
        second = _assembly(meeting_world, title="另一次会议")
    token = services.sign_in_token(first)
    assert services.meeting_for_token(token) == first != second


@travel("2026-11-19 10:00:00+08:00", tick=False)
def test_leave_with_a_reason(meeting_world):
    meeting = _assembly(meeting_world)
    with pytest.raises(InvalidInput, match="请填写请假事由"):
        services.request_leave(meeting, user=meeting_world.amy, reason=" ")
    services.request_leave(meeting, user=meeting_world.amy, reason="出差")
    row = Attendance.objects.get(meeting=meeting, person=meeting_world.amy_p)
    assert (row.status, row.leave_reason) == (AttendanceStatus.LEAVE, "出差")
    meeting.refresh_from_db()
    assert meeting.leave_count == 1


def test_minutes_back_filled_locked_and_corrected(meeting_world):
    with travel("2026-11-01 10:00:00+08:00", tick=False):
        meeting = _assembly(
            meeting_world, starts_at=at(2026, 11, 2, 9), ends_at=at(2026, 11, 2, 11)
        )
    with (
        travel("2026-11-02 08:00:00+08:00", tick=False),
        pytest.raises(InvalidInput, match="尚未开始"),
    ):
        services.record_minutes(meeting, actor=meeting_world.alice, version=1, summary="x")
    with travel("2026-11-12 10:00:00+08:00", tick=False):  # ten days later: 补记录
        services.mark(meeting, meeting_world.amy_p, actor=meeting_world.alice, status="present")
        services.mark(meeting, meeting_world.alice_p, actor=meeting_world.alice, status="present")
        agenda = {
            a.pk: {"discussion": "逐段学习", "decision": "抓好贯彻"} for a in meeting.agenda.all()
        }
        meeting = services.record_minutes(
            meeting, actor=meeting_world.alice, version=1, summary="会议学习了讲话精神。",
            agenda=agenda, host=meeting_world.alice_p, recorder=meeting_world.amy_p,
        )  # fmt: skip
    assert meeting.state == MeetingState.HELD and meeting.back_filled and meeting.quorate
    with pytest.raises(StaleEdit):
        services.record_minutes(meeting, actor=meeting_world.alice, version=1, summary="y")
    with travel("2026-11-15 10:00:00+08:00", tick=False):  # locked after 48 hours
        with pytest.raises(InvalidInput, match="已锁定"):
            services.record_minutes(
                meeting, actor=meeting_world.alice, version=meeting.version, summary="改"
            )
        meeting = services.record_minutes(
            meeting, actor=meeting_world.alice, version=meeting.version,
            summary="会议学习了讲话精神，并研究了发展党员工作。", reason="补充遗漏的议题",
        )  # fmt: skip
    revision = MinutesRevision.objects.get(meeting=meeting)
    assert (
        revision.content["summary"] == "会议学习了讲话精神。"
        and revision.reason == "补充遗漏的议题"
    )
    assert meeting.back_filled  # judged at the first record, never reset
    assert AuditEvent.objects.filter(action="meetings.minutes.corrected").count() == 1


@travel("2026-11-10 10:00:00+08:00", tick=False)
def test_a_secretarys_lecture_is_known_as_such(meeting_world):
    lecture = services.plan_meeting(
        meeting_world.branch_a, actor=meeting_world.alice, kind=MeetingKind.PARTY_LECTURE,
        title="书记讲党课", starts_at=at(2026, 11, 3), ends_at=at(2026, 11, 3, 11),
        lecturer=meeting_world.alice_p,
    )  # fmt: skip
    lecture = services.record_minutes(
        lecture, actor=meeting_world.alice, version=1, summary="讲授党课。"
    )
    assert lecture.by_secretary


@travel("2026-11-10 10:00:00+08:00", tick=False)
def test_first_topic_flag_and_late_materials(meeting_world):
    meeting = services.plan_meeting(
        meeting_world.organ, actor=meeting_world.carol, kind=MeetingKind.COMMITTEE_MEETING,
        title="机关党委会议", starts_at=at(2026, 11, 10, 15), ends_at=at(2026, 11, 10, 17),
        agenda=[{"title": "研究年度考核"}, {"title": "学习讲话精神", "is_first_topic": True}],
    )  # fmt: skip
    assert services.first_topic_missing(meeting)
    assert services.materials_late(meeting)  # notified less than a day before (or not at all)


@travel("2026-11-10 10:00:00+08:00", tick=False)
def test_cancel_needs_a_reason_and_closes_sign_in(meeting_world):
    meeting = _assembly(meeting_world)
    with pytest.raises(InvalidInput, match="说明原因"):
        services.cancel(meeting, actor=meeting_world.alice, reason="")
    services.cancel(meeting, actor=meeting_world.alice, reason="与全局会议冲突")
    assert not services.sign_in_open(meeting, timezone.now() + timedelta(days=10))
