"""层层分解 in the browser (issue 11): a supervisor assigns an item to a department; the
department's leader splits it from a pasted paragraph into three sub-items for two divisions and
hands them out; a division head on a phone accepts and reports; the upper supervisor's board and
item page show the rolled-up light; the item cannot be closed out while a sub-item is open, then
can. Screenshots of each page."""

from datetime import date

import pytest
from time_machine import travel

from conftest import browser_login, make_member, make_user, open_picker, shot
from mofan.access.roles import Role
from mofan.ledger import services
from mofan.ledger.choices import LedgerKind
from mofan.ledger.models import Item
from mofan.ledger.tests.test_browser import _step
from mofan.ledger.tests.test_cascade import _evidence, finish
from mofan.orgs import services as orgs
from mofan.orgs.choices import UnitKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASTED = (
    "一是由干部处牵头，于11月20日前修订干部选拔任用工作办法；"
    "二是干部处负责在12月10日前完成干部档案专项审核；"
    "三是人才处于年底前制定高层次人才引进办法。"
)
DESK = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _pick_and_leave(page, select, typed, name):
    """Type the initials in the picker, take the match with Enter, and click the row's heading
    to leave it: the picker offers its next list while it has the focus. The list shows only
    what the server matched for the words typed — not the people it offered on focus, one of
    whom Enter would otherwise take."""
    wrapper = page.locator(select).locator(
        "xpath=following-sibling::div[contains(@class,'ts-wrapper')][1]"
    )
    open_picker(wrapper)
    page.wait_for_load_state("networkidle")  # the list offered on focus
    # Wait for the server's answer to the words typed: the person may already be in the list
    # offered on focus, and the search fires only after the picker's throttle.
    with page.expect_response(lambda response: f"q={typed}" in response.url):
        wrapper.locator("input").first.fill(typed)
    wrapper.locator(".ts-dropdown .option", has_text=name).first.wait_for()
    page.wait_for_load_state("networkidle")
    offered = wrapper.locator(".ts-dropdown .option").all_inner_texts()
    assert offered and all(name in text for text in offered), offered
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    page.locator(select).locator("xpath=ancestor::div[@data-formset-row]").locator(
        ".card-header"
    ).click()
    page.wait_for_load_state("networkidle")
    assert not wrapper.locator(".ts-dropdown").is_visible()
    assert name in wrapper.locator(".ts-control").inner_text()


def test_a_department_splits_an_item_and_the_supervisor_follows_it(
    world, live_server, browser, tmp_path
):
    w = world
    cadre = orgs.create_unit(
        actor=None, parent=w.unit_b, kind=UnitKind.DIVISION, code="UB1", name="干部处"
    )
    talent = orgs.create_unit(
        actor=None, parent=w.unit_b, kind=UnitKind.DIVISION, code="UB2", name="人才处"
    )
    gan_p = make_member("甘处长", cadre, w.branch_b)
    cai_p = make_member("蔡科员", cadre, w.branch_b)
    ren_p = make_member("任处长", talent, w.branch_b)
    gan = make_user("gan", gan_p, (Role.LEADER, cadre))
    cai = make_user("cai", cai_p, (Role.MEMBER, w.branch_b))
    ren = make_user("ren", ren_p, (Role.MEMBER, w.branch_b))
    url = live_server.url
    with travel("2026-11-02 09:00:00+08:00", tick=True) as clock:
        ledger = services.create_ledger(
            actor=w.sam, name="2026年党组重点工作台账", kind=LedgerKind.GENERAL, year=2026,
            unit=w.unit_root,
        )  # fmt: skip
        parent = services.add_item(
            ledger, actor=w.sam, content="完善干部人才工作制度体系", lead_unit=w.unit_b,
            deadline=date(2026, 12, 31), owners=[w.una_p],
        )  # fmt: skip
        item_url = f"{url}/ledger/items/{parent.pk}/"

        # The supervisor hands it to 人事司.
        sam = browser_login(browser, url, "sam", **DESK)
        sam.goto(item_url)
        _step(sam, "assign")
        assert sam.inner_text("[data-testid=item-state]") == "已交办"

        # 人事司's leader splits it from the paragraph of the division of work.
        una = browser_login(browser, url, "una", **DESK)
        una.goto(item_url)
        una.click("[data-testid=split]")
        una.fill("#id_text", PASTED)
        una.click("button:has-text('识别子事项')")
        una.wait_for_selector("[data-testid=split-note]")
        assert "识别出 3 项子事项" in una.inner_text("[data-testid=split-note]")
        for row, (typed, name) in enumerate(
            (("gcz", "甘处长"), ("cky", "蔡科员"), ("rcz", "任处长"))
        ):
            _pick_and_leave(una, f"#id_form-{row}-owners", typed, name)
        shot(una, "cascade-01-split-rows")
        una.click("button:has-text('保存并交办')")
        una.wait_for_selector("text=已分解为 3 项子事项（1.1、1.2、1.3）并交办。")
        children = una.inner_text("[data-testid=children]")
        assert "干部处" in children and "人才处" in children and "已交办" in children
        shot(una, "cascade-02-parent-with-parts")

        # The head of 干部处, on a phone: accepts 1.1 and reports.
        phone = browser_login(browser, url, "gan", **PHONE)
        phone.goto(f"{url}/ledger/mine/")
        phone.click("text=修订干部选拔任用工作办法")
        phone.wait_for_selector("[data-testid=item-content]")
        _step(phone, "accept")
        phone.fill("#id_text", "已形成修订稿，正在征求各处室意见。")
        phone.fill("#id_percent", "50")
        phone.click("[data-testid=report-form] button[type=submit]")
        phone.wait_for_load_state()
        assert phone.inner_text("[data-testid=item-state]") == "办理中"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        shot(phone, "cascade-03-division-head-phone")

        # 20 November passes without 1.1 done: it is red, and so is the item above it.
        clock.move_to("2026-11-24 09:00:00+08:00")  # (the idle sessions have ended: sign in again)
        sam = browser_login(browser, url, "sam", **DESK)
        una = browser_login(browser, url, "una", **DESK)
        sam.goto(f"{url}/ledger/board/")
        sam.wait_for_load_state()
        assert "人事司" in sam.inner_text("body")
        shot(sam, "cascade-04-board")
        sam.goto(item_url)
        assert "红灯" in sam.inner_text(".page-header, h2")
        assert sam.inner_text("[data-testid=light-from-children]") == "（子事项 1.1 已超期）"
        assert "红灯" in sam.locator("[data-testid=children] a").first.inner_text()
        assert sam.locator("[data-testid=split]").count() == 0  # not his to split
        shot(sam, "cascade-05-rolled-up-light")

        # The owner asks to close the item while its parts are open: refused, so the
        # supervisor has nothing to close out.
        una.goto(item_url)
        for name in ("accept", "start"):
            _step(una, name)
        evidence = tmp_path / "制度汇编.pdf"
        evidence.write_bytes(b"%PDF-1.4 rules")
        una.set_input_files("[data-testid=evidence-upload] input[name=file]", str(evidence))
        una.click("[data-testid=evidence-upload] button")
        una.wait_for_load_state()
        _step(una, "submit_done", comment="各处室正在落实。")
        assert (
            "尚有 3 项子事项未销号（1.1、1.2、1.3），须全部销号后才能申请办结。"
            in una.inner_text("body")
        )
        assert una.inner_text("[data-testid=item-state]") == "办理中"
        shot(una, "cascade-06-parent-refused")

        # Once the divisions' work is closed out by 人事司, the item closes.
        owners = {gan_p.pk: gan, cai_p.pk: cai, ren_p.pk: ren}
        for child in Item.objects.filter(parent=parent).order_by("sort_key"):
            if child.number == "1.1":  # in progress since its report
                _evidence(child, gan)
                services.transition(child, "submit_done", actor=gan, comment="已印发。")
                services.transition(child, "close_out", actor=w.una, evaluation="good")
            else:
                finish(child, owners[child.owners.get().pk], w.una)
        una.goto(item_url)
        _step(una, "submit_done", comment="各处室已全部落实。")
        sam.goto(item_url)
        assert "共 3 项，已销号 3 项" in sam.inner_text("[data-testid=children-summary]")
        _step(sam, "close_out", evaluation="good")
        assert sam.inner_text("[data-testid=item-state]") == "已销号"
        shot(sam, "cascade-07-parent-closed")
