"""Uploads are checked by content, not only by extension (等保 8.1.4 入侵防范): each kind a file may
be is accepted when its bytes are of that kind and refused, in Chinese, when they are not."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mofan.core import uploads
from mofan.core.errors import InvalidInput
from mofan.core.tests import samples


def _odt_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _ofd() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OFD.xml", "<ofd:OFD/>")
    return buffer.getvalue()


GOOD = [
    ("照片.jpg", samples.jpeg()),
    ("照片.jpeg", samples.jpeg()),
    ("照片.png", samples.png()),
    ("截图.jpg", samples.png()),  # a PNG under .jpg is still a photo, and served as one
    ("报告.pdf", samples.PDF),
    ("通知.docx", samples.docx_file()),
    ("台账.xlsx", samples.xlsx_file()),
    ("公文.ofd", _ofd()),
    ("旧版.doc", samples.CFB),
    ("旧版.xls", samples.CFB),
    ("旧版.wps", samples.CFB),
    ("富文本.doc", b"{\\rtf1\\ansi hello}"),
    ("材料.zip", samples.zip_file()),
    ("说明.txt", "一、总体要求\n二、工作任务：若 x<a 则……".encode()),
    ("说明-gbk.txt", "一、总体要求".encode("gb18030")),
]


@pytest.mark.parametrize(("name", "content"), GOOD, ids=[name for name, _ in GOOD])
def test_files_whose_content_matches_their_extension_are_accepted(name, content):
    assert uploads.check_upload(SimpleUploadedFile(name, content)) == name


BAD = [
    ("页面.jpg", samples.HTML, "不是 JPEG 或 PNG 图片"),
    ("图标.png", samples.SVG, "不是 JPEG 或 PNG 图片"),
    ("程序.pdf", samples.EXE, "不是 PDF 文件"),
    ("页面.pdf", samples.HTML, "不是 PDF 文件"),
    ("页面.docx", samples.HTML, "不是 Word 文件"),
    ("表格.docx", samples.xlsx_file(), "不是 Word 文件"),
    ("文档.xlsx", samples.docx_file(), "不是 Excel 文件"),
    ("开放文档.docx", _odt_like(), "不是 Word 文件"),
    ("旧版.docx", samples.CFB, "旧版 Office 文件或已加密"),
    ("程序.doc", samples.EXE, "不是 Office/WPS 文档"),
    ("页面.xls", samples.HTML, "不是 Office/WPS 文档"),
    ("页面.ofd", samples.zip_file(), "不是 OFD 版式文件"),
    ("程序.zip", samples.EXE, "不是有效的压缩包"),
    ("页面.txt", samples.HTML, "网页或脚本代码"),
    ("图形.txt", samples.SVG, "网页或脚本代码"),
    ("脚本.txt", b"note\n<script src=//x></script>", "网页或脚本代码"),
    ("程序.txt", samples.EXE, "不是可读的文本"),
    ("炸弹.xlsx", samples.xlsx_bomb(), "压缩炸弹"),
    ("空.pdf", b"", "文件是空的"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD, ids=[name for name, *_ in BAD])
def test_files_whose_content_does_not_match_are_refused_in_chinese(name, content, message):
    with pytest.raises(InvalidInput, match=message):
        uploads.check_upload(SimpleUploadedFile(name, content))


def test_the_check_leaves_the_file_at_its_start_for_storing():
    upload = SimpleUploadedFile("通知.docx", samples.docx_file())
    uploads.check_upload(upload)
    assert upload.read(4) == b"PK\x03\x04"


def test_an_extension_allowed_without_a_content_check_is_refused():
    with pytest.raises(InvalidInput, match="无法核验"):
        uploads.check_upload(SimpleUploadedFile("a.csv", b"a,b"), allowed={".csv"})


def test_the_zip_guard_takes_its_limits_from_settings(settings):
    settings.OFFICE_MAX_ENTRIES = 10
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for index in range(11):
            archive.writestr(f"word/{index}.xml", "<x/>")
    with pytest.raises(InvalidInput, match="文件过多"):
        uploads.open_office_zip(io.BytesIO(many.getvalue()))
    settings.OFFICE_MAX_ENTRIES = 5000
    settings.OFFICE_MAX_EXPANDED_MB = 1
    with pytest.raises(InvalidInput, match="压缩炸弹"):
        uploads.open_office_zip(
            io.BytesIO(samples.xlsx_file([[f"第{i}行的内容"] for i in range(30_000)]))
        )


@pytest.mark.parametrize(
    ("name", "inline", "content_type", "disposition"),
    [
        ("页面.html", False, "application/octet-stream", "attachment"),
        ("页面.html", True, "application/octet-stream", "attachment"),
        ("图形.svg", True, "application/octet-stream", "attachment"),
        ("说明.txt", False, "text/plain", "attachment"),
        ("报告.pdf", True, "application/pdf", "attachment"),
        ("照片.jpg", True, "image/jpeg", "inline"),
        ("照片.png", False, "image/png", "attachment"),
    ],
)
def test_stored_files_go_back_with_a_fixed_type_and_as_downloads(
    name, inline, content_type, disposition
):
    response = uploads.safe_download(io.BytesIO(b"x"), name, inline=inline)
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"
