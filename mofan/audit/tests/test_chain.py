import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from mofan.audit import dbguard, services
from mofan.audit.models import AuditEvent, ImmutableRecordError

pytestmark = pytest.mark.django_db


def tamper(sql: str, params: list) -> None:
    """What someone with direct database access would do: lift the guard, rewrite, restore it."""
    dbguard.remove(connection)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
    finally:
        dbguard.install(connection)


def _append(n: int):
    return [services.record(None, "test.event", payload={"n": i, "中文": "值"}) for i in range(n)]


def test_each_record_links_to_the_one_before():
    first, second, third = _append(3)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert first.hash_alg in ("SM3", "SHA256")
    assert services.verify().ok


def test_verify_names_the_first_altered_record():
    events = _append(5)
    tamper(
        f"UPDATE {AuditEvent._meta.db_table} SET actor_name = %s WHERE seq = %s",
        ["入侵者", events[2].seq],
    )
    result = services.verify()
    assert not result.ok
    assert result.broken_seq == events[2].seq
    assert "改动" in result.reason


def test_verify_detects_a_deleted_record_in_the_middle_and_at_the_end():
    events = _append(4)
    table = AuditEvent._meta.db_table
    tamper(f"DELETE FROM {table} WHERE seq = %s", [events[-1].seq])
    result = services.verify()
    assert not result.ok and result.broken_seq == events[-1].seq
    tamper(f"DELETE FROM {table} WHERE seq = %s", [events[1].seq])
    result = services.verify()
    assert result.broken_seq == events[1].seq
    assert "缺失" in result.reason


def test_records_cannot_be_changed_or_deleted_through_the_app():
    event = _append(1)[0]
    event.action = "changed"
    with pytest.raises(ImmutableRecordError):
        event.save()
    with pytest.raises(ImmutableRecordError):
        event.delete()
    with pytest.raises(ImmutableRecordError):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(ImmutableRecordError):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_to_change_or_delete_records():
    from django.db import DatabaseError, transaction

    event = _append(1)[0]
    for sql in (
        f"UPDATE {AuditEvent._meta.db_table} SET action = 'x' WHERE seq = %s",
        f"DELETE FROM {AuditEvent._meta.db_table} WHERE seq = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.seq])
    assert services.verify().ok


def test_secrets_are_masked_and_personal_numbers_shortened():
    event = services.record(
        None,
        "test.masking",
        changes={
            "password": ["old", "new"],
            "id_number": ["110105194912310021", "11010519491231002X"],
        },
        payload={"api_token": "abc", "phone": "13900001234"},
    )
    assert event.changes["password"] == "******"
    assert event.changes["id_number"] == ["110***********0021", "110***********002X"]
    assert event.payload == {"api_token": "******", "phone": "139****1234"}


def test_audit_verify_command_reports_ok_and_broken_chain(capsys):
    _append(2)
    call_command("audit", "verify")
    assert "审计链完整" in capsys.readouterr().out
    tamper(f"UPDATE {AuditEvent._meta.db_table} SET payload = %s WHERE seq = 1", ['{"n": 99}'])
    with pytest.raises(CommandError, match="第 1 条"):
        call_command("audit", "verify")


def test_source_address_of_a_request_is_recorded(world, client):
    client.force_login(world.alice)
    client.get(f"/orgs/people/{world.alice_p.pk}/?reveal=1", REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.filter(action="orgs.person.pii_viewed").get()
    assert event.source_address == "10.1.2.3"
    assert event.actor_id == world.alice.pk
