"""Reading dues: a member's months, and an organisation's month — each with what was due, paid
and owed. A fixed number of queries whatever the number of members or months."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mofan.dues import calc
from mofan.dues.models import DuesBase, DuesPayment, DuesWaiver
from mofan.dues.services import rules_in_force
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership


def member_months(person, months: list[date], *, today: date, rules_for=None) -> list[calc.Month]:
    """Four queries: bases, payments, waivers, rules."""
    bases = list(DuesBase.objects.filter(person=person).order_by("starts_on"))
    payments = DuesPayment.objects.filter(person=person, month__in=months)
    waivers = DuesWaiver.objects.filter(person=person)
    return calc.lay_out(
        months,
        today=today,
        bases=bases,
        payments=payments,
        waivers=waivers,
        rules_for=rules_for or rules_in_force(),
    )


@dataclass(frozen=True)
class MemberYear:
    year: int
    months: list[calc.Month]
    arrears: Decimal  # over the member's whole record, not only this year
    unpaid_in_a_row: int
    current_base: DuesBase | None
    current_due: Decimal | None  # what the base in effect now pays a month, before any waiver

    @property
    def lapse_review(self) -> bool:
        return self.unpaid_in_a_row >= calc.LAPSE_MONTHS

    @property
    def due_this_year(self) -> Decimal:
        return sum((m.due or Decimal(0) for m in self.months), Decimal(0))

    @property
    def paid_this_year(self) -> Decimal:
        return sum((m.paid or Decimal(0) for m in self.months), Decimal(0))


def _history(first: date, today: date) -> list[date]:
    return calc.months_between(first, calc.month_of(today))


def member_year(person, year: int, *, today: date) -> MemberYear:
    """The member's months of `year` (up to this month, and any paid ahead), with the arrears
    and the unpaid run over their whole record."""
    membership = Membership.objects.filter(person=person).only("joined_on").first()
    joined = calc.month_of(membership.joined_on) if membership else date(year, 1, 1)
    bases = list(DuesBase.objects.filter(person=person).order_by("starts_on"))
    first = max(joined, bases[0].starts_on) if bases else calc.month_of(today)
    payments = list(DuesPayment.objects.filter(person=person))
    waivers = list(DuesWaiver.objects.filter(person=person))
    rules_for = rules_in_force()
    ahead = [p.month for p in payments if p.month > calc.month_of(today)]
    history = _history(min([first, *[p.month for p in payments]]), today) + sorted(ahead)
    laid = calc.lay_out(
        history, today=today, bases=bases, payments=payments, waivers=waivers, rules_for=rules_for
    )
    this_month = calc.month_of(today)
    current = [b for b in bases if b.starts_on <= this_month]
    current_due = (
        calc.monthly_amount(
            current[-1].monthly_income, current[-1].category, rules_for(this_month)
        )[0]
        if current
        else None
    )
    return MemberYear(
        year=year,
        months=[m for m in laid if m.month.year == year],
        arrears=calc.arrears([m for m in laid if m.month <= this_month]),
        unpaid_in_a_row=calc.months_unpaid_in_a_row([m for m in laid if m.month <= this_month]),
        current_base=current[-1] if current else None,
        current_due=current_due,
    )


@dataclass(frozen=True)
class Row:
    membership: Membership
    month: calc.Month
    arrears: Decimal
    unpaid_in_a_row: int
    here: bool  # still a member of the organisation (else: paid here, then transferred)
    category: str = ""  # of the base in effect in the month

    @property
    def lapse_review(self) -> bool:
        return self.unpaid_in_a_row >= calc.LAPSE_MONTHS


@dataclass(frozen=True)
class OrgMonth:
    org: object
    month: date
    rows: list[Row]

    @property
    def due(self) -> Decimal:
        return sum((r.month.due or Decimal(0) for r in self.rows if r.here), Decimal(0))

    @property
    def paid(self) -> Decimal:
        return sum((r.month.paid or Decimal(0) for r in self.rows), Decimal(0))

    @property
    def paid_count(self) -> int:
        return sum(1 for r in self.rows if r.month.paid is not None)

    @property
    def unpaid_count(self) -> int:
        return sum(1 for r in self.rows if r.here and r.month.status in {"unpaid", "current"})

    @property
    def no_base_count(self) -> int:
        return sum(1 for r in self.rows if r.here and r.month.status == "no_base")

    @property
    def lapse_count(self) -> int:
        return sum(1 for r in self.rows if r.here and r.lapse_review)


def org_month(org, month: date, *, today: date) -> OrgMonth:
    """The organisation's members in good standing, and anyone who paid it for the month and
    has since left, each with the month and their arrears. Seven queries."""
    month = calc.month_of(month)
    this_month = calc.month_of(today)
    # Two indexed reads instead of one OR, which would scan every membership.
    here = Membership.objects.filter(org=org, status=MembershipStatus.NORMAL).values_list(
        "pk", flat=True
    )
    left = Membership.objects.filter(
        person_id__in=DuesPayment.objects.filter(org=org, month=month).values("person_id")
    ).values_list("pk", flat=True)
    memberships = list(
        Membership.objects.filter(pk__in={*here, *left})
        .select_related("person")
        .order_by("person__name_stroke_key", "pk")
    )
    person_ids = [m.person_id for m in memberships]
    bases, payments, waivers = defaultdict(list), defaultdict(list), defaultdict(list)
    # Plain rows, not models: a branch of 35 members has some 1,200 payments over three years.
    for base in (
        DuesBase.objects.filter(person_id__in=person_ids)
        .order_by("starts_on")
        .values_list("person_id", "starts_on", "category", "monthly_income", named=True)
    ):
        bases[base.person_id].append(base)
    for payment in DuesPayment.objects.filter(person_id__in=person_ids).values_list(
        "person_id", "month", "amount", "paid_on", named=True
    ):
        payments[payment.person_id].append(payment)
    for waiver in DuesWaiver.objects.filter(person_id__in=person_ids):
        waivers[waiver.person_id].append(waiver)
    rules_for = rules_in_force()
    rows = []
    last = max(month, this_month)
    for membership in memberships:
        pid = membership.person_id
        joined = calc.month_of(membership.joined_on)
        starts = [b.starts_on for b in bases[pid]] + [p.month for p in payments[pid]]
        first = max(joined, min(starts)) if starts else month
        months = calc.months_between(min(first, month), last)
        laid = calc.lay_out(
            months,
            today=today,
            bases=bases[pid],
            payments=payments[pid],
            waivers=waivers[pid],
            rules_for=rules_for,
        )
        upto_now = [m for m in laid if m.month <= this_month]
        in_effect = [b for b in bases[pid] if b.starts_on <= month]
        rows.append(
            Row(
                membership=membership,
                month=next(m for m in laid if m.month == month),
                arrears=calc.arrears(upto_now),
                unpaid_in_a_row=calc.months_unpaid_in_a_row(upto_now),
                here=membership.org_id == org.pk and membership.status == MembershipStatus.NORMAL,
                category=in_effect[-1].category if in_effect else "",
            )
        )
    return OrgMonth(org=org, month=month, rows=rows)
