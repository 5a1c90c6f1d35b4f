"""Reminders before a period ends: to the organisation's secretary, at 10, 5 and 1 working days
left, once (running the job again sends nothing twice)."""

import io
from datetime import date

from django.core.management import call_command
from time_machine import travel

from mofan.meetings import notices, services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.tests.conftest import at
from mofan.notify.models import Notification


def test_secretaries_are_reminded_of_what_the_period_still_lacks(meeting_world):
    w = meeting_world
    # 2026-12-17: ten working days before the end of December (and of the quarter and the year)
    day = date(2026, 12, 17)
    result = notices.period_reminders(day)
    titles = set(Notification.objects.filter(user=w.alice).values_list("title", flat=True))
    assert "组织生活提醒：第一党支部本季度尚未召开支部党员大会" in titles
    assert "组织生活提醒：第一党支部本月尚未召开主题党日" in titles
    assert "组织生活提醒：第一党支部本年度尚未召开书记讲党课" in titles
    assert Notification.objects.filter(user=w.bob, title__contains="第二党支部").exists()
    assert not Notification.objects.filter(user=w.amy).exists()  # members are not secretaries
    assert result["notices"] == Notification.objects.count()
    assert notices.period_reminders(day)["notices"] == 0  # idempotent
    assert notices.period_reminders(date(2026, 12, 16))["notices"] == 0  # 11 days: no reminder


@travel("2026-12-16 10:00:00+08:00", tick=False)
def test_a_held_meeting_is_not_reminded_of(meeting_world):
    w = meeting_world
    meeting = services.plan_meeting(
        w.branch_a, actor=w.alice, kind=MeetingKind.THEME_DAY, title="12月主题党日",
        starts_at=at(2026, 12, 3, 9), ends_at=at(2026, 12, 3, 11),
    )  # fmt: skip
    services.record_minutes(meeting, actor=w.alice, version=meeting.version, summary="已开展。")
    notices.period_reminders(date(2026, 12, 17))
    assert not Notification.objects.filter(user=w.alice, title__contains="主题党日").exists()


def test_the_command(meeting_world):
    out = io.StringIO()
    call_command("meeting_reminders", "--date", "2026-12-17", stdout=out)
    assert "发出提醒" in out.getvalue()
