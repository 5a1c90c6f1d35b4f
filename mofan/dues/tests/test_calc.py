"""The brackets as the regulation states them, at and around each boundary, and the months laid
out: due, paid, owed, the unpaid run of 党章第九条."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofan.dues import calc
from mofan.dues.rules_national import NATIONAL_BRACKETS, _decimal

RULES = [
    SimpleNamespace(
        category=c, above=_decimal(a), up_to=_decimal(u), rate=_decimal(r), fixed_amount=_decimal(f)
    )
    for c, a, u, r, f, _ in NATIONAL_BRACKETS
]


@pytest.mark.parametrize(
    ("category", "income", "amount"),
    [
        ("salaried", "0", "0.00"),
        ("salaried", "2999.99", "15.00"),
        ("salaried", "3000", "15.00"),  # 含3000元: still 0.5 %
        ("salaried", "3000.01", "30.00"),
        ("salaried", "4580.50", "45.81"),  # 45.805 rounds half up
        ("salaried", "5000", "50.00"),
        ("salaried", "5000.01", "75.00"),
        ("salaried", "10000", "150.00"),
        ("salaried", "10000.01", "200.00"),
        ("salaried", "23456.78", "469.14"),
        ("retired", "5000", "25.00"),
        ("retired", "5000.01", "50.00"),
        ("retired", "3210", "16.05"),
        ("fixed", "0", "0.20"),
        ("fixed", "800", "0.20"),
    ],
)
def test_national_brackets_at_their_boundaries(category, income, amount):
    assert calc.monthly_amount(Decimal(income), category, RULES)[0] == Decimal(amount)


@given(
    st.decimals(min_value=0, max_value=200000, places=2),
    st.decimals(min_value=0, max_value=200000, places=2),
    st.sampled_from(["salaried", "retired"]),
)
def test_more_income_never_pays_less_and_the_rate_stays_in_its_range(a, b, category):
    low, high = sorted([a, b])
    low_amount = calc.monthly_amount(low, category, RULES)[0]
    high_amount = calc.monthly_amount(high, category, RULES)[0]
    assert low_amount <= high_amount
    top = Decimal("0.02") if category == "salaried" else Decimal("0.01")
    assert (high * Decimal("0.005")).quantize(calc.FEN, ROUND_HALF_UP) <= high_amount
    assert high_amount <= (high * top).quantize(calc.FEN, ROUND_HALF_UP)


def test_no_bracket_is_an_error_not_a_zero():
    with pytest.raises(calc.NoBracket):
        calc.monthly_amount(
            Decimal("100"), "salaried", [r for r in RULES if r.category != "salaried"]
        )


def test_months_wrap_the_year():
    assert calc.add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert calc.add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert calc.months_between(date(2026, 11, 20), date(2027, 1, 1)) == [
        date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1),
    ]  # fmt: skip


def _base(month, income, category="salaried"):
    return SimpleNamespace(starts_on=month, monthly_income=Decimal(income), category=category)


def _paid(month, amount):
    return SimpleNamespace(month=month, amount=Decimal(amount), paid_on=month)


def _lay(months, bases, payments=(), waivers=(), today=date(2026, 12, 2)):
    return calc.lay_out(
        months, today=today, bases=bases, payments=payments, waivers=waivers,
        rules_for=lambda month: RULES,
    )  # fmt: skip


def test_a_base_correction_shows_what_is_owed_and_what_was_overpaid():
    months = calc.months_between(date(2026, 7, 1), date(2026, 12, 1))
    # Paid 50.00 a month on a 5,000 base; the base was then corrected from July: 4,000 (40.00)
    # from July, 6,000 (90.00) from October.
    bases = [_base(date(2026, 7, 1), "4000"), _base(date(2026, 10, 1), "6000")]
    payments = [_paid(m, "50.00") for m in months[:5]]
    laid = _lay(months, bases, payments)
    assert [m.status for m in laid] == ["over", "over", "over", "short", "short", "current"]
    assert [m.owed for m in laid[:5]] == [Decimal("-10.00")] * 3 + [Decimal("40.00")] * 2
    assert calc.arrears(laid) == Decimal("80.00")  # short 40.00 twice
    assert calc.overpaid(laid) == Decimal("30.00")  # over 10.00 three times: not set off
    assert calc.months_unpaid_in_a_row(laid) == 0


def test_six_months_unpaid_in_a_row_and_what_breaks_the_run():
    months = calc.months_between(date(2026, 5, 1), date(2026, 12, 1))
    bases = [_base(date(2026, 1, 1), "3000")]
    assert calc.months_unpaid_in_a_row(_lay(months, bases)) == 7  # May–November; December is now
    payments = [_paid(date(2026, 5, 1), "15.00")]
    assert calc.months_unpaid_in_a_row(_lay(months, bases, payments)) == 6
    excused = [
        SimpleNamespace(
            kind="excused", first_month=date(2026, 8, 1), last_month=date(2026, 8, 1),
            reduced_amount=None,
        )
    ]  # fmt: skip
    laid = _lay(months, bases, payments, excused)
    assert calc.months_unpaid_in_a_row(laid) == 3  # September–November
    assert laid[3].label == "暂缓交纳"
    assert calc.arrears(laid) == Decimal("15.00") * 6  # excused months are still owed


def test_waivers_and_months_without_a_base():
    months = calc.months_between(date(2026, 9, 1), date(2026, 12, 1))
    bases = [_base(date(2026, 10, 1), "12000")]
    waivers = [
        SimpleNamespace(kind="reduced", first_month=date(2026, 10, 1), last_month=date(2026, 10, 1),
                        reduced_amount=Decimal("10.00")),
        SimpleNamespace(kind="exempt", first_month=date(2026, 11, 1), last_month=date(2026, 11, 1),
                        reduced_amount=None),
    ]  # fmt: skip
    laid = _lay(months, bases, waivers=waivers)
    assert [(m.status, m.due) for m in laid] == [
        ("no_base", None), ("unpaid", Decimal("10.00")), ("waived", Decimal("0.00")),
        ("current", Decimal("240.00")),
    ]  # fmt: skip
    assert calc.arrears(laid) == Decimal("10.00")
