"""Browser walk-through of 巡视巡察's first part (make test-browser): the organ committee's
discipline officer starts a round, forms a team, is refused a target its 组长 must stand aside
from and takes another, stations the team, records two findings and downloads the 进驻公告; the
organ's org admin finds none of those pages."""

import pytest
from time_machine import travel

from conftest import browser_login, pick, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"viewport": {"width": 1366, "height": 900}}


def test_a_discipline_officer_runs_a_round_to_its_findings(world, live_server, browser):
    from conftest import make_person, make_user
    from mofan.access.roles import Role
    from mofan.inspection.models import Finding, Round
    from mofan.orgs.models import PartyOrg

    w, url = world, live_server.url
    with travel("2026-11-20 09:00:00+08:00", tick=True):
        PartyOrg.objects.filter(pk=w.branch_a.pk).update(unit=w.unit_a)
        PartyOrg.objects.filter(pk=w.branch_b.pk).update(unit=w.unit_b)
        make_user("qian", make_person("钱纪检", w.unit_root), (Role.DISCIPLINE_OFFICER, w.organ))
        qian = browser_login(browser, url, "qian", **DESK)
        qian.goto(f"{url}/inspection/")
        form = qian.locator("[data-testid=round-form]")
        form.locator("#r-title").fill("2026年第一轮巡察")
        form.locator("button[type=submit]").click()
        assert "已建立巡察轮次" in qian.inner_text(".alert-success")
        round_ = Round.objects.get(title="2026年第一轮巡察")
        qian.fill("#team-name", "第一巡察组")
        qian.fill("#team-phone", "010-12345678")
        qian.fill("#team-mailbox", "xuncha1@example.org")
        qian.locator("[data-testid=team-form] button[type=submit]").click()
        team = round_.teams.get()
        pick(qian, f"#m-person-{team.pk}", "李四", "李四")
        qian.select_option(f"#m-role-{team.pk}", "leader")
        qian.locator(f"[data-testid=team-{team.pk}] button[type=submit]").click()
        assert "已将李四编入第一巡察组" in qian.inner_text(".alert-success")
        # 李四 works in 办公厅, where branch A is set up: refused, with the reason.
        pick(qian, "#t-org", "第一", "第一党支部")
        qian.locator("[data-testid=target-form] button[type=submit]").click()
        assert "须回避：李四在办公厅工作" in qian.inner_text(".alert-danger")
        shot(qian, "inspection-1-recusal-refused")
        pick(qian, "#t-org", "第二", "第二党支部")
        qian.locator("[data-testid=target-form] button[type=submit]").click()
        assert "已将第二党支部列为巡察对象" in qian.inner_text(".alert-success")
        qian.click("[data-testid=advance] button")
        assert "已进入进驻阶段" in qian.inner_text(".alert-success")
        shot(qian, "inspection-2-round-stationed")
        qian.click("[data-testid=targets] a")
        for title, facts in (("会风不严", "支部委员会会议多次有委员无故缺席。"),
                             ("公务接待超标准", "2026年5月公务接待三次超出标准。")):  # fmt: skip
            qian.select_option("#f-category", "conduct")
            qian.fill("#f-title", title)
            qian.fill("#f-facts", facts)
            qian.locator("[data-testid=finding-form] button[type=submit]").click()
            assert "已登记问题" in qian.inner_text(".alert-success")
        assert "公务接待三次超出标准" in qian.inner_text("[data-testid=findings]")
        with qian.expect_download() as download:
            qian.click("[data-testid=announcement]")
        assert download.value.suggested_filename == "第一巡察组进驻第二党支部公告.docx"
        shot(qian, "inspection-3-findings")
        assert Finding.objects.count() == 2
        target = round_.targets.get()
        carol = browser_login(browser, url, "carol", **DESK)
        for path in (f"/inspection/rounds/{round_.pk}/", f"/inspection/targets/{target.pk}/"):
            response = carol.goto(f"{url}{path}")
            assert response.status == 404, path
        shot(carol, "inspection-4-org-admin-404")
