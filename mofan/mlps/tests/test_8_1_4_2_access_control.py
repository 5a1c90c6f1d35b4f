"""GB/T 22239-2019 8.1.4.2 访问控制 (access control), level 3.

a) accounts and rights for every user; b) no default accounts or passwords; c) superfluous and
expired accounts removed or disabled, no shared accounts; d) least privilege and separated admin
roles; e) the access policy set by the authorised subject; f) user-level subjects, record-level
objects; g) security labels on important information, and access controlled by them."""

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from mofan.access import services as access
from mofan.access.models import RoleAssignment, User
from mofan.access.roles import Role
from mofan.core.errors import InvalidInput
from mofan.core.tests.test_every_url import urls

pytestmark = pytest.mark.django_db

# Pages anyone may open signed out; every other URL sends them to the login page (pages) or
# answers 401/403 (API). Checked in: a new public URL must be added here on purpose.
PUBLIC = {reverse("access:login")}
# 述职评议 ballots: the printed slip's code is the right to vote, once, without an account (an
# account would tie the ballot to a voter); a wrong code opens nothing.
PUBLIC_PREFIXES = ("/v/", "/api/debrief-ballots/")


def test_8_1_4_2_a_every_url_refuses_an_anonymous_user_unless_on_the_public_list(site_world):
    client = Client()
    let_in = []
    for url, read in urls(site_world):
        for method in ("get", "post") if read else ("post",):
            status = getattr(client, method)(url).status_code
            path = url.split("?")[0]
            if (
                path in PUBLIC
                or path.startswith(PUBLIC_PREFIXES)
                or url == reverse("access:logout")
            ):
                continue
            refused = status in (401, 403) if url.startswith("/api/") else status in (302, 403, 404)
            if not refused:
                let_in.append(f"{method.upper()} {url}: {status}")
    assert let_in == []
    assert client.get(reverse("access:login")).status_code == 200


def test_8_1_4_2_b_a_new_installation_has_no_account_at_all(db):
    # What the migrations leave behind: no default account, no default password.
    assert not User.objects.exists()


def test_8_1_4_2_c_a_deactivated_account_can_neither_sign_in_nor_use_its_token(world):
    key = access.issue_api_token(world.amy, actor=world.amy)
    access.set_active(world.amy, actor=world.sysadmin, active=False)
    client = Client()
    client.post(reverse("access:login"), {"username": "amy", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert Client().get("/api/meetings/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 401


def test_8_1_4_2_c_one_account_per_person(world):
    with pytest.raises(InvalidInput, match="一人只能有一个账户"):
        access.create_user(
            actor=world.sysadmin, username="alice2", password="Temp@Pass2026", person=world.alice_p
        )


@pytest.mark.parametrize("second", [Role.SECADMIN, Role.AUDITOR, Role.SUPERVISOR])
def test_8_1_4_2_d_an_admin_role_is_never_combined_with_another(world, second):
    kwargs = {"org": world.root} if second == Role.SUPERVISOR else {}
    with pytest.raises(InvalidInput, match="三权分立"):
        access.grant_role(world.sysadmin, actor=world.secadmin, role=second, **kwargs)


def test_8_1_4_2_d_nobody_grants_or_revokes_their_own_roles(world):
    with pytest.raises(InvalidInput, match="自己的角色"):
        access.grant_role(world.carol, actor=world.carol, role=Role.SUPERVISOR, org=world.root)
    own = RoleAssignment.objects.get(user=world.secadmin)
    with pytest.raises(InvalidInput, match="自己的角色"):
        access.revoke_role(own, actor=world.secadmin)
    assert RoleAssignment.objects.filter(pk=own.pk).exists()


def _rows() -> dict[str, int]:
    skip = {"audit", "sessions", "axes", "otp_totp", "authtoken"}
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in skip and model._meta.managed
    }


def test_8_1_4_2_d_the_auditor_changes_nothing_anywhere(site_world, login):
    client = login(site_world.auditor)
    before = _rows()
    for url, _ in urls(site_world):
        if url == reverse("access:logout"):
            continue
        client.post(url, {"action": "create", "username": "x", "role": "supervisor"})
    assert _rows() == before


BUSINESS_LISTS = [
    "/api/people/",
    "/api/memberships/",
    "/api/ledgers/",
    "/api/ledger-items/",
    "/api/meetings/",
    "/api/meeting-plans/",
]


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_8_1_4_2_d_admin_roles_read_no_business_record(site_world, login, persona):
    client = login(getattr(site_world, persona))
    for url in BUSINESS_LISTS:
        answer = client.get(url)
        assert answer.status_code == 200, url
        body = answer.json()
        assert (body["count"] if isinstance(body, dict) else len(body)) == 0, url
    for name in ("orgs:roster", "orgs:people", "ledger:list", "ledger:mine"):
        page = client.get(reverse(name)).content.decode()
        assert site_world.alice_p.name not in page and site_world.amy_p.name not in page, name


@pytest.mark.parametrize("persona", ["sysadmin", "auditor", "carol", "alice"])
def test_8_1_4_2_e_only_the_security_admin_grants_roles(world, login, persona):
    client = login(getattr(world, persona))
    answer = client.post(
        reverse("console:roles"),
        {"username": "amy", "role": Role.SUPERVISOR, "org": world.root.pk},
    )
    assert answer.status_code == 404
    assert not RoleAssignment.objects.filter(user=world.amy, role=Role.SUPERVISOR).exists()
    granted = login(world.secadmin).post(
        reverse("console:roles"),
        {"username": "amy", "role": Role.SUPERVISOR, "org": world.root.pk},
    )
    assert granted.status_code == 302
    assert RoleAssignment.objects.filter(user=world.amy, role=Role.SUPERVISOR).exists()


def test_8_1_4_2_f_a_secretary_of_another_branch_reaches_no_record_of_this_one(site_world, login):
    w = site_world
    client = login(w.bob)
    records = [
        reverse("orgs:person_detail", args=[w.amy_p.pk]),
        reverse("ledger:item", args=[w.item.pk]),
        reverse("meetings:meeting", args=[w.meeting.pk]),
        reverse("meetings:minutes", args=[w.meeting.pk]),
        reverse("meetings:org_hours", args=[w.branch_a.pk]),
        f"/api/people/{w.amy_p.pk}/",
        f"/api/meetings/{w.meeting.pk}/",
        f"/api/ledger-items/{w.item.pk}/",
    ]
    assert {url: client.get(url).status_code for url in records} == dict.fromkeys(records, 404)


def test_8_1_4_2_g_a_leading_group_s_minutes_are_labelled_and_read_only_by_its_members(
    site_world, login
):
    from mofan.meetings import services as meetings
    from mofan.meetings.models import MinutesGrant

    w = site_world
    meeting = w.committee_meeting
    with time_machine.travel("2026-11-20 10:00:00+08:00", tick=False):
        meetings.record_minutes(
            meeting, actor=w.carol, version=meeting.version, summary="研究了干部任用事项。",
            agenda={meeting.agenda.get().pk: {"discussion": "保密的讨论", "decision": "保密的决定"}},
        )  # fmt: skip
    page = reverse("meetings:meeting", args=[meeting.pk])
    assert "保密的讨论" in login(w.carol).get(page).content.decode()  # a member of the group
    listed = login(w.sam).get("/api/meetings/").json()["results"]
    seen = next(m for m in listed if m["id"] == meeting.pk)  # sam sees the meeting was held
    assert seen["agenda"][0]["discussion"] is None
    assert "保密的讨论" not in login(w.sam).get(page).content.decode()
    MinutesGrant.objects.create(org=w.organ, user=w.sam, granted_by=w.carol)
    assert "保密的讨论" in login(w.sam).get(page).content.decode()
