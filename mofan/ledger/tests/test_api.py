from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mofan.ledger import services
from mofan.ledger.models import Item, ProgressReport

pytestmark = pytest.mark.django_db


def test_items_api_is_scoped_and_carries_lights(ledger_world, login):
    w = ledger_world
    rows = login(w.una).get("/api/ledger-items/").json()["results"]
    assert [r["number"] for r in rows] == ["1"] and rows[0]["light"] == "none"
    assert login(w.bob).get("/api/ledger-items/").json()["count"] == 0
    assert login(w.bob).get(f"/api/ledger-items/{w.item.pk}/").status_code == 404
    assert login(w.bob).get("/api/ledgers/").json()["count"] == 0


@pytest.mark.parametrize("persona", ["sam", "una"])
@pytest.mark.parametrize("params", [{}, {"ledger": "x", "state": "assigned"}])
def test_the_items_list_takes_the_same_number_of_queries_for_2_and_50_items(
    ledger_world, login, persona, params
):
    """sam supervises the ledger (its items without the visibility condition), una sees them
    as the leader of a co-unit (through restrict)."""
    w = ledger_world
    params = {k: (w.ledger.pk if v == "x" else v) for k, v in params.items()}
    client = login(getattr(w, persona))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            body = client.get("/api/ledger-items/", params).json()
        assert body["count"] >= 2
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            item = services.add_item(
                w.ledger, actor=w.sam, content=f"事项{i}", lead_unit=w.unit_a,
                co_units=[w.unit_b], owners=[w.amy_p], deadline=date(2026, 12, 31),
                tags=["批量"],
            )  # fmt: skip
            services.transition(item, "assign", actor=w.sam)

    add(2)
    few = count()
    add(47)  # 50 items: one full page, read without counting them
    assert count() == few
    add(10)  # more than a page: counted once, whatever the number
    assert count() == few + 1
    add(40)
    assert count() == few + 1


def test_api_filters(ledger_world, login):
    w = ledger_world
    services.add_item(w.ledger, actor=w.sam, content="另一项", lead_unit=w.unit_b)
    client = login(w.sam)
    assert client.get("/api/ledger-items/", {"unit": "UA"}).json()["count"] == 1
    assert client.get("/api/ledger-items/", {"q": "另一"}).json()["count"] == 1
    assert (
        client.get("/api/ledger-items/", {"ledger": w.ledger.pk, "state": "draft"}).json()["count"]
        == 2
    )


def test_closed_loop_over_the_api(ledger_world, login):
    w = ledger_world
    url = f"/api/ledger-items/{w.item.pk}/"
    sam = login(w.sam)
    assert (
        sam.post(url + "transition/", {"action": "assign"}, content_type="application/json").json()[
            "state"
        ]
        == "assigned"
    )
    amy = login(w.amy)
    amy.post(url + "transition/", {"action": "accept"}, content_type="application/json")
    first = amy.post(
        url + "reports/",
        {"text": "进展", "percent": 20, "submission_key": "api-1"},
        content_type="application/json",
    )
    again = amy.post(
        url + "reports/",
        {"text": "进展", "percent": 20, "submission_key": "api-1"},
        content_type="application/json",
    )
    assert (first.status_code, again.status_code) == (
        201,
        200,
    ) and ProgressReport.objects.count() == 1
    upload = amy.post(
        url + "attachments/",
        {"file": SimpleUploadedFile("证明.pdf", b"%PDF-1.4"), "is_evidence": "true"},
    )
    assert upload.status_code == 201
    assert (
        amy.post(
            url + "transition/",
            {"action": "submit_done", "comment": "完成"},
            content_type="application/json",
        ).status_code
        == 200
    )
    sam = login(w.sam)
    closed = sam.post(
        url + "transition/",
        {"action": "close_out", "evaluation": "good"},
        content_type="application/json",
    )
    assert closed.json()["state"] == "closed"
    kinds = [e["kind"] for e in sam.get(url + "events/").json()]
    assert kinds.count("transition") == 5 and "report" in kinds


def test_api_refusals_are_chinese_and_change_nothing(ledger_world, login):
    w = ledger_world
    url = f"/api/ledger-items/{w.item.pk}/transition/"
    response = login(w.sam).post(url, {"action": "close_out"}, content_type="application/json")
    assert response.status_code == 409 and "不能销号" in response.json()["detail"]
    response = login(w.amy).post(url, {"action": "assign"}, content_type="application/json")
    assert response.status_code == 403 and "督办人" in response.json()["detail"]
    assert Item.objects.get(pk=w.item.pk).state == "draft"


def test_create_and_versioned_update_over_the_api(ledger_world, login):
    w = ledger_world
    client = login(w.sam)
    created = client.post(
        "/api/ledger-items/",
        {
            "ledger": w.ledger.pk,
            "content": "接口新增",
            "lead_unit": "UB",
            "co_units": ["UA"],
            "deadline": "2026-12-20",
            "report_cycle": "weekly",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["number"] == "2"
    item_id, version = created.json()["id"], created.json()["version"]
    ok = client.patch(
        f"/api/ledger-items/{item_id}/",
        {"content": "改过", "version": version},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["content"] == "改过"
    stale = client.patch(
        f"/api/ledger-items/{item_id}/",
        {"content": "覆盖", "version": version},
        content_type="application/json",
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    assert (
        stale.json()["current"]["content"] == "改过"
        and stale.json()["current"]["version"] == version + 1
    )
    missing = client.patch(
        f"/api/ledger-items/{item_id}/", {"content": "无版本"}, content_type="application/json"
    )
    assert missing.status_code == 400


def test_only_supervisors_create_or_edit_over_the_api(ledger_world, login):
    w = ledger_world
    client = login(w.amy)
    response = client.post(
        "/api/ledger-items/",
        {"ledger": w.ledger.pk, "content": "越权"},
        content_type="application/json",
    )
    assert response.status_code == 400  # the ledger is not among those she supervises
    response = client.patch(
        f"/api/ledger-items/{w.item.pk}/",
        {"content": "越权", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Item.objects.filter(content="越权").exists()


def test_openapi_schema_lists_the_ledger_endpoints(ledger_world, login):
    schema = login(ledger_world.sam).get("/api/schema/?format=json").json()
    assert "/api/ledger-items/{id}/transition/" in schema["paths"]
    assert "/api/ledger-items/{id}/reports/" in schema["paths"]


def test_close_out_refuses_an_evaluation_outside_its_choices(ledger_world, login):
    """The probe stored `evaluation: "excellent"` through the transition API."""
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    services.transition(w.item, "accept", actor=w.amy)
    services.transition(w.item, "start", actor=w.amy)
    services.attach(
        w.item, actor=w.amy, upload=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 x"), is_evidence=True
    )
    services.transition(w.item, "submit_done", actor=w.amy, comment="完成")
    url = f"/api/ledger-items/{w.item.pk}/transition/"
    refused = login(w.sam).post(
        url, {"action": "close_out", "evaluation": "excellent"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert refused.json() == {"evaluation": ["“excellent” 不是合法选项。"]}
    item = Item.objects.get(pk=w.item.pk)
    assert (item.state, item.evaluation) == ("done", "")
    with pytest.raises(services.InvalidInput, match="落实效果评估须为：好、较好、一般、差"):
        services.transition(w.item, "close_out", actor=w.sam, evaluation="excellent")
    closed = login(w.sam).post(
        url, {"action": "close_out", "evaluation": "fairly_good"}, content_type="application/json"
    )
    assert closed.status_code == 200 and closed.json()["evaluation"] == "fairly_good"


def test_a_malformed_list_filter_answers_400_naming_it(ledger_world, login):
    """They were silently ignored: `?ledger=abc` or `?light=purple` listed every item."""
    client = login(ledger_world.sam)
    answer = client.get("/api/ledger-items/", {"ledger": "abc"})
    assert answer.status_code == 400 and answer.json() == {"ledger": ["请提供台账ID（整数）。"]}
    answer = client.get("/api/ledger-items/", {"light": "purple", "deadline_after": "x"})
    assert answer.status_code == 400
    assert answer.json() == {
        "light": ["选择一个有效的选项。 purple 不在可用的选项中。"],
        "deadline_after": ["输入一个有效的日期。"],
    }
    assert client.get("/api/ledger-items/", {"light": "red"}).status_code == 200


def test_the_listed_items_are_written_out_as_the_generic_serializer_writes_them(ledger_world):
    """ItemSerializer writes an item read by for_api() field by field (to_representation's fast
    path); it must say what DRF's generic path says of the same item, key for key, for every
    kind of value: empty and filled lists, no lead unit, dates, times, a closed item."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.test import RequestFactory
    from django.utils import timezone

    from mofan.ledger.api.serializers import LISTED_COLUMNS, ItemSerializer

    w = ledger_world
    services.add_item(w.ledger, actor=w.sam, content="无单位", ongoing=True)
    closed = services.add_item(
        w.ledger,
        actor=w.sam,
        content="已销号",
        lead_unit=w.unit_b,
        owners=[w.amy_p],
        tags=["甲", "乙"],
        deadline=date(2026, 3, 1),
    )
    Item.objects.filter(pk=closed.pk).update(
        state="closed",
        closed_at=datetime(2026, 2, 27, 16, 30, 5, 123456, tzinfo=ZoneInfo("UTC")),
        returned_at=datetime(2026, 2, 20, 1, 0, tzinfo=ZoneInfo("UTC")),
        return_reason="材料不全",
        evaluation="good",
        evaluation_comment="按期完成",
        original_deadline=date(2026, 2, 1),
        assigned_on=date(2026, 1, 5),
        supervisor=w.sam,
    )
    request = RequestFactory().get("/api/ledger-items/")
    request.user = w.sam
    context = {"request": request}
    today = timezone.localdate()
    listed = list(
        Item.objects.filter(ledger=w.ledger)
        .with_light(today)
        .for_api()
        .only(*LISTED_COLUMNS)
        .order_by("pk")
    )
    generic = list(Item.objects.filter(ledger=w.ledger).with_light(today).order_by("pk"))
    assert len(listed) == 3 and all(hasattr(item, "api_co_units") for item in listed)
    with CaptureQueriesContext(connection) as ctx:  # only the columns it writes were read
        fast = ItemSerializer(listed, many=True, context=context).data
    assert ctx.captured_queries == []
    slow = ItemSerializer(generic, many=True, context=context).data
    assert [list(row) for row in fast] == [ItemSerializer.Meta.fields] * 3
    assert [dict(row) for row in fast] == [dict(row) for row in slow]
    assert fast[0]["co_units"] == [w.unit_b.code] and fast[0]["owners"] == [w.amy_p.pk]
    assert fast[1]["lead_unit"] is None and fast[1]["co_units"] == []
    assert fast[2]["tags"] == ["甲", "乙"]  # as they were given
    assert fast[2]["closed_at"] == "2026-02-28T00:30:05.123456+08:00"
