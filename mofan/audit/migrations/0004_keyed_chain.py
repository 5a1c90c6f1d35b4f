"""The keyed chain: records get a seal, the chain moves to its own table, no head row to lock.

Records written before are checked against their old (unkeyed) chain, then sealed and linked in
their old order under the audit key; the outcome of that check is itself the first new record.
"""

import json
import secrets

from cryptography.hazmat.primitives import hashes
from django.db import migrations, models
from django.utils import timezone

from mofan.audit import chain, dbguard

BATCH = 2000


def _old_hash(event, prev_hash: str) -> str:
    # The unkeyed hash of the first version, kept here to check the old chain one last time.
    fields = {
        "seq": event.seq,
        "occurred_at": chain.canonical_time(event.occurred_at),
        "actor_id": event.actor_id,
        "actor_name": event.actor_name,
        "source_address": event.source_address,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "changes": event.changes,
        "payload": event.payload,
        "hash_alg": event.hash_alg,
    }
    body = json.dumps(
        [prev_hash, fields], sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")
    algorithm = hashes.SM3 if event.hash_alg == "SM3" else hashes.SHA256
    digest = hashes.Hash(algorithm())
    digest.update(body)
    return digest.finalize().hex()


def lift_guard(apps, schema_editor):
    dbguard.remove(schema_editor.connection)


def install_guard(apps, schema_editor):
    dbguard.install(schema_editor.connection)


def seal_and_link(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditLink = apps.get_model("audit", "AuditLink")
    ChainHead = apps.get_model("audit", "ChainHead")
    kid, key = chain.current_key()
    alg = chain.DEFAULT_ALG

    def seal(event) -> None:
        event.nonce = secrets.token_hex(16)
        event.alg = alg
        event.key_id = kid
        event.seal = chain.seal(key, alg=alg, nonce=event.nonce, fields=chain.record_fields(event))

    old_ok, old_broken_at, old_prev, seq, prev_mac = True, None, chain.GENESIS, 0, chain.GENESIS
    expected_seq = 1
    batch: list = []

    def flush() -> None:
        nonlocal seq, prev_mac
        AuditEvent.objects.bulk_update(batch, ["nonce", "alg", "key_id", "seal"])
        links = []
        for event in batch:
            seq += 1
            prev_mac = chain.link_mac(
                key, alg=alg, seq=seq, prev_mac=prev_mac, event_id=event.pk, seal=event.seal
            )
            links.append(AuditLink(seq=seq, event_id=event.pk, alg=alg, key_id=kid, mac=prev_mac))
        AuditLink.objects.bulk_create(links)
        batch.clear()

    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=BATCH):
        if old_ok and (
            event.seq != expected_seq
            or event.prev_hash != old_prev
            or _old_hash(event, old_prev) != event.hash
        ):
            old_ok, old_broken_at = False, expected_seq
        old_prev = event.hash
        expected_seq = event.seq + 1
        seal(event)
        batch.append(event)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    head = ChainHead.objects.filter(pk=1).first()
    if old_ok and head is not None and (head.seq != expected_seq - 1 or head.hash != old_prev):
        old_ok, old_broken_at = False, expected_seq

    if seq == 0:
        return  # a new installation: nothing to carry over
    note = AuditEvent(
        occurred_at=timezone.now(),
        actor_name="系统",
        action="audit.chain.rekeyed",
        payload={
            "records": seq,
            "old_chain_intact": old_ok,
            "old_chain_broken_at": old_broken_at,
            "old_head": old_prev,
        },
        seq=expected_seq,
        hash_alg="",
        prev_hash="",
        hash="",
    )
    seal(note)
    note.save()
    batch.append(note)
    flush()


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.RunPython(lift_guard, install_guard),
        migrations.CreateModel(
            name="AuditLink",
            fields=[
                ("seq", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="链序号")),
                ("alg", models.CharField(max_length=12, verbose_name="算法")),
                ("key_id", models.CharField(max_length=16, verbose_name="密钥标识")),
                ("mac", models.CharField(max_length=64, verbose_name="消息认证码")),
                (
                    "event",
                    models.OneToOneField(
                        on_delete=models.deletion.PROTECT,
                        related_name="link",
                        to="audit.auditevent",
                        verbose_name="审计记录",
                    ),
                ),
            ],
            options={"ordering": ["seq"]},
        ),
        migrations.CreateModel(
            name="PendingLink",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=models.deletion.CASCADE,
                        primary_key=True,
                        serialize=False,
                        to="audit.auditevent",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="auditevent",
            name="nonce",
            field=models.CharField(default="", max_length=32, verbose_name="随机数"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="alg",
            field=models.CharField(default="", max_length=12, verbose_name="算法"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(default="", max_length=16, verbose_name="密钥标识"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seal",
            field=models.CharField(max_length=64, null=True, verbose_name="记录认证码"),
        ),
        migrations.RunPython(seal_and_link, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seal",
            field=models.CharField(max_length=64, unique=True, verbose_name="记录认证码"),
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={"ordering": ["-id"], "verbose_name": "审计记录", "verbose_name_plural": "审计记录"},
        ),
        migrations.RemoveField(model_name="auditevent", name="seq"),
        migrations.RemoveField(model_name="auditevent", name="hash_alg"),
        migrations.RemoveField(model_name="auditevent", name="prev_hash"),
        migrations.RemoveField(model_name="auditevent", name="hash"),
        migrations.DeleteModel(name="ChainHead"),
        migrations.RunPython(install_guard, lift_guard),
    ]
