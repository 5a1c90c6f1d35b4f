import pytest
from django.urls import reverse

from mofan.access.models import RoleAssignment, User
from mofan.access.roles import Role
from mofan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "url", "status"),
    [
        ("sysadmin", "console:accounts", 200),
        ("secadmin", "console:accounts", 404),
        ("auditor", "console:accounts", 404),
        ("carol", "console:accounts", 404),
        ("secadmin", "console:roles", 200),
        ("sysadmin", "console:roles", 404),
        ("auditor", "console:roles", 404),
        ("carol", "console:roles", 404),
    ],
)
def test_admin_pages_belong_to_their_role_only(world, login, persona, url, status):
    assert login(getattr(world, persona)).get(reverse(url)).status_code == status


def test_sysadmin_creates_an_account_linked_by_id_number_with_a_temporary_password(world, login):
    client = login(world.sysadmin)
    response = client.post(
        reverse("console:accounts"),
        {
            "action": "create",
            "username": "wu9",
            "display_name": "吴九",
            "id_number": world.outsider_p.id_number,
        },
    )
    assert response.status_code == 200
    created = response.context["created"]
    user = User.objects.get(username="wu9")
    assert user.person == world.outsider_p
    assert user.password_changed_at is None  # must change at first login
    assert user.check_password(created["password"])
    assert not user.role_assignments.exists()  # roles come from the security admin
    assert AuditEvent.objects.filter(
        action="access.user.created", actor_id=world.sysadmin.pk
    ).exists()


def test_account_form_errors_are_chinese_and_change_nothing(world, login):
    client = login(world.sysadmin)
    count = User.objects.count()
    response = client.post(
        reverse("console:accounts"), {"action": "create", "username": "1x", "display_name": ""}
    )
    assert response.status_code == 400
    assert "用户名须以字母开头" in response.content.decode()
    response = client.post(
        reverse("console:accounts"),
        {
            "action": "create",
            "username": "nobody",
            "display_name": "无",
            "id_number": "110105194912310021",
        },
    )
    assert response.status_code == 400
    assert "未找到该公民身份号码对应的人员" in response.content.decode()
    response = client.post(
        reverse("console:accounts"),
        {"action": "create", "username": "alice", "display_name": "重名"},
    )
    assert response.status_code == 400
    assert "已存在" in response.content.decode()
    assert User.objects.count() == count


def test_a_person_gets_one_account_only(world, login):
    client = login(world.sysadmin)
    data = {
        "action": "create",
        "username": "una2",
        "display_name": "周八",
        "id_number": world.una_p.id_number,
    }
    response = client.post(reverse("console:accounts"), data)
    assert response.status_code == 400
    assert "该人员已有账户" in response.content.decode()
    assert not User.objects.filter(username="una2").exists()


def test_sysadmin_resets_a_password_and_deactivates_an_account(world, login):
    client = login(world.sysadmin)
    client.post(reverse("console:accounts"), {"action": "reset", "user": world.amy.pk})
    world.amy.refresh_from_db()
    assert world.amy.password_changed_at is None
    client.post(reverse("console:accounts"), {"action": "deactivate", "user": world.amy.pk})
    world.amy.refresh_from_db()
    assert not world.amy.is_active
    assert AuditEvent.objects.filter(action="access.user.deactivated").exists()


def test_secadmin_grants_a_scoped_role_picked_by_name_and_revokes_it(world, login):
    client = login(world.secadmin)
    page = client.get(reverse("console:roles")).content.decode()
    assert "管辖范围：党组织" in page and "编码" not in page
    # The picker finds the organisation by its pinyin initials, for the security admin too.
    found = client.get(
        reverse("orgs:pick", args=["orgs"]), {"q": "zgcsjg", "action": "browse"}
    ).json()
    assert [r["text"] for r in found["results"]][:1] == [world.organ.name]
    response = client.post(
        reverse("console:roles"),
        {"action": "grant", "username": "amy", "role": Role.LEADER, "org": world.organ.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=world.amy, role=Role.LEADER)
    assert assignment.org == world.organ
    client.post(reverse("console:roles"), {"action": "revoke", "assignment": assignment.pk})
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_secadmin_cannot_break_the_separation_of_admin_roles(world, login):
    client = login(world.secadmin)
    response = client.post(
        reverse("console:roles"),
        {"action": "grant", "username": "sysadmin", "role": Role.AUDITOR},
    )
    assert response.status_code == 400
    assert "三权分立" in response.content.decode()
    response = client.post(
        reverse("console:roles"),
        {"action": "grant", "username": "amy", "role": Role.LEADER, "org": 999999},
    )
    assert response.status_code == 400
    assert "所选项不存在，或不在您可选择的范围内。" in response.content.decode()
    response = client.post(
        reverse("console:roles"),
        {"action": "grant", "username": "amy", "role": Role.LEADER, "org": world.organ.pk,
         "unit": world.unit_a.pk},
    )  # fmt: skip
    assert response.status_code == 400
    assert "管辖范围只能选一个" in response.content.decode()
