"""GB/T 22239-2019 8.1.4.3 安全审计 (security audit), level 3.

a) auditing on, covering every user, important behaviour and security events; b) each record with
date and time, user, event type, outcome and the other facts; c) records protected from deletion,
change and overwriting, and backed up; d) the audit process protected from interruption."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp

from conftest import PASSWORD
from mofan.access import services as access
from mofan.audit import dbguard
from mofan.audit import services as audit
from mofan.audit.models import AuditEvent
from mofan.orgs import services as orgs

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("pk").values_list("action", flat=True))


def test_8_1_4_3_a_sign_ins_failures_lockouts_role_changes_and_full_numbers_shown_are_recorded(
    world, client, login, settings
):
    client.post(reverse("access:login"), {"username": "alice", "password": PASSWORD})
    client.post(reverse("access:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("access:login"), {"username": "bob", "password": "Wrong@Pass26"})
    access.grant_role(world.amy, actor=world.secadmin, role="supervisor", org=world.root)
    login(world.carol).get(reverse("orgs:person_detail", args=[world.amy_p.pk]), {"reveal": "1"})
    recorded = set(_actions())
    assert {
        "access.login.succeeded",
        "access.logout",
        "access.login.failed",
        "access.login.locked",
        "access.role.granted",
        "orgs.person.pii_viewed",
    } <= recorded


def test_8_1_4_3_b_a_record_names_time_actor_address_event_object_and_outcome(world, client):
    client.post(
        reverse("access:login"),
        {"username": "alice", "password": "Wrong@Pass26"},
        REMOTE_ADDR="10.2.3.4",
    )
    failed = AuditEvent.objects.get(action="access.login.failed")
    assert failed.actor_name == "alice" and failed.source_address == "10.2.3.4"
    assert abs(failed.occurred_at - timezone.now()) < timedelta(minutes=1)
    orgs.update_org(world.branch_a, actor=world.carol, version=world.branch_a.version, name="新名")
    changed = AuditEvent.objects.get(action="orgs.partyorg.updated")
    assert changed.actor_id == world.carol.pk
    assert changed.object_type == "orgs.partyorg" and changed.object_id == str(world.branch_a.pk)
    assert changed.changes["name"] == ["第一党支部", "新名"]


def test_8_1_4_3_b_no_password_code_or_token_reaches_a_record_or_a_log_line(world, client, caplog):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    caplog.set_level(logging.DEBUG)
    secrets = ["Wrong@Secret26", PASSWORD, "Newer@Secret27"]
    client.post(reverse("access:login"), {"username": "alice", "password": secrets[0]})
    client.post(reverse("access:login"), {"username": "alice", "password": PASSWORD})
    client.post(
        reverse("access:password_change"),
        {"old_password": PASSWORD, "new_password1": secrets[2], "new_password2": secrets[2]},
    )
    key = access.issue_api_token(world.alice, actor=world.alice)
    device = TOTPDevice.objects.create(user=world.auditor, name="口令", confirmed=True)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client.force_login(world.auditor)
    client.post(reverse("access:otp"), {"token": code})
    secrets += [key, code]
    written = "\n".join(
        f"{e.actor_name} {e.object_repr} {e.changes} {e.payload}" for e in AuditEvent.objects.all()
    )
    assert AuditEvent.objects.filter(action="access.password.changed").exists()
    for secret in secrets:
        assert secret not in written
        assert secret not in caplog.text


def test_8_1_4_3_c_a_record_changed_in_the_database_is_named_by_verify(world):
    event = audit.record(world.carol, "test.something", payload={"n": 1})
    assert audit.verify().ok
    dbguard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET payload = %s WHERE id = %s", ['{"n": 2}', event.pk]
        )
    dbguard.install(connection)
    result = audit.verify()
    assert not result.ok and "改动" in result.reason


def test_8_1_4_3_c_records_are_kept_past_186_days_and_the_daily_clean_up_leaves_them(
    world,
):
    with time_machine.travel("2026-01-02 09:00:00+08:00", tick=False):
        kept = audit.record(world.carol, "test.old_enough")
    with time_machine.travel("2026-07-20 09:00:00+08:00", tick=False):  # 199 days later
        call_command("cleanup")
    assert AuditEvent.objects.filter(pk=kept.pk).exists()
    assert audit.verify().ok


def test_8_1_4_3_d_a_change_whose_record_cannot_be_written_is_not_made(world, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("the audit table is not reachable")

    monkeypatch.setattr(AuditEvent, "save", broken)
    with pytest.raises(OSError):
        orgs.update_org(
            world.branch_a, actor=world.carol, version=world.branch_a.version, name="不留痕迹"
        )
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "第一党支部"
