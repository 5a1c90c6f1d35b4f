"""Browser walk-through of the 述职报告 and a 创建 evaluation (make test-browser): a branch
secretary finds the 述职 waiting for her report on the 考核评价 page, writes it and downloads the
data sheet the system generates; the organ committee's admin makes a "四强"党支部 evaluation from a
published round, the recommended branch applies with its material, the admin closes, approves
and publishes, and the branch sees itself on the published list."""

from datetime import date

import pytest
from time_machine import travel

from conftest import browser_login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_secretary_writes_her_report_and_gets_the_data_sheet(assess_world, live_server, browser):
    from mofan.assessment import debriefs
    from mofan.orgs.models import Position

    w, url = assess_world, live_server.url
    with travel("2026-11-20 09:00:00+08:00", tick=True):
        Position.objects.create(person=w.alice_p, org=w.branch_a, title="secretary",
                                started_on=date(2024, 1, 1))  # fmt: skip
        debrief = debriefs.create_debrief(
            actor=w.carol, org=w.organ, year=2026, title="2026年度党支部书记抓党建工作述职评议",
            held_on=date(2026, 11, 25), voters=5,
        )  # fmt: skip
        debriefs.add_debriefer(debrief, actor=w.carol, org=w.branch_a, person=w.alice_p)
        alice = browser_login(browser, url, "alice", **PHONE)
        alice.goto(f"{url}/assessment/")
        assert "请提交述职报告" in alice.inner_text("[data-testid=reporting]")
        alice.locator("[data-testid=reporting] a").first.click()
        # The figures come from the records: the September talk with 张三, of 2 members.
        assert "本年参加谈心谈话1人" in alice.inner_text("[data-testid=figures]")
        alice.click("[data-testid=submit-report]")  # empty: told what is missing
        assert "请填写述职报告或上传述职报告文件" in alice.inner_text("[data-testid=error]")
        alice.fill("#id_text", "一年来，支部坚持把政治建设摆在首位，按时开展“三会一课”。")
        shot(alice, "report-1-writing-on-phone")
        alice.click("[data-testid=submit-report]")
        assert "述职报告已提交" in alice.inner_text(".alert-success")
        with alice.expect_download() as download:
            alice.click("[data-testid=sheet]")
        assert download.value.suggested_filename == "第一党支部述职数据表.docx"
        shot(alice, "report-2-submitted")
        carol = browser_login(browser, url, "carol", **DESK)
        carol.goto(f"{url}/assessment/debriefs/{debrief.pk}/")
        assert "述职人（1人，已提交述职报告1人）" in carol.content()
        carol.click("[data-testid=report-link]")
        # The organ's admin keeps the branch's records too: she may correct it for the branch.
        assert "支部坚持把政治建设摆在首位" in carol.input_value("#id_text")
        shot(carol, "report-3-organiser-reads")


def test_a_strong_branch_evaluation_from_the_rounds_result(running, live_server, browser):
    from mofan.assessment import services
    from mofan.assessment.models import Award, Score

    w, url = running, live_server.url
    with travel("2026-11-20 09:00:00+08:00", tick=True):
        services.start_scoring(w.round, actor=w.carol)
        for target, points in ((w.a, "40"), (w.b, "20")):
            score = Score.objects.get(target=target, indicator=w.s.duty)
            services.score_indicator(score, actor=w.sam, points=points, comment="依据自评材料评定")
        services.publish(w.round, actor=w.carol)
        carol = browser_login(browser, url, "carol", **DESK)
        carol.goto(f"{url}/assessment/")
        carol.click("[data-testid=award-new]")
        carol.fill("#id_title", "2026年度“四强”党支部评选")
        carol.fill("#id_min_total", "0")
        carol.fill("#id_places", "1")
        carol.fill("#id_apply_due_on", "2026-11-30")
        carol.fill("#id_basis", "依据2026年度党支部党建工作考核结果，按总分排序推荐。")
        shot(carol, "award-1-new")
        carol.click("[data-testid=award-form] button[type=submit]")
        assert "已生成推荐名单（2个组织）" in carol.inner_text(".alert-success")
        award = Award.objects.get()
        names = carol.locator("[data-testid=candidate] strong").all_inner_texts()
        assert names == ["第一党支部", "第二党支部"]  # the round's result, best first

        alice = browser_login(browser, url, "alice", **PHONE)
        alice.goto(f"{url}/assessment/awards/{award.pk}/")
        assert alice.locator("[data-testid=candidate]").count() == 1  # her own branch only
        alice.fill(
            "[data-testid=apply-form] textarea", "支部坚持政治引领，党员先锋模范作用发挥突出。"
        )
        alice.click("[data-testid=apply]")
        assert "申报材料已提交" in alice.inner_text(".alert-success")
        shot(alice, "award-2-applied-on-phone")

        carol.goto(f"{url}/assessment/awards/{award.pk}/")
        carol.click("[data-testid=close]")
        assert "申报已截止" in carol.inner_text(".alert-success")
        carol.locator("[data-testid=decide-form]").first.locator("[data-testid=approve]").click()
        assert "已评审：第一党支部" in carol.inner_text(".alert-success")
        carol.click("[data-testid=publish]")
        assert "评选结果已公布" in carol.inner_text(".alert-success")
        decisions = carol.locator("[data-testid=decision]").all_inner_texts()
        assert decisions == ["评审通过", "未通过"]
        shot(carol, "award-3-published")

        alice.goto(f"{url}/assessment/awards/{award.pk}/")
        assert "评审通过" in alice.inner_text("[data-testid=candidates]")
        shot(alice, "award-4-published-on-phone")
