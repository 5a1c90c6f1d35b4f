"""Demo dues for the small demo: each member's base from January of this year (most salaried,
some retired, a student or two), this year's months mostly paid — a few members behind, one six
months behind (the 党章第九条 review), one with an approved 少交 — and 办公厅第一党支部's
党费收缴员. Written in bulk with a fixed seed; idempotent."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mofan.access import services as access_services
from mofan.access.models import User
from mofan.access.roles import Role
from mofan.dues import calc
from mofan.dues.models import DuesBase, DuesPayment, DuesRule, DuesWaiver
from mofan.dues.rules_national import ensure_national_brackets
from mofan.dues.services import rules_in_force
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership, PartyOrg

COLLECTOR = "shoujiao_a"


def _collector(branch, password: str) -> None:
    if User.objects.filter(username=COLLECTOR).exists():
        return
    taken = User.objects.filter(person__isnull=False).values("person_id")
    membership = (
        Membership.objects.filter(org=branch, status=MembershipStatus.NORMAL)
        .exclude(person_id__in=taken)
        .order_by("pk")
        .first()
    )
    if membership is None:
        return
    user = access_services.create_user(
        actor=None, username=COLLECTOR, password=password, person=membership.person,
        temporary=False,
    )  # fmt: skip
    access_services.grant_role(user, actor=None, role=Role.DUES_COLLECTOR, org=branch)
    access_services.grant_role(user, actor=None, role=Role.MEMBER, org=branch)


def seed_small(password: str) -> int:
    branch = PartyOrg.objects.filter(code="DEMO-B00").first()
    if branch is None:
        return 0
    _collector(branch, password)
    if DuesBase.objects.exists():
        return 0
    # The migration loads the brackets; a database emptied since (a test's flush) has none.
    ensure_national_brackets(DuesRule)
    rng = random.Random(20261202)  # nosec B311
    today = timezone.localdate()
    first = date(today.year, 1, 1)
    this_month = calc.month_of(today)
    months = calc.months_between(first, calc.add_months(this_month, -1))
    rules_for = rules_in_force()
    memberships = list(
        Membership.objects.filter(org__code__startswith="DEMO-", status=MembershipStatus.NORMAL)
        .select_related("org")
        .order_by("pk")
    )
    bases, payments, waivers = [], [], []
    # In 办公厅第一党支部, where the demo's collector works: one member seven months behind (up
    # for the 党章第九条 review), two a few months behind, one with an approved 少交.
    home = [m.pk for m in memberships if m.org_id == branch.pk]
    picked = home[8:12] + [None] * 4
    lapsed, reduced = picked[0], picked[1]
    behind = {pk for pk in picked[2:4] if pk} | {
        m.pk for m in rng.sample(memberships, min(6, len(memberships)))
    }
    for membership in memberships:
        roll = rng.random()
        if roll < 0.12:
            category, income = "retired", Decimal(rng.randrange(3800, 9000, 10))
        elif roll < 0.14:
            category, income = "fixed", Decimal(0)
        else:
            category, income = "salaried", Decimal(rng.randrange(4200, 16000, 10))
        starts = max(first, calc.month_of(membership.joined_on))
        bases.append(
            DuesBase(
                person_id=membership.person_id, starts_on=starts, category=category,
                monthly_income=income, note="年度核定",
            )
        )  # fmt: skip
        due, _ = calc.monthly_amount(income, category, rules_for(starts))
        if membership.pk == reduced:
            waivers.append(
                DuesWaiver(
                    person_id=membership.person_id, kind="reduced", first_month=first,
                    last_month=date(today.year, 12, 1), reduced_amount=Decimal("5.00"),
                    reason="家庭困难，本人申请，经党支部研究、机关党委批准少交",
                    approved_on=first - timedelta(days=10),
                )
            )  # fmt: skip
            due = Decimal("5.00")
        for month in months:
            if month < starts:
                continue
            if membership.pk == lapsed and month >= calc.add_months(this_month, -7):
                continue
            if membership.pk in behind and month >= calc.add_months(this_month, -rng.randint(1, 3)):
                continue
            paid_on = month + timedelta(days=rng.randint(3, 25))
            payments.append(
                DuesPayment(
                    person_id=membership.person_id, org_id=membership.org_id, month=month,
                    amount=due, paid_on=min(paid_on, today), method=rng.choice(["cash", "transfer", "online"]),
                )
            )  # fmt: skip
    with transaction.atomic():
        DuesBase.objects.bulk_create(bases)
        DuesWaiver.objects.bulk_create(waivers)
        DuesPayment.objects.bulk_create(payments, batch_size=2000)
    return len(payments)
