"""Permission matrix: persona × page × expected status. Outside the scope is 404, like a missing record."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

# (persona, url builder, status). URL builders take the world, so the matrix reads as a table.
MATRIX = [
    # the org tree and an org page
    ("alice", lambda w: reverse("orgs:tree"), 200),
    ("alice", lambda w: reverse("orgs:org_detail", args=[w.branch_a.pk]), 200),
    ("alice", lambda w: reverse("orgs:org_detail", args=[w.branch_b.pk]), 404),
    ("alice", lambda w: reverse("orgs:org_detail", args=[w.root.pk]), 404),
    ("amy", lambda w: reverse("orgs:org_detail", args=[w.branch_a.pk]), 200),
    ("bob", lambda w: reverse("orgs:org_detail", args=[w.branch_a.pk]), 404),
    ("carol", lambda w: reverse("orgs:org_detail", args=[w.branch_a.pk]), 200),
    ("sam", lambda w: reverse("orgs:org_detail", args=[w.root.pk]), 200),
    ("secadmin", lambda w: reverse("orgs:org_detail", args=[w.root.pk]), 200),
    ("sysadmin", lambda w: reverse("orgs:org_detail", args=[w.root.pk]), 404),
    ("auditor", lambda w: reverse("orgs:org_detail", args=[w.root.pk]), 404),
    # editing an org: only the org admin of a scope above it
    ("carol", lambda w: reverse("orgs:org_edit", args=[w.branch_a.pk]), 200),
    ("alice", lambda w: reverse("orgs:org_edit", args=[w.branch_a.pk]), 404),
    ("sam", lambda w: reverse("orgs:org_edit", args=[w.branch_a.pk]), 404),
    # the unit tree: structure along the user's unit scopes
    ("una", lambda w: reverse("orgs:unit_tree"), 200),
    ("una", lambda w: reverse("orgs:unit_tree") + f"?parent={w.unit_b.pk}", 200),
    ("una", lambda w: reverse("orgs:unit_tree") + f"?parent={w.unit_root.pk}", 404),
    ("alice", lambda w: reverse("orgs:unit_tree") + f"?parent={w.unit_a.pk}", 404),
    ("secadmin", lambda w: reverse("orgs:unit_tree") + f"?parent={w.unit_root.pk}", 200),
    ("sysadmin", lambda w: reverse("orgs:unit_tree") + f"?parent={w.unit_root.pk}", 404),
    # a person's page
    ("alice", lambda w: reverse("orgs:person_detail", args=[w.amy_p.pk]), 200),
    ("alice", lambda w: reverse("orgs:person_detail", args=[w.bob_p.pk]), 404),
    ("amy", lambda w: reverse("orgs:person_detail", args=[w.amy_p.pk]), 200),
    ("amy", lambda w: reverse("orgs:person_detail", args=[w.alice_p.pk]), 404),
    ("bob", lambda w: reverse("orgs:person_detail", args=[w.alice_p.pk]), 404),
    ("carol", lambda w: reverse("orgs:person_detail", args=[w.alice_p.pk]), 200),
    ("una", lambda w: reverse("orgs:person_detail", args=[w.bob_p.pk]), 200),
    ("una", lambda w: reverse("orgs:person_detail", args=[w.alice_p.pk]), 404),
    ("sysadmin", lambda w: reverse("orgs:person_detail", args=[w.alice_p.pk]), 404),
    ("secadmin", lambda w: reverse("orgs:person_detail", args=[w.alice_p.pk]), 404),
    ("auditor", lambda w: reverse("orgs:person_detail", args=[w.alice_p.pk]), 404),
    ("alice", lambda w: reverse("orgs:person_detail", args=[999999]), 404),
    # lists answer 200 for everyone logged in; their content is scoped (tested below)
    ("alice", lambda w: reverse("orgs:roster"), 200),
    ("amy", lambda w: reverse("orgs:roster"), 200),
    ("alice", lambda w: reverse("orgs:roster_export"), 200),
    ("alice", lambda w: reverse("orgs:people"), 200),
    ("sysadmin", lambda w: reverse("orgs:roster"), 200),
    # the audit trail: the auditor only
    ("auditor", lambda w: reverse("console:audit"), 200),
    ("auditor", lambda w: reverse("console:audit_export"), 200),
    ("sysadmin", lambda w: reverse("console:audit"), 404),
    ("secadmin", lambda w: reverse("console:audit"), 404),
    ("carol", lambda w: reverse("console:audit"), 404),
    # API
    ("alice", lambda w: f"/api/people/{w.amy_p.pk}/", 200),
    ("alice", lambda w: f"/api/people/{w.bob_p.pk}/", 404),
    ("alice", lambda w: f"/api/memberships/{w.bob_p.membership.pk}/", 404),
    ("alice", lambda w: f"/api/party-orgs/{w.branch_b.pk}/", 404),
    ("alice", lambda w: f"/api/party-orgs/{w.branch_a.pk}/", 200),
    ("bob", lambda w: f"/api/units/{w.unit_a.pk}/", 404),
    ("una", lambda w: f"/api/units/{w.unit_b.pk}/", 200),
    ("auditor", lambda w: "/api/audit-events/", 200),
    ("carol", lambda w: "/api/audit-events/", 403),
    ("sysadmin", lambda w: f"/api/people/{w.alice_p.pk}/", 404),
]


@pytest.mark.parametrize(("persona", "url", "status"), MATRIX)
def test_permission_matrix(world, login, persona, url, status):
    client = login(getattr(world, persona))
    response = client.get(url(world))
    assert response.status_code == status


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/orgs/tree/",
        "/orgs/roster/",
        "/orgs/people/",
        "/audit/",
        "/api/people/",
        "/api/memberships/",
    ],
)
def test_anonymous_is_sent_to_login_or_refused(client, db, url):
    response = client.get(url)
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_out_of_scope_page_looks_exactly_like_a_missing_one(world, login):
    client = login(world.alice)
    hidden = client.get(reverse("orgs:person_detail", args=[world.bob_p.pk]))
    missing = client.get(reverse("orgs:person_detail", args=[999999]))
    assert hidden.status_code == missing.status_code == 404

    def without_token(response):
        return re.sub(
            rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', b"", response.content
        )

    assert without_token(hidden) == without_token(missing)


def test_out_of_scope_api_answer_is_the_same_as_missing(world, login):
    client = login(world.alice)
    hidden = client.get(f"/api/people/{world.bob_p.pk}/")
    missing = client.get("/api/people/999999/")
    assert hidden.json() == missing.json() == {"detail": "未找到该记录。"}


def test_roster_of_a_secretary_lists_own_branch_only(world, login):
    client = login(world.alice)
    names = {row["person"]["name"] for row in client.get("/api/memberships/").json()["results"]}
    assert names == {"张三", "李四"}


def test_member_sees_only_self_in_roster(world, login):
    client = login(world.amy)
    names = {row["person"]["name"] for row in client.get("/api/memberships/").json()["results"]}
    assert names == {"李四"}


def test_admin_roles_see_no_people(world, login):
    for persona in ("sysadmin", "secadmin", "auditor"):
        client = login(getattr(world, persona))
        assert client.get("/api/people/").json()["count"] == 0
        assert client.get("/api/memberships/").json()["count"] == 0


def test_unit_scoped_leader_sees_people_of_the_unit(world, login):
    client = login(world.una)
    names = {row["name"] for row in client.get("/api/people/").json()["results"]}
    assert names == {"王五", "赵六", "孙七", "周八", "吴九"}


def test_roster_filter_by_org_outside_scope_reveals_nothing(world, login):
    client = login(world.alice)
    response = client.get(reverse("orgs:roster"), {"org": world.branch_b.pk})
    assert "王五" not in response.content.decode()


def test_secretary_cannot_change_org_by_post(world, login):
    client = login(world.alice)
    response = client.post(
        reverse("orgs:org_edit", args=[world.branch_a.pk]), {"name": "改名", "version": 1}
    )
    assert response.status_code == 404
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "第一党支部"


def test_unit_tree_shows_people_counts_of_the_users_units_only(world, login):
    page = login(world.una).get(reverse("orgs:unit_tree")).content.decode()
    assert "人事司" in page and "5 人" in page
    assert "办公厅" not in page
