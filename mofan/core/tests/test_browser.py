"""Browser walk-through with Playwright driving Debian's chromium (never a downloaded browser).

Run with `make test-browser`; screenshots land in $MOFAN_SCREENSHOTS (default: screenshots/).
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(os.environ.get("MOFAN_SCREENSHOTS", "screenshots"))


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def flushable_audit_table(transactional_db):
    """Live-server tests end with a flush of every table; the audit table's append-only triggers
    would refuse it, so they are lifted at teardown (browser tests run in a pytest run of their own)."""
    yield
    from django.db import connection

    from mofan.audit import dbguard

    dbguard.remove(connection)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_branch_secretary_walks_tree_member_and_is_refused_another_branch(
    flushable_audit_table, world, live_server, browser
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
