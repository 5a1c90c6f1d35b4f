"""Helpers of the 等保 clause tests."""

import json
import os
import subprocess
import sys

PRODUCTION_ENV = {
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    "SECRET_KEY": "k" * 10 + "abcdefghij" * 5,
    "MOFAN_FIELD_KEY": "00" * 16,
    "MOFAN_HASH_KEY": "00" * 32,
    "MOFAN_AUDIT_KEY": "00" * 32,
    "ALLOWED_HOSTS": "dangjian.example.gov",
}
NAMES = [
    "PASSWORD_HASHERS",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_AGE",
    "SESSION_MAX_HOURS",
]


def production_settings(**env: str) -> dict:
    """The settings a production process would start with (read in a child process, as a
    server would read them from its environment)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MOFAN_")}
    environment.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="mofan.settings", **env)
    code = (
        "import json; from mofan import settings as s; "
        f"print(json.dumps({{n: getattr(s, n, None) for n in {NAMES!r}}}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)
