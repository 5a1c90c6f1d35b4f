"""Every next step is shown before it is refused (issue 10): a returned item says so in its
status, on the owner's task card and at the top of its page; the owner sees what 申请办结 needs,
with the evidence upload in the same card."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mofan.ledger import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_progress(ledger_world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    services.transition(w.item, "accept", actor=w.amy)
    services.submit_report(w.item, actor=w.amy, text="已起草", percent=50, submission_key="r1")
    return w


def _evidence(w):
    services.attach(
        w.item,
        actor=w.amy,
        upload=SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan"),
        is_evidence=True,
    )


def test_a_returned_item_says_so_everywhere_until_it_is_submitted_again(in_progress, login):
    w = in_progress
    _evidence(w)
    services.transition(w.item, "submit_done", actor=w.amy, comment="已完成")
    services.transition(w.item, "return", actor=w.sam, comment="佐证材料不全，请补充会议纪要")
    w.item.refresh_from_db()
    assert w.item.state == "in_progress" and w.item.state_label == "已退回，重新办理"

    amy = login(w.amy)
    page = amy.get(reverse("ledger:item", args=[w.item.pk])).content.decode()
    top = page.index('data-testid="returned"')
    assert top < page.index('data-testid="timeline"')
    assert "退回理由：佐证材料不全，请补充会议纪要" in page
    assert '<dd class="col-8 col-md-9" data-testid="item-state">已退回，重新办理</dd>' in page
    cards = amy.get(reverse("ledger:mine")).content.decode()
    assert 'data-testid="returned-badge">已退回</span>' in cards and "佐证材料不全" in cards
    assert (
        amy.get(f"/api/ledger-items/{w.item.pk}/")
        .json()["return_reason"]
        .startswith("佐证材料不全")
    )

    services.transition(w.item, "submit_done", actor=w.amy, comment="已补充")
    w.item.refresh_from_db()
    assert w.item.state_label == "申请办结" and w.item.return_reason == ""
    page = amy.get(reverse("ledger:item", args=[w.item.pk])).content.decode()
    assert 'data-testid="returned"' not in page
    # the timeline keeps the return and its reason
    assert "佐证材料不全，请补充会议纪要" in page


def test_the_owner_sees_what_done_needs_and_uploads_it_in_the_same_card(in_progress, login):
    w = in_progress
    amy = login(w.amy)
    url = reverse("ledger:item", args=[w.item.pk])
    page = amy.get(url).content.decode()
    card = page[
        page.index('data-testid="done-needs"') : page.index('data-testid="step-submit_done"')
    ]
    assert "尚未上传佐证材料" in card and 'data-testid="evidence-upload"' in card
    button = page[page.index('data-testid="step-submit_done"') :]
    assert 'disabled title="请先上传佐证材料"' in button[: button.index("</form>")]

    response = amy.post(
        reverse("ledger:item_action", args=[w.item.pk, "attachment"]),
        {"file": SimpleUploadedFile("会议纪要.pdf", b"%PDF-1.4 minutes"), "is_evidence": "on"},
    )
    assert response.status_code == 302
    page = amy.get(url).content.decode()
    card = page[
        page.index('data-testid="done-needs"') : page.index('data-testid="step-submit_done"')
    ]
    assert "已上传 1 份" in card and "会议纪要.pdf" in card
    button = page[page.index('data-testid="step-submit_done"') :]
    assert "disabled" not in button[: button.index("</form>")]


def test_the_supervisor_does_not_get_the_owners_card(in_progress, login):
    page = login(in_progress.sam).get(reverse("ledger:item", args=[in_progress.item.pk]))
    assert 'data-testid="done-needs"' not in page.content.decode()
