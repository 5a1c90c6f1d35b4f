"""A ledger file whose record is kept but whose file is gone from the disk (lost, or a database
restored without its attachments) answers a clear Chinese page, never a 500."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mofan.core.files import StoredFileMissing
from mofan.docparse.tests.builders import numbered_docx
from mofan.ledger import decomposition as decomposing
from mofan.ledger import services
from mofan.ledger.models import Attachment, Decomposition, Item

pytestmark = pytest.mark.django_db

MISSING = "附件已丢失，请联系管理员从备份恢复。"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _lose(field_file) -> None:
    field_file.storage.delete(field_file.name)
    assert not field_file.storage.exists(field_file.name)


def test_an_item_attachment_lost_from_the_disk_is_a_404_page_saying_so(
    ledger_world, login, media, caplog
):
    w = ledger_world
    attachment = services.attach(
        w.item, actor=w.amy, upload=SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x"), is_evidence=True
    )
    _lose(attachment.file)
    with caplog.at_level(logging.WARNING, logger="mofan.core.files"):
        response = login(w.una).get(reverse("ledger:attachment", args=[attachment.pk]))
    assert response.status_code == 404
    assert MISSING in response.content.decode()
    assert f"Stored file missing: {attachment.file.name}" in caplog.text
    assert "ledger.attachment" in caplog.text
    # The item page that lists it still renders.
    assert login(w.una).get(reverse("ledger:item", args=[w.item.pk])).status_code == 200


def test_a_source_document_lost_from_the_disk_is_a_404_page_saying_so(ledger_world, login, media):
    w = ledger_world
    attachment = services.attach_to_source(
        w.source, actor=w.sam, upload=SimpleUploadedFile("批示件.pdf", b"%PDF-1.4 directive")
    )
    _lose(attachment.file)
    response = login(w.sam).get(reverse("ledger:attachment", args=[attachment.pk]))
    assert response.status_code == 404 and MISSING in response.content.decode()
    assert login(w.sam).get(reverse("ledger:source", args=[w.source.pk])).status_code == 200


def test_a_present_attachment_is_still_served(ledger_world, login, media):
    w = ledger_world
    attachment = services.attach(
        w.item, actor=w.amy, upload=SimpleUploadedFile("材料.pdf", b"%PDF-1.4 here")
    )
    response = login(w.una).get(reverse("ledger:attachment", args=[attachment.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 here"


def test_decomposing_a_source_document_lost_from_the_disk_says_so_and_starts_nothing(
    ledger_world, login, media
):
    w = ledger_world
    attachment = services.attach_to_source(
        w.source,
        actor=w.sam,
        upload=SimpleUploadedFile("通知.docx", numbered_docx([(0, "任务"), (1, "制定办法。")])),
    )
    _lose(attachment.file)
    client = login(w.sam)
    url = reverse("ledger:source_decompose", args=[w.source.pk, attachment.pk])
    response = client.post(url, follow=True)
    assert response.redirect_chain[0][0] == reverse("ledger:source", args=[w.source.pk])
    assert MISSING in response.content.decode()
    assert Decomposition.objects.count() == 0


def test_committing_a_decomposition_whose_upload_was_lost_keeps_the_items_and_logs_it(
    ledger_world, media, caplog
):
    w = ledger_world
    started = decomposing.start(
        w.ledger,
        actor=w.sam,
        data=numbered_docx(
            [(0, "主要任务"), (1, "严控发文数量，全年压减10%。"), (1, "6月底前修订会议管理办法。")]
        ),
        name="通知.docx",
    )
    _lose(started.file)
    decomposing.review_all(started, actor=w.sam, status="accepted")
    before = Item.objects.count()
    with caplog.at_level(logging.WARNING, logger="mofan.core.files"):
        source, items = decomposing.commit(started, actor=w.sam)
    assert len(items) == 2 and Item.objects.count() == before + 2
    assert source.text == started.text
    assert not Attachment.objects.filter(source=source).exists()
    assert "Stored file missing" in caplog.text


def test_open_stored_raises_the_chinese_error_for_an_empty_file_field(ledger_world, media):
    from mofan.core.files import open_stored

    started = decomposing.start(
        ledger_world.ledger, actor=ledger_world.sam, pasted="一、任务\n1．开展检查。"
    )
    with pytest.raises(StoredFileMissing, match=MISSING) as raised:
        open_stored(started.file)
    assert raised.value.status_code == 404
