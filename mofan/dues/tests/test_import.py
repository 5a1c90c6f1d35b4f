"""Bases from Excel: the template round trip, payroll-style headers, and all or nothing with
each bad row's reason."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from time_machine import travel

from mofan.dues.models import DuesBase, DuesPayment

NOW = "2026-12-02 10:00:00+08:00"


def _xlsx(rows) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("基数.xlsx", out.getvalue())


def test_the_template_filled_in_imports_every_row(dues_world, login):
    client = login(dues_world.cora)
    url = reverse("dues:import", args=[dues_world.branch_a.pk])
    with travel(NOW, tick=False):
        response = client.get(url, {"template": 1, "year": 2027})
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [[c.value for c in row] for row in book.active.iter_rows()]
    assert rows[1] == ["姓名", "公民身份号码", "计算方式", "月计算基数（元）", "起始月份"]
    filled = {r[0]: r for r in rows[2:]}
    assert filled["李四"][2:] == ["在职", 5000, "2027-01"]
    assert filled["张三"][2:] == ["离退休", 4000, "2027-01"]
    filled["李四"][3] = 5600
    with travel(NOW, tick=False):
        response = client.post(url, {"year": 2027, "file": _xlsx(rows)})
    assert response.status_code == 302
    amy = DuesBase.objects.get(person=dues_world.amy_p, starts_on="2027-01-01")
    assert (amy.category, amy.monthly_income) == ("salaried", Decimal("5600.00"))
    assert DuesBase.objects.filter(starts_on="2027-01-01").count() == 2


def test_one_bad_row_and_nothing_is_imported_with_each_reason(dues_world, login):
    client = login(dues_world.alice)
    rows = [
        ["姓名", "身份证号", "税后工资", "计算方式"],
        ["李四", "", "4800", "在职"],
        ["王五", "", "6000", ""],  # a member of branch B
        ["张三", "", "-1", "退休"],
        ["李四", "", "4800.123", "在职"],
        ["赵大", "", "5000", "合同工"],
    ]
    with travel(NOW, tick=False):
        response = client.post(
            reverse("dues:import", args=[dues_world.branch_a.pk]),
            {"year": 2026, "file": _xlsx(rows)},
        )
    assert response.status_code == 400
    page = response.content.decode()
    for reason in (
        "第 3 行</td><td>姓名</td><td>本组织在册党员中没有“王五”",
        "第 4 行</td><td>月计算基数（元）</td><td>月计算基数不能为负数",
        "第 5 行</td><td>月计算基数（元）</td><td>月计算基数最多保留两位小数",
        "第 5 行</td><td>姓名</td><td>与第 2 行重复",
        "第 6 行</td><td>计算方式</td><td>请填写 在职、离退休 或 定额",
    ):
        assert reason in page
    assert "<td>第 2 行</td>" not in page  # the good row has no reason, and is not imported
    assert DuesBase.objects.get(person=dues_world.amy_p).monthly_income == Decimal("5000.00")


def test_a_file_without_the_columns_or_not_excel_is_refused(dues_world, login):
    client = login(dues_world.cora)
    url = reverse("dues:import", args=[dues_world.branch_a.pk])
    with travel(NOW, tick=False):
        wrong = client.post(url, {"year": 2026, "file": _xlsx([["名字", "工资"], ["李四", 1]])})
        junk = client.post(
            url, {"year": 2026, "file": SimpleUploadedFile("a.xlsx", b"not a workbook")}
        )
    assert wrong.status_code == 400 and "未找到表头" in wrong.content.decode()
    assert junk.status_code == 400 and "Excel" in junk.content.decode()


def test_another_branch_cannot_import_into_branch_a(dues_world, login):
    client = login(dues_world.bob)
    with travel(NOW, tick=False):
        response = client.post(
            reverse("dues:import", args=[dues_world.branch_a.pk]),
            {"year": 2026, "file": _xlsx([["姓名", "月计算基数"], ["李四", "1"]])},
        )
    assert response.status_code == 404
    assert DuesBase.objects.get(person=dues_world.amy_p).monthly_income == Decimal("5000.00")


def test_payments_from_a_bank_sheet_all_or_nothing(dues_world, login):
    client = login(dues_world.cora)
    url = reverse("dues:import", args=[dues_world.branch_a.pk])
    good = [
        ["党费代扣明细"],
        ["姓名", "所属月份", "金额", "交纳日期", "方式"],
        ["李四", "2026年10月", 50, "2026/10/28", "银行转账"],
        ["张三", "2026-11", "20.00", "20261105", ""],
    ]
    bad = [
        *good[:2],
        ["李四", "2026-09", "50", "2026-09-30", "微信"],
        ["张三", "2026-11-05", "20", "2026-11-05", ""],  # a day, not a month
        ["李四", "2026-08", "0", "2026-08-31", ""],
        ["李四", "2026-07", "50", "2026-12-09", "信用卡"],
    ]
    with travel(NOW, tick=False):
        refused = client.post(url, {"kind": "payments", "file": _xlsx(bad)})
        assert DuesPayment.objects.count() == 0
        done = client.post(url, {"kind": "payments", "file": _xlsx(good)})
        again = client.post(url, {"kind": "payments", "file": _xlsx(good)})
    page = refused.content.decode()
    assert refused.status_code == 400
    for reason in (
        "第 4 行</td><td>所属月份</td><td>请按“年-月”填写",
        "第 5 行</td><td>金额（元）</td><td>金额须大于零",
        "第 6 行</td><td>交纳日期</td><td>交纳日期不能晚于今天",
        "第 6 行</td><td>方式</td><td>请填写 现金、银行转账 或 线上交纳",
    ):
        assert reason in page
    assert done.status_code == 302
    rows = sorted(
        DuesPayment.objects.values_list("person__name", "month", "amount", "paid_on", "method")
    )
    assert rows == [
        ("张三", date(2026, 11, 1), Decimal("20.00"), date(2026, 11, 5), "transfer"),
        ("李四", date(2026, 10, 1), Decimal("50.00"), date(2026, 10, 28), "transfer"),
    ]
    # The same sheet again: both months are already recorded, so nothing is imported twice.
    assert again.status_code == 400 and "已交足" in again.content.decode()
    assert DuesPayment.objects.count() == 2


def test_start_months_as_excel_dates_and_outside_the_chosen_year(dues_world, login):
    from datetime import datetime

    client = login(dues_world.cora)
    url = reverse("dues:import", args=[dues_world.branch_a.pk])
    rows = [["姓名", "月计算基数（元）", "起始月份"], ["李四", 5300, datetime(2026, 7, 1)]]
    with travel(NOW, tick=False):
        wrong_year = client.post(url, {"year": 2027, "file": _xlsx(rows)})
        right = client.post(url, {"year": 2026, "file": _xlsx(rows)})
    assert wrong_year.status_code == 400
    assert "起始月份须在所选的2027年度内" in wrong_year.content.decode()
    assert right.status_code == 302
    july = DuesBase.objects.get(person=dues_world.amy_p, starts_on=date(2026, 7, 1))
    assert july.monthly_income == Decimal("5300.00")
