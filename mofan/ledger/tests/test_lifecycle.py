from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput
from mofan.ledger import services
from mofan.ledger.choices import EventKind, ItemState
from mofan.ledger.models import Item, ProgressReport
from mofan.ledger.states import InvalidTransition

pytestmark = pytest.mark.django_db


def _evidence(w):
    services.attach(
        w.item,
        actor=w.amy,
        upload=SimpleUploadedFile("总结.pdf", b"%PDF-1.4 evidence"),
        is_evidence=True,
    )


def test_items_are_numbered_in_order_with_sub_items(ledger_world):
    w = ledger_world
    second = services.add_item(w.ledger, actor=w.sam, content="第二项")
    child = services.add_item(w.ledger, actor=w.sam, parent=w.item, content="子项")
    grandchild = services.add_item(w.ledger, actor=w.sam, parent=child, content="孙项")
    assert (w.item.number, second.number, child.number, grandchild.number) == (
        "1",
        "2",
        "1.1",
        "1.1.1",
    )
    assert list(Item.objects.filter(ledger=w.ledger).values_list("number", flat=True)) == [
        "1",
        "1.1",
        "1.1.1",
        "2",
    ]


def test_whole_closed_loop_with_one_return(ledger_world):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    services.transition(w.item, "accept", actor=w.amy)
    report, created = services.submit_report(
        w.item, actor=w.amy, text="已起草初稿", percent=40, submission_key="k1"
    )
    assert created and Item.objects.get(pk=w.item.pk).state == ItemState.IN_PROGRESS
    _evidence(w)
    services.transition(w.item, "submit_done", actor=w.amy, comment="已印发")
    services.transition(w.item, "return", actor=w.sam, comment="缺少落实情况")
    services.transition(w.item, "submit_done", actor=w.amy, comment="已补充")
    item = services.transition(
        w.item, "close_out", actor=w.sam, evaluation="good", evaluation_comment="落实到位"
    )
    assert item.state == ItemState.CLOSED and item.closed_at and item.evaluation == "good"
    steps = [(e.from_state, e.to_state) for e in item.events.filter(kind=EventKind.TRANSITION)]
    assert steps == [
        ("draft", "assigned"),
        ("assigned", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "done"),
        ("done", "in_progress"),
        ("in_progress", "done"),
        ("done", "closed"),
    ]
    actions = set(
        AuditEvent.objects.filter(object_id=str(w.item.pk), object_type="ledger.item").values_list(
            "action", flat=True
        )
    )
    assert {
        "ledger.item.assign",
        "ledger.item.accept",
        "ledger.item.return",
        "ledger.item.close_out",
    } <= actions


def test_invalid_transition_is_refused_in_chinese_and_changes_nothing(ledger_world):
    w = ledger_world
    with pytest.raises(InvalidTransition, match="当前为“草稿”，不能销号"):
        services.transition(w.item, "close_out", actor=w.sam, evaluation="good")
    assert Item.objects.get(pk=w.item.pk).state == ItemState.DRAFT


def test_only_the_right_people_take_each_step(ledger_world):
    w = ledger_world
    with pytest.raises(services.NotAllowed, match="督办人"):
        services.transition(w.item, "assign", actor=w.amy)
    services.transition(w.item, "assign", actor=w.sam)
    with pytest.raises(services.NotAllowed, match="责任人"):
        services.transition(w.item, "accept", actor=w.sam)


def test_assigning_needs_a_unit_and_an_owner_or_the_units_liaison(ledger_world):
    w = ledger_world
    bare = services.add_item(w.ledger, actor=w.sam, content="无人负责的事项", ongoing=True)
    with pytest.raises(InvalidInput, match="交办前须指定牵头单位"):
        services.transition(bare, "assign", actor=w.sam)
    services.update_item(bare, actor=w.sam, version=bare.version, lead_unit=w.unit_b)
    with pytest.raises(InvalidInput, match="“人事司”尚未设督办联络员，交办前须指定责任人"):
        services.transition(bare, "assign", actor=w.sam)


def test_done_needs_evidence_return_needs_a_reason_close_out_an_evaluation(ledger_world):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    services.transition(w.item, "accept", actor=w.amy)
    services.transition(w.item, "start", actor=w.amy)
    with pytest.raises(InvalidInput, match="佐证材料"):
        services.transition(w.item, "submit_done", actor=w.amy, comment="完成")
    _evidence(w)
    services.transition(w.item, "submit_done", actor=w.amy, comment="完成")
    with pytest.raises(InvalidInput, match="须填写说明"):
        services.transition(w.item, "return", actor=w.sam)
    with pytest.raises(InvalidInput, match="效果评估"):
        services.transition(w.item, "close_out", actor=w.sam)


def test_a_report_submitted_twice_is_stored_once(ledger_world):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    first, created = services.submit_report(
        w.item, actor=w.amy, text="进展", percent=10, submission_key="same"
    )
    again, created_again = services.submit_report(
        w.item, actor=w.amy, text="进展", percent=10, submission_key="same"
    )
    assert created and not created_again and first.pk == again.pk
    assert ProgressReport.objects.count() == 1


def test_a_key_used_on_another_item_neither_finds_that_report_nor_drops_this_one(
    ledger_world, login
):
    """Found by the cross-organisation probe: the duplicate check looked the key up across all
    items, so a guessed key returned another organisation's report and silently lost one's own."""
    w = ledger_world
    theirs = services.add_item(
        w.ledger,
        actor=w.sam,
        content="人事司的事项",
        lead_unit=w.unit_b,
        owners=[w.bob_p],
        ongoing=True,
    )
    for item in (w.item, theirs):
        services.transition(item, "assign", actor=w.sam)
    secret, _ = services.submit_report(
        theirs, actor=w.bob, text="人事司内部进展", percent=30, submission_key="k-1"
    )
    client = login(w.amy)
    response = client.post(
        f"/api/ledger-items/{w.item.pk}/reports/",
        {"text": "我的进展", "percent": 5, "submission_key": "k-1"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["text"] == "我的进展" and "人事司内部进展" not in response.text
    assert ProgressReport.objects.filter(item=w.item, submission_key="k-1").count() == 1
    assert ProgressReport.objects.get(pk=secret.pk).item == theirs


def test_only_owners_report(ledger_world):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    with pytest.raises(services.NotAllowed):
        services.submit_report(w.item, actor=w.sam, text="代报", percent=10, submission_key="x")


@pytest.mark.parametrize("name", ["报告.exe", "无扩展名"])
def test_attachment_types_are_limited(ledger_world, name):
    w = ledger_world
    with pytest.raises(InvalidInput, match="不支持的文件类型"):
        services.attach(w.item, actor=w.amy, upload=SimpleUploadedFile(name, b"x"))


def test_stale_item_edit_is_refused(ledger_world):
    from mofan.core.errors import StaleEdit

    w = ledger_world
    version = w.item.version
    services.update_item(w.item, actor=w.sam, version=version, content="新内容")
    with pytest.raises(StaleEdit):
        services.update_item(w.item, actor=w.sam, version=version, content="覆盖")
    assert Item.objects.get(pk=w.item.pk).content == "新内容"


def test_ongoing_items_have_no_deadline(ledger_world):
    w = ledger_world
    with pytest.raises(InvalidInput, match="长期坚持"):
        services.add_item(
            w.ledger, actor=w.sam, content="长期", ongoing=True, deadline=date(2026, 12, 31)
        )


def test_milestones_are_set_by_supervisors_and_confirmed_by_owners(ledger_world):
    w = ledger_world
    with pytest.raises(services.NotAllowed):
        services.add_milestone(w.item, actor=w.amy, title="征求意见", due_on=date(2026, 12, 1))
    with pytest.raises(InvalidInput, match="不能晚于完成时限"):
        services.add_milestone(w.item, actor=w.sam, title="太晚", due_on=date(2027, 1, 1))
    milestone = services.add_milestone(
        w.item, actor=w.sam, title="征求意见", due_on=date(2026, 12, 1)
    )
    services.complete_milestone(milestone, actor=w.amy, done_on=date(2026, 11, 30))
    assert milestone.done_on == date(2026, 11, 30)
    assert "节点完成：征求意见" in [e.comment for e in w.item.events.all()]
