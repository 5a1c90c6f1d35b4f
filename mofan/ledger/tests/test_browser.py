"""Browser walk-through of the closed loop (make test-browser): a supervisor creates a ledger and an
item, the owner on a phone accepts and reports with a file, the supervisor returns it once and then
closes it out; light and timeline show each step."""

import pytest

from conftest import browser_login, pick, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _step(page, name, comment=None, evaluation=None):
    form = page.locator(f"[data-testid=step-{name}]")
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    if evaluation:
        form.locator("select[name=evaluation]").select_option(evaluation)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_closed_loop_in_the_browser(world, live_server, browser, tmp_path):
    url = live_server.url
    sam = browser_login(browser, url, "sam", viewport={"width": 1280, "height": 900})
    sam.goto(f"{url}/ledger/")
    sam.fill("#id_name", "2026年中央文件落实台账")
    pick(sam, "#id_unit", "csb", "测试部")  # by pinyin initials
    sam.click("button:has-text('新建')")
    sam.wait_for_selector("text=新增督办事项")
    shot(sam, "ledger-01-new-ledger")
    sam.click("text=新增督办事项")
    sam.fill("#id_content", "制定贯彻落实方案并报送落实情况")
    pick(sam, "#id_lead_unit", "办公", "办公厅")
    pick(sam, "#id_owners", "ls", "李四")
    chosen = sam.eval_on_selector("#id_owners", "s => [...s.selectedOptions].map(o => o.value)")
    assert chosen == [str(world.amy_p.pk)]
    shot(sam, "ledger-01b-item-form-by-name")
    sam.fill("#id_workdays", "15")
    sam.click("button:has-text('保存')")
    sam.wait_for_selector("[data-testid=item-content]")
    item_url = sam.url
    _step(sam, "assign")
    assert sam.inner_text("[data-testid=item-state]") == "已交办"
    shot(sam, "ledger-02-assigned")

    amy = browser_login(browser, url, "amy", viewport={"width": 375, "height": 740}, is_mobile=True)
    amy.goto(f"{url}/ledger/mine/")
    amy.click("text=制定贯彻落实方案并报送落实情况")
    amy.wait_for_selector("[data-testid=item-content]")
    _step(amy, "accept")
    assert amy.inner_text("[data-testid=item-state]") == "已签收"
    evidence = tmp_path / "落实方案.pdf"
    evidence.write_bytes(b"%PDF-1.4 plan")
    amy.fill("#id_text", "方案已起草，正在征求意见。")
    amy.fill("#id_percent", "60")
    amy.set_input_files("#id_file", str(evidence))
    amy.click("[data-testid=report-form] button[type=submit]")
    amy.wait_for_load_state()
    assert amy.inner_text("[data-testid=item-state]") == "办理中"
    # 申请办结 says what it needs, and takes the evidence in the same card.
    assert "尚未上传佐证材料" in amy.inner_text("[data-testid=done-needs]")
    assert amy.locator("[data-testid=step-submit_done] button").is_disabled()
    amy.set_input_files("[data-testid=evidence-upload] input[name=file]", str(evidence))
    amy.click("[data-testid=evidence-upload] button")
    amy.wait_for_load_state()
    assert "已上传 1 份" in amy.inner_text("[data-testid=done-needs]")
    _step(amy, "submit_done", comment="方案已印发。")
    assert amy.inner_text("[data-testid=item-state]") == "申请办结"
    assert amy.evaluate("document.documentElement.scrollWidth") <= 375
    shot(amy, "ledger-03-owner-phone")

    sam.goto(item_url)
    _step(sam, "return", comment="请补充征求意见情况。")
    assert sam.inner_text("[data-testid=item-state]") == "已退回，重新办理"
    amy.goto(f"{url}/ledger/mine/")
    assert "已退回" in amy.inner_text("[data-testid=my-tasks]")
    amy.goto(item_url)
    assert "请补充征求意见情况" in amy.inner_text("[data-testid=returned]")
    shot(amy, "ledger-03b-returned-phone")
    _step(amy, "submit_done", comment="已补充。")
    sam.goto(item_url)
    _step(sam, "close_out", evaluation="good")
    assert sam.inner_text("[data-testid=item-state]") == "已销号"
    timeline = sam.inner_text("[data-testid=timeline]")
    for text in (
        "草稿 → 已交办",
        "已交办 → 已签收",
        "已签收 → 办理中",
        "办理中 → 申请办结",
        "申请办结 → 办理中",
        "申请办结 → 已销号",
        "请补充征求意见情况",
    ):
        assert text in timeline
    shot(sam, "ledger-04-closed-out")
    sam.goto(f"{url}/ledger/")
    sam.click("text=2026年中央文件落实台账")
    assert "已销号" in sam.inner_text("[data-testid=items]")
    shot(sam, "ledger-05-table")
