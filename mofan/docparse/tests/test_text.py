import pytest
from hypothesis import given
from hypothesis import strategies as st

from mofan.docparse.errors import DocumentError
from mofan.docparse.text import decode, lines, readable, simplified

SAMPLE = "一、总体要求\n（一）加强学习。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_are_detected(encoding):
    assert decode(SAMPLE.encode(encoding)) == SAMPLE


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "空"),
        (b"   \n", "空"),
        (b"PK\x03\x04\x00\x00binary", "不是文本文件"),
        (b"\x81\x30\x81", "无法识别文本编码"),
        (b"\xfe\xff\x00\x00\x00", "编码已损坏"),  # UTF-16 cut at an odd length
        (b"\xff\xfe\x00\xd8", "编码已损坏"),  # a lone surrogate
        (b"\xef\xbb\xbf\xff\xfe\xfd", "编码已损坏"),  # not UTF-8 after its mark
    ],
)
def test_bad_input_says_why_in_chinese(data, message):
    with pytest.raises(DocumentError, match=message):
        decode(data)


def test_lines_drop_blanks_and_full_width_spaces():
    assert lines("\u3000\u3000一、总体要求\r\n\r\n（一）学习\u2029") == [
        "一、总体要求",
        "（一）学习",
    ]


@pytest.mark.parametrize(
    ("paragraphs", "message"),
    [
        (["。。。，，，！！！", "——……"], "未识别到中文正文"),
        (["Notice on the 2026 work points of the party committee, to be read by all staff."],
         "未识别到中文正文"),
        (["The committee 要 read it 好 and act on it before June in every branch."],
         "未识别到中文正文"),  # a few Chinese words in English text
        (["一、任务", "开展检查" * 1500], "第 2 段长达 6000 字却没有一个句号"),
    ],
)  # fmt: skip
def test_what_is_not_a_chinese_document_is_refused(paragraphs, message):
    with pytest.raises(DocumentError, match=message):
        readable(paragraphs)


def test_a_short_document_and_a_long_paragraph_with_sentences_are_read():
    short = ["一、任务", "1．开展检查。"]
    assert readable(short) == short
    long = ["开展检查，逐项整改。" * 1000]  # 10,000 characters, cut into sentences
    assert readable(long) == long


def test_traditional_characters_read_as_simplified_ones_and_simplified_text_stays():
    assert simplified("縣政府將於年底前完成驗收。") == "县政府将于年底前完成验收。"
    assert simplified("市发展改革委要加强统筹。") == "市发展改革委要加强统筹。"
    assert simplified("Plan 2026") == "Plan 2026"


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
        | st.sampled_from("，。、\n（）1a")
    )
)
def test_reading_as_simplified_keeps_every_offset(text):
    assert len(simplified(text)) == len(text)
