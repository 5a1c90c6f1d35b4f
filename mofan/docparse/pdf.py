"""A PDF's text layer read by where each character stands, not by the order the file happens to
draw it: Word and WPS write quotation marks and Latin runs out of order, and put spaces around
digits that Chinese text does not have. Lines are rebuilt from the characters' boxes, then joined
into paragraphs by the page's geometry: a paragraph begins where a line is indented or centred,
follows a line that stopped short of the right margin, or stands after a wider gap. Plain Python."""

import re
import statistics
from dataclasses import dataclass

from mofan.docparse.outline import match_heading

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef\u2018-\u201d\u2026]")


@dataclass
class Line:
    text: str
    x0: float  # left of the first character
    x1: float  # right of the last
    y: float  # vertical centre (PDF space: up is larger)
    height: float


def page_lines(textpage) -> list[Line]:
    """The page's lines, top to bottom, each in reading order."""
    count = textpage.count_chars()
    segments: list[list[tuple]] = [[]]
    for index in range(count):
        char = textpage.get_text_range(index, 1)
        if char in ("\r", "\n", ""):
            if segments[-1]:
                segments.append([])  # the viewer's own line break
            continue
        if char.isspace():
            continue  # spaces are made again from the gaps between characters
        left, bottom, right, top = textpage.get_charbox(index)
        if right <= left and top <= bottom:
            continue  # a character that draws nothing
        segments[-1].append((char, left, bottom, right, top))
    lines: list[Line] = []
    for segment in segments:
        lines += _split_rows(segment)
    return lines  # in the viewer's order of lines, which is the page's from top to bottom


def _split_rows(chars: list[tuple]) -> list[Line]:
    """A run of characters the viewer took for one line, cut where it jumps to another row."""
    if not chars:
        return []
    # The tolerance comes from the run's full-height characters: "一", "、" and "." are low or
    # thin marks inside their line, not lines of their own.
    tallest = max(c[4] - c[2] for c in chars)
    typical = statistics.median(c[4] - c[2] for c in chars if c[4] - c[2] >= tallest * 0.6)
    rows: list[list] = []  # [centre of the row's first full-height character, char, char, …]
    for char in chars:
        centre = (char[2] + char[4]) / 2
        for row in rows:
            if abs(row[0] - centre) < typical * 0.6:
                row.append(char)
                break
        else:
            rows.append([centre, char])
    lines = []
    for row in rows:
        ordered = sorted(row[1:], key=lambda c: c[1])
        heights = [c[4] - c[2] for c in ordered if _CJK.match(c[0])] or [
            c[4] - c[2] for c in ordered
        ]
        height = statistics.median(heights) if heights else 10.0
        text = ordered[0][0]
        for before, char in zip(ordered, ordered[1:], strict=False):
            gap = char[1] - before[3]
            words = (
                before[0].isascii()
                and before[0].isalpha()
                and char[0].isascii()
                and char[0].isalnum()
            )
            apart = not _CJK.match(before[0]) and not _CJK.match(char[0]) and gap > height * 0.8
            if (words and gap > height * 0.2) or apart:
                text += " "  # between Latin words; never inside Chinese text or a number
            text += char[0]
        lines.append(Line(text, ordered[0][1], ordered[-1][3], row[0], height))
    return lines


def paragraphs(pages: list[list[Line]]) -> list[str]:
    """Lines of every page (running headers and footers already gone) back into paragraphs."""
    lines = [line for page in pages for line in page]
    if not lines:
        return []
    height = statistics.median(line.height for line in lines)
    lefts = [round(line.x0 / height) for line in lines]
    left = statistics.mode(lefts) * height  # where a paragraph's following lines begin
    right = sorted(line.x1 for line in lines)[int(len(lines) * 0.9)]
    out: list[str] = []
    current = ""
    previous: Line | None = None
    for page in pages:
        for position, line in enumerate(page):
            begins = (
                previous is None
                or match_heading(line.text) is not None
                or line.x0 > left + height * 1.2  # indented first line, or a centred title
                or previous.x1 < right - height * 1.5  # the line before stopped short
                or (position > 0 and previous.y - line.y > previous.height * 2.6)  # a gap
            )
            if begins and current:
                out.append(current)
                current = ""
            current += line.text
            previous = line
    if current:
        out.append(current)
    return out
