"""Browser walk-through of 述职评议 (make test-browser): the organ committee's admin sets up the
vote of its two branch secretaries and prints five slips; five voters open their slips' QR codes
on phones and grade both; a sixth try with a used slip is refused; the organiser's page shows the
count of ballots and no tally until the vote is closed, then the tally of all five."""

from datetime import date

import pytest
import segno
from time_machine import travel

from conftest import browser_login, shot
from mofan.assessment.models import Debrief

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"viewport": {"width": 1366, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
GRADES = [("好", "较好"), ("好", "一般"), ("较好", "一般"), ("好", "差"), ("好", "不了解")]


def test_five_voters_grade_two_secretaries_by_qr_and_the_tally_shows_after_the_close(
    assess_world, live_server, browser
):
    from mofan.orgs.models import Position

    w, url = assess_world, live_server.url
    with travel("2026-11-20 09:00:00+08:00", tick=True):
        for person, org in ((w.alice_p, w.branch_a), (w.bob_p, w.branch_b)):
            Position.objects.create(person=person, org=org, title="secretary",
                                    started_on=date(2024, 1, 1))  # fmt: skip
        carol = browser_login(browser, url, "carol", **DESK)
        carol.goto(f"{url}/assessment/")
        carol.click("[data-testid=debrief-new]")
        carol.fill("#id_title", "2026年度党支部书记抓党建工作述职评议")
        carol.fill("#id_held_on", "2026-11-20")
        carol.fill("#id_voters", "5")
        carol.click("[data-testid=debrief-form] button[type=submit]")
        assert "已新建述职评议" in carol.inner_text(".alert-success")
        for branch in (w.branch_a, w.branch_b):
            carol.select_option("#id_add_org", str(branch.pk))
            carol.click("[data-testid=add-form] button")
        people = carol.inner_text("[data-testid=people]")
        assert "张三" in people and "王五" in people and "书记" in people
        carol.click("[data-testid=open]")
        assert "投票已开始" in carol.inner_text(".alert-success")
        assert "已投0张 / 发出5张" in carol.inner_text("[data-testid=cast]")
        shot(carol, "debrief-1-vote-open")
        carol.click("[data-testid=slips]")
        codes = [
            c.replace(" ", "") for c in carol.locator("[data-testid=slip-code]").all_inner_texts()
        ]
        assert len(codes) == 5
        # Each slip's QR code is the code's ballot address, as the phone's camera reads it.
        for slip, code in zip(carol.locator(".slip-qr path").all(), codes, strict=True):
            expected = segno.make(f"{url}/v/{code}/", error="m").svg_inline(
                scale=3, border=1, omitsize=True
            )
            assert f'd="{slip.get_attribute("d")}"' in expected
        shot(carol, "debrief-2-slips")

        debrief = Debrief.objects.get()
        for n, (code, grades) in enumerate(zip(codes, GRADES, strict=True)):
            phone = browser.new_context(locale="zh-CN", **PHONE).new_page()  # no account
            phone.goto(f"{url}/v/{code}/")
            if n == 0:
                phone.click("[data-testid=cast]")  # nothing chosen: told what is missing
                assert "尚未评议：张三、王五" in phone.inner_text("[data-testid=error]")
                shot(phone, "debrief-3-ballot-incomplete")
            for person, grade in zip(phone.locator("[data-testid=ballot-person]").all(), grades,
                                     strict=True):  # fmt: skip
                person.locator("label", has_text=grade).first.click()
            if n == 0:
                shot(phone, "debrief-4-ballot-on-phone")
            phone.click("[data-testid=cast]")
            assert "投票成功" in phone.inner_text("[data-testid=ballot-done]")
            if n == 0:
                shot(phone, "debrief-5-ballot-cast")
                phone.goto(f"{url}/v/{code}/")  # the same slip again
                assert "已经投过" in phone.inner_text("[data-testid=error]")
            phone.context.close()

        carol.goto(f"{url}/assessment/debriefs/{debrief.pk}/")
        assert "已投5张 / 发出5张" in carol.inner_text("[data-testid=cast]")
        assert carol.locator("[data-testid=tally]").count() == 0  # nothing before the close
        carol.click("[data-testid=close]")
        rows = [[cell.strip() for cell in row.split("\t")]
                for row in carol.locator("[data-testid=tally] tbody tr").all_inner_texts()]  # fmt: skip
        # 张三: 好 4, 较好 1 → 96; 王五: 较好 1, 一般 2, 差 1, 不了解 1 → (80 + 120) / 4 = 50,
        # and 1 差 of the 4 who graded him is 25 %, above the line of 20 %: to be talked with.
        assert rows[0] == ["张三\n书记", "第一党支部", "4", "1", "0", "0", "0", "100%", "0%", "96",
                           "好"]  # fmt: skip
        assert rows[1] == ["王五\n书记", "第二党支部", "0", "1", "2", "1", "1", "25%", "25%", "50",
                           "差 约谈"]  # fmt: skip
        assert "列为约谈对象：王五（第二党支部）" in carol.inner_text("[data-testid=flagged-list]")
        shot(carol, "debrief-6-tally")
        carol.click("[data-testid=publish]")
        assert "评议结果已公布" in carol.inner_text(".alert-success")
        alice = browser_login(browser, url, "alice", **PHONE)
        alice.goto(f"{url}/assessment/debriefs/{debrief.pk}/")
        mine = alice.inner_text("[data-testid=tally]")
        assert "张三" in mine and "王五" not in mine
        shot(alice, "debrief-7-own-result-on-phone")
