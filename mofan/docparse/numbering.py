"""The numbers Word shows in front of automatically numbered paragraphs ("一、", "（一）", "1.").

They are not in the paragraph text: Word computes them from numbering.xml when it lays the page
out. python-docx exposes the raw numPr elements but computes no numbers, so the count is kept
here, after ECMA-376 part 1, §17.9: a paragraph's numId (its own or its style's) points to a num,
which points to an abstractNum whose levels give the start value, the format and the text pattern
("%1、", "（%2）"); counters run per abstractNum and a level restarts below a higher one.
"""

from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DIGITS = "〇一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_STEMS = "甲乙丙丁戊己庚辛壬癸"


def chinese(value: int) -> str:
    """一, 十, 十一, 二十三, 一百零五: the way documents count their headings."""
    if value <= 0:
        return str(value)
    if value < 10:
        return _DIGITS[value]
    if value < 20:
        return "十" + (_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        return _DIGITS[value // 10] + "十" + (_DIGITS[value % 10] if value % 10 else "")
    if value < 1000:
        rest = value % 100
        tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else chinese(rest))
        if 10 <= rest < 20:
            tail = "一" + chinese(rest)
        return _DIGITS[value // 100] + "百" + tail
    return str(value)


def _roman(value: int) -> str:
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    numerals += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for amount, numeral in numerals:
        while value >= amount:
            out += numeral
            value -= amount
    return out


def _letter(value: int) -> str:
    return chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)


def format_number(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified"):
        return chinese(value)
    if fmt in ("taiwaneseCounting", "taiwaneseCountingThousand", "japaneseCounting"):
        return chinese(value)
    if fmt == "ideographTraditional":
        return _STEMS[(value - 1) % 10]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and value <= 20:
        return _CIRCLED[value - 1]
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt == "upperRoman":
        return _roman(value)
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperLetter":
        return _letter(value)
    if fmt == "lowerLetter":
        return _letter(value).lower()
    return str(value)


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str
    text: str
    restart: int | None = None  # lvlRestart: 0 never restarts; N restarts after level N is used


def _val(element, tag: str) -> str | None:
    found = element.find(W + tag) if element is not None else None
    return found.get(W + "val") if found is not None else None


class Counter:
    """Hands out, paragraph by paragraph in document order, the number Word would show."""

    def __init__(self, levels, nums, styles):
        self.levels: dict[str, dict[int, Level]] = levels
        self.nums: dict[str, tuple[str, dict[int, int]]] = nums
        self.styles: dict[str, tuple[str | None, int | None, str | None]] = styles
        self.counts: dict[str, list[int | None]] = {}
        self.started: set[str] = set()

    @classmethod
    def for_document(cls, document) -> "Counter":
        levels: dict[str, dict[int, Level]] = {}
        nums: dict[str, tuple[str, dict[int, int]]] = {}
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            numbering = None
        if numbering is not None:
            for abstract in numbering.findall(W + "abstractNum"):
                by_level = {}
                for level in abstract.findall(W + "lvl"):
                    by_level[int(level.get(W + "ilvl") or 0)] = Level(
                        start=int(_val(level, "start") or 1),
                        fmt=_val(level, "numFmt") or "decimal",
                        text=_val(level, "lvlText") or "",
                        restart=int(_val(level, "lvlRestart"))
                        if _val(level, "lvlRestart") is not None
                        else None,
                    )
                levels[abstract.get(W + "abstractNumId")] = by_level
            for num in numbering.findall(W + "num"):
                overrides = {}
                for override in num.findall(W + "lvlOverride"):
                    start = _val(override, "startOverride")
                    if start is not None:
                        overrides[int(override.get(W + "ilvl") or 0)] = int(start)
                nums[num.get(W + "numId")] = (_val(num, "abstractNumId"), overrides)
        styles = {}
        for style in document.styles.element.findall(W + "style"):
            properties = style.find(W + "pPr")
            numbered = properties.find(W + "numPr") if properties is not None else None
            styles[style.get(W + "styleId")] = (
                _val(numbered, "numId") if numbered is not None else None,
                int(_val(numbered, "ilvl"))
                if numbered is not None and _val(numbered, "ilvl")
                else None,
                _val(style, "basedOn"),
            )
        return cls(levels, nums, styles)

    def _from_style(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            num_id, level, based_on = self.styles.get(style_id, (None, None, None))
            if num_id is not None:
                return num_id, level
            style_id = based_on
        return None, None

    def label(self, paragraph) -> str:
        properties = paragraph._p.pPr
        numbered = properties.numPr if properties is not None else None
        num_id = level = None
        if numbered is not None:
            num_id = numbered.numId.val if numbered.numId is not None else None
            level = numbered.ilvl.val if numbered.ilvl is not None else None
            num_id = None if num_id is None else str(num_id)
        if num_id is None:
            style = (
                properties.pStyle.val
                if properties is not None and properties.pStyle is not None
                else None
            )
            num_id, style_level = self._from_style(style)
            level = level if level is not None else style_level
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return ""
        level = level or 0
        abstract, overrides = self.nums[num_id]
        definition = self.levels.get(abstract, {})
        if level not in definition:
            return ""
        counts = self.counts.setdefault(abstract, [None] * 9)
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in overrides.items():
                counts[overridden] = start - 1
        counts[level] = definition[level].start if counts[level] is None else counts[level] + 1
        for deeper in range(level + 1, 9):
            restart = definition[deeper].restart if deeper in definition else None
            if restart is None or (restart != 0 and level <= restart - 1):
                counts[deeper] = None
        here = definition[level]
        if here.fmt in ("bullet", "none"):
            return ""
        label = here.text
        for number in range(1, 10):
            token = f"%{number}"
            if token in label:
                source = definition.get(number - 1, here)
                value = counts[number - 1] if counts[number - 1] is not None else source.start
                label = label.replace(token, format_number(value, source.fmt))
        return label
