"""Every input format in, paragraphs out; every unreadable file out with a Chinese message."""

import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from mofan.docparse import DocumentError, decompose_file, read, readers
from mofan.docparse.archive import ZipLimits
from mofan.docparse.numbering import chinese, format_number
from mofan.docparse.tests.builders import many_entries, numbered_docx, ofd, zip_bomb

FILES = Path(__file__).parent / "files"
DOCUMENTS = Path(__file__).parent.parent / "corpus"


def test_word_automatic_numbering_is_written_back_in_front_of_each_paragraph():
    data = numbered_docx(
        [
            (None, "关于加强机关作风建设的通知"),
            (0, "主要任务"),
            (1, "改进文风会风"),
            (2, "严控发文数量，全年压减10%。（牵头单位：办公厅）"),
            (2, "提高会议质量。"),
            (1, "改进调查研究"),
            (2, "班子成员每年至少调研2次。"),
            (0, "工作要求"),
        ]
    )
    document = read(data, "通知.docx")
    assert document.format == "docx"
    assert document.paragraphs[1:] == [
        "一、主要任务",
        "（一）改进文风会风",
        "1.严控发文数量，全年压减10%。（牵头单位：办公厅）",
        "2.提高会议质量。",
        "（二）改进调查研究",
        "1.班子成员每年至少调研2次。",
        "二、工作要求",
    ]
    result = decompose_file(data, "通知.docx", on=date(2026, 3, 1))
    assert [item.path for item in result.items] == ["一/（一）/1", "一/（一）/2", "一/（二）/1"]
    assert result.items[0].lead_units == ["办公厅"]


def test_numbering_that_never_restarts_runs_on_across_sections():
    data = numbered_docx([(0, "甲"), (2, "任务一。"), (2, "任务二。"), (0, "乙"), (2, "任务三。")])
    # lvlRestart 0 on the third level: 1, 2 under 一, then 3 under 二
    data = _with_restart_zero(data)
    assert read(data).paragraphs == ["一、甲", "1.任务一。", "2.任务二。", "二、乙", "3.任务三。"]


def _with_restart_zero(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            content = source.read(entry)
            if entry.filename == "word/numbering.xml":
                content = content.replace(
                    b'<w:lvl w:ilvl="2"><w:start w:val="1"/>',
                    b'<w:lvl w:ilvl="2"><w:start w:val="1"/><w:lvlRestart w:val="0"/>',
                )
                assert b"lvlRestart" in content
            target.writestr(entry, content)
    return out.getvalue()


def test_number_formats():
    assert [chinese(n) for n in (1, 10, 11, 20, 23, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十三", "一百", "一百零五", "一百一十",
    ]  # fmt: skip
    assert format_number(3, "decimalEnclosedCircle") == "③"
    assert format_number(12, "decimalFullWidth") == "１２"
    assert format_number(4, "upperRoman") == "IV"


def test_a_task_table_in_word_becomes_numbered_items_with_units_and_deadlines():
    data = numbered_docx(
        [(None, "2026年重点任务分工方案")],
        table=[
            ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "建立重点任务台账", "办公厅", "人事司、财务司", "2026年6月底前"],
            ["2", "开展专项督查", "机关纪委", "", "年底前"],
        ],
    )
    result = decompose_file(data, "分工.docx", on=date(2026, 2, 1))
    assert [(i.text, i.lead_units, i.co_units, i.deadline) for i in result.items] == [
        ("建立重点任务台账。", ["办公厅"], ["人事司", "财务司"], date(2026, 6, 30)),
        ("开展专项督查。", ["机关纪委"], [], date(2026, 12, 31)),
    ]


def test_pdf_text_layer_joined_with_headers_footers_and_page_numbers_removed():
    document = read((FILES / "work_points.pdf").read_bytes(), "要点.pdf")
    expected = (DOCUMENTS / "suite_work_points.txt").read_text(encoding="utf-8").splitlines()
    assert document.format == "pdf"
    assert document.paragraphs == expected
    assert not any(
        "某某部机关党委文件" == line or line.startswith("- ") for line in document.paragraphs
    )


def test_lines_are_joined_across_a_page_break_and_running_lines_dropped():
    pages = [
        [
            "机关文件",
            "一、总体要求",
            "坚持以人民为中心的发展思想，推动各项工作",
            "取得新成效。",
            "- 1 -",
        ],
        ["机关文件", "二、主要任务", "1．建立健全工作机制，明确责任分工，形成", "- 2 -"],
        ["机关文件", "工作合力。", "2．加强督促检查。", "- 3 -"],
    ]
    lines = readers.join_lines(readers.strip_running_lines(pages))
    assert lines == [
        "一、总体要求",
        "坚持以人民为中心的发展思想，推动各项工作取得新成效。",
        "二、主要任务",
        "1．建立健全工作机制，明确责任分工，形成工作合力。",
        "2．加强督促检查。",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("scanned.pdf", "文字识别（OCR）"),
        ("encrypted.pdf", "已加密"),
    ],
)
def test_pdfs_that_cannot_be_read(name, message):
    with pytest.raises(DocumentError, match=message.replace("（", r"\（").replace("）", r"\）")):
        read((FILES / name).read_bytes(), name)


def test_a_damaged_pdf():
    data = (FILES / "work_points.pdf").read_bytes()[:5000]
    with pytest.raises(DocumentError, match="已损坏"):
        read(data, "a.pdf")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "空的"),
        (b"   \n  ", "空的"),
        (b"x" * (readers.MAX_BYTES + 1), "超过 20 MB"),
        (b"PK\x03\x04 this is not really a zip", "已损坏"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
            + b"\0" * 64
            + "EncryptedPackage".encode("utf-16-le"),
            "已加密",
        ),
    ],
)
def test_bad_files(data, message):
    with pytest.raises(DocumentError, match=message):
        read(data, "x.docx")


def test_zip_bombs_are_refused_before_expansion():
    with pytest.raises(DocumentError, match="压缩炸弹"):
        read(zip_bomb(250), "bomb.docx")
    with pytest.raises(DocumentError, match="文件过多"):
        read(many_entries(6000), "many.docx")


def test_a_bomb_under_the_size_limit_is_refused_by_its_compression_ratio():
    # 150 MB of zeros is within the 200 MB a document may expand to, but no Word part compresses
    # a thousand to one.
    with pytest.raises(DocumentError, match="压缩炸弹"):
        read(zip_bomb(150), "bomb.docx")


def test_the_caller_sets_the_limits():
    tight = ZipLimits(max_expanded=10 * 1024 * 1024, max_entries=5000, max_ratio=2000)
    with pytest.raises(DocumentError, match="压缩炸弹"):
        read(zip_bomb(20), "bomb.docx", limits=tight)
    with pytest.raises(DocumentError, match="文件过多"):
        read(many_entries(60), "many.docx", limits=ZipLimits(max_entries=50))


def test_a_damaged_word_file():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<not-xml")
    with pytest.raises(DocumentError, match="已损坏"):
        read(buffer.getvalue(), "broken.docx")


def test_an_unknown_archive():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(DocumentError, match="不支持"):
        read(buffer.getvalue(), "a.zip")


def test_html_blocks_become_lines_and_scripts_are_ignored():
    markup = """<!DOCTYPE html><html><head><title>通知</title><style>p{color:red}</style>
    <script>alert('x')</script></head><body><h1>关于开展调研的通知</h1>
    <p>一、调研内容</p><p>1．深入基层开展调研，<b>6月底前</b>形成报告。</p>
    <table><tr><td>牵头单位</td><td>办公厅</td></tr></table></body></html>"""
    document = read(markup.encode("utf-8"), "page.html")
    assert document.format == "html"
    assert "alert('x')" not in "".join(document.paragraphs)
    assert "1．深入基层开展调研，6月底前形成报告。" in document.paragraphs
    assert "一、调研内容" in document.paragraphs


def test_ofd_text_in_reading_order():
    data = ofd([["关于开展调研的通知", "一、调研内容"], ["1．深入基层开展调研，6月底前形成报告。"]])
    document = read(data, "通知.ofd")
    assert document.format == "ofd"
    assert document.paragraphs == [
        "关于开展调研的通知",
        "一、调研内容",
        "1．深入基层开展调研，6月底前形成报告。",
    ]


def test_an_ofd_without_text_is_a_scan():
    with pytest.raises(DocumentError, match="OCR"):
        read(ofd([[]]), "scan.ofd")


def test_gb18030_text():
    text = "关于开展调研的通知\n一、调研内容\n1．深入基层开展调研。\n"
    assert read(text.encode("gb18030"), "a.txt").paragraphs == text.split("\n")[:3]


def test_doc_without_libreoffice_says_what_to_do(monkeypatch):
    monkeypatch.setattr(readers, "office_command", lambda: None)
    with pytest.raises(DocumentError, match="另存为 .docx"):
        read((FILES / "sample.doc").read_bytes(), "sample.doc")


@pytest.mark.skipif(readers.office_command() is None, reason="LibreOffice is not installed")
def test_doc_through_libreoffice():
    document = read((FILES / "sample.doc").read_bytes(), "sample.doc")
    assert document.paragraphs == [
        "关于加强机关作风建设的通知",
        "一、主要任务",
        "（一）改进文风会风",
        "1.严控发文数量，全年压减10%。（牵头单位：办公厅）",
        "2.提高会议质量，2026年6月底前修订会议管理办法。",
    ]


@pytest.mark.skipif(readers.office_command() is None, reason="LibreOffice is not installed")
def test_a_damaged_doc_through_libreoffice():
    with pytest.raises(DocumentError, match="已损坏"):
        read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x07" * 2000, "bad.doc")
    # a sound header over a truncated body
    data = (FILES / "sample.doc").read_bytes()
    with pytest.raises(DocumentError, match="已损坏"):
        read(data[:1024], "cut.doc")


def test_a_pdf_exported_by_an_office_suite_is_read_by_position():
    """Quotation marks drawn after their line, spaces around digits: read as the page shows it."""
    document = read((FILES / "word_export.pdf").read_bytes(), "要点.pdf")
    assert document.paragraphs == [
        "关于印发《2026年机关党建工作要点》的通知",
        "现将《2026年机关党建工作要点》印发给你们，请结合实际，认真贯彻落实。",
        "一、加强政治建设",
        "1.开展青年理论学习小组“微宣讲”活动，2026年6月底前完成第一轮宣讲。（牵头单位：机关党委）",
        "2.建立重大事项请示报告工作台账，按月梳理报告事项。（牵头单位：办公厅；完成时限：2026年3月31日前）",
        "二、加强作风建设",
        "1.持续精简文件会议，全年发文数量比上年减少10%。（牵头单位：办公厅）",
    ]


def test_the_entry_count_is_read_from_the_tail_before_zipfile_parses_the_directory(monkeypatch):
    from mofan.docparse import archive

    def never(*args, **kwargs):
        raise AssertionError("zipfile parsed the directory of an archive with too many entries")

    data = many_entries(6000)
    assert archive.declared_entries(io.BytesIO(data)) == 6001
    monkeypatch.setattr(archive.zipfile, "ZipFile", never)
    with pytest.raises(DocumentError, match="文件过多"):
        read(data, "many.docx")


def test_a_zip64_directory_declares_its_count_in_the_zip64_record():
    from mofan.docparse import archive

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as many:
        for index in range(0x10000 + 5):  # past what the classic record can count
            many.writestr(f"{index}", b"")
    assert archive.declared_entries(io.BytesIO(buffer.getvalue())) == 0x10005
    assert archive.declared_entries(io.BytesIO(b"not a zip")) is None
