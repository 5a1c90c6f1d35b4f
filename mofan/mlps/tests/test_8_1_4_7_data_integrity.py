"""GB/T 22239-2019 8.1.4.7 数据完整性 (data integrity), level 3.

a) integrity in transit: HTTPS only, HSTS (a TLS-terminating proxy in front); b) integrity in
storage: the audit trail sealed and chained under a key the database does not hold, backups
authenticated, concurrent edits never silently overwritten."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from mofan.audit import services as audit
from mofan.mlps.tests.support import production_settings
from mofan.ops.tests.test_backup_restore import _backup, source, target  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_8_1_4_7_a_production_answers_over_https_only_with_hsts():
    values = production_settings(MOFAN_HTTPS="1")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000


def test_8_1_4_7_b_a_record_of_the_audit_trail_cannot_be_forged_without_the_key(world):
    from mofan.audit import chain

    event = audit.record(world.carol, "test.sealed")
    fields = chain.record_fields(event)
    assert event.seal == chain.seal(
        chain.current_key()[1], alg=event.alg, nonce=event.nonce, fields=fields
    )
    assert event.seal != chain.seal(b"\x00" * 32, alg=event.alg, nonce=event.nonce, fields=fields)


@pytest.mark.django_db(transaction=True)
def test_8_1_4_7_b_a_backup_with_one_byte_changed_is_refused(source, target, tmp_path):  # noqa: F811
    archive = _backup(tmp_path)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="校验失败"):
        call_command("restore", str(archive), database_url=target.url, verify_only=True)


def test_8_1_4_7_b_an_edit_of_a_stale_copy_is_refused_not_written_over(world, login):
    client = login(world.carol)
    url = reverse("orgs:org_edit", args=[world.branch_a.pk])
    org = world.branch_a
    form = {
        "kind": org.kind, "code": org.code, "name": "甲的修改", "short_name": "", "order": 0,
        "founded_on": "2010-01-01", "version": org.version,
    }  # fmt: skip
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, "name": "乙的修改"})
    assert stale.status_code == 409
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "甲的修改"
