"""The daily clean-up (剩余信息保护): files past their retention period go, newer ones stay, and a
file a live row refers to is never deleted; every run is audited with its counts."""

import os
import tempfile
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from time_machine import travel

from mofan.audit.models import AuditEvent
from mofan.core.tests import samples
from mofan.housekeeping import cleanup, jobs
from mofan.ledger import decomposition as decomposing
from mofan.ledger import services as ledger_services
from mofan.ledger.choices import DecompositionState
from mofan.ledger.tests.conftest import ledger_world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NOTICE = "一、任务\n1．建立工作台账，由办公厅负责。\n2．开展专项检查，9月底前完成。".encode()


@pytest.fixture
def disk(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return tmp_path


def _write(path, content=b"x" * 100):
    """A file written now by the application's clock (time-machine moves it; the file system's own
    clock it does not)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    stamp = time.time()
    os.utime(path, (stamp, stamp))
    return path


def test_import_files_and_error_workbooks_go_after_a_day(disk):
    folder = disk / "var" / "imports" / "7"
    with travel(T0, tick=False):
        old_errors = _write(folder / "errors-old.xlsx")
        old_upload = _write(folder / f"upload-{'a' * 32}.xlsx")
    with travel(T0 + timedelta(hours=20), tick=False):
        new_errors = _write(folder / "errors-new.xlsx")
    with travel(T0 + timedelta(days=1, hours=1), tick=False):
        counts = cleanup.run()
    assert counts["imports"] == 2 and counts["bytes"] == 200
    assert not old_errors.exists() and not old_upload.exists()
    assert new_errors.exists()


def test_temporary_exports_go_after_a_day_and_other_files_stay(disk):
    temp = disk / "tmp"
    with travel(T0, tick=False):
        old_export = _write(temp / "mofan-roster.xlsx")
        someone_elses = _write(temp / "other-program.tmp")
    with travel(T0 + timedelta(hours=23), tick=False):
        new_export = _write(temp / "mofan-ledger-new.xlsx")
    with travel(T0 + timedelta(days=1, hours=1), tick=False):
        counts = cleanup.run()
    assert counts["exports"] == 1
    assert not old_export.exists()
    assert new_export.exists() and someone_elses.exists()


def test_a_discarded_decomposition_loses_its_file_a_week_after_it_was_discarded(
    disk,
    ledger_world,  # noqa: F811
):
    w = ledger_world
    with travel(T0, tick=False):
        discarded = decomposing.start(w.ledger, actor=w.sam, data=NOTICE, name="甲.txt")
        still_open = decomposing.start(w.ledger, actor=w.sam, data=NOTICE, name="乙.txt")
    with travel(T0 + timedelta(days=3), tick=False):
        decomposing.discard(discarded, actor=w.sam)
        late = decomposing.start(w.ledger, actor=w.sam, data=NOTICE, name="丙.txt")
        decomposing.discard(late, actor=w.sam)
    media = disk / "media"
    paths = {d.pk: media / d.file.name for d in (discarded, still_open, late)}
    assert all(path.is_file() for path in paths.values())
    with travel(T0 + timedelta(days=9), tick=False):  # 6 days after the discards: kept
        assert cleanup.run()["discarded"] == 0
    with travel(T0 + timedelta(days=10, hours=1), tick=False):  # 7 days and an hour after
        counts = cleanup.run()
    assert counts["discarded"] == 2
    assert not paths[discarded.pk].exists() and not paths[late.pk].exists()
    assert paths[still_open.pk].exists()  # still under review, however old
    discarded.refresh_from_db()
    assert discarded.state == DecompositionState.DISCARDED and not discarded.file
    assert discarded.file_name == "甲.txt" and "专项检查" in discarded.text


def test_orphaned_media_go_and_files_rows_refer_to_stay(disk, ledger_world):  # noqa: F811
    w = ledger_world
    media = disk / "media"
    with travel(T0, tick=False):
        attachment = ledger_services.attach(
            w.item, actor=w.sam, upload=SimpleUploadedFile("方案.pdf", samples.PDF)
        )
        committed = decomposing.start(w.ledger, actor=w.sam, data=NOTICE, name="丁.txt")
        for candidate in committed.candidates.all():
            decomposing.review(candidate, actor=w.sam, status="accepted")
        decomposing.commit(committed, actor=w.sam)
        orphan = _write(media / "ledger" / "99" / "丢失的.pdf")
    for path in (media / attachment.file.name, media / committed.file.name):
        os.utime(path, (T0.timestamp(), T0.timestamp()))
    with travel(T0 + timedelta(days=6), tick=False):
        young_orphan = _write(media / "ledger" / "99" / "刚上传.pdf")
    with travel(T0 + timedelta(days=8), tick=False):
        counts = cleanup.run()
    assert counts["orphans"] == 1
    assert not orphan.exists() and young_orphan.exists()
    assert (media / attachment.file.name).is_file()  # an item's attachment
    assert (media / committed.file.name).is_file()  # the document a committed source keeps


def test_every_run_is_audited_with_its_counts(disk):
    with travel(T0, tick=False):
        _write(disk / "var" / "imports" / "3" / "errors-a.xlsx")
    with travel(T0 + timedelta(days=2), tick=False):
        cleanup.run()
        cleanup.run()
    runs = list(AuditEvent.objects.filter(action="housekeeping.cleanup.ran").order_by("pk"))
    assert [run.payload["imports"] for run in runs] == [1, 0]
    assert runs[0].payload["bytes"] == 100 and runs[0].actor_name == "系统"
    assert runs[0].payload["temp_retention_days"] == 7


def test_the_retention_periods_come_from_settings(disk, settings):
    settings.IMPORT_RETENTION_DAYS = 3
    with travel(T0, tick=False):
        kept = _write(disk / "var" / "imports" / "3" / "errors-a.xlsx")
    with travel(T0 + timedelta(days=2), tick=False):
        assert cleanup.run()["imports"] == 0
    assert kept.exists()


def test_the_command_and_the_beat_task_run_the_same_clean_up(disk, capsys):
    with travel(T0, tick=False):
        _write(disk / "var" / "imports" / "3" / "errors-a.xlsx")
        _write(disk / "var" / "imports" / "3" / "errors-b.xlsx")
    with travel(T0 + timedelta(days=2), tick=False):
        call_command("cleanup")
        assert "导入文件 2 个" in capsys.readouterr().out
        assert jobs.clean_up.apply().get()["imports"] == 0
    entry = django_settings.CELERY_BEAT_SCHEDULE["housekeeping-cleanup"]
    assert entry["task"] == jobs.clean_up.name == "mofan.housekeeping.cleanup"


def test_symbolic_links_are_neither_followed_nor_removed(disk, tmp_path):
    outside = _write(tmp_path / "outside" / "keep.txt")
    folder = disk / "var" / "imports" / "3"
    folder.mkdir(parents=True)
    link = folder / "errors-link.xlsx"
    link.symlink_to(outside)
    with travel(datetime.now(tz=ZoneInfo("UTC")) + timedelta(days=30), tick=False):
        cleanup.run()
    assert link.is_symlink() and outside.exists()
