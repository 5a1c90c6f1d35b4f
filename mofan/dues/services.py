"""State changes of 党费: record a member's base, a payment, a waiver; cancel a wrong payment.
Each is one transaction with its audit record. Reading a member's months or a branch's month
is in `statements.py`."""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.dues import calc
from mofan.dues.calc import cn_month
from mofan.dues.choices import DuesCategory, PaymentMethod, WaiverKind
from mofan.dues.models import DuesBase, DuesPayment, DuesRule, DuesWaiver
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership, Person

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
# Far above any monthly income; a typo of a few extra digits is refused, not recorded.
MAX_INCOME = Decimal("1000000")
MAX_PAYMENT = Decimal("100000")
# 经党支部同意，可以每季度交纳一次: a payment may be recorded for up to the current quarter's end.
AHEAD_MONTHS = 2


def money(value, label: str) -> Decimal:
    """A Decimal of yuan with at most two places, from a form, the API or a sheet."""
    if isinstance(value, float):
        value = repr(value)  # never through binary floating point
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    # Digits with an optional sign and point: "1e3", "NaN" or "Infinity" are not amounts.
    if not _NUMBER.fullmatch(text):
        raise InvalidInput(f"{label}须为数字（元），如 4580.50。")
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError) as exc:
        raise InvalidInput(f"{label}须为数字（元），如 4580.50。") from exc
    if amount != amount.quantize(calc.FEN):
        raise InvalidInput(f"{label}最多保留两位小数（精确到分）。")
    return amount.quantize(calc.FEN)


def rules_in_force():
    """A function month → the brackets in force then, over one read of the (few) rule rows."""
    rules = list(DuesRule.objects.all())
    by_month: dict[date, list] = {}

    def rules_for(month: date):
        if month not in by_month:
            by_month[month] = [
                r
                for r in rules
                if r.effective_from <= month and (r.effective_to is None or r.effective_to >= month)
            ]
        return by_month[month]

    return rules_for


def amount_for(income: Decimal, category: str, month: date, rules_for=None) -> Decimal:
    rules_for = rules_for or rules_in_force()
    try:
        amount, _ = calc.monthly_amount(income, category, rules_for(month))
    except calc.NoBracket as exc:
        raise InvalidInput(
            f"{cn_month(month)}没有适用于“{DuesCategory(category).label}”的党费交纳标准，请先补充标准。"
        ) from exc
    return amount


def _membership(person: Person) -> Membership:
    membership = Membership.objects.filter(person=person).select_related("org").first()
    if membership is None:
        raise InvalidInput(f"{person.name}不是党员，没有党费记录。")
    return membership


def _month(value: date, label: str) -> date:
    if not isinstance(value, date):
        raise InvalidInput(f"{label}格式不正确，应为年月，如 2026-11。")
    return calc.month_of(value)


@transaction.atomic
def record_base(
    person: Person,
    *,
    actor,
    starts_on: date,
    category: str,
    monthly_income,
    note: str = "",
    version: int | None = None,
    overwrite: bool = False,
) -> DuesBase:
    """The member's monthly base from `starts_on`'s month on. Recording the same month again
    corrects it, given the version the form was read at (a change made meanwhile is refused), or
    `overwrite` for an import, whose sheet is the correction. Saving what is there changes
    nothing (the base comes back with `unchanged`)."""
    if category not in DuesCategory.values:
        raise InvalidInput("计算方式不正确。")
    income = money(monthly_income, "月计算基数")
    if income < 0:
        raise InvalidInput("月计算基数不能为负数。")
    if income > MAX_INCOME:
        raise InvalidInput("月计算基数超出合理范围，请核对（单位为元）。")
    if category == DuesCategory.FIXED and income != 0:
        raise InvalidInput("定额交纳的党员，月计算基数填 0。")
    if category != DuesCategory.FIXED and income == 0:
        raise InvalidInput("在职、离退休党员的月计算基数须大于零；没有收入的，计算方式请选“定额”。")
    month = _month(starts_on, "起始月份")
    today = timezone.localdate()
    if month > calc.add_months(calc.month_of(today), 12):
        raise InvalidInput("起始月份最晚为一年以后，请核对。")
    membership = _membership(person)
    if month < calc.month_of(membership.joined_on):
        raise InvalidInput(f"起始月份早于{person.name}的入党日期，请核对。")
    amount = amount_for(income, category, month)
    existing = DuesBase.objects.select_for_update().filter(person=person, starts_on=month).first()
    if existing is not None and version is None and not overwrite:
        raise InvalidInput(
            f"{person.name}{cn_month(month)}起已有计算基数；更正须提供读取时的版本"
            "（页面上请在基数列表中点“更正”）。"
        )
    if existing is not None and (existing.category, existing.monthly_income) == (category, income):
        if note.strip() and note.strip() != existing.note:
            existing.note = note.strip()
            existing.save(update_fields=["note"])
        existing.unchanged = True
        return existing
    if existing is None:
        # A new month (the form may carry the version of the base it was filled from).
        base = DuesBase.objects.create(
            person=person,
            starts_on=month,
            category=category,
            monthly_income=income,
            note=note.strip(),
            recorded_by_id=getattr(actor, "pk", None),
        )
        audit.record(
            actor,
            "dues.base.recorded",
            base,
            payload={"month": f"{month:%Y-%m}", "category": category, "amount": str(amount)},
        )
        return base
    if not overwrite and version != existing.version:
        raise StaleEdit(f"{person.name}{cn_month(month)}起的党费基数已被他人修改，请刷新后重试。")
    before = {"category": existing.category, "monthly_income": str(existing.monthly_income)}
    existing.category, existing.monthly_income = category, income
    existing.note = note.strip() or existing.note
    existing.recorded_by_id = getattr(actor, "pk", None)
    existing.version += 1
    existing.save()
    audit.record(
        actor,
        "dues.base.corrected",
        existing,
        changes={
            "category": [before["category"], category],
            "monthly_income": [before["monthly_income"], str(income)],
        },
        payload={"month": f"{month:%Y-%m}", "amount": str(amount)},
    )
    return existing


@transaction.atomic
def record_payment(
    person: Person,
    *,
    actor,
    month: date,
    paid_on: date,
    method: str,
    amount=None,
    note: str = "",
    today: date | None = None,
) -> DuesPayment:
    """A month's dues paid to the member's present organisation. Without an amount, what is
    still due for the month (the base must then be recorded). A month paid short takes a second
    payment (补交); one paid in full takes none."""
    today = today or timezone.localdate()
    month = _month(month, "所属月份")
    if method not in PaymentMethod.values:
        raise InvalidInput("交纳方式不正确。")
    if not isinstance(paid_on, date):
        raise InvalidInput("交纳日期格式不正确。")
    if paid_on > today:
        raise InvalidInput("交纳日期不能晚于今天。")
    membership = _membership(person)
    if membership.status != MembershipStatus.NORMAL:
        raise InvalidInput(
            f"{person.name}的党籍状态为“{membership.get_status_display()}”，不能在本组织登记党费。"
        )
    if month < calc.month_of(membership.joined_on):
        raise InvalidInput(f"{cn_month(month)}早于{person.name}的入党日期，不能登记党费。")
    if month > calc.add_months(calc.month_of(today), AHEAD_MONTHS):
        raise InvalidInput("最多预交至两个月后（经党支部同意可按季度交纳）。")
    # One payment at a time per member: two collectors cannot both record the last fen.
    Membership.objects.select_for_update().filter(pk=membership.pk).first()
    laid = _laid(person, [month], today)[0]
    if laid.paid is not None and (laid.due is None or laid.paid >= laid.due):
        raise InvalidInput(
            f"{person.name}{cn_month(month)}的党费已交足（已交 {laid.paid} 元），不能重复登记。"
        )
    if amount in (None, ""):
        if laid.due is None:
            raise InvalidInput(
                f"{person.name}{cn_month(month)}的党费基数尚未核定，请填写金额或先登记基数。"
            )
        amount = laid.due - (laid.paid or Decimal(0))
    amount = money(amount, "金额")
    if amount <= 0:
        raise InvalidInput("金额须大于零。")
    if amount > MAX_PAYMENT:
        raise InvalidInput("金额超出合理范围，请核对。自愿多交的大额党费请另行办理。")
    payment = DuesPayment.objects.create(
        person=person,
        org=membership.org,
        month=month,
        amount=amount,
        paid_on=paid_on,
        method=method,
        note=note.strip() or ("补交" if laid.paid else ""),
        recorded_by_id=getattr(actor, "pk", None),
    )
    audit.record(
        actor,
        "dues.payment.recorded",
        payment,
        payload={"month": f"{month:%Y-%m}", "amount": str(amount), "org": membership.org.code},
    )
    return payment


@transaction.atomic
def cancel_payment(payment: DuesPayment, *, actor, reason: str) -> None:
    """Take back a payment entered by mistake; the trail keeps what it was and why."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput("请填写撤销原因（至少2个字）。")
    audit.record(
        actor,
        "dues.payment.cancelled",
        payment,
        payload={
            "month": f"{payment.month:%Y-%m}",
            "amount": str(payment.amount),
            "reason": reason[:200],
        },
    )
    payment.delete()


@transaction.atomic
def record_waiver(
    person: Person,
    *,
    actor,
    kind: str,
    first_month: date,
    last_month: date,
    reason: str,
    approved_on: date,
    reduced_amount=None,
) -> DuesWaiver:
    if kind not in WaiverKind.values:
        raise InvalidInput("类别不正确。")
    first, last = _month(first_month, "起始月份"), _month(last_month, "截止月份")
    if last < first:
        raise InvalidInput("截止月份不能早于起始月份。")
    if not isinstance(approved_on, date) or approved_on > timezone.localdate():
        raise InvalidInput("批准日期不能晚于今天。")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput("请填写事由。")
    if kind == WaiverKind.REDUCED:
        if reduced_amount in (None, ""):
            raise InvalidInput("少交须填写少交后每月金额。")
        reduced_amount = money(reduced_amount, "少交后每月金额")
        if reduced_amount <= 0:
            raise InvalidInput("少交后每月金额须大于零；不交请选择“免交”。")
    else:
        reduced_amount = None
    _membership(person)
    if reduced_amount is not None:
        due = _laid(person, [first], timezone.localdate())[0].due
        if due is not None and reduced_amount >= due:
            raise InvalidInput(
                f"少交后每月金额（{reduced_amount} 元）须低于{cn_month(first)}的应交金额（{due} 元）。"
            )
    if DuesWaiver.objects.filter(
        person=person, first_month__lte=last, last_month__gte=first
    ).exists():
        raise InvalidInput("与已登记的减免或缓交月份重叠，请核对。")
    waiver = DuesWaiver.objects.create(
        person=person,
        kind=kind,
        first_month=first,
        last_month=last,
        reduced_amount=reduced_amount,
        reason=reason[:300],
        approved_on=approved_on,
        recorded_by_id=getattr(actor, "pk", None),
    )
    audit.record(
        actor,
        "dues.waiver.recorded",
        waiver,
        payload={"kind": kind, "from": f"{first:%Y-%m}", "to": f"{last:%Y-%m}"},
    )
    return waiver


@transaction.atomic
def cancel_waiver(waiver: DuesWaiver, *, actor, reason: str) -> None:
    """Take back a 减免 or 缓交 recorded by mistake or ended early; the trail keeps it."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput("请填写撤销原因（至少2个字）。")
    audit.record(
        actor,
        "dues.waiver.cancelled",
        waiver,
        payload={
            "kind": waiver.kind,
            "from": f"{waiver.first_month:%Y-%m}",
            "to": f"{waiver.last_month:%Y-%m}",
            "reason": reason[:200],
        },
    )
    waiver.delete()


@transaction.atomic
def remove_base(base: DuesBase, *, actor, reason: str) -> None:
    """Take back a base entered by mistake (a wrong starting month); the trail keeps it."""
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise InvalidInput("请填写删除原因（至少2个字）。")
    audit.record(
        actor,
        "dues.base.removed",
        base,
        payload={
            "month": f"{base.starts_on:%Y-%m}",
            "category": base.category,
            "monthly_income": str(base.monthly_income),
            "reason": reason[:200],
        },
    )
    base.delete()


def _laid(person: Person, months: list[date], today: date) -> list[calc.Month]:
    from mofan.dues.statements import member_months

    return member_months(person, months, today=today)
