"""The daily arrears check: who is six months behind without a valid reason, found set-based and
equal to laying out every member's months one by one; one notice per run to the secretary and
the collector, never twice."""

import random
from datetime import date
from decimal import Decimal

from conftest import make_member
from mofan.dues import calc, checks, services, statements
from mofan.dues.models import DuesBase, DuesPayment, DuesWaiver
from mofan.notify.models import Notification
from mofan.orgs.models import Membership

TODAY = date(2026, 12, 2)


def test_eleven_months_unpaid_is_a_lapse_and_a_payment_or_an_excuse_ends_it(dues_world):
    found = checks.lapses(TODAY)
    # amy (a 5,000 base from January) and alice (retired, likewise) paid nothing since.
    assert sorted((f.name, f.months, f.since) for f in found) == [
        ("张三", 11, date(2026, 1, 1)),
        ("李四", 11, date(2026, 1, 1)),
    ]
    services.record_payment(
        dues_world.amy_p, actor=None, month=date(2026, 7, 1), paid_on=date(2026, 7, 5),
        method="cash", today=TODAY,
    )  # fmt: skip
    services.record_waiver(
        dues_world.alice_p, actor=None, kind="excused", first_month=date(2026, 9, 1),
        last_month=date(2026, 9, 1), reason="援疆，经党支部同意", approved_on=date(2026, 8, 20),
    )  # fmt: skip
    # amy: August–November (4 months); alice: October–November (2).
    assert checks.lapses(TODAY) == []


def test_notices_go_to_the_secretary_and_the_collector_once(dues_world):
    first = checks.notify_lapses(TODAY)
    again = checks.notify_lapses(TODAY)
    assert first == {"lapses": 2, "notices": 4}  # two members × (alice as secretary, cora)
    assert again == {"lapses": 2, "notices": 0}
    users = set(
        Notification.objects.filter(kind="dues_lapse").values_list("user__username", flat=True)
    )
    assert users == {"alice", "cora"}
    assert Notification.objects.filter(title="党费提醒：李四已连续11个月未交纳党费").count() == 2


def test_the_set_based_check_equals_every_member_laid_out(dues_world):
    rng = random.Random(7)
    people = [dues_world.amy_p, dues_world.alice_p]
    people += [make_member(f"党员{n}", dues_world.unit_a, dues_world.branch_a) for n in range(30)]
    for person in people[2:]:
        diligence = rng.choice([0.05, 0.35, 0.9])
        DuesBase.objects.create(
            person=person, starts_on=date(2025, rng.randint(1, 12), 1),
            category=rng.choice(["salaried", "retired", "fixed"]),
            monthly_income=Decimal(rng.choice([0, 2500, 4800, 12000])),
        )  # fmt: skip
        for month in calc.months_between(date(2025, 1, 1), date(2026, 12, 1)):
            if rng.random() < diligence:
                DuesPayment.objects.create(
                    person=person, org=dues_world.branch_a, month=month, amount=Decimal("1.00"),
                    paid_on=month, method="cash",
                )  # fmt: skip
        if rng.random() < 0.3:
            first = date(2026, rng.randint(1, 11), 1)
            kind = rng.choice(["exempt", "excused", "reduced"])
            DuesWaiver.objects.create(
                person=person, kind=kind, first_month=first,
                last_month=calc.add_months(first, rng.randint(0, 3)),
                reduced_amount=Decimal("1.00") if kind == "reduced" else None, reason="测试",
                approved_on=first,
            )  # fmt: skip
    expected = {}
    for membership in Membership.objects.filter(person__in=people):
        year = statements.member_year(membership.person, 2026, today=TODAY)
        if year.unpaid_in_a_row >= calc.LAPSE_MONTHS:
            expected[membership.person_id] = year.unpaid_in_a_row
    found = {f.person_id: f.months for f in checks.lapses(TODAY)}
    assert found == expected
    assert len(expected) >= 3  # the random data has lapses to find


def test_the_notice_opens_the_members_dues_page(dues_world, login):
    checks.notify_lapses(TODAY)
    notice = Notification.objects.filter(user=dues_world.cora, kind="dues_lapse").first()
    client = login(dues_world.cora)
    response = client.post("/notifications/", {"id": notice.pk})
    assert response.status_code == 302
    assert response.url in {
        f"/dues/members/{p.pk}/" for p in (dues_world.amy_p, dues_world.alice_p)
    }
    assert client.get(response.url).status_code == 200
