"""Whatever the text, the parser answers: no exception, every item an exact span of the text,
every deadline a date, every confidence in (0, 1]."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from mofan.docparse.decompose import decompose

PIECES = [
    "一、", "（一）", "(二)", "1.", "2．", "（1）", "①", "第一章", "第二条", "一是", "二是", "一要",
    "二要", "首先，", "其次，", "最后，", "——", "要", "加强", "推进", "建立健全", "工作机制",
    "办公厅", "机关党委", "各党支部", "牵头单位：", "配合单位：", "责任单位：", "完成时限：",
    "由人事司负责", "办公厅牵头，人事司配合", "6月底前", "年内", "三季度末", "每月25日前",
    "长期坚持", "5年内", "4月至10月", "2026年3月5日", "。", "；", "，", "：", "（", "）",
    "“", "”", "\n", "\n", " ", "\u3000", "联系人：", "附件：", "目录", "会议要求，", "阶段：",
    "动员部署阶段", "12", "%", "取得", "不强。", "同志们，", "！",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=80))
def test_any_text_decomposes_into_exact_spans(pieces):
    text = "".join(pieces)
    result = decompose(text.split("\n"), today=date(2026, 11, 25))
    for item in result.items:
        assert result.text[item.start : item.end] == item.text
        assert item.text.strip()
        assert 0 < item.confidence <= 1
        assert item.deadline is None or isinstance(item.deadline, date)
        assert item.kind in ("task", "rule")
    result.as_dict()  # serialisable as the command prints it


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        [b"", b"PK\x03\x04", b"%PDF-1.7\n", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"{\\rtf1"]
    ),
    st.binary(max_size=2000),
    st.sampled_from(["a.docx", "a.pdf", "a.txt", "a.html", "a.ofd", "a.doc", ""]),
)
def test_any_bytes_are_read_or_refused_in_chinese(head, body, name):
    from unittest import mock

    from mofan.docparse import DocumentError, read, readers

    with mock.patch.object(readers, "office_command", return_value=None):
        try:
            document = read(head + body, name)
        except DocumentError as error:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in error.message)
        else:
            assert all(isinstance(p, str) for p in document.paragraphs)
