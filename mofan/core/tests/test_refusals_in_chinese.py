"""Refusals Django and DRF word in English whatever the language — a missing CSRF token, a body
that is not JSON, a body too large — answer in Chinese, on the API and on the pages (found by
the cross-organisation probe)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.fixture
def strict(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    return client


def test_an_api_write_without_a_csrf_token(strict):
    answer = strict.post("/api/meeting-plans/", {"org": 1, "year": 2026, "content": "x"})
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["detail"] and _has_chinese(answer.json()["detail"])
    assert "Failed" not in answer.json()["detail"]


def test_a_page_post_without_a_csrf_token(strict):
    answer = strict.post("/notifications/", {"all": "1"})
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "页面已过期" in page and "没有任何数据被修改" in page and "Forbidden" not in page


def test_a_body_that_is_not_json(world, login):
    answer = login(world.alice).post(
        "/api/meeting-plans/", '{"org": 1,, "year"', content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": "请求内容无法解析：请发送格式正确的 JSON 或表单数据。"}


def test_a_body_too_large(world, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    answer = login(world.alice).post(
        "/api/meeting-plans/",
        '{"content": "' + "长" * 2000 + '"}',
        content_type="application/json",
    )
    # the same answer as a page's: a 413 that says how much may be sent
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("提交的内容超过 1 KB（约 341 字），没有保存。")


def test_a_form_with_too_many_fields(world, login):
    # A list field sent as a form repeats its name once per value (schemathesis sent 1,001).
    body = "&".join(["targets=1"] * 1001 + ["org=1", "title=x"])
    answer = login(world.carol).post(
        "/api/check-entries/", body, content_type="application/x-www-form-urlencoded"
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": "请求中的字段过多（最多 1000 项）。"}
