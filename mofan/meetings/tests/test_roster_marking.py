"""The recorder marks the whole roster at once — everyone present, then the exceptions — in one
request, not a page load per person; a meeting notice says whom it could not reach (issue 10)."""

import pytest
from django.urls import reverse
from time_machine import travel

from conftest import make_member
from mofan.access.models import User
from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput
from mofan.meetings import services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.tests.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(meeting_world):
    w = meeting_world
    w.zhou = make_member("周无号", w.unit_a, w.branch_a)  # on the list, no account
    with travel("2026-11-18 10:00:00+08:00", tick=False):
        return services.plan_meeting(
            w.branch_a, actor=w.alice, kind=MeetingKind.BRANCH_ASSEMBLY, title="支部党员大会",
            starts_at=at(2026, 11, 20, 14), ends_at=at(2026, 11, 20, 16),
        )  # fmt: skip


def _statuses(meeting):
    return dict(meeting.attendance.values_list("person__name", "status"))


def test_all_present_then_the_exceptions_in_two_requests(meeting_world, meeting, login):
    w = meeting_world
    client = login(w.alice)
    with travel("2026-11-20 14:05:00+08:00", tick=False):
        response = client.post(reverse("meetings:action", args=[meeting.pk, "all_present"]))
        assert response.status_code == 302
        assert set(_statuses(meeting).values()) == {"present"}
        response = client.post(
            reverse("meetings:action", args=[meeting.pk, "roster"]),
            {
                f"status_{w.alice_p.pk}": "present",
                f"status_{w.amy_p.pk}": "leave",
                f"reason_{w.amy_p.pk}": "出差",
                f"status_{w.zhou.pk}": "absent",
            },
        )
        assert response.status_code == 302
    assert _statuses(meeting) == {"张三": "present", "李四": "leave", "周无号": "absent"}
    meeting.refresh_from_db()
    assert (meeting.present_count, meeting.leave_count) == (1, 1)
    # each change is on the audit trail, as a single mark is
    assert AuditEvent.objects.filter(action="meetings.attendance.marked").count() == 3 + 2


def test_one_bad_row_saves_nothing_and_names_it(meeting_world, meeting, login):
    w = meeting_world
    client = login(w.alice)
    with travel("2026-11-20 14:05:00+08:00", tick=False):
        response = client.post(
            reverse("meetings:action", args=[meeting.pk, "roster"]),
            {f"status_{w.alice_p.pk}": "present", f"status_{w.amy_p.pk}": "leave"},
        )
    assert response.status_code == 400
    assert "李四：请假须填写事由。出席名单未保存" in response.content.decode()
    assert set(_statuses(meeting).values()) == {"expected"}


def test_someone_not_on_the_list_is_refused(meeting_world, meeting):
    with pytest.raises(InvalidInput, match="名单中没有所选人员"):
        services.mark_roster(
            meeting, {meeting_world.bob_p.pk: ("present", "")}, actor=meeting_world.alice
        )


def test_the_page_marks_the_roster_in_one_form(meeting_world, meeting, login):
    page = login(meeting_world.alice).get(reverse("meetings:meeting", args=[meeting.pk]))
    html = page.content.decode()
    assert html.count('data-testid="roster-form"') == 1
    assert f'name="status_{meeting_world.amy_p.pk}"' in html and "保存出席名单" in html


def test_the_notice_says_whom_it_could_not_reach(meeting_world, meeting, login):
    w = meeting_world
    User.objects.filter(pk=w.amy.pk).update(is_active=False)
    with travel("2026-11-18 11:00:00+08:00", tick=False):
        reach = services.notify_attendees(meeting, actor=w.alice)
    assert reach.sent == 1  # alice
    assert reach.missed == [("李四", "账号已停用"), ("周无号", "无系统账号")]
    assert reach.message() == (
        "已向 1 人发送会议通知。以下人员未收到，请另行通知：李四（账号已停用）、周无号（无系统账号）。"
    )


def test_a_future_meeting_is_awaited_not_unsigned(meeting_world, meeting, login):
    client = login(meeting_world.amy)
    with travel("2026-11-19 10:00:00+08:00", tick=False):
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
        assert '<strong data-testid="my-status">待召开</strong>' in page
        home = client.get(reverse("meetings:home")).content.decode()
        assert "待召开" in home and "未签到" not in home
    with travel("2026-11-20 14:30:00+08:00", tick=False):
        client = login(meeting_world.amy)  # a day later: the idle session has ended
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
        assert '<strong data-testid="my-status">未签到</strong>' in page
