"""Need-to-know for 任务分解: a decomposition is the supervisors' working paper. Everyone else —
including people who see the ledger's items and a supervisor of another ledger — gets the same
404 as for a decomposition that does not exist, on every page, action and API call."""

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from mofan.access.roles import Role
from mofan.ledger import decomposition as decomposing
from mofan.ledger import services
from mofan.ledger.choices import CandidateStatus
from mofan.ledger.models import Candidate, Decomposition

OUTSIDERS = ["alice", "amy", "bob", "carol", "una", "sysadmin", "secadmin", "auditor", "other_sam"]


@pytest.fixture
def started(ledger_world):
    return decomposing.start(
        ledger_world.ledger,
        actor=ledger_world.sam,
        pasted="一、任务\n1．建立工作台账，由办公厅负责。\n2．开展专项检查，9月底前完成。",
        on=date(2026, 2, 1),
    )


def _persona(world, name):
    if name == "other_sam":  # a supervisor over the whole tree, of other ledgers
        return make_user("other_sam", None, (Role.SUPERVISOR, world.root))
    return getattr(world, name)


def _requests(world, started):
    candidate = started.candidates.order_by("position").first()
    ledger = world.ledger
    return [
        ("get", reverse("ledger:decompose", args=[ledger.pk]), {}),
        (
            "post",
            reverse("ledger:decompose", args=[ledger.pk]),
            {"pasted": "一、任务\n1．开展检查。"},
        ),
        ("get", reverse("ledger:decomposition", args=[started.pk]), {}),
        (
            "post",
            reverse("ledger:candidate", args=[started.pk, candidate.pk]),
            {"what": "accepted"},
        ),
        (
            "post",
            reverse("ledger:candidate", args=[started.pk, candidate.pk]),
            {"what": "edit", "version": 1, "text": "改了", "kind": "task"},
        ),
        ("post", reverse("ledger:decomposition_action", args=[started.pk, "accept-all"]), {}),
        (
            "post",
            reverse("ledger:decomposition_action", args=[started.pk, "merge"]),
            {"candidates": [c.pk for c in started.candidates.all()]},
        ),
        (
            "post",
            reverse("ledger:decomposition_action", args=[started.pk, "commit"]),
            {"title": "t", "kind": "document"},
        ),
        ("post", reverse("ledger:decomposition_action", args=[started.pk, "discard"]), {}),
    ]


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_everywhere_and_change_nothing(ledger_world, started, login, persona):
    user = _persona(ledger_world, persona)
    client = login(user)
    for method, url, data in _requests(ledger_world, started):
        answer = getattr(client, method)(url, data)
        assert answer.status_code == 404, (persona, method, url)
    assert Decomposition.objects.count() == 1
    assert not Candidate.objects.exclude(status=CandidateStatus.PENDING).exists()
    assert started.candidates.count() == 2


def test_the_supervisor_gets_in(ledger_world, started, login):
    client = login(ledger_world.sam)
    for method, url, data in _requests(ledger_world, started)[:4]:
        assert getattr(client, method)(url, data).status_code in (200, 302), url


def test_a_hidden_decomposition_is_the_same_404_as_a_missing_one(ledger_world, started, login):
    client = login(ledger_world.bob)
    hidden = client.get(reverse("ledger:decomposition", args=[started.pk]))
    missing = client.get(reverse("ledger:decomposition", args=[started.pk + 999]))
    assert hidden.status_code == missing.status_code == 404

    def strip(answer):  # the per-request CSRF token aside
        return re.sub(
            rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', b"", answer.content
        )

    assert strip(hidden) == strip(missing)


def test_a_source_document_is_decomposed_only_by_the_supervisor(ledger_world, login):
    upload = SimpleUploadedFile("a.txt", "一、任务\n1．开展检查。".encode())
    attachment = services.attach_to_source(
        ledger_world.source, actor=ledger_world.sam, upload=upload
    )
    url = reverse("ledger:source_decompose", args=[ledger_world.source.pk, attachment.pk])
    assert (
        login(ledger_world.amy).post(url).status_code == 404
    )  # amy sees the item, not the ledger's papers
    assert not Decomposition.objects.exists()
    assert login(ledger_world.sam).post(url).status_code == 302
    assert Decomposition.objects.get().source == ledger_world.source


def test_the_source_page_marks_only_a_visible_items_span(ledger_world, started, login):
    decomposing.review_all(started, actor=ledger_world.sam, status="accepted")
    source, items = decomposing.commit(started, actor=ledger_world.sam)
    url = reverse("ledger:source", args=[source.pk]) + f"?item={items[0].pk}"
    assert "linked-span" in login(ledger_world.sam).get(url).content.decode()
    # 办公厅's leader sees the item led by 办公厅 only; bob sees nothing of the ledger
    assert login(ledger_world.bob).get(url).status_code == 404


# -- API -----------------------------------------------------------------------------------


def test_api_decompose_follows_the_contract(ledger_world, login):
    client = login(ledger_world.alice)  # any signed-in user may parse a document of their own
    answer = client.post(
        "/api/decompose/",
        {
            "text": "关于开展调研的通知\n一、调研安排\n1．深入基层开展调研，6月底前形成报告。（牵头单位：办公厅）",
            "date": "2026-03-01",
        },
        content_type="application/json",
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["title"] == "关于开展调研的通知"
    assert body["outline"][0]["path"] == "一"
    assert body["items"][0]["deadline"] == "2026-06-30"
    assert body["items"][0]["lead_units"] == ["办公厅"]
    assert not Decomposition.objects.exists()  # nothing stored


def test_api_decompose_a_file_with_the_unit_tree_of_a_supervised_ledger(ledger_world, login):
    from mofan.orgs import services as orgs

    orgs.update_unit(
        ledger_world.unit_a, actor=None, version=ledger_world.unit_a.version, aliases="厅办"
    )
    client = login(ledger_world.sam)
    upload = SimpleUploadedFile(
        "a.txt", "一、任务\n1．建立台账。（牵头单位：厅办）".encode("gb18030")
    )
    answer = client.post("/api/decompose/", {"file": upload, "ledger": ledger_world.ledger.pk})
    assert answer.status_code == 200
    assert answer.json()["items"][0]["lead_units"] == ["办公厅"]


@pytest.mark.parametrize("persona", ["alice", "bob", "una", "other_sam"])
def test_api_decompose_with_a_ledger_one_does_not_supervise_is_404(ledger_world, login, persona):
    client = login(_persona(ledger_world, persona))
    answer = client.post(
        "/api/decompose/",
        {"text": "一、任务", "ledger": ledger_world.ledger.pk},
        content_type="application/json",
    )
    assert answer.status_code == 404 and answer.json()["detail"] == "未找到该记录。"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请上传文件"),
        ({"text": "  "}, "请上传文件"),
        ({"file": b"PK\x03\x04 broken"}, "已损坏"),
        ({"text": "!!! ... ，，，"}, "未识别到中文正文"),
        ({"text": "Work points of the party committee for 2026."}, "未识别到中文正文"),
    ],
)
def test_api_decompose_bad_input_is_400_in_chinese(ledger_world, login, data, message):
    client = login(ledger_world.sam)
    if "file" in data:
        data = {"file": SimpleUploadedFile("a.docx", data["file"])}
    answer = client.post("/api/decompose/", data)
    assert answer.status_code == 400 and message in answer.json()["detail"]


def test_api_decompose_needs_a_login(client):
    assert client.post("/api/decompose/", {"text": "一、任务"}).status_code in (401, 403)
