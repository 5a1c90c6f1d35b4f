"""GB/T 22239-2019 8.1.4.4 入侵防范 (intrusion prevention), level 3 — the application's items.

c) management terminals restricted by address; d) input checked for validity at every interface;
e) known vulnerabilities found (pip-audit and bandit in CI) and dependencies pinned; f) intrusions
detected and alarmed."""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from mofan.audit.models import AuditEvent
from mofan.notify.models import Notification
from mofan.orgs.models import PartyOrg

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_8_1_4_4_c_admin_accounts_sign_in_only_from_the_management_terminals(world, settings):
    import ipaddress

    settings.ADMIN_NETWORKS = [ipaddress.ip_network("10.8.0.0/24")]
    outside = Client(REMOTE_ADDR="192.168.1.20")
    answer = outside.post(reverse("access:login"), {"username": "auditor", "password": PASSWORD})
    assert answer.status_code == 200 and "指定的管理终端" in answer.content.decode()
    assert "_auth_user_id" not in outside.session
    assert AuditEvent.objects.filter(action="access.login.terminal_refused").exists()
    inside = Client(REMOTE_ADDR="10.8.0.7")
    assert (
        inside.post(
            reverse("access:login"), {"username": "auditor", "password": PASSWORD}
        ).status_code
        == 302
    )
    # A business account is not a management terminal's: it signs in from anywhere.
    assert (
        outside.post(
            reverse("access:login"), {"username": "alice", "password": PASSWORD}
        ).status_code
        == 302
    )


def test_8_1_4_4_d_bad_input_is_refused_in_chinese_and_changes_nothing(world, login):
    client = login(world.carol)
    before = PartyOrg.objects.count()
    answer = client.post(
        reverse("orgs:org_action", args=[world.organ.pk, "add_child"]),
        {"kind": "branch", "code": "", "name": "", "founded_on": "2026-13-40"},
    )
    assert answer.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", answer.content.decode())
    assert PartyOrg.objects.count() == before


def test_8_1_4_4_d_uploads_are_checked_by_their_content_not_their_name(site_world, login):
    client = login(site_world.amy)
    page = b"<html><script>alert(1)</script></html>"
    answer = client.post(
        reverse("ledger:item_action", args=[site_world.item.pk, "attachment"]),
        {"file": SimpleUploadedFile("现场照片.jpg", page, content_type="image/jpeg")},
    )
    assert answer.status_code == 400 and "不符" in answer.content.decode()
    assert not site_world.item.attachments.filter(name="现场照片.jpg").exists()


def test_8_1_4_4_d_fields_the_server_sets_cannot_be_posted(world, login):
    from mofan.meetings.models import Meeting

    body = {
        "org": world.branch_a.pk, "kind": "theme_day", "title": "主题党日",
        "starts_at": "2026-12-25T09:00:00+08:00", "ends_at": "2026-12-25T11:00:00+08:00",
        "agenda": [{"title": "重温入党誓词"}],
        "state": "held", "present_count": 99, "quorate": True, "version": 7,
    }  # fmt: skip
    made = login(world.alice).post("/api/meetings/", body, content_type="application/json")
    assert made.status_code == 201
    meeting = Meeting.objects.get(pk=made.json()["id"])
    assert (meeting.state, meeting.present_count, meeting.quorate, meeting.version) == (
        "planned",
        0,
        False,
        1,
    )


def test_8_1_4_4_d_pages_refuse_inline_script_by_their_content_security_policy(world, login):
    policy = login(world.alice).get("/")["Content-Security-Policy"]
    script = re.search(r"script-src ([^;]+)", policy).group(1)
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "frame-ancestors 'none'" in policy


def test_8_1_4_4_e_python_dependencies_are_pinned_by_hash():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.-]+)==", lock, flags=re.M)
    assert len(pins) > 40 and "django" in {p.lower() for p in pins}
    entries = re.split(r"\n(?=[A-Za-z0-9_.-]+==)", lock.split("\n\n", 1)[1])
    unhashed = [e.split("==")[0] for e in entries if "==" in e and "--hash=sha256:" not in e]
    assert unhashed == []


def test_8_1_4_4_f_a_lockout_alarms_the_security_admins(world, settings):
    client = Client(REMOTE_ADDR="10.66.0.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("access:login"), {"username": "carol", "password": "Guess@Pass26"})
    alarm = Notification.objects.get(kind="security.lockout")
    assert alarm.user == world.secadmin and "carol" in alarm.title and "10.66.0.1" in alarm.body


def test_8_1_4_4_f_a_broken_audit_trail_alarms_the_auditor(world):
    from django.db import connection

    from mofan.audit import dbguard
    from mofan.audit import services as audit
    from mofan.notify import alarms

    event = audit.record(None, "test.event")
    audit.verify()
    dbguard.remove(connection)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditlink WHERE event_id = %s", [event.pk])
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    dbguard.install(connection)
    assert not alarms.check_audit_trail().ok
    assert Notification.objects.filter(kind="security.audit_chain", user=world.auditor).exists()


def test_the_readme_s_clause_table_names_every_clause_test():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set()
    for module in Path(__file__).parent.glob("test_8_1_4_*.py"):
        names |= set(re.findall(r"^def (test_8_1_4_\w+)\(", module.read_text("utf-8"), re.M))
    assert len(names) > 50
    assert sorted(n for n in names if f"`{n}`" not in readme) == []
