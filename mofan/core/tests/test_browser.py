"""Browser walk-through with Playwright driving Debian's chromium (never a downloaded browser).

Run with `make test-browser`; screenshots land in $MOFAN_SCREENSHOTS (default: screenshots/).
"""

import pytest

from conftest import shot as _shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_branch_secretary_walks_tree_member_and_is_refused_another_branch(
    world, live_server, browser
):
    from conftest import PASSWORD

    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    _shot(page, "01-login")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert "第一党支部" in page.inner_text("[data-testid=scope-indicator]")

    page.click("text=组织架构")
    page.wait_for_selector("[data-testid=org-tree]")
    assert page.locator("text=第一党支部").first.is_visible()
    page.click(f"#org-{world.branch_a.pk} .tree-toggle")
    page.wait_for_selector("text=第一党支部第一党小组")
    _shot(page, "02-org-tree")
    assert page.locator("text=第二党支部").count() == 0

    page.goto(f"{live_server.url}/orgs/roster/")
    page.click("text=李四")
    page.wait_for_selector("[data-testid=person-info]")
    assert "110***********" in page.inner_text("[data-testid=person-info]")
    _shot(page, "03-member-own-branch")

    response = page.goto(f"{live_server.url}/orgs/people/{world.bob_p.pk}/")
    assert response.status == 404
    assert page.inner_text("[data-testid=not-found]") == "未找到该记录"
    _shot(page, "04-other-branch-not-found")

    phone = browser.new_page(viewport={"width": 375, "height": 740}, locale="zh-CN", is_mobile=True)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(f"{live_server.url}/orgs/roster/")
    phone.wait_for_selector("[data-testid=roster-table]")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page wider than a phone screen: {width}px"
    _shot(phone, "05-roster-phone")
