import pytest
from django.urls import reverse

from mofan.orgs.choices import HistoryKind
from mofan.orgs.models import OrgHistory, PartyOrg

pytestmark = pytest.mark.django_db


def _url(org, kind):
    return reverse("orgs:org_action", args=[org.pk, kind])


def test_org_admin_adds_a_branch_under_the_organ_committee(world, login):
    client = login(world.carol)
    response = client.post(
        _url(world.organ, "add_child"),
        {
            "kind": "branch",
            "name": "第三党支部",
            "code": "C",
            "founded_on": "2026-01-05",
            "term_started_on": "2026-01-05",
        },
    )
    child = PartyOrg.objects.get(code="C")
    assert response.status_code == 302 and child.path.startswith(world.organ.path)
    assert OrgHistory.objects.filter(party_org=child, kind=HistoryKind.FOUNDED).exists()


def test_kind_not_allowed_under_the_parent_is_refused(world, login):
    client = login(world.carol)
    response = client.post(
        _url(world.branch_a, "add_child"),
        {"kind": "branch", "name": "x", "code": "X", "founded_on": "2026-01-05"},
    )
    assert response.status_code == 400
    assert not PartyOrg.objects.filter(code="X").exists()


def test_move_and_merge_targets_must_be_in_scope(world, login):
    client = login(world.carol)
    response = client.post(
        _url(world.branch_a, "move"), {"target": world.root.pk, "on": "2026-02-01"}
    )
    assert response.status_code == 400
    assert "不在您可选择的范围内" in response.content.decode()


def test_dissolving_a_branch_with_members_is_refused_in_chinese(world, login):
    response = login(world.carol).post(_url(world.branch_b, "dissolve"), {"on": "2026-02-01"})
    assert response.status_code == 400
    assert "仍有党员" in response.content.decode()
    world.branch_b.refresh_from_db()
    assert world.branch_b.dissolved_on is None


def test_merge_through_the_page(world, login):
    response = login(world.carol).post(
        _url(world.branch_b, "merge"), {"target": world.branch_a.pk, "on": "2026-02-01"}
    )
    assert response.status_code == 302
    world.branch_b.refresh_from_db()
    assert world.branch_b.dissolved_on is not None


@pytest.mark.parametrize("persona", ["alice", "sam", "secadmin", "sysadmin"])
def test_only_org_admins_reach_structural_changes(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(_url(world.branch_a, "move")).status_code == 404
    assert client.post(_url(world.branch_a, "dissolve"), {"on": "2026-02-01"}).status_code == 404


def test_unknown_action_is_not_found(world, login):
    assert login(world.carol).get(_url(world.branch_a, "explode")).status_code == 404
