import pytest
from django.test import Client
from django.urls import reverse

from mofan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_carries_the_owners_scope(world, login):
    client = login(world.alice)
    response = client.post(reverse("access:api_token"), {"action": "issue"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    assert key not in client.get(reverse("access:api_token")).content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    names = {r["person"]["name"] for r in api.get("/api/memberships/").json()["results"]}
    assert names == {"张三", "李四"}
    assert api.get(f"/api/people/{world.bob_p.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="access.token.issued", actor_id=world.alice.pk).exists()


def test_regenerating_invalidates_the_old_token_and_revoking_ends_access(world, login):
    client = login(world.alice)
    old = client.post(reverse("access:api_token"), {"action": "issue"}).context["new_key"]
    new = client.post(reverse("access:api_token"), {"action": "issue"}).context["new_key"]
    assert Client(HTTP_AUTHORIZATION=f"Token {old}").get("/api/memberships/").status_code == 401
    assert Client(HTTP_AUTHORIZATION=f"Token {new}").get("/api/memberships/").status_code == 200
    client.post(reverse("access:api_token"), {"action": "revoke"})
    assert Client(HTTP_AUTHORIZATION=f"Token {new}").get("/api/memberships/").status_code == 401


def test_api_without_credentials_is_refused_in_chinese(db):
    response = Client().get("/api/memberships/")
    assert response.status_code in (401, 403)
    assert "身份认证" in response.json()["detail"] or "认证" in response.json()["detail"]
