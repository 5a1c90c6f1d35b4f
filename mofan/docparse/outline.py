"""The outline of a Chinese official document: headings numbered after GB/T 9704 (一、 → （一） →
1. → （1）), chapters and articles (第一章, 第一条), in full- or half-width punctuation, with their
nesting, found line by line. Plain Python."""

import re
from dataclasses import dataclass, field

_CN = "一二三四五六七八九十百零〇"
# (style, canonical rank, pattern). The rank orders styles from outermost to innermost; a
# document that skips a style simply nests one level less.
STYLES = [
    ("chapter", 0, re.compile(rf"^第([{_CN}\d]+)章\s*")),
    ("section", 1, re.compile(rf"^第([{_CN}\d]+)节\s*")),
    ("article", 2, re.compile(rf"^第([{_CN}\d]+)条\s*")),
    ("cn", 3, re.compile(rf"^([{_CN}]+)\s*[、，,]\s*")),
    ("cn_paren", 4, re.compile(rf"^[（(]\s*([{_CN}]+)\s*[）)]\s*")),
    ("arabic", 5, re.compile(r"^(\d{1,3})\s*[\.．、]\s*")),
    ("arabic_paren", 6, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    ("circled", 7, re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]
# A heading's title ends at the first sentence end; what follows on the same line is its body.
_TITLE_END = re.compile(r"[。；;！!？?]|(?<!\d)[：:](?=.)|[：:](?!\d)(?=.)")  # not a time: 6:00
MAX_TITLE = 60


@dataclass
class Heading:
    number: str  # as written, e.g. "（一）"
    key: str  # the number without trailing 、 or . — a path segment, e.g. "（一）", "1"
    style: str
    level: int
    title: str
    body: str  # what follows the title on the same line (run-in heading)
    line: int  # 0-based index of the line
    path: str = ""
    children: list["Heading"] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "level": self.level,
            "title": self.title,
            "path": self.path,
            "children": [child.as_dict() for child in self.children],
        }


def _normalise(line: str) -> str:
    return line.replace("\u3000", " ").strip()


def match_heading(line: str) -> tuple[str, int, str, str, str] | None:
    """(style, rank, number as written, key, rest of the line) if the line starts with a number."""
    text = _normalise(line)
    for style, rank, pattern in STYLES:
        found = pattern.match(text)
        if not found:
            continue
        number = text[: found.end()].strip()
        rest = text[found.end() :]
        if not rest:
            return None  # a bare number is not a heading
        if (
            style == "arabic"
            and re.match(r"^\d", rest)
            and not re.match(r"^\d{1,4}[年月日号]", rest)
        ):
            return None  # "3.5%" and the like; "1.4月15日…" is item 1 that opens with a date
        key = number.rstrip("、，,.．").strip()
        if style in ("cn_paren", "arabic_paren"):
            key = "（" + found.group(1) + "）"
        return style, rank, number, key, rest
    return None


def _split_title(rest: str) -> tuple[str, str]:
    end = _TITLE_END.search(rest)
    if end is None:
        return rest.strip(), ""
    title, body = rest[: end.start()].strip(), rest[end.end() :].strip()
    if len(title) > MAX_TITLE:
        return "", rest.strip()  # a numbered paragraph with no title of its own
    return title, body


def build(lines: list[str], plain: frozenset[int] = frozenset()) -> list[Heading]:
    """The heading tree of a document given as lines (paragraphs). `plain` names the lines that
    are un-numbered headings: each nests one step inside the numbered heading above it and ends
    where the next plain heading or an outer numbered heading begins."""
    roots: list[Heading] = []
    stack: list[tuple[float, Heading]] = []
    for index, line in enumerate(lines):
        if index in plain:
            title = _normalise(line)
            style, number, key, body = "plain", "", title, ""
            plain_ranks = [rank for rank, h in stack if h.style == "plain"]
            if plain_ranks:
                rank = plain_ranks[0]
            else:
                rank = stack[-1][0] + 0.5 if stack else -0.5
        else:
            found = match_heading(line)
            if found is None:
                continue
            style, rank, number, key, rest = found
            title, body = _split_title(rest)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        heading = Heading(
            number=number,
            key=key,
            style=style,
            level=len(stack) + 1,
            title=title,
            body=body,
            line=index,
        )
        heading.path = "/".join([h.key for _, h in stack] + [key])
        (stack[-1][1].children if stack else roots).append(heading)
        stack.append((rank, heading))
    return roots


def flatten(headings: list[Heading]) -> list[Heading]:
    out: list[Heading] = []
    for heading in headings:
        out.append(heading)
        out.extend(flatten(heading.children))
    return out
