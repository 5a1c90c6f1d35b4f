"""Browser walk-through of 党费 (make test-browser), on 2026年12月2日: the collector of branch A
records a payment on the branch's month (a bad amount refused in Chinese first); the member, on a
phone, sees the month paid and what she still owes; the secretary corrects her base and the
paid months show the difference."""

import pytest
from time_machine import travel

from conftest import browser_login, shot
from mofan.dues.models import DuesPayment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 375, "height": 740}, "is_mobile": True, "has_touch": True}


def test_a_month_of_dues_recorded_seen_by_the_member_and_corrected(
    dues_world, live_server, browser
):
    w, url = dues_world, live_server.url
    with travel("2026-12-02 09:40:00+08:00", tick=True):
        cora = browser_login(browser, url, "cora", viewport={"width": 1366, "height": 900})
        cora.goto(f"{url}/dues/")
        cora.click("[data-testid=keeping-orgs] >> text=第一党支部")
        cora.click("text=上月")
        assert "2026年11月党费" in cora.inner_text("h2")
        row = cora.locator(f"[data-testid=dues-statement] tr[data-person='{w.amy_p.pk}']")
        assert row.locator("input[name=amount]").input_value() == "50.00"
        row.locator("input[name=amount]").fill("五十")
        row.locator("button").click()
        assert "金额须为数字" in cora.inner_text(".alert-danger")
        assert not DuesPayment.objects.exists()
        row = cora.locator(f"[data-testid=dues-statement] tr[data-person='{w.amy_p.pk}']")
        row.locator("input[name=amount]").fill("50.00")
        row.locator("select[name=method]").select_option("transfer")
        row.locator("button").click()
        assert "已登记李四2026年11月党费 50.00 元" in cora.inner_text(".alert-success")
        assert "50.00 元" in cora.inner_text("[data-testid=total-paid]")
        shot(cora, "dues-1-collector-branch-month")

        amy = browser_login(browser, url, "amy", **PHONE)
        amy.goto(f"{url}/dues/")
        november = amy.locator("[data-testid=dues-months] tr[data-month='2026-11']")
        assert "已交" in november.inner_text()
        assert amy.inner_text("[data-testid=monthly-due]") == "50.00 元"
        assert amy.inner_text("[data-testid=arrears]") == "500.00 元"  # January–October
        shot(amy, "dues-2-member-phone")

        alice = browser_login(browser, url, "alice", viewport={"width": 1366, "height": 900})
        alice.goto(f"{url}/dues/members/{w.amy_p.pk}/")
        assert alice.input_value("#id_monthly_income") == "5000.00"
        alice.fill("#id_monthly_income", "6000")
        alice.click("[data-testid=base-form] button")
        assert "已保存2026年1月起的党费计算基数" in alice.inner_text(".alert-success")
        assert "差 40.00 元" in alice.inner_text(
            "[data-testid=dues-months] tr[data-month='2026-11']"
        )
        shot(alice, "dues-3-secretary-corrects-base")
