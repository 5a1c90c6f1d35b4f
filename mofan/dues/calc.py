"""Dues arithmetic, without the database: the amount a base pays under a set of brackets, and a
member's months laid out with what was due, what was paid and what is owed.

Everything is Decimal, rounded half up to the fen (0.01 yuan) once, at the end."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")
HUNDRED = Decimal(100)
# 党章第九条: six months in a row without paying, with no valid reason.
LAPSE_MONTHS = 6


class NoBracket(ValueError):
    """No bracket in force covers the base: the rules are incomplete, never a silent zero."""


def cn_month(day: date) -> str:
    """2026年1月, as people read a month (no leading zero)."""
    return f"{day.year}年{day.month}月"


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """Every month from `first` to `last`, both included (empty when last < first)."""
    months, month = [], month_of(first)
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def monthly_amount(income: Decimal, category: str, rules: Iterable) -> tuple[Decimal, object]:
    """(the monthly amount, the bracket it came from). `rules`: the brackets in force, each with
    category, above, up_to, rate and fixed_amount."""
    if income < 0:
        raise ValueError("negative income")
    for rule in rules:
        if rule.category != category:
            continue
        if rule.above is not None and not income > rule.above:
            continue
        if rule.up_to is not None and not income <= rule.up_to:
            continue
        if rule.fixed_amount is not None:
            return rule.fixed_amount.quantize(FEN, ROUND_HALF_UP), rule
        return (income * rule.rate / HUNDRED).quantize(FEN, ROUND_HALF_UP), rule
    raise NoBracket(category)


@dataclass(frozen=True)
class Month:
    """One month of one member."""

    month: date
    income: Decimal | None  # the base in effect; None: none recorded yet
    due: Decimal | None  # after waivers; None: no base, nothing can be worked out
    paid: Decimal | None
    paid_on: date | None
    waiver: str | None  # WaiverKind of an approved waiver covering the month
    current: bool  # the month of today: not yet late
    ahead: bool = False  # after the month of today
    basis: str = ""  # how the due was worked out: "1.5%", "定额", "少交", "免交"
    waiver_reason: str = ""  # the approved waiver's 事由

    @property
    def owed(self) -> Decimal:
        """What is still to pay for the month (negative: paid more than due, after a correction)."""
        if self.due is None:
            return Decimal(0)
        return self.due - (self.paid or Decimal(0))

    @property
    def overpaid(self) -> Decimal:
        return max(-self.owed, Decimal(0))

    @property
    def status(self) -> str:
        if self.paid is not None:
            if self.due is not None and self.paid < self.due:
                return "short"
            if self.due is not None and self.paid > self.due:
                return "over"
            return "paid"
        if self.due is None:
            return "no_base"
        if self.due == 0:
            return "waived"
        if self.current:
            return "current"
        if self.ahead:
            return "ahead"
        return "excused" if self.waiver == "excused" else "unpaid"

    @property
    def label(self) -> str:
        return {
            "paid": "已交",
            "short": "少交",
            "over": "多交",  # the page adds how much
            "no_base": "未核定基数",
            "waived": "免交",
            "current": "本月待交",
            "ahead": "未到期",
            "excused": "暂缓交纳",
            "unpaid": "未交",
        }[self.status]


def lay_out(
    months: Sequence[date],
    *,
    today: date,
    bases: Sequence,
    payments: Iterable,
    waivers: Iterable,
    rules_for,
) -> list[Month]:
    """The member's months. `bases`: their DuesBase rows sorted by starts_on; `payments`: with
    month, amount, paid_on; `waivers`: with kind, first_month, last_month, reduced_amount;
    `rules_for(month)`: the brackets in force in that month."""
    paid: dict[date, tuple[Decimal, date]] = {}  # month → (sum paid, latest date): 补交 adds
    for p in payments:
        total, latest = paid.get(p.month, (Decimal(0), p.paid_on))
        paid[p.month] = (total + p.amount, max(latest, p.paid_on))
    waivers = list(waivers)
    this_month = month_of(today)
    laid = []
    amounts: dict[tuple, tuple] = {}  # the same base under the same brackets: worked out once
    for month in months:
        base = None
        for candidate in bases:
            if candidate.starts_on <= month:
                base = candidate
        waiver = next((w for w in waivers if w.first_month <= month <= w.last_month), None)
        due, basis = None, ""
        if base is not None:
            rules = rules_for(month)
            key = (base.monthly_income, base.category, id(rules))
            if key not in amounts:
                # The list is kept with its result, so that its id is not reused meanwhile.
                amounts[key] = (*monthly_amount(base.monthly_income, base.category, rules), rules)
            due, rule, _ = amounts[key]
            basis = "定额" if rule.rate is None else f"{rule.rate.normalize():f}%"
            if waiver is not None and waiver.kind == "exempt":
                due, basis = Decimal("0.00"), "免交"
            elif waiver is not None and waiver.kind == "reduced":
                due, basis = min(due, waiver.reduced_amount), "少交"
        payment = paid.get(month)
        laid.append(
            Month(
                month=month,
                income=base.monthly_income if base is not None else None,
                due=due,
                paid=payment[0] if payment else None,
                paid_on=payment[1] if payment else None,
                waiver=waiver.kind if waiver is not None else None,
                current=month == this_month,
                ahead=month > this_month,
                basis=basis,
                waiver_reason=getattr(waiver, "reason", "") if waiver is not None else "",
            )
        )
    return laid


def _counted(laid: Sequence[Month]):
    """The months before this one, and any month already paid (paid ahead, or this month)."""
    return (m for m in laid if not (m.current or m.ahead) or m.paid is not None)


def arrears(laid: Sequence[Month]) -> Decimal:
    """Still owed: unpaid months before this one and what is short on paid months. What was
    paid over a month's due is not set against other months (see `overpaid`)."""
    return sum((max(m.owed, Decimal(0)) for m in _counted(laid)), Decimal(0))


def overpaid(laid: Sequence[Month]) -> Decimal:
    """Paid over the due, e.g. after a base was corrected down: to refund or carry, as the
    branch decides."""
    return sum((m.overpaid for m in _counted(laid)), Decimal(0))


def deferred(laid: Sequence[Month]) -> Decimal:
    """The part of the arrears in months with a valid reason for not paying (暂缓)."""
    return sum(
        (max(m.owed, Decimal(0)) for m in _counted(laid) if m.waiver == "excused"), Decimal(0)
    )


def months_unpaid_in_a_row(laid: Sequence[Month]) -> int:
    """Months in a row, ending last month, with nothing paid and no valid reason: 党章第九条."""
    count = 0
    for month in reversed(laid):
        if month.current or month.ahead:
            continue
        if month.status != "unpaid":
            break
        count += 1
    return count
