import pytest

from conftest import make_person
from mofan.ledger.demo_large import LargeLedgerSeeder
from mofan.ledger.models import Item, ItemEvent, Ledger, ProgressReport
from mofan.orgs import services as orgs

pytestmark = pytest.mark.django_db


def test_large_ledger_seeder_writes_what_it_says_and_only_once(db):
    root = orgs.create_unit(
        actor=None, parent=None, kind="organ", code="NAT-U0", name="全国示范系统"
    )
    office = orgs.create_unit(
        actor=None, parent=root, kind="department", code="NAT-U00", name="第1分局"
    )
    division = orgs.create_unit(
        actor=None, parent=office, kind="division", code="NAT-U00-000", name="综合处"
    )
    second = orgs.create_unit(
        actor=None, parent=office, kind="division", code="NAT-U00-001", name="政策处"
    )
    for i in range(5):
        make_person(f"测试{i}", division)
    seeder = LargeLedgerSeeder(items=300, reports=900, ledgers=3)
    counts = seeder.run()
    assert counts == {"ledgers": 3, "items": 300, "reports": ProgressReport.objects.count()}
    # 层层分解: one top item in 25 is a department's, split between its two divisions by the
    # department's leader, each part split again by the division's head — keys extend keys.
    parent = Item.objects.filter(has_children=True, parent__isnull=True).order_by("pk").first()
    assert parent.number == "25" and parent.lead_unit == office
    parts = list(parent.children.order_by("sort_key"))
    assert [p.number for p in parts] == ["25.1", "25.2"]
    assert {p.lead_unit for p in parts} == {division, second}
    assert {p.supervisor.username for p in parts} == {f"nat_lead_{office.pk}"}
    assert all(p.sort_key.startswith(parent.sort_key + ".") for p in parts)
    grandchild = parts[0].children.get()
    assert grandchild.number == "25.1.1" and grandchild.supervisor.username == (
        f"nat_lead_{parts[0].lead_unit_id}"
    )
    assert grandchild.deadline <= parts[0].deadline <= parent.deadline
    # The kept roll-up deadline is what the services would compute.
    from mofan.ledger.services import _rollup_of

    for item in Item.objects.filter(has_children=True):
        assert item.rollup_deadline == _rollup_of(item), item.number
    cascaded = Item.objects.filter(parent__isnull=False).count()
    assert 0 < cascaded < 0.2 * 300
    assert 800 <= counts["reports"] <= 900
    assert Item.objects.count() == 300 and Ledger.objects.count() == 3
    assert sorted(
        Item.objects.filter(
            ledger=Ledger.objects.order_by("name").first(), parent__isnull=True
        ).values_list("number", flat=True),
        key=int,
    )[:3] == ["1", "2", "3"]
    assert all(i.owners.exists() for i in Item.objects.all()[:20])
    assert seeder.already_seeded()
    from mofan.access.models import User
    from mofan.access.services import password_expired

    assert not password_expired(User.objects.get(username="nat_duban"))
    assert set(Item.objects.values_list("state", flat=True)) >= {"draft", "in_progress", "closed"}
    assert ItemEvent.objects.filter(kind="created").count() == 300
    # Ids were assigned by the seeder; the sequence moved past them.
    later = Item.objects.create(
        ledger=Ledger.objects.first(), number="新", sort_key="999999", content="之后新增"
    )
    assert later.pk > max(Item.objects.exclude(pk=later.pk).values_list("pk", flat=True))
