"""Browser walk-through of issue 13 from the feedback on (make test-browser): the organ
committee's discipline officer takes a stationed round with two findings to 反馈 and hands it
over; the target's secretary finds the ledger with the findings and a measure is closed; the
evaluation marks the other finding 未到位 and it reopens; the closed one is handed to discipline
as a lead, the collective review picks 谈话函询 (函询), the reply is recorded and the result is
classified as 第一种形态; the organ's org admin, outside the discipline roles, gets 404 on each
of those pages. Screenshots of each page in screenshots/."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from time_machine import travel

from conftest import browser_login, pick, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"viewport": {"width": 1366, "height": 900}}


def _advance(page, to: str) -> None:
    page.click("[data-testid=advance] button")
    assert f"已进入{to}阶段" in page.inner_text(".alert-success")


def test_feedback_to_rectification_to_a_lead_in_the_first_form(world, live_server, browser):
    from conftest import make_member, make_user
    from mofan.access.roles import Role
    from mofan.discipline.models import Lead
    from mofan.inspection import services
    from mofan.inspection.models import Rectification
    from mofan.ledger import services as ledgers
    from mofan.ledger.choices import FindingState
    from mofan.orgs.models import PartyOrg

    w, url = world, live_server.url
    with travel("2026-11-20 09:00:00+08:00", tick=True):
        PartyOrg.objects.filter(pk__in=[w.branch_a.pk]).update(unit=w.unit_a)
        PartyOrg.objects.filter(pk__in=[w.branch_b.pk]).update(unit=w.unit_b)
        w.branch_b.refresh_from_db()
        qian_p = make_member("钱纪检", w.unit_root, w.branch_a)
        qian = make_user("qian", qian_p, (Role.DISCIPLINE_OFFICER, w.organ))
        # A round stationed at branch B (人事司), 李四 of 办公厅 leading its team (the first
        # part's walk covers planning, the team and recording findings).
        round_ = services.create_round(w.organ, actor=qian, kind="regular", year=2026,
                                       title="2026年第一轮巡察")  # fmt: skip
        team = services.add_team(round_, actor=qian, name="第一巡察组", phone="010-12345678")
        services.add_member(team, actor=qian, person=w.amy_p, role="leader")
        target = services.add_target(round_, actor=qian, org=w.branch_b, team=team)
        services.advance(round_, actor=qian)
        first = services.add_finding(target, actor=qian, category="conduct", title="会风不严",
                                     facts="支部委员会会议多次有委员无故缺席。")  # fmt: skip
        second = services.add_finding(target, actor=qian, category="integrity", title="公务接待超标准",
                                      facts="2026年5月公务接待三次超出标准。")  # fmt: skip

        page = browser_login(browser, url, "qian", **DESK)
        page.on("dialog", lambda dialog: dialog.accept())  # 移交整改 and 审核公开 ask first
        page.goto(f"{url}/inspection/rounds/{round_.pk}/")
        for stage in ("了解", "报告", "反馈"):
            _advance(page, stage)
        page.click("[data-testid=hand-over] button")
        assert "已为1个被巡察组织生成整改台账" in page.inner_text(".alert-success")
        rect = Rectification.objects.get()
        shot(page, "inspection-5-handed-over")
        with page.expect_download() as download:
            page.goto(f"{url}/inspection/targets/{target.pk}/")
            page.click("[data-testid=feedback]")
        assert download.value.suggested_filename == "第一巡察组关于巡察第二党支部的反馈意见.docx"

        # 王五, branch B's secretary, is told and finds the ledger with both findings.
        bob = browser_login(browser, url, "bob", **DESK)
        bob.goto(f"{url}/inspection/rectifications/{rect.pk}/")
        problems = bob.inner_text("[data-testid=problems]")
        assert "【作风】会风不严" in problems and "【廉洁】公务接待超标准" in problems
        assert "2026年12月11日前报送" in bob.inner_text("[data-testid=paper-plan]")
        bob.set_input_files("[data-testid=paper-plan] input[type=file]", files=[{
            "name": "整改方案.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 plan"}])  # fmt: skip
        bob.click("[data-testid=paper-plan] button[type=submit]")
        assert "已报送整改方案" in bob.inner_text(".alert-success")
        bob.click("[data-testid=ledger-link]")
        assert "会风不严" in bob.inner_text("body")
        shot(bob, "inspection-6-target-ledger")
        # A measure of the first finding runs the ledger's own workflow to its close-out (the
        # ledger's walk clicks it through); 王五 supervises, 赵六 handles it.
        first.refresh_from_db()
        measure = ledgers.add_measure(first.ledger_finding, actor=w.bob, content="严肃会议纪律，建立考勤制度",
                                      lead_unit=w.unit_b, owners=[w.carol_p], deadline=date(2026, 12, 31))  # fmt: skip
        ledgers.transition(measure, "assign", actor=w.bob)
        ledgers.transition(measure, "accept", actor=w.carol)
        ledgers.transition(measure, "start", actor=w.carol)
        ledgers.attach(measure, actor=w.carol, is_evidence=True,
                       upload=SimpleUploadedFile("考勤制度.pdf", b"%PDF-1.4"))  # fmt: skip
        ledgers.transition(measure, "submit_done", actor=w.carol, comment="已建立考勤制度")
        ledgers.transition(measure, "close_out", actor=w.bob, evaluation="good")
        bob.goto(f"{url}/inspection/rectifications/{rect.pk}/")
        assert bob.inner_text("[data-testid=problem-state-1]") == "已销号"

        # The evaluation: the second finding is short of its rectification, and reopens.
        page.goto(f"{url}/inspection/rounds/{round_.pk}/")
        for stage in ("移交", "整改", "评估"):
            _advance(page, stage)
        page.goto(f"{url}/inspection/targets/{target.pk}/")
        form = page.locator("[data-testid=rate-2]")
        form.locator("select[name=rating]").select_option("not_done")
        form.locator("input[name=evidence]").fill("抽查10月接待清单，仍有超标准接待")
        form.locator("button[type=submit]").click()
        assert "已评定问题2：未到位" in page.inner_text(".alert-success")
        assert page.inner_text("[data-testid=ledger-state-2]") == "回头看后重新整改"
        second.refresh_from_db()
        assert second.ledger_finding.state == FindingState.REOPENED
        shot(page, "inspection-7-evaluated")
        page.goto(f"{url}/inspection/rectifications/{rect.pk}/")
        page.click("[data-testid=draft-disclosure]")
        assert "巡察反馈问题2个，制定整改措施1条" in page.inner_text(
            "[data-testid=disclosure-text]"
        )
        page.click("[data-testid=publish-disclosure]")
        assert "已公开整改进展情况" in page.inner_text(".alert-success")
        shot(page, "inspection-8-disclosure")

        # The first finding becomes a lead; the collective review picks a 函询.
        page.goto(f"{url}/inspection/targets/{target.pk}/")
        lead_form = page.locator("[data-testid=to-lead-1]")
        page.locator(f"#f{first.pk} summary").filter(has_text="移交问题线索").click()
        lead_form.locator("input[name=subject_name]").fill("某委员")
        lead_form.locator("input[name=subject_post]").fill("支部委员")
        lead_form.locator("button[type=submit]").click()
        assert "已将问题1移交为问题线索2026-0001" in page.inner_text(".alert-success")
        lead = Lead.objects.get()
        page.select_option("#r-disp", "talk")
        page.select_option("#r-way", "letter")
        pick(page, "#r-people", "钱", "钱纪检")
        pick(page, "#r-people", "张", "张三")
        page.fill("#r-reason", "经集体排查，问题具体，决定函询。")
        page.locator("[data-testid=review-form] button[type=submit]").click()
        assert "已登记集体排查" in page.inner_text(".alert-success")
        assert page.inner_text("[data-testid=lead-state]") == "谈话函询中"
        step = page.locator("[data-testid=step-form]")
        step.locator("select[name=kind]").select_option("letter_sent")
        step.locator("textarea[name=text]").fill("向本人发出函询通知书。")
        step.locator("button[type=submit]").click()
        assert "2026年12月11日" in page.inner_text("[data-testid=lead-due]")  # 15 working days
        step = page.locator("[data-testid=step-form]")
        step.locator("select[name=kind]").select_option("reply")
        step.locator("textarea[name=text]").fill("本人书面说明，承认多次缺席。")
        step.locator("button[type=submit]").click()
        result = page.locator("[data-testid=conclude-form]")
        result.locator("select[name=measure]").select_option("criticism")
        result.locator("textarea[name=result]").fill("予以批评教育，本人作出书面检讨。")
        result.locator("button[type=submit]").click()
        assert page.inner_text("[data-testid=lead-form-result]") == "第一种形态：批评教育"
        lead.refresh_from_db()
        assert (lead.form, lead.finding_id) == (1, first.pk)
        shot(page, "discipline-1-lead-first-form")
        page.goto(f"{url}/discipline/statistics/?org={w.organ.pk}&year=2026")
        assert "第一种形态" in page.inner_text("[data-testid=statistics]")
        shot(page, "discipline-2-statistics")

        # The organ's org admin holds no discipline role: 404 on each of those pages.
        carol = browser_login(browser, url, "carol", **DESK)
        for path in (f"/inspection/rounds/{round_.pk}/", f"/inspection/targets/{target.pk}/",
                     f"/inspection/rectifications/{rect.pk}/", f"/discipline/leads/{lead.pk}/",
                     f"/discipline/leads/{lead.pk}/record.docx",
                     f"/discipline/statistics/?org={w.organ.pk}"):  # fmt: skip
            response = carol.goto(f"{url}{path}")
            assert response.status == 404, path
        shot(carol, "discipline-3-org-admin-404")
