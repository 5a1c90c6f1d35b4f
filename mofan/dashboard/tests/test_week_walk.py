"""A 党建办's week in the browser (issue 10), on the small demo data, as each role: a member on a
phone, a branch secretary, a supervisor, an item owner, an org admin and a leader, with the mouse
and keyboard only. Each page's words are asserted, every page is checked with axe-core (no
serious or critical violation) and photographed; each page's time to first byte is written to
screenshots/walk-timings.json (measured, not asserted: see bench/ for figures)."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import SHOTS, open_picker, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Mofan@2026!"
AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESK = {"viewport": {"width": 1366, "height": 768}}


class Walk:
    def __init__(self, browser, url):
        self.browser, self.url = browser, url
        self.timings: list[dict] = []
        self.violations: list[str] = []

    def login(self, username, locale="zh-CN", **size):
        page = self.browser.new_context(locale=locale, **size).new_page()
        page.goto(f"{self.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", DEMO_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(f"{self.url}/")
        return page

    def look(self, page, name: str, *words: str) -> None:
        """The page says these words; it passes axe; its picture is taken; its timing kept."""
        page.wait_for_load_state()
        text = page.inner_text("body")
        for word in words:
            assert word in text, f"{name}: “{word}” not on {page.url}"
        ttfb = page.evaluate(
            "(() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n ? n.responseStart - n.requestStart : null; })()"
        )
        self.timings.append({"page": name, "url": page.url, "ttfb_ms": ttfb})
        self._axe(page, name)
        shot(page, f"walk-{name}")

    def _axe(self, page, name: str) -> None:
        # axe is injected as an inline script, which the pages' CSP refuses: it runs in a second,
        # unwatched context of the same user with CSP bypassed (CSP has its own tests).
        context = self.browser._browser.new_context(
            bypass_csp=True, locale="zh-CN", viewport=page.viewport_size
        )
        context.add_cookies(page.context.cookies())
        twin = context.new_page()
        twin.goto(page.url)
        twin.add_script_tag(path=str(AXE))
        found = twin.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
            ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ') ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.any[0] ? n.any[0].message : '')).join(' / '))"
        )
        context.close()
        self.violations += [f"{name}: {v}" for v in found]


def test_a_week_in_the_browser_for_every_role(live_server, browser, tmp_path):
    call_command("seed_demo", "--scale", "small", "--quiet")
    walk = Walk(browser, live_server.url)

    # An ordinary member on a phone: home, my tasks, an item, meetings, study hours.
    member = walk.login("dangyuan_a", **PHONE)
    walk.look(member, "member-home", "我的会议", "我的学时", "32 学时")
    member.click(".navbar-toggler")
    member.click("a.dropdown-toggle:has-text('督办')")
    member.click(".dropdown-menu >> text=我的任务")
    walk.look(member, "member-tasks", "我的任务")
    assert member.evaluate("document.documentElement.scrollWidth") <= 390
    member.goto(f"{live_server.url}/meetings/")
    walk.look(member, "member-meetings", "组织生活")
    member.click("[data-testid=help-button]")
    member.wait_for_selector("#page-help.show")
    assert "请假" in member.inner_text("#page-help")

    # A branch secretary: the branch checklist on the home page, then the branch's meetings.
    secretary = walk.login("shuji_a", **DESK)
    walk.look(secretary, "secretary-home", "本期待办", "我的会议")
    secretary.click("[data-testid=home-branch] >> text=组织生活")
    walk.look(secretary, "secretary-org", "安排会议")

    # A supervisor: the board with the 通报, the items of a unit picked by name.
    supervisor = walk.login("duban", **DESK)
    walk.look(supervisor, "supervisor-home", "我督办的事项·按牵头单位")
    supervisor.click("a.dropdown-toggle:has-text('督办')")
    supervisor.click(".dropdown-menu >> text=督办看板")
    walk.look(supervisor, "supervisor-board", "落实情况", "办结率", "生成督查通报（Word）")
    with supervisor.expect_download() as download:
        supervisor.click("[data-testid=circular-docx]")
    assert download.value.suggested_filename.endswith(".docx")
    supervisor.goto(f"{live_server.url}/ledger/items/")
    walk.look(supervisor, "supervisor-items", "督办事项")
    # The header's search box: a unit by its pinyin initials, then on to its page.
    supervisor.fill("input.mofan-search", "bgt")
    supervisor.keyboard.press("Enter")
    supervisor.wait_for_url("**/search/?q=bgt")
    walk.look(supervisor, "supervisor-search", "单位", "办公厅")
    supervisor.click("[data-testid^=search-] a:has-text('办公厅') >> nth=0")
    supervisor.wait_for_load_state()
    assert "办公厅" in supervisor.inner_text("h2, .page-title")

    # An org admin: the roster filtered by an organisation chosen by its pinyin initials.
    admin = walk.login("dangjian", **DESK)
    admin.goto(f"{live_server.url}/orgs/roster/")
    wrapper = admin.locator("#id_org + .ts-wrapper")
    open_picker(wrapper)
    wrapper.locator("input").first.fill("rss")
    wrapper.locator(".ts-dropdown .option", has_text="人事司").first.click()
    admin.wait_for_load_state("networkidle")
    walk.look(admin, "admin-roster", "党员名册", "人事司")
    picked = admin.input_value("#id_org")
    # Dates are picked on a Chinese calendar, as 年-月-日, even in an English-language browser
    # (the native date input would say mm/dd/yyyy there).
    english = walk.login("dangjian", locale="en-US", **DESK)
    english.goto(f"{live_server.url}/orgs/roster/")
    english.click("#id_joined_after")
    calendar = english.locator(".flatpickr-calendar.open")
    weekdays = calendar.locator(".flatpickr-weekday").all_inner_texts()
    assert [w.strip() for w in weekdays][:2] == ["周一", "周二"]
    month = calendar.locator(".flatpickr-monthDropdown-months option:checked").inner_text()
    assert month.endswith("月")
    calendar.locator(".flatpickr-day:not(.prevMonthDay):not(.nextMonthDay)").first.click()
    assert re.fullmatch(r"\d{4}-\d{2}-01", english.input_value("#id_joined_after"))

    # The roster's round trip: 导出为导入表, then that very file imported back changes nobody.
    admin.goto(f"{live_server.url}/orgs/roster/?org={picked}")
    with admin.expect_download() as download:
        admin.click("text=导出为导入表")
    sheet = tmp_path / "roster.xlsx"
    download.value.save_as(sheet)
    admin.click("text=导入名册")
    admin.set_input_files("#id_file", str(sheet))
    admin.click("button:has-text('检查并导入')")
    admin.wait_for_selector("text=已导入：新增 0 名，更新 0 名")
    walk.look(admin, "admin-roster-reimported", "未变")

    # A leader: the ledger lights by unit of the scope.
    leader = walk.login("lingdao", **DESK)
    walk.look(leader, "leader-home", "督办事项·按牵头单位")

    # The 督办联络员 of 办公厅: items handed to the unit wait for an owner.
    liaison = walk.login("lianluo", **DESK)
    liaison.goto(f"{live_server.url}/ledger/mine/")
    walk.look(liaison, "liaison-tasks", "我的任务")

    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "walk-timings.json").write_text(
        json.dumps(walk.timings, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    assert walk.violations == [], "\n".join(walk.violations)


def test_a_task_handed_to_a_unit_named_extended_and_approved(live_server, browser):
    """The liaison names the owner by pinyin initials; the owner, on a phone, asks for a later
    deadline; the supervisor approves; the item keeps both dates."""
    from datetime import timedelta

    from django.utils import timezone

    from mofan.access.models import User
    from mofan.ledger import services as ledger
    from mofan.ledger.models import Item, Ledger
    from mofan.orgs.models import Unit

    call_command("seed_demo", "--scale", "small", "--quiet")
    duban = User.objects.get(username="duban")
    owner = User.objects.get(username="dangyuan_a").person
    first = timezone.localdate() + timedelta(days=30)
    item = ledger.add_item(
        Ledger.objects.filter(supervisors=duban).order_by("pk").first(),
        actor=duban,
        content="修订机关值班制度",
        lead_unit=Unit.objects.get(code="DEMO-U01"),
        deadline=first,
    )
    ledger.transition(item, "assign", actor=duban)
    walk = Walk(browser, live_server.url)

    liaison = walk.login("lianluo", **DESK)
    liaison.goto(f"{live_server.url}/ledger/mine/")
    liaison.click("[data-testid=to-name] >> text=修订机关值班制度")
    walk.look(liaison, "liaison-item", "指定责任人", "尚未指定责任人")
    wrapper = liaison.locator("#id_owners + .ts-wrapper")
    open_picker(wrapper)
    wrapper.locator("input").first.fill(owner.name_initials)
    wrapper.locator(".ts-dropdown .option", has_text=owner.name).first.click()
    liaison.keyboard.press("Escape")
    liaison.wait_for_load_state("networkidle")
    liaison.click("[data-testid=owners-form] button[type=submit]")
    liaison.wait_for_selector("text=已指定责任人")
    assert list(Item.objects.get(pk=item.pk).owners.all()) == [owner]

    phone = walk.login("dangyuan_a", **PHONE)
    phone.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    phone.click("[data-testid=step-accept] button")
    phone.wait_for_selector("[data-testid=extension-form]")
    later = first + timedelta(days=31)
    phone.fill("[data-testid=extension-form] [name=deadline]", later.isoformat())
    phone.fill("[data-testid=extension-form] [name=reason]", "需等待上级制度修订后同步调整")
    phone.click("[data-testid=extension-form] button[type=submit]")
    walk.look(phone, "owner-extension-asked", "延期申请已提交")

    supervisor = walk.login("duban", **DESK)
    supervisor.goto(f"{live_server.url}/ledger/items/{item.pk}/")
    walk.look(supervisor, "supervisor-extension", "延期申请待审批", "需等待上级制度修订后同步调整")
    supervisor.click("[data-testid=extension-decision] button[value=approve]")
    supervisor.wait_for_selector("text=已批准延期")
    walk.look(supervisor, "supervisor-extended", "原定时限")
    item.refresh_from_db()
    assert (item.deadline, item.original_deadline) == (later, first)
    assert walk.violations == [], "\n".join(walk.violations)
