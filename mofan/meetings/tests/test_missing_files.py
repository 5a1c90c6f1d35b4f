"""A meeting's photo, thumbnail or file gone from the disk answers a clear Chinese page, not a 500."""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from mofan.meetings import services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.tests.conftest import at

pytestmark = pytest.mark.django_db

MISSING = "附件已丢失，请联系管理员从备份恢复。"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def stored(meeting_world, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    w = meeting_world
    meeting = services.plan_meeting(
        w.branch_a, actor=w.alice, kind=MeetingKind.BRANCH_ASSEMBLY, title="支部党员大会",
        starts_at=at(2026, 11, 27, 14, 30), ends_at=at(2026, 11, 27, 16, 30),
        agenda=[{"title": "学习", "is_first_topic": True, "materials": "原文"}],
    )  # fmt: skip
    photo = services.attach_file(
        meeting, actor=w.alice, upload=SimpleUploadedFile("会场.png", _png())
    )
    document = services.attach_file(
        meeting, actor=w.alice, upload=SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x")
    )
    return meeting, photo, document


def _url(meeting, stored_file, variant):
    return reverse("meetings:file", args=[meeting.pk, stored_file.pk, variant])


@pytest.mark.parametrize(
    ("which", "field", "variant"),
    [
        ("photo", "file", "view"),
        ("photo", "file", "download"),
        ("photo", "thumbnail", "thumb"),
        ("document", "file", "download"),
    ],
)
def test_a_meeting_file_lost_from_the_disk_is_a_404_page_saying_so(
    stored, meeting_world, login, caplog, which, field, variant
):
    meeting, photo, document = stored
    target = photo if which == "photo" else document
    lost = getattr(target, field)
    lost.storage.delete(lost.name)
    client = login(meeting_world.alice)
    with caplog.at_level(logging.WARNING, logger="mofan.core.files"):
        response = client.get(_url(meeting, target, variant))
    assert response.status_code == 404
    assert MISSING in response.content.decode()
    assert f"Stored file missing: {lost.name}" in caplog.text
    # The meeting page that shows them still renders.
    assert client.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 200


def test_meeting_files_on_disk_are_still_served(stored, meeting_world, login):
    meeting, photo, document = stored
    client = login(meeting_world.alice)
    thumb = client.get(_url(meeting, photo, "thumb"))
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    download = client.get(_url(meeting, document, "download"))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 x"
