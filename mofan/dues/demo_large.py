"""The dues of `seed-demo --scale large`: every member in good standing of the national tree with
a base for each of the last three years and about 34 of the 36 months paid — some members a few
months behind, about one in two hundred seven months behind (the 党章第九条 review) — some
3,400,000 payments. Written with mofan.core.bulk (COPY on PostgreSQL), ids assigned here,
deterministically."""

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from mofan.core.bulk import bulk_load, reset_sequences, write_rows
from mofan.dues import calc
from mofan.dues.models import DuesBase, DuesPayment
from mofan.dues.services import rules_in_force
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership

SEED = 20261202
PREFIX = "NAT-"
MONTHS = 36
BATCH = 200_000
METHODS = ["cash", "transfer", "online"]


class LargeDuesSeeder:
    def __init__(self, progress: Callable[[int], None] | None = None):
        self.rng = random.Random(f"{SEED}-dues-large")  # nosec B311
        self.progress = progress or (lambda n: None)

    @property
    def total_steps(self) -> int:
        return Membership.objects.filter(
            org__code__startswith=PREFIX, status=MembershipStatus.NORMAL
        ).count()

    def already_seeded(self) -> bool:
        return DuesBase.objects.filter(person__membership__org__code__startswith=PREFIX).exists()

    def run(self) -> dict:
        today = timezone.localdate()
        this_month = calc.month_of(today)
        first = calc.add_months(this_month, -MONTHS)
        years = sorted({m.year for m in calc.months_between(first, this_month)})
        rules_for = rules_in_force()
        rng = self.rng
        members = list(
            Membership.objects.filter(org__code__startswith=PREFIX, status=MembershipStatus.NORMAL)
            .order_by("pk")
            .values_list("person_id", "org_id", "joined_on")
        )
        next_base = (DuesBase.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        next_pay = (
            DuesPayment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        bases, payments, counts = [], [], {"bases": 0, "payments": 0}
        base_columns = ["id", "person_id", "starts_on", "category", "monthly_income", "note",
                        "recorded_by_id", "recorded_at", "version"]  # fmt: skip
        pay_columns = ["id", "person_id", "org_id", "month", "amount", "paid_on", "method",
                       "note", "recorded_by_id", "recorded_at"]  # fmt: skip
        now = timezone.now()

        def flush(force=False):
            if bases and (force or len(bases) >= BATCH):
                write_rows(DuesBase, base_columns, bases)
                counts["bases"] += len(bases)
                bases.clear()
            if payments and (force or len(payments) >= BATCH):
                write_rows(DuesPayment, pay_columns, payments)
                counts["payments"] += len(payments)
                payments.clear()

        with transaction.atomic(), bulk_load(DuesBase), bulk_load(DuesPayment):
            for n, (person_id, org_id, joined) in enumerate(members):
                roll = rng.random()
                category = "retired" if roll < 0.10 else "fixed" if roll < 0.12 else "salaried"
                income = (
                    Decimal(0) if category == "fixed" else Decimal(rng.randrange(3500, 18000, 10))
                )
                start = max(first, calc.month_of(joined))
                due_by_year = {}
                for year in years:
                    month = max(start, date(year, 1, 1))
                    if month > this_month or month.year != year:
                        continue
                    bases.append(
                        (next_base, person_id, month, category, income, f"{year}年度核定",
                         None, now, 1)
                    )  # fmt: skip
                    next_base += 1
                    due_by_year[year] = calc.monthly_amount(income, category, rules_for(month))[0]
                    if category != "fixed":
                        income = (income * Decimal("1.03")).quantize(calc.FEN)
                habit = rng.random()
                stop = (
                    calc.add_months(this_month, -7) if habit < 0.005
                    else calc.add_months(this_month, -rng.randint(1, 3)) if habit < 0.05
                    else this_month
                )  # fmt: skip
                for month in calc.months_between(start, calc.add_months(this_month, -1)):
                    if month >= stop or month.year not in due_by_year:
                        continue
                    paid_on = month + timedelta(days=rng.randint(2, 27))
                    payments.append(
                        (next_pay, person_id, org_id, month, due_by_year[month.year],
                         min(paid_on, today), METHODS[n % 3], "", None, now)
                    )  # fmt: skip
                    next_pay += 1
                flush()
                if n % 1000 == 999:
                    self.progress(1000)
            flush(force=True)
        reset_sequences([DuesBase, DuesPayment])
        if connection.vendor == "postgresql":
            # Fresh statistics: the planner would otherwise scan millions of rows it thinks empty.
            with connection.cursor() as cursor:
                for model in (DuesBase, DuesPayment):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        return counts
