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


def _token_client(user):
    from mofan.access import services

    return Client(HTTP_AUTHORIZATION=f"Token {services.issue_api_token(user, actor=user)}")


@pytest.mark.parametrize("changed_days_ago", [None, 91])
def test_a_token_does_not_skip_the_forced_or_expired_password_change(world, changed_days_ago):
    from datetime import timedelta

    from django.utils import timezone

    from mofan.meetings.models import Meeting

    user = world.alice
    user.password_changed_at = (
        None if changed_days_ago is None else timezone.now() - timedelta(days=changed_days_ago)
    )
    user.save(update_fields=["password_changed_at"])
    api = _token_client(user)
    read = api.get("/api/memberships/")
    assert read.status_code == 403
    assert read.json()["detail"] == "请先修改密码（首次登录或密码已超过有效期）。"
    write = api.post(
        "/api/meetings/",
        {
            "org": world.branch_a.pk,
            "kind": "theme_day",
            "title": "主题党日",
            "starts_at": "2026-11-25T09:00:00+08:00",
            "ends_at": "2026-11-25T11:00:00+08:00",
        },  # fmt: skip
        content_type="application/json",
    )
    assert write.status_code == 403 and "修改密码" in write.json()["detail"]
    assert not Meeting.objects.exists()
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password_changed_at"])
    assert api.get("/api/memberships/").status_code == 200


def test_a_token_of_an_admin_account_is_refused_without_its_second_factor(world):
    api = _token_client(world.auditor)
    answer = api.get("/api/audit-events/")
    assert answer.status_code == 403
    assert answer.json()["detail"] == "管理员账户须完成双因素认证。"
