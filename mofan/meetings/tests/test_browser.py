"""Browser walk-through of 组织生活 (make test-browser), on 2026年9月18日: the secretary of branch A
plans a 支部党员大会 with a 第一议题 item; two members sign in by opening the QR URL on a phone; a
third asks for leave; the secretary records the minutes and turns the agenda item into a ledger
item; the compliance heat map shows the third quarter met."""

import json
from datetime import date, timedelta

import pytest
from time_machine import travel

from conftest import browser_login, make_member, make_user, pick, shot
from mofan.access.roles import Role
from mofan.ledger import services as ledger_services
from mofan.ledger.choices import LedgerKind
from mofan.ledger.models import Item
from mofan.meetings import services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.models import Meeting
from mofan.meetings.tests.conftest import at
from mofan.orgs import services as orgs
from mofan.orgs.choices import PositionTitle

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def _quarter_so_far(w):
    """July to September: theme days held, a party lecture held; the assembly is what is missing."""
    held = [(MeetingKind.THEME_DAY, f"{m}月主题党日", at(2026, m, 8, 9)) for m in (7, 8, 9)]
    held.append((MeetingKind.PARTY_LECTURE, "第三季度党课", at(2026, 8, 20, 14)))
    for kind, title, day in held:
        with travel(day - timedelta(days=5), tick=False):
            meeting = services.plan_meeting(
                w.branch_a, actor=w.alice, kind=kind, title=title, starts_at=day,
                ends_at=day + timedelta(hours=2), lecturer=w.alice_p,
            )  # fmt: skip
        with travel(day + timedelta(hours=3), tick=False):  # recorded the same day
            services.record_minutes(
                meeting, actor=w.alice, version=meeting.version, summary="已开展。"
            )


def test_a_branch_assembly_from_plan_to_compliance(national_rules, world, live_server, browser):
    w = world
    orgs.appoint(
        actor=None, person=w.alice_p, org=w.branch_a, title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
    )  # fmt: skip
    third_p = make_member("钱十", w.unit_a, w.branch_a)
    make_user("qian", third_p, (Role.MEMBER, w.branch_a))
    ledger = ledger_services.create_ledger(
        actor=w.sam, name="第一党支部工作台账", kind=LedgerKind.GENERAL, year=2026, unit=w.unit_a
    )
    ledger.supervisors.add(w.alice)
    url = live_server.url
    _quarter_so_far(w)
    with travel("2026-09-18 09:40:00+08:00", tick=True) as clock:
        alice = browser_login(browser, url, "alice", viewport={"width": 1366, "height": 900})
        alice.goto(f"{url}/meetings/orgs/{w.branch_a.pk}/")
        assert "本季度尚未召开支部党员大会" in alice.inner_text("[data-testid=checklist]")
        alice.click("text=安排会议")
        alice.select_option("#id_kind", "branch_assembly")
        alice.fill("#id_title", "第三季度支部党员大会")
        alice.fill("#id_day", "2026-09-18")
        alice.fill("#id_start", "10:00")
        alice.fill("#id_end", "11:30")
        alice.fill("#id_place", "机关第三会议室")
        alice.fill("#id_agenda_1_title", "学习习近平总书记最新重要讲话和重要指示批示精神")
        alice.check("#id_agenda_1_first")
        alice.fill("[name=agenda_1_materials]", "讲话原文")
        alice.fill("#id_agenda_2_title", "部署第四季度支部工作")
        shot(alice, "meetings-01-plan")
        alice.click("button:has-text('安排会议')")
        alice.wait_for_selector("[data-testid=agenda]")
        assert "第一议题" in alice.inner_text("[data-testid=agenda]")
        assert "应到 3 人" in alice.inner_text("[data-testid=attendance-summary]")
        meeting = Meeting.objects.get(title="第三季度支部党员大会")
        alice.click("text=签到二维码")
        alice.wait_for_selector("[data-testid=qr] svg")
        sign_in_url = alice.text_content("[data-testid=sign-in-url]").strip()
        shot(alice, "meetings-02-qr")

        for username in ("amy", "alice"):
            phone = browser_login(browser, url, username, **PHONE)
            phone.goto(sign_in_url)
            phone.click("[data-testid=sign-in]")
            phone.wait_for_selector("[data-testid=signed]")
            assert "签到成功" in phone.inner_text("[data-testid=signed]")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375
            if username == "amy":
                shot(phone, "meetings-03-phone-signed-in")
        qian = browser_login(browser, url, "qian", **PHONE)
        qian.goto(f"{url}/meetings/{meeting.pk}/")
        qian.fill("#id_reason", "赴外地调研")
        qian.click("button:has-text('请假')")
        qian.wait_for_selector("[data-testid=my-status]")
        assert qian.inner_text("[data-testid=my-status]") == "请假"

        alice.goto(f"{url}/meetings/{meeting.pk}/qr/")
        alice.wait_for_selector("[data-testid=signed-count]:has-text('已签到 2 / 3 人')")
        alice.goto(f"{url}/meetings/{meeting.pk}/")
        summary = alice.inner_text("[data-testid=attendance-summary]")
        assert "实到 2 人" in summary and "请假 1 人" in summary and "已过半数" in summary
        # The recorder corrects the list in one form, one page load for all of it.
        roster = alice.locator("[data-testid=roster-form]")
        roster.locator(f"[name=status_{w.amy_p.pk}]").select_option("absent")
        roster.locator("button:has-text('保存出席名单')").click()
        alice.wait_for_selector("text=出席名单已保存（1 人有变动）")
        assert "实到 1 人" in alice.inner_text("[data-testid=attendance-summary]")
        roster = alice.locator("[data-testid=roster-form]")
        roster.locator(f"[name=status_{w.amy_p.pk}]").select_option("present")
        roster.locator("button:has-text('保存出席名单')").click()
        alice.wait_for_selector("text=出席名单已保存（1 人有变动）")
        assert "实到 2 人" in alice.inner_text("[data-testid=attendance-summary]")
        clock.move_to("2026-09-18 10:05:00+08:00")  # the meeting has begun
        alice.reload()
        alice.click("text=填写会议记录")
        alice.fill(
            "#id_summary", "会议传达学习了习近平总书记最新重要讲话精神，部署了第四季度工作。"
        )
        agenda = list(meeting.agenda.order_by("order"))
        alice.fill(f"#id_agenda_{agenda[0].pk}_discussion", "党员逐段学习，交流了体会。")
        alice.fill(f"#id_agenda_{agenda[0].pk}_decision", "9月底前每名党员撰写一篇学习体会")
        shot(alice, "meetings-04-minutes")
        alice.click("button:has-text('保存会议记录')")
        alice.wait_for_selector("[data-testid=minutes]")
        assert alice.inner_text("[data-testid=meeting-state]") == "已召开"

        task = alice.locator("[data-testid=task-form-1]")
        alice.click("summary:has-text('把议定事项生成督办事项') >> nth=0")
        pick(alice, f"#lead-unit-{agenda[0].pk}", "bgt", "办公厅")
        task.locator("[name=deadline]").fill("2026-09-30")
        task.locator("button[type=submit]").click()
        alice.wait_for_selector("[data-testid=agenda-tasks]")
        assert "第一党支部工作台账 1" in alice.inner_text("[data-testid=agenda-tasks]")
        item = Item.objects.get(agenda_item=agenda[0])
        assert item.content == "9月底前每名党员撰写一篇学习体会" and item.deadline == date(
            2026, 9, 30
        )
        shot(alice, "meetings-05-tasked")

        carol = browser_login(browser, url, "carol", viewport={"width": 1366, "height": 900})
        carol.goto(f"{url}/meetings/compliance/?org={w.organ.pk}&year=2026")
        carol.wait_for_selector("#heatmap canvas")
        data = json.loads(carol.inner_text("#heatmap-data"))
        row = data["ids"].index(w.branch_a.pk)
        september = next(c for c in data["cells"] if c[1] == row and c[0] == 8)
        assert september[2] == "met"  # the quarter's assembly, lecture and theme days are all held
        other = data["ids"].index(w.branch_b.pk)
        assert next(c for c in data["cells"] if c[1] == other and c[0] == 8)[2] == "open"
        # A click on branch A's September opens its detail (ECharts' events, then htmx).
        x, y = carol.evaluate(
            "([m, r]) => echarts.getInstanceByDom(document.getElementById('heatmap'))"
            ".convertToPixel({seriesIndex: 0}, [m, r])",
            [8, row],
        )
        box = carol.locator("#heatmap").bounding_box()
        carol.mouse.click(box["x"] + x, box["y"] + y)
        carol.wait_for_selector("[data-testid=cell-due]")
        assert "2026年9月" in carol.inner_text("[data-testid=cell]")
        shot(carol, "meetings-06-heatmap")
