from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofan.docparse.deadlines import Deadline, parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年6月底前", Deadline(date(2026, 6, 30))),
        ("6月30日前", Deadline(date(2026, 6, 30))),
        ("年内", Deadline(date(2026, 12, 31))),
        ("年底前完成", Deadline(date(2026, 12, 31))),
        ("三季度末", Deadline(date(2026, 9, 30))),
        ("第二季度", Deadline(date(2026, 6, 30))),
        ("长期坚持", Deadline(None, ongoing=True)),
        ("持续推进", Deadline(None, ongoing=True)),
        ("2026.6.30", Deadline(date(2026, 6, 30))),
        ("2026-07-15", Deadline(date(2026, 7, 15))),
        # a year and a month in figures, as a table's column of times writes them
        ("2026.09", Deadline(date(2026, 9, 30))),
        ("2027-2", Deadline(date(2027, 2, 28))),
        ("2027年3月", Deadline(date(2027, 3, 31))),
        ("10月中旬", Deadline(date(2026, 10, 20))),
        ("11月上旬前", Deadline(date(2026, 11, 10))),
        ("上半年", Deadline(date(2026, 6, 30))),
        # a time, then what is due by then
        ("5月底前动工", Deadline(date(2026, 5, 31))),
        ("2027年6月底完成验收", Deadline(date(2027, 6, 30))),
        ("年底前建成投用", Deadline(date(2026, 12, 31))),
        ("", Deadline(None)),
        (datetime(2026, 5, 1, 0, 0), Deadline(date(2026, 5, 1))),
    ],
)
def test_chinese_deadlines(text, expected):
    assert parse(text, year=2026) == expected


# "3月起" says when work starts, not when it is due
@pytest.mark.parametrize(
    "text", ["尽快", "13月", "2026年2月30日", "下个月", "3月起", "5月以后", "2026.13"]
)
def test_unreadable_deadlines_raise(text):
    with pytest.raises(ValueError):
        parse(text, year=2026)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_written_dates_round_trip(day):
    assert parse(f"{day.year}年{day.month}月{day.day}日前", year=2026).on == day
    assert parse(day.isoformat(), year=2026).on == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("每月25日前", Deadline(None, recurrence="每月25日")),
        ("每季度", Deadline(None, recurrence="每季度")),
        ("每年", Deadline(None, recurrence="每年")),
        ("5年内", Deadline(date(2031, 3, 10))),
        ("三个月内", Deadline(date(2026, 6, 10))),
        ("30天内", Deadline(date(2026, 4, 9))),
        # the document's day, half a month or a year from it
        ("今晚", Deadline(date(2026, 3, 10))),
        ("今天晚上", Deadline(date(2026, 3, 10))),
        ("半个月之内", Deadline(date(2026, 3, 25))),
        ("半年内", Deadline(date(2026, 9, 10))),
        ("3个月之内", Deadline(date(2026, 6, 10))),
        # a day in a given month of each quarter
        ("每季度最后一个月的30日前", Deadline(None, recurrence="每季度末月30日")),
        ("每个季度第1个月的20日前", Deadline(None, recurrence="每季度第1个月20日")),
        ("每季度末月20日前", Deadline(None, recurrence="每季度末月20日")),
        # a day of the document's week (a Tuesday) or the next
        ("本周五下班前", Deadline(date(2026, 3, 13))),
        ("下周一前", Deadline(date(2026, 3, 16))),
        # the year after the document's, and dates in Chinese numerals
        ("明年3月底前", Deadline(date(2027, 3, 31))),
        ("次年元月十日前", Deadline(date(2027, 1, 10))),
        ("十二月十五日前", Deadline(date(2026, 12, 15))),
        ("二〇二六年十月三十一日前", Deadline(date(2026, 10, 31))),
        ("正月二十日前", Deadline(date(2026, 1, 20))),
    ],
)
def test_recurring_and_relative_deadlines(text, expected):
    assert parse(text, year=2026, base=date(2026, 3, 10)) == expected


def test_relative_deadline_needs_the_document_date():
    with pytest.raises(ValueError):
        parse("5年内", year=2026)
    with pytest.raises(ValueError):
        parse("今晚", year=2026)
    with pytest.raises(ValueError):
        parse("按期", year=2026)
