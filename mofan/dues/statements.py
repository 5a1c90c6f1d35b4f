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
    overpaid: Decimal = Decimal(0)  # paid over the due (after a correction down)
    deferred: Decimal = Decimal(0)  # the part of the arrears in 暂缓 months

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
    upto_now = [m for m in laid if m.month <= this_month]
    return MemberYear(
        year=year,
        months=[m for m in laid if m.month.year == year],
        arrears=calc.arrears(upto_now),
        unpaid_in_a_row=calc.months_unpaid_in_a_row(upto_now),
        overpaid=calc.overpaid(laid),
        deferred=calc.deferred(upto_now),
        current_base=current[-1] if current else None,
        current_due=current_due,
    )


def paid_through(person, *, today: date) -> date | None:
    """The month up to which the member's dues are settled (paid in full or more, or waived), as
    a letter of introduction says "党费已交到某年某月": the last month of the settled run from the
    first month due. None: nothing settled yet. Four queries."""
    membership = Membership.objects.filter(person=person).only("joined_on").first()
    bases = list(DuesBase.objects.filter(person=person).order_by("starts_on"))
    payments = list(DuesPayment.objects.filter(person=person))
    starts = [p.month for p in payments]
    if bases:
        joined = calc.month_of(membership.joined_on) if membership else bases[0].starts_on
        starts.append(max(joined, bases[0].starts_on))
    if not starts:
        return None
    this_month = calc.month_of(today)
    ahead = sorted({p.month for p in payments if p.month > this_month})
    laid = calc.lay_out(
        _history(min(starts), today) + ahead,
        today=today,
        bases=bases,
        payments=payments,
        waivers=list(DuesWaiver.objects.filter(person=person)),
        rules_for=rules_in_force(),
    )
    through = None
    for month in laid:
        if month.status not in ("paid", "over", "waived"):
            break
        through = month.month
    return through


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


def records_of(person_ids, *, payments_since: date | None = None):
    """(bases, payments, waivers) of these people, each a dict by person id of plain rows, in
    three queries: a branch of 35 members has some 1,200 payments over three years, and the
    arrears check thousands of members — models would cost more than the reading."""
    bases, payments, waivers = defaultdict(list), defaultdict(list), defaultdict(list)
    for base in (
        DuesBase.objects.filter(person_id__in=person_ids)
        .order_by("starts_on")
        .values_list("person_id", "starts_on", "category", "monthly_income", named=True)
    ):
        bases[base.person_id].append(base)
    paid = DuesPayment.objects.filter(person_id__in=person_ids)
    if payments_since is not None:
        paid = paid.filter(month__gte=payments_since)
    for payment in paid.values_list("person_id", "month", "amount", "paid_on", named=True):
        payments[payment.person_id].append(payment)
    for waiver in DuesWaiver.objects.filter(person_id__in=person_ids):
        waivers[waiver.person_id].append(waiver)
    return bases, payments, waivers


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
    bases, payments, waivers = records_of(person_ids)
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


@dataclass(frozen=True)
class OrgYearRow:
    org: object
    members: int  # in good standing now
    paid_by_month: list[Decimal]  # paid to the organisation, January to December
    due: Decimal  # due from its present members for the year's months up to this one
    owed: Decimal  # of that, still unpaid (the month of today not yet counted)

    @property
    def paid(self) -> Decimal:
        return sum(self.paid_by_month, Decimal(0))


def _totals(root, first: date, last: date, today: date):
    """For every organisation of the subtree: its members in good standing now, what they were
    due and still owe over the months first..last (this month's not yet owed), and what the
    organisation received in each of those months. Five queries."""
    from django.db.models import Sum

    from mofan.orgs.models import PartyOrg

    received = defaultdict(dict)
    for org_id, month, total in (
        DuesPayment.objects.filter(
            org__in=PartyOrg.objects.subtree(root), month__gte=first, month__lte=last
        )
        .values_list("org_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("org_id", "month", "total")
    ):
        received[org_id][month] = total
    members = list(
        Membership.objects.in_subtree(root)
        .in_good_standing()
        .values_list("person_id", "org_id", "joined_on")
    )
    bases, payments, waivers = records_of([m[0] for m in members], payments_since=first)
    rules_for = rules_in_force()
    zero = lambda: Decimal("0.00")  # noqa: E731 - shown as 0.00, not 0
    due, owed, counted = defaultdict(zero), defaultdict(zero), defaultdict(int)
    months = calc.months_between(first, last) if first <= last else []
    for person_id, org_id, joined in members:
        counted[org_id] += 1
        mine = [m for m in months if m >= calc.month_of(joined)]
        for month in calc.lay_out(
            mine, today=today, bases=bases[person_id], payments=payments[person_id],
            waivers=waivers[person_id], rules_for=rules_for,
        ):  # fmt: skip
            due[org_id] += month.due or Decimal(0)
            if not (month.current or month.ahead):
                owed[org_id] += max(month.owed, Decimal(0))
    orgs = list(PartyOrg.objects.filter(pk__in={*received, *counted}).order_by("path"))
    return orgs, counted, due, owed, received


def org_year(root, year: int, *, today: date) -> list[OrgYearRow]:
    """The committee's yearly summary: each organisation of the subtree that has members or
    received dues, with what it received month by month and what its members owe. Five
    queries."""
    first, last = date(year, 1, 1), min(date(year, 12, 1), calc.month_of(today))
    orgs, counted, due, owed, received = _totals(root, first, last, today)
    return [
        OrgYearRow(
            org=org,
            members=counted[org.pk],
            paid_by_month=[
                received[org.pk].get(date(year, m, 1), Decimal(0)) for m in range(1, 13)
            ],
            due=due[org.pk],
            owed=owed[org.pk],
        )
        for org in orgs
    ]


@dataclass(frozen=True)
class OrgMonthTotal:
    org: object
    members: int
    due: Decimal
    paid: Decimal
    owed: Decimal


def org_month_totals(root, month: date, *, today: date) -> list[OrgMonthTotal]:
    """The month of every organisation below `root` that has members or received dues: for a
    committee's page, whose members sit in its branches."""
    orgs, counted, due, owed, received = _totals(root, month, month, today)
    return [
        OrgMonthTotal(
            org=org,
            members=counted[org.pk],
            due=due[org.pk],
            paid=received[org.pk].get(month, Decimal("0.00")),
            owed=owed[org.pk],
        )
        for org in orgs
        if org.pk != root.pk
    ]
