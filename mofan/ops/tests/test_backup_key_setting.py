"""MOFAN_BACKUP_KEY: parsed strictly when set, generated once on the embedded default, and not
needed for the web server to start in production."""

import subprocess
import sys

PRODUCTION = {
    "DATABASE_URL": "postgres://x@127.0.0.1:1/none",
    "SECRET_KEY": "k" * 10 + "abcdefghij" * 5,
    "MOFAN_FIELD_KEY": "00" * 16,
    "MOFAN_HASH_KEY": "00" * 32,
    "MOFAN_AUDIT_KEY": "00" * 32,
}


def _backup_key(tmp_path, **env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.BACKUP_KEY.hex() if settings.BACKUP_KEY else None)",
        ],
        env={
            "DJANGO_SETTINGS_MODULE": "mofan.settings",
            "PATH": "/usr/bin:/bin",
            "MOFAN_VAR_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_starts_without_a_backup_key(tmp_path):
    result = _backup_key(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_a_malformed_backup_key_stops_start_up_naming_the_variable(tmp_path):
    result = _backup_key(tmp_path, **PRODUCTION, MOFAN_BACKUP_KEY="00" * 16)
    assert result.returncode != 0
    assert "MOFAN_BACKUP_KEY 必须是 64 位十六进制" in result.stderr
    result = _backup_key(tmp_path, **PRODUCTION, MOFAN_BACKUP_KEY="zz" * 32)
    assert "MOFAN_BACKUP_KEY 必须是十六进制字符串" in result.stderr


def test_a_production_backup_key_is_read_from_its_file(tmp_path):
    key_file = tmp_path / "backup_key"
    key_file.write_text("ab" * 32 + "\n")
    result = _backup_key(tmp_path, **PRODUCTION, MOFAN_BACKUP_KEY_FILE=str(key_file))
    assert result.stdout.strip() == "ab" * 32


def test_the_embedded_default_generates_one_key_under_var(tmp_path):
    first = _backup_key(tmp_path).stdout.strip()
    assert len(first) == 64 and int(first, 16) >= 0
    assert _backup_key(tmp_path).stdout.strip() == first
    assert (tmp_path / "backup_key").stat().st_mode & 0o777 == 0o600
