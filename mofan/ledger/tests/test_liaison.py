"""An item given to a unit may have no named owner yet: the unit's 督办联络员 receives it, names
the owner, and the owner is told (issue 10). Need-to-know: only the liaison of the lead unit (or
a unit above it) and the ledger's supervisors name owners; others answer 404 or are refused."""

from datetime import date

import pytest
from django.urls import reverse

from conftest import make_member, make_user
from mofan.access import services as access
from mofan.access.roles import Role
from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput
from mofan.ledger import services
from mofan.ledger.models import Item
from mofan.notify.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def handed(ledger_world):
    """Item 2 of sam's ledger is handed to 办公厅 (unit_a) without an owner; lian is 办公厅's
    督办联络员, lou the liaison of 人事司 (unit_b)."""
    w = ledger_world
    lian_p = make_member("钱联", w.unit_a, w.branch_a)
    w.lian = make_user("lian", lian_p, (Role.LIAISON, w.unit_a))
    lou_p = make_member("孙络", w.unit_b, w.branch_b)
    w.lou = make_user("lou", lou_p, (Role.LIAISON, w.unit_b))
    w.handed = services.add_item(
        w.ledger,
        actor=w.sam,
        content="起草机关作风建设方案",
        lead_unit=w.unit_a,
        deadline=date(2026, 12, 31),
    )
    return w


def test_a_liaison_is_bound_to_a_unit(world):
    with pytest.raises(InvalidInput, match="督办联络员须绑定单位"):
        access.grant_role(world.amy, actor=None, role=Role.LIAISON, org=world.branch_a)


def test_assigned_to_the_unit_the_liaison_is_told_and_names_the_owner(handed):
    w = handed
    services.transition(w.handed, "assign", actor=w.sam)
    w.handed.refresh_from_db()
    assert w.handed.state == "assigned" and not w.handed.owners.exists()
    notice = Notification.objects.get(user=w.lian, kind="ledger.assign")
    assert notice.title == f"督办事项 {w.handed.number} 交办办公厅，请指定责任人"
    assert not Notification.objects.filter(user=w.lou).exists()

    services.name_owners(w.handed, actor=w.lian, owners=[w.amy_p])
    assert list(w.handed.owners.all()) == [w.amy_p]
    told = Notification.objects.get(user=w.amy, kind="ledger.owners")
    assert "已指定您为责任人" in told.title
    assert AuditEvent.objects.filter(action="ledger.item.owners_named").count() == 1
    assert w.handed.events.filter(kind="owners", comment="责任人：李四").exists()
    # the named owner takes it from here
    services.transition(w.handed, "accept", actor=w.amy)


def test_only_the_lead_units_liaison_or_a_supervisor_names_owners(handed):
    w = handed
    services.transition(w.handed, "assign", actor=w.sam)
    for outsider in (w.lou, w.amy, w.una, w.carol):
        with pytest.raises(services.NotAllowed):
            services.name_owners(w.handed, actor=outsider, owners=[w.amy_p])
    services.name_owners(w.handed, actor=w.sam, owners=[w.alice_p])
    assert list(w.handed.owners.all()) == [w.alice_p]


def test_owners_come_from_the_lead_unit_and_have_an_account(handed):
    w = handed
    services.transition(w.handed, "assign", actor=w.sam)
    with pytest.raises(InvalidInput, match="王五不是牵头单位"):
        services.name_owners(w.handed, actor=w.lian, owners=[w.bob_p])  # 人事司
    nobody = make_member("周无号", w.unit_a, w.branch_a)
    with pytest.raises(InvalidInput, match="周无号不是牵头单位"):
        services.name_owners(w.handed, actor=w.lian, owners=[nobody])
    with pytest.raises(InvalidInput, match="至少指定一名"):
        services.name_owners(w.handed, actor=w.lian, owners=[])


def test_a_closed_item_gets_no_new_owner(handed):
    w = handed
    Item.objects.filter(pk=w.handed.pk).update(state="closed")
    with pytest.raises(InvalidInput, match="不能再指定责任人"):
        services.name_owners(w.handed, actor=w.lian, owners=[w.amy_p])


def test_the_liaisons_task_page_item_page_and_api(handed, login):
    w = handed
    services.transition(w.handed, "assign", actor=w.sam)
    client = login(w.lian)
    tasks = client.get(reverse("ledger:mine")).content.decode()
    assert "交办本单位、待指定责任人（1 项）" in tasks and "起草机关作风建设方案" in tasks
    page = client.get(reverse("ledger:item", args=[w.handed.pk])).content.decode()
    assert 'data-testid="owners-card"' in page and "尚未指定责任人" in page
    assert f"/orgs/pick/people/?within={w.unit_a.pk}&amp;account=1" in page

    # a person of another unit is no valid choice for the form, like a missing one
    response = client.post(
        reverse("ledger:item_action", args=[w.handed.pk, "owners"]), {"owners": [w.bob_p.pk]}
    )
    assert response.status_code == 400 and not w.handed.owners.exists()
    response = client.post(
        reverse("ledger:item_action", args=[w.handed.pk, "owners"]), {"owners": [w.amy_p.pk]}
    )
    assert response.status_code == 302 and list(w.handed.owners.all()) == [w.amy_p]
    assert 'data-testid="to-name"' not in client.get(reverse("ledger:mine")).content.decode()

    answer = client.post(
        f"/api/ledger-items/{w.handed.pk}/owners/",
        {"owners": [w.alice_p.pk]},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["owners"] == [w.alice_p.pk]


def test_another_units_liaison_neither_sees_nor_names(handed, login):
    w = handed
    services.transition(w.handed, "assign", actor=w.sam)
    client = login(w.lou)
    assert client.get(reverse("ledger:item", args=[w.handed.pk])).status_code == 404
    answer = client.post(
        f"/api/ledger-items/{w.handed.pk}/owners/",
        {"owners": [w.amy_p.pk]},
        content_type="application/json",
    )
    assert answer.status_code == 404
    response = client.post(
        reverse("ledger:item_action", args=[w.handed.pk, "owners"]), {"owners": [w.amy_p.pk]}
    )
    assert response.status_code == 404
    assert not w.handed.owners.exists()
    assert "起草机关作风建设方案" not in client.get(reverse("ledger:mine")).content.decode()


def test_bulk_assign_takes_items_with_a_lead_unit_and_no_owner(handed, login):
    w = handed
    response = login(w.sam).post(
        reverse("ledger:bulk", args=[w.ledger.pk]),
        {"action": "assign", "items": [w.item.pk, w.handed.pk]},
        follow=True,
    )
    assert f"已交办 2 项：1、{w.handed.number}" in response.content.decode()
