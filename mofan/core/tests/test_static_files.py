"""Static files as the production profile serves them (issue 16): `collectstatic` gives hashed
names and gzip copies, and WhiteNoise answers a hashed name compressed when the browser accepts
it and cached for good, so a browser fetches each version of a file once."""

import json
import subprocess
import sys

import pytest

# Run in a fresh interpreter with the production settings (DATABASE_URL set, never connected to):
# the test settings serve static files from the finders, uncompressed, as `make run` does.
PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client

# The API docs' bundles are not what the pages load; skipping them keeps the test quick.
call_command("collectstatic", interactive=False, verbosity=0,
             ignore_patterns=["drf_spectacular_sidecar", "rest_framework"])
client = Client()
answers = {}
for name in ("vendor/tabler/css/tabler.min.css", "vendor/echarts/echarts.mofan.min.js",
             "core/mofan.js"):
    url = static(name)
    for label, headers in (("gzip", {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}), ("plain", {})):
        response = client.get(url, **headers)
        answers[f"{name} {label}"] = {
            "url": url, "status": response.status_code, "length": int(response["Content-Length"]),
            **{k: response.headers.get(k, "") for k in ("Content-Encoding", "Cache-Control", "Vary")},
        }
        response.close()
    answers[f"{name} unhashed"] = {"Cache-Control": client.get("/static/" + name)["Cache-Control"]}
answers["storage"] = settings.STORAGES["staticfiles"]["BACKEND"]
print(json.dumps(answers))
"""


@pytest.fixture(scope="module")
def answers(tmp_path_factory):
    var = tmp_path_factory.mktemp("production")
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={
            "DJANGO_SETTINGS_MODULE": "mofan.settings",
            "PATH": "/usr/bin:/bin",
            "MOFAN_VAR_DIR": str(var),
            "MOFAN_STATIC_ROOT": str(var / "static"),
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",  # never connected to
            "SECRET_KEY": "test-only-secret-key-not-for-production-0123456789abcdefghij",
            "MOFAN_FIELD_KEY": "00" * 16,
            "MOFAN_HASH_KEY": "00" * 32,
            "MOFAN_AUDIT_KEY": "00" * 32,
            "ALLOWED_HOSTS": "testserver",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


FILES = ["vendor/tabler/css/tabler.min.css", "vendor/echarts/echarts.mofan.min.js", "core/mofan.js"]


def test_the_production_profile_collects_hashed_compressed_files(answers):
    assert answers["storage"] == "mofan.core.staticfiles.StaticStorage"
    for name in FILES:
        stem, ext = name.rsplit(".", 1)
        url = answers[f"{name} gzip"]["url"]
        assert url.startswith(f"/static/{stem}.") and url.endswith(f".{ext}")
        assert len(url) == len(f"/static/{name}") + 13, url  # ".<12 hex digits>"


@pytest.mark.parametrize("name", FILES)
def test_a_hashed_file_is_sent_gzipped_and_cached_for_good(answers, name):
    gzipped, plain = answers[f"{name} gzip"], answers[f"{name} plain"]
    assert gzipped["status"] == plain["status"] == 200
    assert gzipped["Content-Encoding"] == "gzip"
    assert gzipped["length"] < plain["length"] / 2  # what crosses the wire
    assert plain["Content-Encoding"] == ""  # a client that accepts no gzip gets the file itself
    for answer in (gzipped, plain):
        cache = {part.strip() for part in answer["Cache-Control"].split(",")}
        assert {"public", "immutable"} <= cache
        max_age = next(int(p.split("=")[1]) for p in cache if p.startswith("max-age="))
        assert max_age >= 365 * 24 * 3600
        assert answer["Vary"] == "Accept-Encoding"  # a proxy keeps both copies apart


def test_an_unhashed_name_is_cached_only_briefly(answers):
    """The same file under its plain name may change with the next release: a minute, not years."""
    assert answers["core/mofan.js unhashed"]["Cache-Control"] == "max-age=60, public"


def test_the_storage_keeps_each_collected_names_url_and_nothing_else(tmp_path):
    """`StaticStorage` works a name's URL out once; a name the manifest does not hold is refused
    every time and not kept."""
    from mofan.core.staticfiles import StaticStorage

    manifest = {"paths": {"core/a.css": "core/a.0123456789ab.css"}, "version": "1.1", "hash": "x"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    assert storage.url("core/a.css") == "/static/core/a.0123456789ab.css"
    assert storage._known_urls == {"core/a.css": "/static/core/a.0123456789ab.css"}
    storage.hashed_files["core/a.css"] = "core/a.changed.css"  # kept: not worked out again
    assert storage.url("core/a.css") == "/static/core/a.0123456789ab.css"
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("core/gone.css")
    assert list(storage._known_urls) == ["core/a.css"]
