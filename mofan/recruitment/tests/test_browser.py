"""Browser walk-through of 发展党员 (make test-browser): branch A's secretary registers 陈一's
application, records the talk and makes him an activist; a year on less a month, making him a
nominee is refused with the day it becomes possible and its article; at the 支部党员大会 a vote
without quorum is refused, the quorate vote passes and the committee's approval makes him a
probationary member with his party record."""

from datetime import date

import pytest
from time_machine import travel

from conftest import browser_login, pick, shot
from mofan.orgs.models import Membership
from mofan.recruitment import services
from mofan.recruitment.choices import Stage, StepKind
from mofan.recruitment.models import Applicant
from mofan.recruitment.tests.conftest import assembly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"viewport": {"width": 1366, "height": 900}}


def _record(page, kind_label):
    page.click(f"[data-testid=available] >> text={kind_label}")


def test_an_application_goes_to_probationary_membership_by_the_rules(
    recruit_world, live_server, browser
):
    w, url = recruit_world, live_server.url
    with travel("2025-03-20 09:30:00+08:00", tick=True):
        alice = browser_login(browser, url, "alice", **DESK)
        alice.goto(f"{url}/recruitment/orgs/{w.branch_a.pk}/new/")
        alice.fill("#id_name", "陈一")
        alice.select_option("#id_gender", "M")
        alice.fill("#id_birth_date", "1998-04-05")
        alice.fill("#id_id_number", w.chen.id_number)
        pick(alice, "#id_unit", "办公厅", "办公厅")
        alice.eval_on_selector(
            "#id_applied_on",
            "e => e._flatpickr ? e._flatpickr.setDate('2025-03-01', true) : (e.value = '2025-03-01')",
        )
        alice.click("button.btn-primary:has-text('保存')")
        assert "已登记陈一的入党申请" in alice.inner_text(".alert-success")
        assert "2025年4月1日前" in alice.inner_text("[data-testid=needs]")
        shot(alice, "recruit-1-application")
        _record(alice, "派人谈话")
        pick(alice, "#id_person_a", "张三", "张三")
        alice.fill("#id_note", "了解入党动机和对党的认识")
        alice.click("[data-testid=record]")
        assert "已登记：派人谈话" in alice.inner_text(".alert-success")
    with travel("2025-04-10 10:00:00+08:00", tick=True):
        alice = browser_login(browser, url, "alice", **DESK)  # a new day, a new sign-in
        alice.goto(f"{url}/recruitment/{Applicant.objects.get().pk}/")
        _record(alice, "确定为入党积极分子")
        alice.select_option("#id_recommendation", "members")
        pick(alice, "#id_person_a", "钱二", "钱二")
        pick(alice, "#id_person_b", "孙三", "孙三")
        alice.click("[data-testid=record]")
        assert "入党积极分子" in alice.inner_text("h2")
    applicant = Applicant.objects.get()
    with travel("2026-03-01 10:00:00+08:00", tick=False):
        for on in (date(2025, 10, 8), date(2026, 2, 20)):
            applicant.refresh_from_db()
            services.record_step(
                applicant, actor=None, kind=StepKind.REVIEW, done_on=on, note="表现良好"
            )
    with travel("2026-03-10 10:00:00+08:00", tick=True):
        alice = browser_login(browser, url, "alice", **DESK)  # a new day, a new sign-in
        alice.goto(f"{url}/recruitment/{applicant.pk}/")
        _record(alice, "列为发展对象")
        pick(alice, "#id_person_a", "钱二", "钱二")
        pick(alice, "#id_person_b", "孙三", "孙三")
        alice.click("[data-testid=record]")
        refused = alice.inner_text("[data-testid=refused]")
        assert "积极分子培养期满一年：2026年4月10日后方可列为发展对象" in refused
        assert "第十四条" in refused
        shot(alice, "recruit-2-too-early-refused")
    with travel("2026-06-30 10:00:00+08:00", tick=False):
        for kind, on, fields in (
            (StepKind.NOMINEE, date(2026, 4, 15), {"person_a": w.qian, "person_b": w.sun}),
            (StepKind.POLITICAL, date(2026, 5, 10), {"note": "政治审查合格"}),
            (StepKind.TRAINING, date(2026, 5, 20), {"days": 3}),
            (StepKind.PUBLICITY, date(2026, 6, 1), {"ends_on": date(2026, 6, 5)}),
            (StepKind.PRE_REVIEW, date(2026, 6, 10), {}),
        ):
            applicant.refresh_from_db()
            services.record_step(applicant, actor=None, kind=kind, done_on=on, **fields)
        meeting = assembly(w.branch_a, date(2026, 6, 25))
        meeting.recorded_at = meeting.ends_at  # its minutes recorded right after it
        meeting.save()
    with travel("2026-06-25 15:00:00+08:00", tick=True):
        alice = browser_login(browser, url, "alice", **DESK)  # a new day, a new sign-in
        alice.goto(f"{url}/recruitment/{applicant.pk}/")
        _record(alice, "支部党员大会讨论接收")
        alice.select_option("#id_meeting", str(meeting.pk))
        for field, value in (("present", "2"), ("votes_for", "2"), ("votes_against", "0"),
                             ("votes_abstain", "0")):  # fmt: skip
            alice.fill(f"#id_{field}", value)
        alice.click("[data-testid=record]")
        assert "实到2人，未超过半数，不能进行表决" in alice.inner_text("[data-testid=refused]")
        alice.fill("#id_present", "4")
        alice.fill("#id_votes_for", "4")
        alice.click("[data-testid=record]")
        assert "应到4人，实到4人，赞成4票" in alice.inner_text("[data-testid=steps]")
        shot(alice, "recruit-3-admitted-by-the-general-meeting")
        # The vote is in the meeting's minutes: an agenda item with what it decided.
        alice.click(f"[data-testid=steps] a:has-text('{meeting.title}')")
        minutes = alice.inner_text("[data-testid=agenda]")
        assert "讨论接收陈一同志为预备党员" in minutes
        assert "同意接收陈一同志为中共预备党员" in minutes
        shot(alice, "recruit-3b-the-vote-in-the-minutes")
    with travel("2026-07-15 10:00:00+08:00", tick=True):
        alice = browser_login(browser, url, "alice", **DESK)  # a new day, a new sign-in
        alice.goto(f"{url}/recruitment/{applicant.pk}/")
        _record(alice, "上级党委审批（预备党员）")
        alice.click("[data-testid=record]")
        assert "预备党员" in alice.inner_text("h2")
        shot(alice, "recruit-4-probationary")
    applicant.refresh_from_db()
    membership = Membership.objects.get(person=w.chen)
    assert applicant.stage == Stage.PROBATIONARY
    assert (membership.kind, membership.joined_on) == ("probationary", date(2026, 6, 25))
