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

    # The menu groups the structure's pages under 组织 (it fits one line at 1366 px).
    page.click("a.dropdown-toggle:has(span:text-is('组织'))")
    page.click(".dropdown-menu >> text=组织架构")
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


def test_the_api_docs_run_under_the_content_security_policy(world, live_server, browser):
    from conftest import browser_login

    page = browser_login(browser, live_server.url, "carol")
    response = page.goto(f"{live_server.url}/api/docs/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=20000)  # its script ran
    # Swagger UI renders the operations near the viewport only (as many as the first tags fill
    # a screen with), so count those: the first tag's operations, each an /api/ path.
    paths = page.locator(".swagger-ui .opblock-summary-path").evaluate_all(
        "nodes => nodes.map(n => n.dataset.path)"
    )
    assert len(paths) > 5 and all(path.startswith("/api/") for path in paths)
    _shot(page, "06-api-docs")


def test_an_inline_script_is_refused_and_reported(world, live_server, browser):
    """The watch every browser test runs under: a script injected into a page is blocked by the
    policy, and the violation is what fails a test."""
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/accounts/login/")
    try:
        page.add_script_tag(content="window.injected = true;")
    except Exception:  # noqa: BLE001, S110  (Playwright may report the refusal itself)
        pass
    page.wait_for_timeout(200)
    assert page.evaluate("window.injected === undefined")
    violations = [p for p in browser.problems if "CSP violation: script-src" in p]
    assert violations, browser.problems
    browser.problems.clear()
