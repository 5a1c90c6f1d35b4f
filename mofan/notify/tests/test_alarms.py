"""Security alarms reach the people who answer for security (等保 8.1.4.4 f)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from mofan.audit import dbguard
from mofan.audit import services as audit
from mofan.notify.models import Notification

pytestmark = pytest.mark.django_db


def test_a_broken_audit_chain_alarms_the_auditor_and_the_security_admin_once(world):
    event = audit.record(None, "test.event")
    assert audit.verify().ok
    dbguard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [event.pk])
    dbguard.install(connection)
    for _ in range(2):
        with pytest.raises(CommandError, match="审计链校验失败"):
            call_command("security_check")
    alarms = Notification.objects.filter(kind="security.audit_chain")
    assert sorted(alarms.values_list("user__username", flat=True)) == ["auditor", "secadmin"]
    assert "内容已被改动" in alarms.first().body


def test_an_intact_chain_alarms_nobody(world, capsys):
    audit.record(None, "test.event")
    call_command("security_check")
    assert "审计链完整" in capsys.readouterr().out
    assert not Notification.objects.filter(kind="security.audit_chain").exists()


def test_a_lockout_alarms_the_security_admins_with_the_address(world, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("access:login"),
            {"username": "alice", "password": "wrong-Pass1"},
            REMOTE_ADDR="10.9.8.7",
        )
    alarm = Notification.objects.get(kind="security.lockout")
    assert alarm.user == world.secadmin
    assert "alice" in alarm.title and "10.9.8.7" in alarm.body
