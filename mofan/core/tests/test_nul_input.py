"""A NUL character in a query, a form or a JSON body is a Chinese 400 that changes nothing — on
PostgreSQL it would reach a query and fail there (schemathesis found one: a hand-over naming
its unit with a NUL). Uploaded files may hold any byte."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofan.access import services as access
from mofan.core.middleware import NUL_MESSAGE
from mofan.ledger.models import Item

pytestmark = pytest.mark.django_db


def _api(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {access.issue_api_token(user, actor=user)}"
    return client


def test_a_nul_in_an_api_query_or_body_is_a_400(site_world, client):
    w = site_world
    api = _api(client, w.sam)
    answer = api.get("/api/people/", {"search": "张\x00"})
    assert answer.status_code == 400 and answer.json() == {"detail": NUL_MESSAGE}
    before = Item.objects.get(pk=w.item.pk).version
    answer = api.post(
        f"/api/ledger-items/{w.item.pk}/hand-over/",
        "to_unit=U%00A&note=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert answer.status_code == 400 and answer.json() == {"detail": NUL_MESSAGE}
    answer = api.post(
        "/api/transfers/",
        '{"person": 1, "other_org_name": "a\\u0000b"}',
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert Item.objects.get(pk=w.item.pk).version == before


def test_a_nul_in_a_page_form_is_a_400_page(world, login):
    client = login(world.carol)
    answer = client.post(
        "/orgs/roster/new/", "name=%E5%BC%A0%00", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 400
    assert NUL_MESSAGE in answer.content.decode()


def test_an_uploaded_file_may_hold_a_nul(world, login):
    client = login(world.carol)
    upload = SimpleUploadedFile("名册.xlsx", b"PK\x03\x04\x00\x00binary")
    answer = client.post("/orgs/roster/import/", {"file": upload})
    # The import reads the file and says what is wrong with it; the NUL rule did not stop it.
    assert NUL_MESSAGE not in answer.content.decode()
    assert answer.status_code in (200, 400)
