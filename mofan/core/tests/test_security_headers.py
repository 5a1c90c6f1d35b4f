"""Security headers (等保 8.1.4 入侵防范 / 数据保密性) on every kind of response: pages, redirects,
404 and 500 pages, downloads, API answers and errors, the API docs; a Content-Security-Policy
without inline script; and no inline script or event handler left in any template."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

import mofan

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def assert_security_headers(response) -> None:
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy == POLICY
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    cache = {part.strip() for part in response.headers["Cache-Control"].split(",")}
    assert {"no-store", "no-cache", "private", "max-age=0"} <= cache


def test_every_kind_of_response_carries_the_headers(site_world, login, monkeypatch):
    w = site_world
    carol, sam, alice = login(w.carol), Client(), Client()
    sam.force_login(w.sam)
    alice.force_login(w.alice)
    anonymous = Client()
    year = w.meeting.starts_at.year
    answers = {
        "login page": anonymous.get(reverse("access:login")),
        "redirect to login": anonymous.get(reverse("orgs:roster")),
        "page with full ID numbers": carol.get(reverse("orgs:person_detail", args=[w.amy_p.pk])),
        "roster": carol.get(reverse("orgs:roster")),
        "404 page": carol.get("/no/such/page/"),
        "Excel download": carol.get(reverse("orgs:roster_export")),
        "Word download": alice.get(reverse("meetings:export", args=[w.branch_a.pk, year, "docx"])),
        "attachment download": sam.get(reverse("ledger:attachment", args=[w.attachment.pk])),
        "API list": carol.get("/api/people/"),
        "API 404": carol.get("/api/people/999999/"),
        "API 401": anonymous.get("/api/people/", HTTP_ACCEPT="application/json"),
        "API docs": carol.get(reverse("api-docs")),
        "API docs script": carol.get(reverse("api-docs") + "?script="),
    }
    for name, response in answers.items():
        assert response.status_code < 500, name
        try:
            assert_security_headers(response)
        except (AssertionError, KeyError) as error:
            raise AssertionError(f"{name}: {error!r}") from error
    for name in (
        "page with full ID numbers",
        "Excel download",
        "Word download",
        "attachment download",
        "API docs",
    ):
        assert answers[name].status_code == 200, name
    assert answers["Excel download"]["Content-Disposition"].startswith("attachment")
    assert answers["Word download"]["Content-Disposition"].startswith("attachment")
    assert answers["404 page"].status_code == answers["API 404"].status_code == 404
    assert answers["API 401"].status_code == 401

    import mofan.dashboard.views

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(mofan.dashboard.views.stats, "overview", broken)
    failing = Client(raise_request_exception=False)
    failing.force_login(w.carol)
    error_page = failing.get(reverse("dashboard:home"))
    assert error_page.status_code == 500
    assert_security_headers(error_page)


def test_hsts_in_the_https_profile(tmp_path):
    """MOFAN_HTTPS=1 (behind the TLS proxy): HSTS for a year, on the answers of the API too."""
    probe = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/api/people/', HTTP_X_FORWARDED_PROTO='https', "
        "HTTP_ACCEPT='application/json'); "
        "print(r.status_code, r.headers['Strict-Transport-Security'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={
            "DJANGO_SETTINGS_MODULE": "mofan.settings",
            "PATH": "/usr/bin:/bin",
            "MOFAN_VAR_DIR": str(tmp_path),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # never connected to
            "SECRET_KEY": "test-only-secret-key-not-for-production-0123456789abcdefghij",
            "MOFAN_FIELD_KEY": "00" * 16,
            "MOFAN_HASH_KEY": "00" * 32,
            "MOFAN_AUDIT_KEY": "00" * 32,
            "ALLOWED_HOSTS": "testserver",
            "MOFAN_HTTPS": "1",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.split() == ["401", "max-age=31536000;", "includeSubDomains"], (
        result.stderr[-2000:]
    )


# An executable <script> (not a `json_script` data block or a file) and on…= handlers.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def test_no_template_has_inline_script_handlers_or_style_attributes():
    found = []
    for template in sorted(Path(mofan.__file__).parent.glob("*/templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, STYLE_ATTRIBUTE):
            found += [f"{template.name}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not found, found


def test_no_template_comment_spans_lines():
    """`{# … #}` is one line only: spread over two, it is sent to the browser as text (a word in
    angle brackets in it then opens an element, as `<style>` once did in base.html)."""
    found = []
    for template in sorted(Path(mofan.__file__).parent.glob("*/templates/**/*.html")):
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1):
            if line.count("{#") > line.count("#}"):
                found.append(f"{template.name}:{number}")
    assert not found, found
