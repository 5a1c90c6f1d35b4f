"""GB/T 22239-2019 8.1.4.1 身份鉴别 (identification and authentication), level 3.

a) unique identities, complex passwords changed periodically; b) login failure handling, session
end, limited attempts, timeout; c) credentials protected in transit; d) two or more factors, one
of them cryptographic."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD
from mofan.access import services as access
from mofan.core.errors import InvalidInput
from mofan.mlps.tests.support import production_settings

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("access:login"), {"username": username, "password": password}, **extra
    )


def test_8_1_4_1_a_usernames_are_unique(world):
    with pytest.raises(InvalidInput, match="已存在"):
        access.create_user(actor=None, username="alice", password="Another@Pass26")


@pytest.mark.parametrize("weak", ["short1!", "alllowercase", "ALLUPPER123", "12345678"])
def test_8_1_4_1_a_a_password_needs_eight_characters_of_three_kinds(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)
    validate_password("Xq7vLm2p!")


def test_8_1_4_1_a_passwords_are_kept_as_argon2id_hashes(world, settings):
    settings.PASSWORD_HASHERS = production_settings()["PASSWORD_HASHERS"]
    access.change_password(world.amy, actor=world.amy, new_password="Fresh@Pass2027")
    world.amy.refresh_from_db()
    assert world.amy.password.startswith("argon2$argon2id$")
    assert "Fresh@Pass2027" not in world.amy.password


def test_8_1_4_1_a_the_first_password_must_be_changed_before_anything_else(world, client):
    user = access.create_user(actor=world.sysadmin, username="newbie", password="Temp@Pass2026")
    _sign_in(client, "newbie", "Temp@Pass2026")
    answer = client.get(reverse("orgs:roster"))
    assert answer.status_code == 302 and answer["Location"] == reverse("access:password_change")
    assert user.password_changed_at is None


def test_8_1_4_1_a_a_password_older_than_90_days_must_be_changed(world, client):
    _sign_in(client, "amy")
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        client.force_login(world.amy)  # the idle limit would end the old session
        answer = client.get(reverse("orgs:roster"))
    assert answer["Location"] == reverse("access:password_change")


def test_8_1_4_1_a_none_of_the_last_five_passwords_comes_back(world):
    history = ["First@Pass2026", "Second@Pass2026", "Third@Pass2026"]
    for password in history:
        access.change_password(world.amy, actor=world.amy, new_password=password)
    for old in [PASSWORD, *history[:-1]]:
        with pytest.raises(InvalidInput):
            access.change_password(world.amy, actor=world.amy, new_password=old)


def test_8_1_4_1_b_five_failures_from_one_address_lock_the_account(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "alice", "Wrong@Pass2026", REMOTE_ADDR="10.0.0.9")
    locked = _sign_in(client, "alice", PASSWORD, REMOTE_ADDR="10.0.0.9")
    assert locked.status_code == 429 and "锁定" in locked.content.decode()


def test_8_1_4_1_b_the_session_id_changes_at_login(world, client):
    client.get(reverse("access:login"))
    client.session.save()
    before = client.session.session_key
    _sign_in(client, "alice")
    assert client.session.session_key != before


def test_8_1_4_1_b_logout_ends_the_session_for_good(world, client):
    _sign_in(client, "alice")
    cookie = client.cookies["sessionid"].value
    client.post(reverse("access:logout"))
    replay = Client()
    replay.cookies["sessionid"] = cookie
    answer = replay.get(reverse("orgs:roster"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("access:login"))


def test_8_1_4_1_b_a_session_idle_for_30_minutes_ends(world):
    client = Client()
    with time_machine.travel("2026-12-01 09:00:00+08:00", tick=False) as clock:
        _sign_in(client, "alice")
        assert client.get(reverse("orgs:roster")).status_code == 200
        clock.shift(timedelta(minutes=31))
        answer = client.get(reverse("orgs:roster"))
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("access:login"))


def test_8_1_4_1_b_a_session_ends_12_hours_after_login_however_active(world):
    client = Client()
    with time_machine.travel("2026-12-01 08:00:00+08:00", tick=False) as clock:
        _sign_in(client, "alice")
        for step in range(1, 40):  # a request every 20 minutes keeps it from idling
            clock.shift(timedelta(minutes=20))
            answer, ended_after = client.get(reverse("orgs:roster")), timedelta(minutes=20 * step)
            if answer.status_code != 200:
                break
        shown = client.get(answer["Location"]).content.decode()
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("access:login"))
    assert timedelta(hours=12) < ended_after <= timedelta(hours=12, minutes=20)
    assert "会话已超过最长时限" in shown


def test_8_1_4_1_c_credentials_travel_only_over_https_in_production():
    values = production_settings(MOFAN_HTTPS="1")
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SECURE_SSL_REDIRECT"] and values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_HTTPONLY"]


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor"])
def test_8_1_4_1_d_admin_roles_need_a_second_factor_on_every_page(world, client, persona):
    client.force_login(getattr(world, persona))
    pages = [
        "/",
        reverse("console:accounts"),
        reverse("console:roles"),
        reverse("console:audit"),
        reverse("notify:webhooks"),
    ]
    for page in pages:
        answer = client.get(page)
        assert answer.status_code == 302 and answer["Location"] == reverse("access:otp"), page
    assert client.get("/api/audit-events/").status_code == 403


def test_8_1_4_1_d_the_second_factor_is_a_totp_code_and_an_admin_token_opens_no_api(world, login):
    client = login(world.auditor)  # with a verified TOTP device
    assert client.get(reverse("console:audit")).status_code == 200
    key = access.issue_api_token(world.auditor, actor=world.auditor)
    answer = Client().get("/api/audit-events/", HTTP_AUTHORIZATION=f"Token {key}")
    assert answer.status_code == 403
