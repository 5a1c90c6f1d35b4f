"""Browser walk-through of the leader's dashboard (make test-browser): 测试部's head opens the
dashboard on a phone, reads the overdue count and when it was counted, drills from the red unit
down to its overdue item; the print layout keeps the figures as tables."""

from datetime import date

import pytest
from time_machine import travel

from conftest import browser_login, make_member, make_user, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_a_leader_drills_from_a_red_unit_to_its_overdue_items_on_a_phone(world, live_server,
                                                                       browser):  # fmt: skip
    from mofan.access.roles import Role
    from mofan.ledger import services as ledger

    w, url = world, live_server.url
    with travel("2026-12-03 09:00:00+08:00", tick=True):
        make_user("head", make_member("郑十", w.unit_root, w.branch_b), (Role.LEADER, w.unit_root))
        book = ledger.create_ledger(actor=w.sam, name="2026年重点工作台账", kind="general",
                                    year=2026, unit=w.unit_root)  # fmt: skip
        late = ledger.add_item(book, actor=w.sam, content="修订机关党建工作制度汇编",
                               lead_unit=w.unit_a, deadline=date(2026, 11, 30), owners=[w.amy_p])  # fmt: skip
        ledger.add_item(book, actor=w.sam, content="开展年度述职评议", lead_unit=w.unit_b,
                        deadline=date(2026, 12, 25), owners=[w.bob_p])  # fmt: skip
        for item in book.items.all():
            ledger.transition(item, "assign", actor=w.sam)

        head = browser_login(browser, url, "head", **PHONE)
        head.goto(f"{url}/cockpit/")
        assert "统计于2026年12月3日" in head.inner_text("[data-testid=as-of]")
        assert head.inner_text("[data-testid=card-red] .h1").strip() == "1"
        rows = head.locator("[data-testid=units] tbody tr").all_inner_texts()
        assert rows[0].startswith("办公厅")  # the red unit first
        head.wait_for_function("document.querySelector('#cockpit-trend canvas') !== null")
        shot(head, "cockpit-1-phone")
        head.click("[data-testid=unit-red]")
        head.wait_for_url("**/ledger/items/**")
        listed = head.inner_text("main, .page-body")
        assert late.content in listed and "开展年度述职评议" not in listed
        shot(head, "cockpit-2-drilled-to-overdue-items")
        head.goto(f"{url}/cockpit/")
        head.emulate_media(media="print")
        assert head.locator("[data-testid=trend]").is_visible()  # the chart's figures, printed
        assert not head.locator("#cockpit-trend").is_visible()
        shot(head, "cockpit-3-print")
