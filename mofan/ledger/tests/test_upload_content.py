"""Every ledger endpoint that accepts a file checks its content, not only its name: an HTML page
named .jpg, a program named .pdf, an SVG named .png are refused with 400 and a Chinese message,
and nothing is stored. What is stored goes back as a download with a fixed type."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mofan.core.tests import samples
from mofan.ledger import decomposition as decomposing
from mofan.ledger.choices import DecompositionState
from mofan.ledger.models import Attachment, Decomposition, ProgressReport

pytestmark = pytest.mark.django_db

DISGUISED = [
    ("报告.jpg", samples.HTML, "不是 JPEG 或 PNG 图片"),
    ("证明.pdf", samples.EXE, "不是 PDF 文件"),
    ("图片.png", samples.SVG, "不是 JPEG 或 PNG 图片"),
    ("说明.txt", samples.HTML, "网页或脚本代码"),
    ("方案.docx", samples.HTML, "不是 Word 文件"),
]
IDS = [name for name, *_ in DISGUISED]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _stored(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


@pytest.mark.parametrize(("name", "content", "message"), DISGUISED, ids=IDS)
def test_the_item_page_refuses_a_disguised_attachment(
    ledger_world, login, media, name, content, message
):
    w = ledger_world
    url = reverse("ledger:item_action", args=[w.item.pk, "attachment"])
    response = login(w.sam).post(url, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists() and _stored(media) == []


def test_a_report_with_a_disguised_file_is_refused_whole(ledger_world, login, media):
    w = ledger_world
    client = login(w.sam)
    client.post(reverse("ledger:item_action", args=[w.item.pk, "transition"]), {"action": "assign"})
    amy = login(w.amy)
    amy.post(reverse("ledger:item_action", args=[w.item.pk, "transition"]), {"action": "accept"})
    response = amy.post(
        reverse("ledger:item_action", args=[w.item.pk, "report"]),
        {
            "submission_key": "k1",
            "text": "已完成",
            "percent": 50,
            "file": SimpleUploadedFile("照片.jpg", samples.HTML),
        },
    )
    assert response.status_code == 400 and "不是 JPEG 或 PNG 图片" in response.content.decode()
    assert not ProgressReport.objects.exists() and _stored(media) == []


@pytest.mark.parametrize(("name", "content", "message"), DISGUISED, ids=IDS)
def test_the_api_refuses_a_disguised_attachment(ledger_world, login, media, name, content, message):
    w = ledger_world
    response = login(w.sam).post(
        f"/api/ledger-items/{w.item.pk}/attachments/", {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 400
    assert message in str(response.json())
    assert not Attachment.objects.exists() and _stored(media) == []


def test_the_source_page_refuses_a_disguised_document(ledger_world, login, media):
    w = ledger_world
    response = login(w.sam).post(
        reverse("ledger:source", args=[w.source.pk]),
        {"file": SimpleUploadedFile("批示件.pdf", samples.HTML)},
    )
    assert response.status_code == 400 and "不是 PDF 文件" in response.content.decode()
    assert not Attachment.objects.exists() and _stored(media) == []


def test_real_files_are_kept_and_served_as_downloads_of_a_fixed_type(ledger_world, login, media):
    w = ledger_world
    client = login(w.sam)
    url = reverse("ledger:item_action", args=[w.item.pk, "attachment"])
    for name, content in (("现场.jpg", samples.jpeg()), ("方案.docx", samples.docx_file())):
        assert client.post(url, {"file": SimpleUploadedFile(name, content)}).status_code == 302
    served = {
        a.name: client.get(reverse("ledger:attachment", args=[a.pk]))
        for a in Attachment.objects.all()
    }
    assert served["现场.jpg"]["Content-Type"] == "image/jpeg"
    assert served["方案.docx"]["Content-Type"].endswith("wordprocessingml.document")
    for response in served.values():
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_named_jpg_is_decomposed_as_the_page_it_is_and_kept_as_html(
    ledger_world, login, media
):
    """Decomposition reads HTML on purpose; what it keeps is named for what it read, so the file
    can never come back as an image, and it goes back as a download."""
    w = ledger_world
    page = (
        "<html><body><p>一、任务</p><p>1．建立工作台账，由办公厅负责。</p>"
        "<p>2．开展专项检查，9月底前完成。</p></body></html>"
    ).encode()
    client = login(w.sam)
    response = client.post(
        reverse("ledger:decompose", args=[w.ledger.pk]),
        {"file": SimpleUploadedFile("通知.jpg", page)},
    )
    assert response.status_code == 302
    decomposition = Decomposition.objects.get(state=DecompositionState.OPEN)
    assert decomposition.file_format == "html"
    assert decomposition.file.name.endswith("/通知.html")
    for candidate in decomposition.candidates.all():
        decomposing.review(candidate, actor=w.sam, status="accepted")
    source, _ = decomposing.commit(decomposition, actor=w.sam)
    kept = source.attachments.get()
    assert kept.name == "通知.html"
    download = client.get(reverse("ledger:attachment", args=[kept.pk]))
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")


def test_the_decompose_api_refuses_a_word_bomb(ledger_world, login):
    from mofan.docparse.tests.builders import zip_bomb

    response = login(ledger_world.sam).post(
        "/api/decompose/", {"file": SimpleUploadedFile("通知.docx", zip_bomb(150))}
    )
    assert response.status_code == 400 and "压缩炸弹" in str(response.json())


def test_the_api_refuses_a_spreadsheet_bomb_as_an_attachment(ledger_world, login, media):
    response = login(ledger_world.sam).post(
        f"/api/ledger-items/{ledger_world.item.pk}/attachments/",
        {"file": SimpleUploadedFile("台账.xlsx", samples.xlsx_bomb())},
    )
    assert response.status_code == 400
    assert "文件解压后过大（可能是恶意构造的“压缩炸弹”），已拒绝。" in str(response.json())
    assert not Attachment.objects.exists() and _stored(media) == []


def test_a_long_chinese_file_name_is_kept_for_people_and_shortened_on_disk(
    ledger_world, login, media
):
    """Found by the cross-organisation probe: a name of 300 Chinese characters answered 500 (the
    file system takes 255 bytes). Up to 200 characters it is stored, the name shown unchanged;
    longer, it is refused in Chinese and nothing is stored."""
    w = ledger_world
    url = reverse("ledger:item_action", args=[w.item.pk, "attachment"])
    client = login(w.sam)
    long_name = "关于" + "长" * 150 + "的报告.png"
    png_data = samples.png()
    response = client.post(url, {"file": SimpleUploadedFile(long_name, png_data)})
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == long_name
    (stored,) = _stored(media)
    assert stored.suffix == ".png" and len(stored.name.encode()) <= 180
    assert (
        b"".join(client.get(reverse("ledger:attachment", args=[attachment.pk])).streaming_content)
        == png_data
    )

    response = client.post(url, {"file": SimpleUploadedFile("长" * 300 + ".png", samples.png())})
    assert response.status_code == 400 and "文件名过长" in response.content.decode()
    assert Attachment.objects.count() == 1 and len(_stored(media)) == 1
