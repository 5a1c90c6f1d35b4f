"""Submitted text (core.errors.text_input): stripped, bounded, and free of control characters —
which no person types and no Word document can hold."""

import pytest

from mofan.core.errors import InvalidInput, text_input


@pytest.mark.parametrize("bad", ["组\x01名", "a\x1fb", "\x00", "名\x7f", "x\ufffe"])
def test_control_characters_are_refused_in_chinese(bad):
    with pytest.raises(InvalidInput, match="名称含有不可见的控制字符"):
        text_input(bad, "名称", required=True, longest=50)


def test_word_s_line_and_page_breaks_become_line_breaks():
    assert text_input(" 第一行\x0b第二行\x0c第三行\t完 ", "内容", required=True, longest=50) == (
        "第一行\n第二行\n第三行\t完"
    )


def test_length_and_presence():
    with pytest.raises(InvalidInput, match="请填写名称（至少5个字）"):
        text_input("  四个字 ", "名称", required=True, longest=50, shortest=5)
    with pytest.raises(InvalidInput, match="名称不能超过3个字"):
        text_input("四个字呀", "名称", required=True, longest=3)
    assert text_input(None, "名称", required=False, longest=3) == ""
