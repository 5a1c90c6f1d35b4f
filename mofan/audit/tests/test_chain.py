"""The audit chain holds against whoever can write the database but does not hold the key:
every tampering the hardening issue reproduced is a test that verify catches."""

import json
import secrets

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from mofan.audit import chain, checkpoints, dbguard, services
from mofan.audit.models import AuditEvent, AuditLink, ImmutableRecordError, PendingLink

pytestmark = pytest.mark.django_db

EVENTS = AuditEvent._meta.db_table
LINKS = AuditLink._meta.db_table


def tamper(*statements: tuple[str, list]) -> None:
    """What someone with the application's database credentials would do: lift the guard,
    rewrite, put the guard back."""
    dbguard.remove(connection)
    try:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
    finally:
        dbguard.install(connection)


def _append(n: int) -> list[AuditEvent]:
    events = [services.record(None, "test.event", payload={"n": i, "中文": "值"}) for i in range(n)]
    services.link_pending()
    return events


def _verified(count: int) -> list[AuditEvent]:
    """`count` records, chained, verified and anchored by a checkpoint."""
    events = _append(count)
    result = services.verify()
    assert result.ok, result.reason
    return events


def _seq(event: AuditEvent) -> int:
    return AuditLink.objects.get(event=event).seq


def test_each_record_is_sealed_with_the_key_and_linked_to_the_one_before():
    first, second, third = _append(3)
    links = list(AuditLink.objects.order_by("seq"))
    assert [link.event_id for link in links] == [first.pk, second.pk, third.pk]
    key = chain.current_key()[1]
    assert links[1].mac == chain.link_mac(
        key, alg=links[1].alg, seq=2, prev_mac=links[0].mac, event_id=second.pk, seal=second.seal
    )
    # The same record sealed under another key gives another seal: the key is what makes it.
    other = chain.seal(
        secrets.token_bytes(32), alg=first.alg, nonce=first.nonce, fields=chain.record_fields(first)
    )
    assert other != first.seal
    assert first.alg in ("HMAC-SM3", "HMAC-SHA256")
    assert not PendingLink.objects.exists()
    assert services.verify().ok


def test_a_changed_field_is_named_even_when_the_attacker_recomputes_without_the_key():
    events = _verified(5)
    target = events[2]
    changed = dict(chain.record_fields(target), actor_name="入侵者")
    forged_seal = chain.seal(b"\0" * 32, alg=target.alg, nonce=target.nonce, fields=changed)
    tamper(
        (
            f"UPDATE {EVENTS} SET actor_name = %s, seal = %s WHERE id = %s",
            ["入侵者", forged_seal, target.pk],
        )
    )
    result = services.verify()
    assert not result.ok
    assert result.broken_seq == _seq(target)
    assert "改动" in result.reason


def test_an_unkeyed_recomputation_of_every_seal_and_link_is_caught_at_the_first_record():
    """The attack that fooled the unkeyed chain: rewrite a record, recompute everything after."""
    events = _verified(4)
    fake_key = b"guessed key".ljust(32, b"\0")
    prev = chain.GENESIS
    statements = []
    for seq, event in enumerate(events, start=1):
        fields = chain.record_fields(event)
        if seq == 2:
            fields["payload"] = {"n": 999}
        seal = chain.seal(fake_key, alg=event.alg, nonce=event.nonce, fields=fields)
        prev = chain.link_mac(
            fake_key, alg=event.alg, seq=seq, prev_mac=prev, event_id=event.pk, seal=seal
        )
        statements.append(
            (
                f"UPDATE {EVENTS} SET seal = %s, payload = %s WHERE id = %s",
                [seal, json.dumps(fields["payload"]), event.pk],
            )
        )
        statements.append((f"UPDATE {LINKS} SET mac = %s WHERE seq = %s", [prev, seq]))
    tamper(*statements)
    result = services.verify()
    assert not result.ok and result.broken_seq == 1


def test_a_deleted_record_in_the_middle_is_named():
    events = _verified(5)
    seq = _seq(events[2])
    tamper(
        (f"DELETE FROM {LINKS} WHERE event_id = %s", [events[2].pk]),
        (f"DELETE FROM {EVENTS} WHERE id = %s", [events[2].pk]),
    )
    result = services.verify()
    assert not result.ok
    assert result.broken_seq == seq
    assert "缺失" in result.reason


def test_a_deleted_record_in_the_middle_with_the_links_renumbered_is_named():
    events = _verified(5)
    seq = _seq(events[2])
    tamper(
        (f"DELETE FROM {LINKS} WHERE event_id = %s", [events[2].pk]),
        (f"DELETE FROM {EVENTS} WHERE id = %s", [events[2].pk]),
        (f"UPDATE {LINKS} SET seq = seq - 1 WHERE seq > %s", [seq]),
    )
    result = services.verify()
    assert not result.ok and result.broken_seq == seq
    assert "链接断开" in result.reason


def test_deleting_the_newest_record_and_moving_the_end_back_is_caught_by_the_checkpoint():
    events = _verified(5)
    newest = events[-1]
    tamper(
        (f"DELETE FROM {LINKS} WHERE event_id = %s", [newest.pk]),
        (f"DELETE FROM {EVENTS} WHERE id = %s", [newest.pk]),
    )
    result = services.verify()
    assert not result.ok
    assert "链尾记录被删除" in result.reason
    assert "已有 5 条" in result.reason and "只有 4 条" in result.reason


def test_emptying_the_tables_is_caught_by_the_checkpoint():
    _verified(3)
    tamper((f"DELETE FROM {LINKS}", []), (f"DELETE FROM {EVENTS}", []))
    result = services.verify()
    assert not result.ok
    assert result.checked == 0
    assert "链尾记录被删除" in result.reason


def test_two_records_swapped_are_named():
    events = _verified(4)
    seq_a, seq_b = _seq(events[1]), _seq(events[2])
    tamper(
        (f"UPDATE {LINKS} SET seq = -1 WHERE seq = %s", [seq_a]),
        (f"UPDATE {LINKS} SET seq = %s WHERE seq = %s", [seq_a, seq_b]),
        (f"UPDATE {LINKS} SET seq = %s WHERE seq = -1", [seq_b]),
    )
    result = services.verify()
    assert not result.ok and result.broken_seq == seq_a
    assert "调换" in result.reason


def test_a_record_inserted_around_the_application_is_never_chained_and_is_named():
    _verified(2)
    genuine = services.record(None, "test.genuine")
    fields = dict(chain.record_fields(genuine), action="test.forged")
    forged_seal = chain.seal(b"\1" * 32, alg=genuine.alg, nonce="f" * 32, fields=fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {EVENTS} (occurred_at, actor_id, actor_name, source_address, action, "
            "object_type, object_id, object_repr, changes, payload, nonce, alg, key_id, seal) "
            "VALUES (%s, NULL, '系统', '', 'test.forged', '', '', '', '{}', '{}', %s, %s, %s, %s)",
            [genuine.occurred_at, "f" * 32, genuine.alg, genuine.key_id, forged_seal],
        )
        forged_id = cursor.lastrowid if connection.vendor == "sqlite" else None
    forged = AuditEvent.objects.get(action="test.forged")
    assert forged_id in (None, forged.pk)
    PendingLink.objects.create(event=forged)  # even queued for chaining like a real one
    services.link_pending()
    assert not AuditLink.objects.filter(event=forged).exists()
    assert AuditLink.objects.filter(event=genuine).exists()
    result = services.verify()
    assert not result.ok
    assert f"编号 {forged.pk} 的记录不在链中" in result.reason


def test_a_copied_record_is_refused_by_the_database():
    event = _append(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {EVENTS} (occurred_at, actor_id, actor_name, source_address, action, "
            "object_type, object_id, object_repr, changes, payload, nonce, alg, key_id, seal) "
            f"SELECT occurred_at, actor_id, actor_name, source_address, action, object_type, "
            f"object_id, object_repr, changes, payload, nonce, alg, key_id, seal FROM {EVENTS} WHERE id = %s",
            [event.pk],
        )


def test_an_altered_checkpoint_line_is_named():
    _verified(3)
    lines = checkpoints.path().read_text(encoding="utf-8").splitlines()
    entry = json.loads(lines[-1])
    entry["seq"] = 2
    lines[-1] = json.dumps(entry, ensure_ascii=False)
    checkpoints.path().write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = services.verify()
    assert not result.ok
    assert f"第 {len(lines)} 行签名无效" in result.reason


def test_a_rewritten_chain_disagrees_with_an_earlier_checkpoint():
    """Even a holder of a stolen key who rewrites history is caught by what was anchored."""
    events = _verified(3)
    key = chain.current_key()[1]
    target = events[1]
    fields = dict(chain.record_fields(target), actor_name="改写者")
    seal = chain.seal(key, alg=target.alg, nonce=target.nonce, fields=fields)
    statements = [
        (
            f"UPDATE {EVENTS} SET actor_name = %s, seal = %s WHERE id = %s",
            ["改写者", seal, target.pk],
        )
    ]
    prev = AuditLink.objects.get(seq=1).mac
    for seq, event in ((2, target), (3, events[2])):
        prev = chain.link_mac(
            key,
            alg=target.alg,
            seq=seq,
            prev_mac=prev,
            event_id=event.pk,
            seal=seal if seq == 2 else event.seal,
        )
        statements.append((f"UPDATE {LINKS} SET mac = %s WHERE seq = %s", [prev, seq]))
    tamper(*statements)
    result = services.verify()
    assert not result.ok
    assert "不符：链已被重写" in result.reason


def test_anchor_after_a_restore_starts_a_new_epoch_and_keeps_the_earlier_checkpoints_checked():
    events = _verified(4)
    # What a restore of an older backup looks like: the newest record is gone.
    tamper(
        (f"DELETE FROM {LINKS} WHERE event_id = %s", [events[-1].pk]),
        (f"DELETE FROM {EVENTS} WHERE id = %s", [events[-1].pk]),
    )
    assert not services.verify().ok
    seq = services.anchor(reason="从2026年11月30日的备份恢复")
    assert seq == 3
    result = services.verify()
    assert result.ok, result.reason
    assert any("因从备份恢复" in note for note in result.notes)
    assert AuditEvent.objects.filter(action="audit.chain.anchored").get().payload["seq"] == 3
    # An anchor does not bless a rewrite of what came before it.
    tamper((f"UPDATE {EVENTS} SET action = 'x' WHERE id = %s", [events[0].pk]))
    assert services.verify().broken_seq == 1


def test_anchor_needs_a_reason():
    with pytest.raises(ValueError, match="原因"):
        services.anchor(reason="  ")


def test_a_chain_without_any_checkpoint_is_anchored_by_its_first_verification():
    _append(2)
    checkpoints.path().unlink()
    result = services.verify()
    assert result.ok
    assert "首个锚点" in result.notes[0]
    assert checkpoints.read().entries[-1].kind == "anchor"


def test_links_made_under_a_previous_key_still_verify_after_rotation(settings):
    _verified(2)
    settings.AUDIT_PREVIOUS_KEYS = [settings.AUDIT_KEY]
    settings.AUDIT_KEY = bytes(range(32))
    _append(2)
    assert services.verify().ok
    assert AuditLink.objects.values("key_id").distinct().count() == 2
    # Without the previous key, what it signed cannot be checked, and verify says so.
    settings.AUDIT_PREVIOUS_KEYS = []
    result = services.verify()
    assert not result.ok and "未知密钥" in result.reason


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
    with pytest.raises(ImmutableRecordError):
        AuditLink.objects.all().delete()


@pytest.mark.parametrize("table", [EVENTS, LINKS])
def test_the_database_itself_refuses_to_change_delete_or_truncate_records(table):
    _append(1)
    for sql in (f"UPDATE {table} SET alg = 'x'", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert services.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_record_is_chained_and_anchored_right_after_its_transaction_commits():
    with transaction.atomic():
        first = services.record(None, "test.committed")
        second = services.record(None, "test.committed")
        assert not AuditLink.objects.exists()  # nothing is locked or chained before the commit
    assert list(AuditLink.objects.values_list("event_id", flat=True)) == [first.pk, second.pk]
    assert not PendingLink.objects.exists()
    assert checkpoints.read().entries[-1].seq == 2


@pytest.mark.django_db(transaction=True)
def test_with_a_worker_queue_the_request_only_queues_the_chaining(settings, monkeypatch):
    from mofan.audit import jobs

    settings.AUDIT_LINK_IN_WORKER = True
    queued = []
    monkeypatch.setattr(jobs.link, "delay", lambda: queued.append(1))
    with transaction.atomic():
        event = services.record(None, "test.queued")
        services.record(None, "test.queued")
    assert queued == [1]  # one task per transaction
    assert PendingLink.objects.filter(event=event).exists()
    assert jobs.link() == 2  # what the worker runs
    assert not PendingLink.objects.exists() and services.verify().ok


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_cannot_be_reached_leaves_the_chaining_in_process(settings, monkeypatch):
    from mofan.audit import jobs

    settings.AUDIT_LINK_IN_WORKER = True

    def down():
        raise ConnectionError("broker down")

    monkeypatch.setattr(jobs.link, "delay", down)
    event = services.record(None, "test.fallback")
    assert AuditLink.objects.filter(event=event).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_to_truncate_the_audit_tables():
    services.record(None, "test.committed")
    for table in (EVENTS, LINKS):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"TRUNCATE {table} CASCADE")
    assert AuditEvent.objects.count() == 1


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
    events = _append(2)
    call_command("audit", "verify")
    assert "审计链完整：共 2 条记录" in capsys.readouterr().out
    tamper((f"UPDATE {EVENTS} SET payload = %s WHERE id = %s", ['{"n": 99}', events[0].pk]))
    with pytest.raises(CommandError, match="第 1 条"):
        call_command("audit", "verify")


def test_audit_checkpoint_and_anchor_commands(capsys):
    _append(3)
    call_command("audit", "checkpoint")
    assert "检查点：第 3 条" in capsys.readouterr().out
    assert checkpoints.read().entries[-1].seq == 3
    with pytest.raises(CommandError):
        call_command("audit", "anchor", "--reason", " ")
    call_command("audit", "anchor", "--reason", "检查点文件迁移")
    assert checkpoints.read().entries[-1].kind == "anchor"


def test_source_address_of_a_request_is_recorded(world, client):
    client.force_login(world.alice)
    client.get(f"/orgs/people/{world.alice_p.pk}/?reveal=1", REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.filter(action="orgs.person.pii_viewed").get()
    assert event.source_address == "10.1.2.3"
    assert event.actor_id == world.alice.pk
