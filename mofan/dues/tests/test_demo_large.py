"""The large demo's dues: written the fast way, yet what the services would record — amounts by
the brackets, no month paid twice, the sequences past the rows, and the arrears check finds the
members the seeder left seven months behind."""

from datetime import date

import pytest
from django.db.models import Count
from time_machine import travel

from conftest import make_member
from mofan.dues import calc, checks, services, statements
from mofan.dues.demo_large import LargeDuesSeeder
from mofan.dues.models import DuesBase, DuesPayment
from mofan.orgs import services as orgs
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import Membership


@pytest.mark.usefixtures("brackets")
def test_large_dues_seeder_writes_what_the_rules_say(db):
    root = orgs.create_org(
        actor=None, parent=None, kind=OrgKind.COMMITTEE, code="NAT-P0", name="系统党委"
    )
    branch = orgs.create_org(
        actor=None, parent=root, kind=OrgKind.BRANCH, code="NAT-B0", name="第1党支部"
    )
    unit = orgs.create_unit(actor=None, parent=None, kind="organ", code="NAT-U0", name="示范系统")
    people = [make_member(f"成员{i}", unit, branch) for i in range(300)]
    # One joined in the middle of the three years: bases from that month, none before.
    Membership.objects.filter(person=people[1]).update(joined_on=date(2024, 8, 10))
    with travel("2026-12-02 10:00:00+08:00", tick=False):
        seeder = LargeDuesSeeder()
        assert seeder.total_steps == 300 and not seeder.already_seeded()
        counts = seeder.run()
        assert seeder.already_seeded()
        assert counts == {
            "bases": DuesBase.objects.count(),
            "payments": DuesPayment.objects.count(),
        }
        assert counts["bases"] == 299 * 4 + 3  # 2023 (from December), 2024, 2025, 2026
        assert list(
            DuesBase.objects.filter(person=people[1]).values_list("starts_on", flat=True)
        ) == [date(2024, 8, 1), date(2025, 1, 1), date(2026, 1, 1)]
        assert 300 * 30 < counts["payments"] < 300 * 36
        assert (
            not DuesPayment.objects.values("person", "month")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
        )
        # Every amount is the bracket's amount for that year's base (else "short" or "over"),
        # and the arrears check finds exactly those whose months show six unpaid in a row.
        behind = set()
        for person in people:
            year = statements.member_year(person, 2026, today=date(2026, 12, 2))
            assert {m.status for m in year.months} <= {"paid", "unpaid", "current"}
            if year.unpaid_in_a_row >= calc.LAPSE_MONTHS:
                behind.add(person.pk)
        assert {lapse.person_id for lapse in checks.lapses(date(2026, 12, 2))} == behind
        # New rows get ids past the seeded ones.
        payment = services.record_payment(
            people[0], actor=None, month=date(2026, 12, 1), paid_on=date(2026, 12, 2),
            method="cash", today=date(2026, 12, 2),
        )  # fmt: skip
    assert payment.pk > max(DuesPayment.objects.exclude(pk=payment.pk).values_list("pk", flat=True))
