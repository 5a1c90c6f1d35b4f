from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from mofan.access import services
from mofan.access.roles import Role
from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput

pytestmark = pytest.mark.django_db
PASSWORD = "Test@Pass2026"


def _login(client, username, password=PASSWORD):
    return client.post(reverse("access:login"), {"username": username, "password": password})


def test_production_hasher_is_argon2():
    from mofan import settings as production_settings

    assert (
        production_settings.PASSWORD_HASHERS[0]
        == "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("Xq7vLm2p", True),
        ("xq7vlm2p!", True),
        ("abcdefgh1", False),
        ("Ab1!", False),
        ("ABCDEFGH", False),
    ],
)
def test_password_needs_eight_characters_of_three_classes(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_may_not_contain_the_username(world):
    with pytest.raises(ValidationError, match="用户名"):
        validate_password("Alice@2026x", world.alice)


def test_login_by_username_and_by_phone(world, client):
    assert _login(client, "alice").status_code == 302
    client.logout()
    response = _login(client, "13900000001")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.alice.pk)
    assert (
        AuditEvent.objects.filter(action="access.login.succeeded", actor_id=world.alice.pk).count()
        == 2
    )


def test_wrong_password_is_refused_in_chinese_and_audited(world, client):
    response = _login(client, "alice", "wrong")
    assert response.status_code == 200
    assert "用户名（手机号）或密码错误" in response.content.decode()
    assert AuditEvent.objects.filter(action="access.login.failed", actor_name="alice").exists()


def test_five_failures_lock_the_account_for_fifteen_minutes(world, client):
    for _ in range(5):
        _login(client, "alice", "wrong")
    response = _login(client, "alice")  # right password, still locked
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="access.login.locked").exists()
    assert django_settings.AXES_COOLOFF_TIME == timedelta(minutes=15)


def test_lockout_counts_attempts_by_phone_against_the_same_account(world, client):
    for _ in range(3):
        _login(client, "alice", "wrong")
    for _ in range(2):
        _login(client, "13900000001", "wrong")
    assert _login(client, "alice").status_code == 429


def _from(client, address, username, password=PASSWORD):
    return client.post(
        reverse("access:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_a_stranger_elsewhere_cannot_lock_someone_elses_account(world, client):
    for _ in range(6):
        assert _from(client, "127.0.0.9", "alice", "wrong").status_code in (200, 429)
    assert _from(client, "127.0.0.9", "alice").status_code == 429  # that name from that address
    assert _from(client, "127.0.0.2", "alice").status_code == 302  # alice at her desk


def test_one_address_trying_many_names_is_stopped(world, client):
    assert django_settings.LOCKOUT_LIMITS[1] == 20
    for n in range(19):
        assert _from(client, "127.0.0.9", f"guess{n}", "wrong").status_code == 200
    assert _from(client, "127.0.0.9", "guess19", "wrong").status_code == 429  # the 20th
    assert _from(client, "127.0.0.9", "bob").status_code == 429  # even with the right password
    assert _from(client, "127.0.0.2", "bob").status_code == 302


def test_many_addresses_guessing_one_account_lock_it(world, client):
    assert django_settings.LOCKOUT_LIMITS[2] == 50
    for n in range(10):
        for _ in range(5):
            _from(client, f"127.0.1.{n}", "alice", "wrong")
    assert _from(client, "127.0.0.2", "alice").status_code == 429


def test_signing_in_clears_only_that_names_failures_from_that_address(world, client):
    for n in range(19):
        _from(client, "127.0.0.9", f"guess{n}", "wrong")
    for _ in range(4):
        _from(client, "127.0.0.8", "alice", "wrong")
    assert _from(client, "127.0.0.9", "bob").status_code == 302  # 19 of 20 from this address
    client.logout()
    _from(client, "127.0.0.9", "guess19", "wrong")
    assert _from(client, "127.0.0.9", "bob").status_code == 429  # bob's success forgave nothing
    assert _from(client, "127.0.0.8", "alice").status_code == 302  # 4 of 5 for alice there
    client.logout()
    for _ in range(4):
        _from(client, "127.0.0.8", "alice", "wrong")
    assert _from(client, "127.0.0.8", "alice").status_code == 302  # her success cleared them


def test_initial_password_must_be_changed_before_anything_else(world, client):
    user = services.create_user(
        actor=world.sysadmin, username="newbie", password="Init@Pass01", temporary=True
    )
    services.grant_role(user, actor=world.secadmin, role=Role.MEMBER, org=world.branch_a)
    client.force_login(user)
    response = client.get("/orgs/roster/")
    assert response.status_code == 302 and response["Location"] == reverse("access:password_change")
    assert client.get("/api/people/").status_code == 403
    response = client.post(
        reverse("access:password_change"),
        {
            "old_password": "Init@Pass01",
            "new_password1": "Fresh#Pass02",
            "new_password2": "Fresh#Pass02",
        },
    )
    assert response.status_code == 302
    assert client.get("/orgs/roster/").status_code == 200
    assert AuditEvent.objects.filter(action="access.password.changed", actor_id=user.pk).exists()


def test_password_older_than_ninety_days_must_be_changed(world, client):
    world.alice.password_changed_at = timezone.now() - timedelta(days=91)
    world.alice.save()
    client.force_login(world.alice)
    assert client.get("/").status_code == 302


def test_admin_role_needs_a_second_factor_enrolled_then_verified(world, client):
    client.force_login(world.auditor)
    response = client.get("/audit/")
    assert response.status_code == 302 and response["Location"] == reverse("access:otp")
    page = client.get(reverse("access:otp"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.auditor, confirmed=False)
    wrong = client.post(reverse("access:otp"), {"token": "000000"})
    assert wrong.status_code == 400
    assert "动态口令不正确" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a failure throttles the next try for a second; the test does not wait
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    assert client.post(reverse("access:otp"), {"token": f"{token:06d}"}).status_code == 302
    assert client.get("/audit/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_business_user_needs_no_second_factor(world, client):
    client.force_login(world.alice)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("second", [Role.SECADMIN, Role.AUDITOR, Role.ORG_ADMIN])
def test_no_account_holds_two_admin_roles_or_mixes_admin_with_business(world, second):
    kwargs = {"org": world.root} if second == Role.ORG_ADMIN else {}
    with pytest.raises(InvalidInput, match="三权分立"):
        services.grant_role(world.sysadmin, actor=world.secadmin, role=second, **kwargs)


def test_business_role_without_scope_is_refused(world):
    with pytest.raises(InvalidInput, match="管辖范围"):
        services.grant_role(world.amy, actor=world.secadmin, role=Role.LEADER)


def test_role_changes_are_audited(world):
    assignment = services.grant_role(
        world.amy, actor=world.secadmin, role=Role.LEADER, org=world.root
    )
    services.revoke_role(assignment, actor=world.secadmin)
    actions = list(
        AuditEvent.objects.filter(actor_id=world.secadmin.pk).values_list("action", flat=True)
    )
    assert "access.role.granted" in actions and "access.role.revoked" in actions


def test_a_password_cannot_go_back_to_any_of_the_last_five(world):
    from mofan.access.models import PasswordHistory

    user = world.alice  # created with PASSWORD
    assert django_settings.PASSWORD_HISTORY == 5
    passwords = [f"Round#{n}Pass" for n in range(1, 6)]
    for password in passwords[:4]:
        services.change_password(user, actor=user, new_password=password)
    # The last five: PASSWORD and Round#1..#4 (the current one).
    for reused in [PASSWORD, *passwords[:4]]:
        with pytest.raises(InvalidInput, match="新密码不能与最近 5 次使用过的密码相同"):
            services.change_password(user, actor=user, new_password=reused)
    services.change_password(user, actor=user, new_password=passwords[4])
    services.change_password(user, actor=user, new_password=PASSWORD)  # six back: allowed again
    assert PasswordHistory.objects.filter(user=user).count() == 5
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_password_page_refuses_the_previous_password_in_chinese(world, client):
    user = world.alice
    services.change_password(user, actor=user, new_password="Second#Pass02")
    client.force_login(user)
    response = client.post(
        reverse("access:password_change"),
        {"old_password": "Second#Pass02", "new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert response.status_code == 200
    assert "新密码不能与最近 5 次使用过的密码相同。" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("Second#Pass02")


def test_an_administrators_reset_is_not_checked_against_the_history(world):
    """Refusing it would tell the administrator one of the user's earlier passwords."""
    services.reset_password(world.alice, actor=world.sysadmin, new_password=PASSWORD)
    world.alice.refresh_from_db()
    assert world.alice.password_changed_at is None and world.alice.check_password(PASSWORD)
