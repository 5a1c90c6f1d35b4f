"""Nothing a page loads may come from outside the intranet."""

import re

import pytest

pytestmark = pytest.mark.django_db

# What a browser fetches by itself: src= of scripts, images and frames, and <link href=…>.
# (A plain <a href> to a website is not fetched.)
EXTERNAL = re.compile(r"""(?:src=|<link[^>]*href=)["'](?:https?:)?//(?!testserver)[^"']+""")


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/",
        "/orgs/tree/",
        "/orgs/roster/",
        "/api/docs/",
    ],
)
def test_pages_load_nothing_from_outside(world, login, url):
    client = login(world.carol) if url != "/accounts/login/" else login(world.carol).__class__()
    html = client.get(url).content.decode()
    assert not EXTERNAL.findall(html), EXTERNAL.findall(html)


def test_stylesheets_import_no_remote_fonts():
    from django.contrib.staticfiles import finders

    for name in ("vendor/tabler/css/tabler.min.css", "core/mofan.css"):
        css = open(finders.find(name), encoding="utf-8").read()
        assert not re.search(r"@import\s+url\(\s*['\"]?https?:", css)
        assert not re.search(r"url\(\s*['\"]?https?://", css)
