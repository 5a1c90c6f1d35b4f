"""Global search (issue 10): every kind of record through the scoping gate, names by pinyin
initials too; another organisation's records are not found."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mofan.dashboard.search import search
from mofan.ledger import services as ledger
from mofan.ledger.choices import LedgerKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(world):
    w = world
    w.ledger = ledger.create_ledger(
        actor=w.sam, name="作风建设台账", kind=LedgerKind.GENERAL, year=2026, unit=w.unit_root
    )
    ledger.add_source(
        w.ledger,
        actor=w.sam,
        kind="document",
        title="关于加强作风建设的通知",
        reference="示发〔2026〕7号",
    )
    ledger.add_item(
        w.ledger, actor=w.sam, content="开展作风建设专项检查", lead_unit=w.unit_a,
        owners=[w.amy_p], deadline=date(2026, 12, 31),
    )  # fmt: skip
    return w


def _found(user, text):
    return {s.label: [h.title for h in s.hits] for s in search(user, text)}


def test_a_supervisor_finds_every_kind(data):
    got = _found(data.sam, "作风建设")
    assert got["督办台账"] == ["作风建设台账"]
    assert got["督办事项"] == ["开展作风建设专项检查"]
    assert got["文件"] == ["关于加强作风建设的通知"]
    assert _found(data.sam, "示发〔2026〕7号")["文件"] == ["关于加强作风建设的通知"]


def test_people_and_organisations_by_pinyin_initials(data):
    got = _found(data.carol, "zs")
    assert got["人员"] == ["张三"]
    assert "第一党支部" in _found(data.carol, "dyd")["党组织"]


def test_another_organisation_finds_nothing_of_this_one(data):
    for text in ("张三", "zs", "作风建设", "示发"):
        got = _found(data.bob, text)
        assert "人员" not in got and "督办事项" not in got and "督办台账" not in got, text
        assert "文件" not in got, text


def test_the_page_and_its_queries(data, login):
    client = login(data.sam)
    page = client.get(reverse("dashboard:search"), {"q": "作风建设"}).content.decode()
    assert "开展作风建设专项检查" in page and "关于加强作风建设的通知" in page
    empty = client.get(reverse("dashboard:search"), {"q": "不存在的词"}).content.decode()
    assert 'data-testid="search-empty"' in empty

    def queries(text):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("dashboard:search"), {"q": text})
        return len(captured)

    before = queries("作风")
    for n in range(5):
        ledger.add_item(data.ledger, actor=data.sam, content=f"作风问题{n}")
    assert queries("作风") == before
