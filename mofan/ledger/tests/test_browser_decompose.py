"""Browser walk-through of 任务分解 (make test-browser): the supervisor uploads a Word file in a
ledger, reviews the items found beside the text, rejects one, fixes a deadline, creates the rest
in the ledger, opens one item and follows its link back to the paragraph it came from."""

from datetime import date

import pytest

from conftest import browser_login, shot
from mofan.docparse.tests.builders import numbered_docx
from mofan.ledger import services
from mofan.ledger.choices import LedgerKind
from mofan.ledger.models import Item, Source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAN = [
    (None, "关于印发《2026年机关党建工作要点》的通知"),
    (None, "各党支部："),
    (None, "现将《2026年机关党建工作要点》印发给你们，请结合实际，认真贯彻落实。"),
    (0, "加强政治建设"),
    (1, "深入学习贯彻党的创新理论"),
    (2, "开展青年理论学习小组“微宣讲”活动，2026年6月底前完成第一轮宣讲。（牵头单位：办公厅）"),
    (2, "建立重大事项请示报告工作台账，按月梳理报告事项。（牵头单位：办公厅；配合单位：人事司）"),
    (0, "加强作风建设"),
    (2, "开展调查研究，三季度末前形成调研报告。（牵头单位：人事司）"),
    (2, "组织党员干部参加网络培训，全年学时不少于50学时。（责任单位：人事司；完成时限：年内）"),
    (0, "工作要求"),
    (None, "各单位要高度重视，细化措施，抓好落实。"),
    (None, "2026年1月15日"),
]


@pytest.fixture
def plan(world, live_server, browser, tmp_path):
    """A ledger of the organ, the work plan as a Word file, and sam signed in at 1366 px."""
    ledger = services.create_ledger(
        actor=world.sam,
        name="2026年机关党建任务台账",
        kind=LedgerKind.GENERAL,
        year=2026,
        unit=world.unit_root,
    )
    document = tmp_path / "工作要点.docx"
    document.write_bytes(numbered_docx(PLAN))
    sam = browser_login(browser, live_server.url, "sam", viewport={"width": 1366, "height": 900})
    return ledger, document, live_server.url, sam


# Resolves once the page has not scrolled for two frames
_SCROLL_AT_REST = """() => new Promise((done) => {
  let last = -1;
  const look = () => {
    if (window.scrollY === last) return done(true);
    last = window.scrollY;
    requestAnimationFrame(() => requestAnimationFrame(look));
  };
  look();
})"""


def test_decompose_a_word_file_into_a_ledger(world, plan):
    ledger, document, url, sam = plan
    sam.goto(f"{url}/ledger/{ledger.pk}/")
    sam.click("text=分解文件")
    sam.set_input_files("#id_file", str(document))
    shot(sam, "decompose-01-upload")
    sam.click("button:has-text('识别条目')")
    sam.wait_for_selector("[data-testid=candidates]")
    cards = sam.locator("[data-testid=candidate]")
    assert cards.count() == 4
    texts = [t.strip() for t in sam.locator("[data-testid=candidate-text]").all_inner_texts()]
    assert texts[0] == "开展青年理论学习小组“微宣讲”活动，2026年6月底前完成第一轮宣讲。"
    assert sam.locator("[data-testid=source-text] .source-mark").count() == 4
    assert "办公厅" in cards.nth(0).locator("[data-testid=candidate-lead]").inner_text()
    shot(sam, "decompose-02-review")

    # reject the training item (a standing requirement, not for this ledger)
    training = cards.nth(3)
    training.locator("button:has-text('排除')").click()
    sam.wait_for_selector("#candidate-counts:has-text('已排除 1')")
    assert cards.nth(3).get_attribute("data-status") == "rejected"

    # fix the research item's deadline, which the office moved to the end of October
    research = cards.nth(2)
    research.locator("summary:has-text('修改内容')").click()
    # a unit that is not in the unit tree is refused, with the reason shown in the card
    lead = research.locator("input[name=lead_unit]").input_value()
    research.locator("input[name=lead_unit]").fill("不存在的办公室")
    research.locator("button:has-text('保存并接受')").click()
    error = cards.nth(2).locator("[data-testid=candidate-error]")
    error.wait_for()
    assert "不在单位库中" in error.inner_text()
    research = cards.nth(2)
    if not research.locator("input[name=deadline]").is_visible():
        research.locator("summary:has-text('修改内容')").click()
    research.locator("input[name=lead_unit]").fill(lead)
    research.locator("input[name=deadline]").fill("2026-10-31")
    research.locator("input[name=deadline_text]").fill("10月底前")
    research.locator("button:has-text('保存并接受')").click()
    sam.wait_for_selector("#candidate-counts:has-text('已接受 1')")
    assert "2026年10月31日" in cards.nth(2).locator("[data-testid=candidate-deadline]").inner_text()

    sam.click("button:has-text('接受全部待审核')")
    sam.wait_for_selector("[data-testid=accepted-count]:text-is('3')")
    shot(sam, "decompose-03-reviewed")
    sam.click("[data-testid=commit-form] button[type=submit]")
    sam.wait_for_selector("[data-testid=source-items]")
    assert "已生成 3 项督办事项" in sam.inner_text(".alert-success")
    shot(sam, "decompose-04-created")

    source = Source.objects.get(ledger=ledger)
    items = list(Item.objects.filter(source=source).order_by("sort_key"))
    assert [i.deadline for i in items] == [date(2026, 6, 30), None, date(2026, 10, 31)]
    assert items[0].lead_unit == world.unit_a and list(items[1].co_units.all()) == [world.unit_b]

    sam.click(f"[data-testid=source-items] a:has-text('{items[2].content[:10]}')")
    sam.wait_for_selector("[data-testid=source-paragraph-link]")
    sam.click("[data-testid=source-paragraph-link]")
    sam.wait_for_selector("[data-testid=linked-span]")
    assert sam.inner_text("[data-testid=linked-span]") == items[2].content
    anchor = sam.evaluate("location.hash")
    assert anchor == f"#p-{items[2].source_paragraph}"
    assert sam.locator(f"{anchor}.is-linked").count() == 1
    shot(sam, "decompose-05-paragraph")


def test_review_a_decomposition_from_the_keyboard(plan):
    """J/K move, A accepts, X rejects, E opens the edit form and Esc closes it; after a decision
    the next candidate is chosen, and the chosen one's paragraph is marked in the text."""
    ledger, document, url, sam = plan
    sam.goto(f"{url}/ledger/{ledger.pk}/decompose/")
    sam.set_input_files("#id_file", str(document))
    sam.click("button:has-text('识别条目')")
    sam.wait_for_selector("[data-testid=candidates]")
    cards = sam.locator("[data-testid=candidate]")
    count = cards.count()
    assert count >= 3

    sam.keyboard.press("j")
    assert "candidate-current" in cards.nth(0).get_attribute("class")
    assert sam.locator(".source-current").count() == 1
    # the candidate's own words are marked, not the candidates beside it in the paragraph
    current = sam.locator(".source-mark-current")
    assert current.count() == 1
    assert current.get_attribute("href").endswith("#" + cards.nth(0).get_attribute("id"))
    sam.keyboard.press("a")
    sam.wait_for_selector("#candidate-counts:has-text('已接受 1')")
    assert cards.nth(0).get_attribute("data-status") == "accepted"
    sam.wait_for_selector("[data-testid=candidate]:nth-child(2).candidate-current")
    # the document's mark of the accepted candidate takes its new status without a reload
    first_mark = sam.locator("[data-testid=source-text] .source-mark").first
    assert "status-accepted" in first_mark.get_attribute("class")
    sam.keyboard.press("x")
    sam.wait_for_selector("#candidate-counts:has-text('已排除 1')")
    assert cards.nth(1).get_attribute("data-status") == "rejected"
    sam.wait_for_selector("[data-testid=candidate]:nth-child(3).candidate-current")
    sam.keyboard.press("k")
    sam.keyboard.press("j")
    assert "candidate-current" in cards.nth(2).get_attribute("class")
    sam.keyboard.press("e")
    textarea = cards.nth(2).locator("textarea[name=text]")
    assert textarea.is_visible()
    assert sam.evaluate("document.activeElement.name") == "text"
    saved = textarea.input_value()
    sam.keyboard.press("a")  # typed into the form, at the end of the text, not a decision
    assert cards.nth(2).get_attribute("data-status") == "pending"
    assert textarea.input_value() == saved + "a"
    sam.keyboard.press("Escape")
    assert not textarea.is_visible()
    sam.keyboard.press("e")  # what was typed and not saved is gone
    assert textarea.input_value() == saved
    sam.keyboard.press("Escape")
    shot(sam, "decompose-06-keyboard")

    # past the last candidate the page says what is left and leads on to 生成督办事项
    for _ in range(count):
        sam.keyboard.press("j")
    sam.keyboard.press("j")
    end = sam.locator("[data-testid=review-end]")
    end.wait_for()
    assert f"还有 {count - 2} 个待审核条目" in end.inner_text()
    assert sam.locator("[data-testid=commit-form]").is_visible()
    # a save with Enter leaves the focus on the card, so the keys go on working
    sam.keyboard.press("k")
    sam.keyboard.press("e")
    cards.nth(count - 2).locator("input[name=deadline_text]").focus()
    sam.keyboard.press("Enter")
    sam.wait_for_selector(f"#{cards.nth(count - 2).get_attribute('id')}:focus")
    shot(sam, "decompose-07-end")


def test_a_paste_too_large_is_stopped_in_the_browser_and_kept(plan):
    ledger, _, url, sam = plan
    sam.goto(f"{url}/ledger/{ledger.pk}/decompose/")
    limit = int(sam.locator("form[data-max-bytes]").get_attribute("data-max-bytes"))
    # more than the server reads in one form: typed in by script, as a paste would put it there
    sam.evaluate(
        "n => { document.querySelector('#id_pasted').value = '开展检查。'.repeat(n); }",
        limit // 15 + 1000,
    )
    sam.click("button:has-text('识别条目')")
    notice = sam.locator("[data-testid=paste-too-large]")
    notice.wait_for()
    assert "请改为上传文件" in notice.inner_text()
    assert sam.url.endswith("/decompose/")  # nothing was sent
    assert len(sam.locator("#id_pasted").input_value()) == 5 * (limit // 15 + 1000)
    shot(sam, "decompose-08-paste-too-large")


def test_on_a_phone_the_candidates_come_first_and_lead_back_from_the_text(
    plan, browser, live_server
):
    ledger, document, url, sam = plan
    sam.goto(f"{url}/ledger/{ledger.pk}/decompose/")
    sam.set_input_files("#id_file", str(document))
    sam.click("button:has-text('识别条目')")
    sam.wait_for_selector("[data-testid=candidates]")
    review = sam.url
    phone = browser_login(browser, live_server.url, "sam", viewport={"width": 390, "height": 844})
    phone.goto(review)
    cards = phone.locator("[data-testid=candidate]")
    text = phone.locator("[data-testid=source-text]")
    assert cards.first.bounding_box()["y"] < text.bounding_box()["y"]  # the work first
    third = cards.nth(2)
    third.locator(".candidate-locate").click()
    back = phone.locator("[data-testid=back-to-card]")
    back.wait_for()
    assert back.inner_text() == "返回条目 3"
    assert phone.evaluate("location.hash").startswith("#p-")  # gone to its paragraph
    back.click()
    phone.wait_for_selector(f"#{third.get_attribute('id')}.candidate-current")
    # the page scrolls smoothly (Bootstrap's scroll-behavior): read the card where it comes to rest
    phone.evaluate(_SCROLL_AT_REST)
    box = third.bounding_box()
    assert 0 <= box["y"] < 844  # back in view
    assert not back.is_visible()
    shot(phone, "decompose-09-phone")
