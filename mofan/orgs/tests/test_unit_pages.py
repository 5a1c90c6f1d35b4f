import pytest
from django.urls import reverse

from mofan.access.roles import Role
from mofan.orgs.choices import HistoryKind
from mofan.orgs.models import OrgHistory, Person, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_admin(world):
    """An org admin whose scope is the whole unit tree."""
    from conftest import make_user

    return make_user("uadmin", None, (Role.ORG_ADMIN, world.unit_root))


def test_unit_page_shows_people_and_children(world, login):
    page = (
        login(world.una).get(reverse("orgs:unit_detail", args=[world.unit_b.pk])).content.decode()
    )
    assert "人事司" in page and "5 人" in page


@pytest.mark.parametrize(
    ("persona", "unit", "status"),
    [
        ("una", "unit_b", 200),
        ("una", "unit_a", 404),
        ("alice", "unit_a", 404),
        ("secadmin", "unit_a", 200),
        ("sysadmin", "unit_a", 404),
    ],
)
def test_unit_page_is_scoped(world, login, persona, unit, status):
    client = login(getattr(world, persona))
    assert (
        client.get(reverse("orgs:unit_detail", args=[getattr(world, unit).pk])).status_code
        == status
    )


def test_unit_admin_renames_adds_merges_and_history_follows(world, login, unit_admin):
    client = login(unit_admin)
    unit_b = world.unit_b
    response = client.post(
        reverse("orgs:unit_edit", args=[unit_b.pk]),
        {
            "name": "人事教育司",
            "short_name": "",
            "code": "UB",
            "kind": "department",
            "order": 0,
            "founded_on": "",
            "version": unit_b.version,
        },
    )
    assert response.status_code == 302
    assert OrgHistory.objects.filter(unit=unit_b, kind=HistoryKind.RENAMED).exists()
    response = client.post(
        reverse("orgs:unit_action", args=[world.unit_root.pk, "add_child"]),
        {"kind": "department", "name": "财务司", "code": "UC", "founded_on": "2026-01-01"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("orgs:unit_action", args=[unit_b.pk, "merge"]),
        {"target": Unit.objects.get(code="UC").pk, "on": "2026-02-01"},
    )
    assert response.status_code == 302
    assert Person.objects.filter(unit__code="UC").count() == 5
    assert Unit.objects.get(code="UB").dissolved_on is not None


def test_stale_unit_edit_is_409(world, login, unit_admin):
    client = login(unit_admin)
    url = reverse("orgs:unit_edit", args=[world.unit_a.pk])
    base = {
        "short_name": "",
        "code": "UA",
        "kind": "department",
        "order": 0,
        "founded_on": "",
        "version": world.unit_a.version,
    }
    assert client.post(url, {**base, "name": "甲"}).status_code == 302
    assert client.post(url, {**base, "name": "乙"}).status_code == 409
    assert Unit.objects.get(pk=world.unit_a.pk).name == "甲"


@pytest.mark.parametrize("persona", ["una", "carol", "secadmin"])
def test_only_unit_scoped_org_admins_change_units(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(reverse("orgs:unit_edit", args=[world.unit_b.pk])).status_code == 404
    assert (
        client.post(
            reverse("orgs:unit_action", args=[world.unit_b.pk, "dissolve"]), {"on": "2026-01-01"}
        ).status_code
        == 404
    )
