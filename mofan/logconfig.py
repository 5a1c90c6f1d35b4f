"""Where and how the application logs: the console, and a rotating file under MOFAN_LOG_DIR
(default var/log) that several processes (gunicorn's workers, Celery) may share — so a 500's
traceback is kept when nobody watches the console, as under `gunicorn --daemon`. Read by the
settings and by gunicorn's configuration (mofan/gunicorn_conf.py), before Django is set up."""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from mofan.envparse import env_str

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
FILE_NAME = "mofan.log"
MAX_BYTES = 20 * 1024 * 1024
BACKUPS = 10
_BASE_DIR = Path(__file__).resolve().parent.parent


def var_dir() -> Path:
    return Path(env_str("MOFAN_VAR_DIR", str(_BASE_DIR / "var")))


def log_dir() -> Path | None:
    """MOFAN_LOG_DIR, or var/log; None when MOFAN_LOG_DIR is set empty (console only, e.g. under
    journald). Made if missing; refused in Chinese if it cannot be written."""
    value = env_str("MOFAN_LOG_DIR")
    if value is not None and not value.strip():
        return None
    path = Path(value) if value else var_dir() / "log"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ImproperlyConfigured(f"日志目录 {path} 无法创建（MOFAN_LOG_DIR）：{exc}") from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise ImproperlyConfigured(f"日志目录 {path} 不可写（MOFAN_LOG_DIR）。")
    return path


def logging_config(level: str, directory: Path | None) -> dict:
    """The LOGGING setting: everything at `level` and above to the console and, with a
    directory, to its rotating file (20 MB × 10)."""
    handlers: dict = {"console": {"class": "logging.StreamHandler", "formatter": "plain"}}
    if directory is not None:
        handlers["file"] = {
            # A RotatingFileHandler of its own in each worker would rotate under the others'
            # feet; this one takes a lock file for writing and rotating.
            "class": "concurrent_log_handler.ConcurrentRotatingFileHandler",
            "filename": str(directory / FILE_NAME),
            "maxBytes": MAX_BYTES,
            "backupCount": BACKUPS,
            "encoding": "utf-8",
            "formatter": "plain",
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"}
        },
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": level},
    }
