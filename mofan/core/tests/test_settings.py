import importlib
import logging
import logging.config
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from mofan import envparse, logconfig


def test_bool_accepts_the_usual_spellings(monkeypatch):
    for raw, expected in (("1", True), ("yes", True), ("off", False), ("0", False)):
        monkeypatch.setenv("MOFAN_X", raw)
        assert envparse.env_bool("MOFAN_X", not expected) is expected


def test_bad_bool_stops_start_up_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("MOFAN_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="MOFAN_X"):
        envparse.env_bool("MOFAN_X", False)


def test_int_must_be_an_integer_above_its_minimum(monkeypatch):
    monkeypatch.setenv("MOFAN_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="不是整数"):
        envparse.env_int("MOFAN_N", 1)
    monkeypatch.setenv("MOFAN_N", "100")
    with pytest.raises(ImproperlyConfigured, match="最小值 180"):
        envparse.env_int("MOFAN_N", 365, minimum=180)


def test_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("MOFAN_S_FILE", str(secret))
    assert envparse.env_secret("MOFAN_S", fallback_file=None) == "s3cret"
    monkeypatch.setenv("MOFAN_S", "other")
    with pytest.raises(ImproperlyConfigured, match="不能同时设置"):
        envparse.env_secret("MOFAN_S", fallback_file=None)


def test_missing_production_secret_is_refused(monkeypatch):
    monkeypatch.delenv("MOFAN_S", raising=False)
    with pytest.raises(ImproperlyConfigured, match="必须设置"):
        envparse.env_secret("MOFAN_S", fallback_file=None)


def test_hex_key_length_is_checked(monkeypatch):
    monkeypatch.setenv("MOFAN_K", "abcd")
    with pytest.raises(ImproperlyConfigured, match="32 位十六进制"):
        envparse.env_hex_key("MOFAN_K", nbytes=16, fallback_file=None)


def test_generated_embedded_key_is_kept_between_starts(tmp_path, monkeypatch):
    monkeypatch.delenv("MOFAN_K", raising=False)
    first = envparse.env_hex_key("MOFAN_K", nbytes=16, fallback_file=tmp_path / "k")
    assert envparse.env_hex_key("MOFAN_K", nbytes=16, fallback_file=tmp_path / "k") == first
    assert (tmp_path / "k").stat().st_mode & 0o777 == 0o600


def _start_django(tmp_path, **env) -> subprocess.CompletedProcess:
    """Start Django in a fresh interpreter with only the given environment."""
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
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


def test_bad_database_url_stops_start_up(tmp_path):
    result = _start_django(
        tmp_path,
        DATABASE_URL="mysql://x@y/z",
        SECRET_KEY="k" * 10 + "abcdefghij" * 5,
        MOFAN_FIELD_KEY="00" * 16,
        MOFAN_HASH_KEY="00" * 32,
        MOFAN_AUDIT_KEY="00" * 32,
    )
    assert result.returncode != 0
    assert "DATABASE_URL 必须指向 PostgreSQL" in result.stderr


def test_short_production_secret_key_is_refused(tmp_path):
    result = _start_django(tmp_path, DATABASE_URL="postgres://x@y/z", SECRET_KEY="short")
    assert result.returncode != 0
    assert "SECRET_KEY 须为至少 50 个字符" in result.stderr


def test_choice_names_the_variable_and_the_valid_values(monkeypatch):
    monkeypatch.setenv("MOFAN_C", "loud")
    with pytest.raises(ImproperlyConfigured) as refused:
        envparse.env_choice("MOFAN_C", "WARNING", logconfig.LEVELS, upper=True)
    assert str(refused.value) == (
        "环境变量 MOFAN_C='loud' 无效，可选值为：DEBUG、INFO、WARNING、ERROR、CRITICAL。"
    )
    monkeypatch.setenv("MOFAN_C", " info ")
    assert envparse.env_choice("MOFAN_C", "WARNING", logconfig.LEVELS, upper=True) == "INFO"


def test_a_bad_log_level_stops_start_up_naming_the_variable(tmp_path):
    result = _start_django(tmp_path, MOFAN_LOG_LEVEL="LOUD")
    assert result.returncode != 0
    assert (
        "MOFAN_LOG_LEVEL='LOUD' 无效，可选值为：DEBUG、INFO、WARNING、ERROR、CRITICAL"
        in result.stderr
    )


def test_the_mofan_command_says_a_bad_setting_in_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "mofan", "check"],
        env={"PATH": "/usr/bin:/bin", "MOFAN_VAR_DIR": str(tmp_path), "MOFAN_LOG_LEVEL": "LOUD"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "配置错误：环境变量 MOFAN_LOG_LEVEL='LOUD' 无效，可选值为：DEBUG、INFO、WARNING、ERROR、CRITICAL。"
    )


def test_logs_go_to_var_log_unless_told_otherwise(tmp_path, monkeypatch):
    monkeypatch.setenv("MOFAN_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("MOFAN_LOG_DIR", raising=False)
    assert logconfig.log_dir() == tmp_path / "log" and (tmp_path / "log").is_dir()
    monkeypatch.setenv("MOFAN_LOG_DIR", str(tmp_path / "elsewhere"))
    assert logconfig.log_dir() == tmp_path / "elsewhere"
    monkeypatch.setenv("MOFAN_LOG_DIR", "")
    assert logconfig.log_dir() is None
    assert list(logconfig.logging_config("INFO", None)["handlers"]) == ["console"]
    (tmp_path / "ro").mkdir(mode=0o500)
    monkeypatch.setenv("MOFAN_LOG_DIR", str(tmp_path / "ro"))
    if os.geteuid() != 0:  # root writes anywhere
        with pytest.raises(ImproperlyConfigured, match="不可写（MOFAN_LOG_DIR）"):
            logconfig.log_dir()


def test_gunicorn_logs_to_files_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("MOFAN_LOG_DIR", str(tmp_path))
    conf = importlib.reload(importlib.import_module("mofan.gunicorn_conf"))
    assert conf.errorlog == str(tmp_path / "gunicorn-error.log")
    assert conf.accesslog == str(tmp_path / "gunicorn-access.log")
    assert conf.capture_output is True  # what the workers print (tracebacks) goes to errorlog


@pytest.mark.django_db
def test_a_500_writes_its_traceback_to_the_log_file(tmp_path, monkeypatch, settings):
    from django.test import Client

    from mofan.access.views import LoginView

    def broken(*args, **kwargs):
        raise RuntimeError("测试用的故障")

    monkeypatch.setattr(LoginView, "get", broken)
    logging.config.dictConfig(logconfig.logging_config("WARNING", tmp_path))
    try:
        response = Client(raise_request_exception=False).get("/accounts/login/")
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
        logging.config.dictConfig(settings.LOGGING)
    assert response.status_code == 500
    logged = (tmp_path / "mofan.log").read_text(encoding="utf-8")
    assert "ERROR" in logged and "Internal Server Error: /accounts/login/" in logged
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: 测试用的故障" in logged
