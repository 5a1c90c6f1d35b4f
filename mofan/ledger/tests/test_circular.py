"""The supervisor board as a 督查通报 generator (issue 10): 办结率, 按期办结率 and overdue items
by lead unit, on the page and as a generated Word 通报 and Excel table; only over what one
supervises."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from django.urls import reverse
from time_machine import travel

from mofan.ledger import circular, services
from mofan.ledger.models import Item

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def year(ledger_world):
    """办公厅: item 1 closed on time, item 2 closed late, item 3 overdue and open.
    人事司: item 4 open, not yet due."""
    w = ledger_world
    specs = [
        (w.item, date(2026, 10, 31), datetime(2026, 10, 20, 10, tzinfo=TZ)),
        (None, date(2026, 10, 31), datetime(2026, 11, 10, 10, tzinfo=TZ)),
        (None, date(2026, 11, 15), None),
    ]
    items = []
    for item, deadline, closed_at in specs:
        if item is None:
            item = services.add_item(
                w.ledger, actor=w.sam, content="落实事项", lead_unit=w.unit_a, owners=[w.amy_p]
            )
        Item.objects.filter(pk=item.pk).update(
            deadline=deadline,
            state="closed" if closed_at else "in_progress",
            closed_at=closed_at,
            assigned_on=date(2026, 9, 1),
        )
        items.append(item)
    other = services.add_item(
        w.ledger, actor=w.sam, content="人事司事项", lead_unit=w.unit_b, owners=[w.bob_p]
    )
    Item.objects.filter(pk=other.pk).update(
        deadline=date(2026, 12, 31), state="in_progress", assigned_on=date(2026, 9, 1)
    )
    services.add_item(w.ledger, actor=w.sam, content="草稿不计")  # a draft: not handed down
    w.items = items
    return w


def test_the_figures_by_unit(year):
    found = circular.figures(Item.objects.filter(ledger=year.ledger), date(2026, 11, 20))
    got = {u.unit: (u.assigned, u.closed, u.closed_on_time, u.due, u.overdue) for u in found.units}
    assert got == {"办公厅": (3, 2, 1, 3, 1), "人事司": (1, 0, 0, 0, 0)}
    office = found.units[0]
    assert (office.closed_rate_text, office.on_time_rate_text) == ("66.7%", "33.3%")
    assert found.units[1].on_time_rate_text == "—"
    assert [i.pk for i in found.overdue] == [year.items[2].pk]
    assert circular.summary_text(found) == (
        "截至2026年11月20日，共交办督办事项4项，已办结2项，办结率50.0%；已到期事项3项，"
        "按期办结1项，按期办结率33.3%。目前超期未办结1项，主要集中在办公厅（1项）。"
    )


def test_the_board_and_the_generated_circular(year, login):
    client = login(year.sam)
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        client = login(year.sam)
        page = client.get(reverse("ledger:board")).content.decode()
        assert "66.7%" in page and "33.3%" in page
        word = client.get(
            reverse("ledger:board_circular", args=["docx"]), {"ledger": year.ledger.pk}
        )
        assert word.status_code == 200
        document = docx.Document(io.BytesIO(b"".join(word.streaming_content)))
        text = "\n".join(p.text for p in document.paragraphs)
        assert f"关于{year.ledger.name}落实情况的通报" in text
        assert "办结率50.0%" in text and "已超期5天" in text and "2026年11月20日" in text
        assert [c.text for c in document.tables[0].rows[1].cells][:4] == [
            "办公厅",
            "3",
            "2",
            "66.7%",
        ]
        sheet = client.get(reverse("ledger:board_circular", args=["xlsx"]))
        book = openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content)))
        rows = list(book["各单位落实情况"].values)
        assert rows[2][:4] == ("牵头单位", "交办", "办结", "办结率")
        assert list(book["超期未办结事项"].values)[1][1] == "办公厅"


def test_only_over_what_one_supervises(year, login):
    client = login(year.bob)
    assert client.get(reverse("ledger:board"), {"ledger": year.ledger.pk}).status_code == 404
    sheet = client.get(reverse("ledger:board_circular", args=["xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content)))
    assert list(book["各单位落实情况"].values)[3][0] == "合计"  # nothing of sam's ledger
    assert client.get(reverse("ledger:board_circular", args=["pdf"])).status_code == 404
