"""Browser walk-through of 组织关系转接 (make test-browser), on 2026年11月20日: branch A's
secretary issues 李四's letter to a branch of another organ from her page (a general branch is
not offered as a receiver); branch C's secretary finds it waiting, accepts it, and sees 李四 in
branch C with the meeting she attended in branch A."""

from datetime import datetime

import pytest
from time_machine import travel

from conftest import browser_login, pick, shot
from mofan.meetings.choices import AttendanceStatus
from mofan.meetings.models import Attendance
from mofan.members.models import Transfer
from mofan.members.tests.conftest import SHANGHAI, held_assembly
from mofan.orgs.models import Membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"viewport": {"width": 1366, "height": 900}}


def test_a_member_is_transferred_to_another_branch_and_appears_there_with_her_history(
    members_world, live_server, browser
):
    w, url = members_world, live_server.url
    meeting = held_assembly(w.branch_a, datetime(2026, 10, 15, tzinfo=SHANGHAI).date())
    Attendance.objects.create(meeting=meeting, person=w.amy_p, status=AttendanceStatus.PRESENT)
    with travel("2026-11-20 09:30:00+08:00", tick=True):
        alice = browser_login(browser, url, "alice", **DESK)
        alice.goto(f"{url}/orgs/people/{w.amy_p.pk}/")
        alice.click("[data-testid=issue-letter]")
        pick(alice, "#id_to_org", "另一", "另一机关第一党支部")
        alice.select_option("#id_reason", "job")
        shot(alice, "transfer-1-issue-letter")
        alice.click("button.btn-primary:has-text('保存')")
        assert "等待另一机关第一党支部接收" in alice.inner_text(".alert-success")
        assert alice.inner_text("[data-testid=state]") == "待接收"
        assert Membership.objects.get(person=w.amy_p).org == w.branch_a
        shot(alice, "transfer-2-letter-issued")

        dora = browser_login(browser, url, "dora", **DESK)
        dora.goto(f"{url}/members/")
        assert dora.inner_text("[data-testid=incoming-count]") == "1"
        dora.click("[data-testid=incoming] >> text=李四")
        shot(dora, "transfer-3-waiting-for-acceptance")
        dora.click("[data-testid=accept]")
        assert "已接收李四的组织关系" in dora.inner_text(".alert-success")
        assert dora.inner_text("[data-testid=state]") == "已接收"
        assert Transfer.objects.get().state == "accepted"

        dora.goto(f"{url}/orgs/people/{w.amy_p.pk}/")
        text = dora.inner_text("body")
        assert "另一机关第一党支部" in text
        assert "第一党支部 → 另一机关第一党支部" in text
        attended = dora.inner_text("[data-testid=attended]")
        assert "支部党员大会" in attended and "第一党支部" in attended
        shot(dora, "transfer-4-member-in-new-branch")
