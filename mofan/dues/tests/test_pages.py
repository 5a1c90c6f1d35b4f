"""The dues pages as their users see them: the member's own page, the branch's month (recording a
payment, bad input refused), a member's page (bases, corrections), the Excel statement, and the
branch page's queries not growing with its members."""

import io
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from time_machine import travel

from conftest import make_member
from mofan.dues import services
from mofan.dues.models import DuesBase, DuesPayment

NOW = "2026-12-02 10:00:00+08:00"


@pytest.fixture
def autumn(dues_world):
    """amy paid September and October; alice paid nothing since January."""
    for month in (9, 10):
        services.record_payment(
            dues_world.amy_p, actor=None, month=date(2026, month, 1),
            paid_on=date(2026, month, 15), method="transfer", today=date(2026, 12, 2),
        )  # fmt: skip
    return dues_world


def test_the_member_sees_her_amount_her_months_and_what_she_owes(autumn, login):
    client = login(autumn.amy)
    with travel(NOW, tick=False):
        page = client.get(reverse("dues:mine")).content.decode()
    assert 'data-testid="monthly-due">50.00 元' in page
    # January–August and November unpaid at 50.00; December is this month.
    assert 'data-testid="arrears">450.00 元' in page
    assert page.count(">已交<") == 2 and ">本月待交<" in page
    # September and October were paid: the unpaid run is November alone, no review.
    assert "lapse-warning" not in page
    client = login(autumn.alice)  # paid nothing since January: eleven months
    with travel(NOW, tick=False):
        page = client.get(reverse("dues:mine")).content.decode()
    assert "lapse-warning" in page and "已连续 11 个月未交纳党费" in page


def test_a_branch_month_with_totals_and_the_six_month_review(autumn, login):
    client = login(autumn.cora)
    with travel(NOW, tick=False):
        page = client.get(reverse("dues:org", args=[autumn.branch_a.pk]), {"month": "2026-10"})
    html = page.content.decode()
    assert page.status_code == 200
    # Due in October: amy 50.00 (5,000 at 1 %), alice 20.00 (retired 4,000 at 0.5 %).
    assert 'data-testid="total-due">70.00 元' in html
    assert 'data-testid="total-paid">50.00 元' in html
    assert 'data-testid="unpaid-count">1 人' in html
    # alice has paid nothing January–November: eleven months in a row, up for review.
    assert 'data-testid="lapse-count">1 人' in html
    assert "连续11个月未交" in html


def test_recording_a_payment_on_the_branch_page(autumn, login):
    client = login(autumn.cora)
    url = reverse("dues:org", args=[autumn.branch_a.pk])
    with travel(NOW, tick=False):
        response = client.post(
            url, {"person": autumn.alice_p.pk, "month": "2026-11", "amount": "20.00",
                  "paid_on": "2026-12-01", "method": "cash"},
        )  # fmt: skip
    assert response.status_code == 302 and response.url.endswith("?month=2026-11")
    payment = DuesPayment.objects.get(person=autumn.alice_p)
    assert (payment.amount, payment.recorded_by_id) == (Decimal("20.00"), autumn.cora.pk)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "二十"}, "须为数字"),
        ({"amount": "-20"}, "须大于零"),
        ({"month": "2026-13"}, "所属月份超出范围"),
        ({"month": "11/2026"}, "所属月份请按“年-月”填写"),
        ({"amount": ""}, "请填写金额"),
        ({"amount": "1e3"}, "金额须为数字"),
        ({"paid_on": "2026-12-09"}, "不能晚于今天"),
        ({"method": ""}, "方式"),
    ],
)
def test_bad_payments_on_the_page_are_refused_in_chinese(autumn, login, data, message):
    client = login(autumn.cora)
    form = {"person": autumn.alice_p.pk, "month": "2026-11", "amount": "20",
            "paid_on": "2026-12-01", "method": "cash", **data}  # fmt: skip
    with travel(NOW, tick=False):
        response = client.post(reverse("dues:org", args=[autumn.branch_a.pk]), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "张三的交纳未登记" in page  # whose row it was
    assert not DuesPayment.objects.filter(person=autumn.alice_p).exists()


def test_correcting_a_base_on_the_member_page_and_a_stale_form(autumn, login):
    client = login(autumn.alice)  # the branch secretary
    url = reverse("dues:member", args=[autumn.amy_p.pk])
    base = DuesBase.objects.get(person=autumn.amy_p)
    form = {"action": "base", "starts_on": "2026-01", "category": "salaried",
            "monthly_income": "6000", "version": base.version, "version_month": "2026-01"}  # fmt: skip
    with travel(NOW, tick=False):
        assert client.post(url, form).status_code == 302
        stale = client.post(url, {**form, "monthly_income": "7000"})
        page = client.get(url).content.decode()
    assert stale.status_code == 409 and "已被他人修改" in stale.content.decode()
    assert DuesBase.objects.get(pk=base.pk).monthly_income == Decimal("6000.00")
    # September and October were paid at 50.00; 6,000 pays 90.00: 40.00 short each.
    assert page.count("差 40.00 元") == 2


def test_the_excel_statement(autumn, login):
    services.record_waiver(
        autumn.alice_p, actor=None, kind="excused", first_month=date(2026, 10, 1),
        last_month=date(2026, 10, 1), reason="重病住院", approved_on=date(2026, 10, 8),
    )  # fmt: skip
    client = login(autumn.cora)
    with travel(NOW, tick=False):
        response = client.get(reverse("dues:org_export", args=[autumn.branch_a.pk, 2026, 10]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "第一党支部2026年10月党费收缴情况"
    by_name = {r[1]: r for r in rows[2:-1]}
    # The day paid is a date cell (Excel sorts and filters it), shown as 2026-10-15.
    assert by_name["李四"][3:9] == [5000, "1%", 50, 50, datetime(2026, 10, 15), "已交"]
    assert sheet.cell(row=3 + list(by_name).index("李四"), column=8).number_format == "yyyy-mm-dd"
    assert by_name["张三"][3:9] == [4000, "0.5%", 20, None, None, "暂缓交纳"]
    assert by_name["张三"][10].startswith("有正当理由暂缓交纳：重病住院")
    assert rows[-1][0] == "合计" and rows[-1][5:7] == [70, 50]


def test_the_branch_page_reads_a_fixed_number_of_queries(autumn, login):
    client = login(autumn.cora)
    url = reverse("dues:org", args=[autumn.branch_a.pk])

    def count():
        with travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"month": "2026-10"}).status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        person = make_member(f"新党员{n}", autumn.unit_a, autumn.branch_a)
        services.record_base(
            person, actor=None, starts_on=date(2026, 1, 1), category="salaried",
            monthly_income=str(4000 + n * 1000),
        )  # fmt: skip
        services.record_payment(
            person, actor=None, month=date(2026, 10, 1), paid_on=date(2026, 10, 9),
            method="cash", today=date(2026, 12, 2),
        )  # fmt: skip
    assert count() == few


def test_the_yearly_summary_of_a_committee(autumn, login):
    services.record_base(
        autumn.bob_p, actor=None, starts_on=date(2026, 11, 1), category="salaried",
        monthly_income="12000",
    )  # fmt: skip
    services.record_payment(
        autumn.bob_p, actor=None, month=date(2026, 11, 1), paid_on=date(2026, 11, 3),
        method="cash", today=date(2026, 12, 2),
    )  # fmt: skip
    client = login(autumn.carol)  # org admin of the organ committee above both branches
    with travel(NOW, tick=False):
        response = client.get(reverse("dues:org_year_export", args=[autumn.organ.pk, 2026]))
        refused = login(autumn.cora).get(
            reverse("dues:org_year_export", args=[autumn.organ.pk, 2026])
        )
    assert refused.status_code == 404  # the collector of branch A keeps branch A only
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "中共测试机关委员会2026年度党费收缴情况汇总"
    by_org = {r[1]: r for r in rows[2:-1]}
    a, b = by_org["第一党支部"], by_org["第二党支部"]
    # Branch A: amy (50.00 a month) and alice (20.00) over January–December; September and
    # October paid by amy. Owed: eleven months of each but amy's two, December not yet.
    assert a[2] == 2 and a[3 + 8] == 50 and a[3 + 9] == 50 and a[15] == 100
    assert a[16] == 70 * 12 and a[17] == 70 * 11 - 100
    # Branch B: bob's November (240.00 on 12,000 at 2 %) and December due; its other members
    # have no base yet.
    assert b[2] == 4 and b[3 + 10] == 240 and b[16] == 480 and b[17] == 0
    assert rows[-1][0] == "合计" and rows[-1][15] == 340


def test_an_older_base_is_corrected_from_its_own_row_while_a_later_one_exists(autumn, login):
    client = login(autumn.cora)
    url = reverse("dues:member", args=[autumn.amy_p.pk])
    services.record_base(
        autumn.amy_p, actor=None, starts_on=date(2026, 10, 1), category="salaried",
        monthly_income="7000",
    )  # fmt: skip
    january = DuesBase.objects.get(person=autumn.amy_p, starts_on=date(2026, 1, 1))
    with travel(NOW, tick=False):
        page = client.get(url, {"edit": january.pk}).content.decode()
        assert 'name="version_month" value="2026-01"' in page and "更正2026年1月起的基数" in page
        response = client.post(
            url, {"action": "base", "starts_on": "2026-01", "category": "salaried",
                  "monthly_income": "5200", "version": january.version, "version_month": "2026-01"},
        )  # fmt: skip
    assert response.status_code == 302
    assert DuesBase.objects.get(pk=january.pk).monthly_income == Decimal("5200.00")


def test_a_committee_page_shows_its_branches_and_a_bad_month_says_so(autumn, login):
    client = login(autumn.carol)
    with travel(NOW, tick=False):
        page = client.get(reverse("dues:org", args=[autumn.organ.pk]), {"month": "2026-13"})
    html = page.content.decode()
    assert "月份“2026-13”无效，已显示本月" in html
    assert "下级党组织2026年12月收缴情况" in html
    # Branch A this month: amy 50.00 and alice 20.00 due, nothing paid yet, nothing owed yet.
    assert '>第一党支部</a></td><td class="text-end">2</td><td class="text-end">70.00</td>' in html


def test_the_statement_api_gives_amounts_as_decimal_strings(autumn, login):
    client = login(autumn.cora)
    with travel(NOW, tick=False):
        body = client.get(
            "/api/dues-statement/", {"org": autumn.branch_a.pk, "month": "2026-10"}
        ).json()
    assert (body["due"], body["paid"]) == ("70.00", "50.00")
    amy = next(row for row in body["rows"] if row["name"] == "李四")
    assert (amy["due"], amy["paid"], amy["status"]) == ("50.00", "50.00", "paid")


def test_the_api_will_not_correct_a_base_without_its_version(autumn, login):
    client = login(autumn.cora)
    base = DuesBase.objects.get(person=autumn.amy_p)
    with travel(NOW, tick=False):
        blind = client.post(
            "/api/dues-bases/",
            {"person": autumn.amy_p.pk, "starts_on": "2026-01", "category": "salaried",
             "monthly_income": "100"},
            content_type="application/json",
        )  # fmt: skip
        stated = client.post(
            "/api/dues-bases/",
            {"person": autumn.amy_p.pk, "starts_on": "2026-01", "category": "salaried",
             "monthly_income": "5100", "version": base.version},
            content_type="application/json",
        )  # fmt: skip
    assert blind.status_code == 400 and "须提供读取时的版本" in blind.json()["detail"]
    assert stated.status_code == 201
    assert DuesBase.objects.get(pk=base.pk).monthly_income == Decimal("5100.00")
