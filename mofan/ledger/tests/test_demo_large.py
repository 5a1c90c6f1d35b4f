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
    for i in range(5):
        make_person(f"测试{i}", division)
    seeder = LargeLedgerSeeder(items=300, reports=900, ledgers=3)
    counts = seeder.run()
    assert counts == {"ledgers": 3, "items": 300, "reports": ProgressReport.objects.count()}
    assert 800 <= counts["reports"] <= 900
    assert Item.objects.count() == 300 and Ledger.objects.count() == 3
    assert sorted(
        Item.objects.filter(ledger=Ledger.objects.order_by("name").first()).values_list(
            "number", flat=True
        ),
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
