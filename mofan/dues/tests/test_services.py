"""Recording bases, payments and waivers: the amounts, the refusals (each a Chinese message that
changes nothing), the audit trail and a correction's difference."""

from datetime import date
from decimal import Decimal

import pytest

from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.dues import services, statements
from mofan.dues.models import DuesBase, DuesPayment, DuesWaiver
from mofan.orgs import services as orgs

TODAY = date(2026, 12, 2)


def _pay(person, month, **kwargs):
    kwargs.setdefault("paid_on", date(2026, 11, 30))
    kwargs.setdefault("method", "cash")
    return services.record_payment(person, actor=None, month=month, today=TODAY, **kwargs)


def test_a_payment_without_an_amount_pays_what_is_due_to_the_members_branch(dues_world):
    payment = _pay(dues_world.amy_p, date(2026, 11, 1))
    assert payment.amount == Decimal("50.00")  # 5,000 salaried: 1 %
    assert payment.org == dues_world.branch_a
    event = AuditEvent.objects.filter(action="dues.payment.recorded").latest("pk")
    assert event.payload["amount"] == "50.00" and event.payload["month"] == "2026-11"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": "-5"}, "金额须大于零"),
        ({"amount": "12.345"}, "两位小数"),
        ({"amount": "abc"}, "须为数字"),
        ({"amount": "NaN"}, "须为数字"),
        ({"amount": "9999999"}, "超出合理范围"),
        ({"paid_on": date(2026, 12, 3)}, "不能晚于今天"),
        ({"method": "bitcoin"}, "交纳方式不正确"),
        ({"month": date(2027, 3, 1)}, "最多预交"),
        ({"month": date(2010, 6, 1)}, "早于"),
    ],
)
def test_bad_payments_are_refused_and_change_nothing(dues_world, kwargs, message):
    month = kwargs.pop("month", date(2026, 11, 1))
    with pytest.raises(InvalidInput, match=message):
        _pay(dues_world.amy_p, month, **kwargs)
    assert not DuesPayment.objects.exists()


def test_a_month_paid_in_full_takes_no_second_payment_and_a_short_one_takes_the_rest(dues_world):
    _pay(dues_world.amy_p, date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="已交足（已交 50.00 元）"):
        _pay(dues_world.amy_p, date(2026, 11, 1), amount="50")
    _pay(dues_world.amy_p, date(2026, 10, 1), amount="30", paid_on=date(2026, 10, 8))
    rest = _pay(dues_world.amy_p, date(2026, 10, 1), paid_on=date(2026, 11, 30))  # 补交
    assert (rest.amount, rest.note) == (Decimal("20.00"), "补交")
    october = statements.member_months(dues_world.amy_p, [date(2026, 10, 1)], today=TODAY)[0]
    assert (october.paid, october.paid_on, october.status) == (
        Decimal("50.00"),
        date(2026, 11, 30),
        "paid",
    )
    with pytest.raises(InvalidInput, match="已交足"):
        _pay(dues_world.amy_p, date(2026, 10, 1), amount="1")
    assert DuesPayment.objects.count() == 3


def test_no_amount_and_no_base_is_refused(dues_world):
    with pytest.raises(InvalidInput, match="尚未核定"):
        _pay(dues_world.bob_p, date(2026, 11, 1))


def test_a_transferred_out_member_pays_nowhere_here(dues_world):
    from mofan.orgs.models import Membership

    Membership.objects.filter(person=dues_world.amy_p).update(status="transferred_out")
    with pytest.raises(InvalidInput, match="已转出"):
        _pay(dues_world.amy_p, date(2026, 11, 1))


@pytest.mark.parametrize(
    ("income", "message"),
    [
        ("-1", "不能为负数"),
        ("1.001", "两位小数"),
        ("五千", "须为数字"),
        ("50000000", "超出合理范围"),
    ],
)
def test_bad_bases_are_refused(dues_world, income, message):
    with pytest.raises(InvalidInput, match=message):
        services.record_base(
            dues_world.bob_p, actor=None, starts_on=date(2026, 1, 1), category="salaried",
            monthly_income=income,
        )  # fmt: skip
    assert not DuesBase.objects.filter(person=dues_world.bob_p).exists()


def test_a_corrected_base_shows_the_difference_owed_and_is_audited(dues_world):
    for month in (9, 10, 11):
        _pay(dues_world.amy_p, date(2026, month, 1))  # 50.00 each on 5,000
    base = DuesBase.objects.get(person=dues_world.amy_p)
    services.record_base(
        dues_world.amy_p,
        actor=None,
        starts_on=date(2026, 9, 15),
        category="salaried",
        monthly_income="6200",
    )  # fmt: skip (a new month: no version needed)
    year = statements.member_year(dues_world.amy_p, 2026, today=TODAY)
    autumn = [m for m in year.months if m.month.month in (9, 10, 11)]
    assert [(m.due, m.paid, m.owed) for m in autumn] == [
        (Decimal("93.00"), Decimal("50.00"), Decimal("43.00"))
    ] * 3
    # January–August unpaid at 50.00, September–November short by 43.00 each.
    assert year.arrears == Decimal("50.00") * 8 + Decimal("43.00") * 3
    services.record_base(
        dues_world.amy_p, actor=None, starts_on=date(2026, 1, 1), category="salaried",
        monthly_income="4800", version=base.version,
    )  # fmt: skip
    event = AuditEvent.objects.filter(action="dues.base.corrected").latest("pk")
    assert event.changes["monthly_income"] == ["5000.00", "4800.00"]
    with pytest.raises(StaleEdit):
        services.record_base(
            dues_world.amy_p, actor=None, starts_on=date(2026, 1, 1), category="salaried",
            monthly_income="4900", version=base.version,
        )  # fmt: skip
    assert DuesBase.objects.get(pk=base.pk).monthly_income == Decimal("4800.00")


def test_waivers_change_what_is_due_and_may_not_overlap(dues_world):
    services.record_waiver(
        dues_world.amy_p, actor=None, kind="reduced", first_month=date(2026, 10, 1),
        last_month=date(2026, 11, 1), reason="家庭困难，经党支部研究、机关党委批准",
        approved_on=date(2026, 9, 28), reduced_amount="10",
    )  # fmt: skip
    assert _pay(dues_world.amy_p, date(2026, 10, 1)).amount == Decimal("10.00")
    with pytest.raises(InvalidInput, match="重叠"):
        services.record_waiver(
            dues_world.amy_p, actor=None, kind="exempt", first_month=date(2026, 11, 1),
            last_month=date(2026, 12, 1), reason="免交", approved_on=date(2026, 11, 2),
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="须填写少交后每月金额"):
        services.record_waiver(
            dues_world.amy_p, actor=None, kind="reduced", first_month=date(2026, 12, 1),
            last_month=date(2026, 12, 1), reason="困难", approved_on=date(2026, 11, 2),
        )  # fmt: skip
    assert DuesWaiver.objects.count() == 1


def test_cancelling_a_payment_keeps_it_in_the_trail(dues_world):
    payment = _pay(dues_world.amy_p, date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="撤销原因"):
        services.cancel_payment(payment, actor=None, reason=" ")
    services.cancel_payment(payment, actor=None, reason="误登为李四的党费")
    assert not DuesPayment.objects.exists()
    event = AuditEvent.objects.filter(action="dues.payment.cancelled").latest("pk")
    assert event.payload == {"month": "2026-11", "amount": "50.00", "reason": "误登为李四的党费"}


def test_a_transferred_member_keeps_their_history_and_the_old_statement_stays_whole(dues_world):
    _pay(dues_world.amy_p, date(2026, 10, 1))
    orgs.transfer(
        dues_world.amy_p.membership, actor=None, to_org=dues_world.branch_b, on=date(2026, 11, 5)
    )
    _pay(dues_world.amy_p, date(2026, 11, 1))
    october_a = statements.org_month(dues_world.branch_a, date(2026, 10, 1), today=TODAY)
    row = next(r for r in october_a.rows if r.membership.person_id == dues_world.amy_p.pk)
    assert not row.here and row.month.paid == Decimal("50.00")
    assert october_a.paid == Decimal("50.00")
    november_b = statements.org_month(dues_world.branch_b, date(2026, 11, 1), today=TODAY)
    row = next(r for r in november_b.rows if r.membership.person_id == dues_world.amy_p.pk)
    assert row.here and row.month.paid == Decimal("50.00")
    assert DuesPayment.objects.get(month=date(2026, 11, 1)).org == dues_world.branch_b


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"category": "fixed", "monthly_income": "5000"}, "定额交纳的党员，月计算基数填 0"),
        ({"category": "salaried", "monthly_income": "0"}, "须大于零"),
        ({"starts_on": date(2030, 1, 1)}, "最晚为一年以后"),
        ({"monthly_income": "1e3"}, "须为数字"),
    ],
)
def test_implausible_bases_are_refused(dues_world, kwargs, message):
    data = {"starts_on": date(2026, 6, 1), "category": "salaried", "monthly_income": "6000"}
    with pytest.raises(InvalidInput, match=message):
        services.record_base(dues_world.amy_p, actor=None, **{**data, **kwargs})
    assert DuesBase.objects.filter(person=dues_world.amy_p).count() == 1


def test_correcting_a_month_needs_its_version_and_saving_the_same_changes_nothing(dues_world):
    base = DuesBase.objects.get(person=dues_world.amy_p)
    with pytest.raises(InvalidInput, match="已有计算基数；更正须提供读取时的版本"):
        services.record_base(
            dues_world.amy_p, actor=None, starts_on=date(2026, 1, 1), category="salaried",
            monthly_income="5100",
        )  # fmt: skip
    events = AuditEvent.objects.count()
    same = services.record_base(
        dues_world.amy_p, actor=None, starts_on=date(2026, 1, 1), category="salaried",
        monthly_income="5000.00", version=base.version,
    )  # fmt: skip
    assert same.unchanged and AuditEvent.objects.count() == events
    assert DuesBase.objects.get(pk=base.pk).version == base.version


def test_a_reduced_amount_must_be_below_the_due_and_waivers_and_bases_can_be_taken_back(
    dues_world,
):
    with pytest.raises(InvalidInput, match="须低于2026年10月的应交金额（50.00 元）"):
        services.record_waiver(
            dues_world.amy_p, actor=None, kind="reduced", first_month=date(2026, 10, 1),
            last_month=date(2026, 11, 1), reason="困难", approved_on=date(2026, 9, 28),
            reduced_amount="500",
        )  # fmt: skip
    waiver = services.record_waiver(
        dues_world.amy_p, actor=None, kind="excused", first_month=date(2026, 10, 1),
        last_month=date(2026, 11, 1), reason="援疆", approved_on=date(2026, 9, 28),
    )  # fmt: skip
    services.cancel_waiver(waiver, actor=None, reason="登记有误")
    assert not DuesWaiver.objects.exists()
    base = DuesBase.objects.get(person=dues_world.amy_p)
    services.remove_base(base, actor=None, reason="起始月份录错")
    assert not DuesBase.objects.filter(person=dues_world.amy_p).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"dues.waiver.cancelled", "dues.base.removed"} <= actions
