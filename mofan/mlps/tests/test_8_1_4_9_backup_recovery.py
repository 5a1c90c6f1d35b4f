"""GB/T 22239-2019 8.1.4.9 数据备份恢复 (backup and recovery), level 3.

a) local backup and restore of important data (tested here, and drilled in CI by
bench/restore_drill.py); b) a real-time copy at another site and c) hot redundancy are set up
in operation — PostgreSQL streaming replication to a second host and more than one app server —
as README "Operations" describes; nothing in the application stands in their way (its state is
all in PostgreSQL and the media folder, which `mofan backup` copies whole)."""

import pytest

from mofan.audit.models import AuditEvent
from mofan.ops.tests.test_backup_restore import (  # noqa: F401 (fixtures)
    _backup,
    _restore,
    source,
    target,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_8_1_4_9_a_a_backup_restores_the_data_the_files_and_a_whole_audit_trail(
    source,  # noqa: F811
    target,  # noqa: F811
    tmp_path,
):
    archive = _backup(tmp_path)
    restored_media = tmp_path / "restored-media"
    report = _restore(archive, target, restored_media)
    assert "审计链完整" in report
    assert (
        target.query("SELECT count(*) FROM audit_auditevent")[0][0]
        == AuditEvent.objects.count() + 1
    )
    assert target.query("SELECT count(*) FROM orgs_person")[0][0] == 7
    for attachment in source.attachments:
        restored = (restored_media / attachment.file.name).read_bytes()
        assert restored == (source.media / attachment.file.name).read_bytes()
