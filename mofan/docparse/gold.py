"""The labelled corpus (``docparse/corpus/``, see its GUIDE.md) and how a decomposition is scored
against it: items found and missed, their units and deadlines, rule against task. Plain Python.

A gold item is the run of rows from a ``new`` row to the row before the next ``new`` (its ``+``
rows). A found item matches a gold item when their spans share at least half of the shorter one;
each is matched at most once, the largest overlaps first.
"""

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
# Documents labelled like the corpus but never trained on nor read to change the parser: scored
# by `make bench` as a figure on unseen documents (they join the corpus once they have been
# read for its misses)
HELDOUT = CORPUS.parent / "heldout"
# Corpus documents labelled a second time, blind, by another labeller (only the .tsv; the text is
# the corpus's): how far two careful readers agree is the ceiling any parser is measured under
AGREEMENT = CORPUS.parent / "agreement"
KINDS = ("meta", "heading", "lead", "background", "task", "rule", "closing", "attr")


@dataclass
class Row:
    kind: str
    item: str
    lead: list[str]
    co: list[str]
    deadline: str
    text: str
    start: int = -1  # offsets in the document text (paragraphs joined by line breaks)
    end: int = -1


@dataclass
class GoldItem:
    kind: str  # task or rule
    start: int
    end: int
    lead: list[str]
    co: list[str]
    deadline: str


@dataclass
class Document:
    name: str
    kind: str
    url: str
    title: str
    paragraphs: list[str]
    rows: list[Row]
    items: list[GoldItem] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


# a list mark inside brackets belongs to the name: "各党总支（党委、直属党支部）" is one unit
_NAME_SPLIT = re.compile(r"[、，,](?![^（(]*[）)])")


def _names(cell: str) -> list[str]:
    return [name.strip() for name in _NAME_SPLIT.split(cell) if name.strip()]


def _place(rows: list[Row], text: str) -> None:
    """Each row's span in the document; the rows are the document's text in order, whitespace
    aside (label.py check holds them to that)."""
    compact, where = [], []
    for index, char in enumerate(text):
        if not char.isspace():
            compact.append(char)
            where.append(index)
    squeezed = "".join(compact)
    position = 0
    for row in rows:
        piece = re.sub(r"\s+", "", row.text)
        found = squeezed.find(piece, position)
        if found < 0:
            raise ValueError(f"row not in the document: {row.text[:30]!r}")
        row.start, row.end = where[found], where[found + len(piece) - 1] + 1
        position = found + len(piece)


def _gold_items(rows: list[Row]) -> list[GoldItem]:
    items: list[GoldItem] = []
    for row in rows:
        if row.kind not in ("task", "rule"):
            continue
        if row.item == "new" or not items:
            items.append(GoldItem(row.kind, row.start, row.end, row.lead, row.co, row.deadline))
        else:
            items[-1].end = row.end
    return items


def load(
    name: str, folder: Path = CORPUS, sources: dict | None = None, labels: Path | None = None
) -> Document:
    """A labelled document: its text from `folder`, its labels from `labels` (the same folder
    unless given)."""
    from mofan.docparse.text import lines

    paragraphs = lines((folder / f"{name}.txt").read_text(encoding="utf-8"))
    with ((labels or folder) / f"{name}.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = [
            Row(
                kind=line["kind"].strip(),
                item=line["item"].strip(),
                lead=_names(line["lead"]),
                co=_names(line["co"]),
                deadline=line["deadline"].strip(),
                text=line["text"].strip(),
            )
            for line in reader
        ]
    document = Document(name, "", "", "", paragraphs, rows)
    if sources and name in sources:
        document.kind, document.url, document.title = sources[name]
    _place(rows, document.text)
    document.items = _gold_items(rows)
    return document


def sources(folder: Path = CORPUS) -> dict[str, tuple[str, str, str]]:
    path = folder / "sources.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {line["name"]: (line["kind"], line["url"], line["title"]) for line in reader}


def load_all(folder: Path = CORPUS) -> list[Document]:
    known = sources(folder)
    return [
        load(path.stem, folder, known)
        for path in sorted(folder.glob("*.tsv"))
        if path.stem != "sources"
    ]


# -- scoring ---------------------------------------------------------------------------------


def _normal_deadline(text: str) -> str:
    text = re.sub(r"\s+", "", text or "")
    text = re.sub(r"^(?:于|在|截至|截止到?|时限[:：]?)", "", text)
    text = re.sub(r"(?:完成|前完成|以前|之前|前)$", "", text)
    return text


def same_deadline(found: str | None, wanted: str) -> bool:
    """Whether a found deadline says what the labelled one says: the same words once 于…/…前 are
    set aside, or one contained in the other ("2026年6月底" and "6月底")."""
    a, b = _normal_deadline(found or ""), _normal_deadline(wanted)
    if not a or not b:
        return a == b
    return a == b or (len(a) >= 2 and len(b) >= 2 and (a in b or b in a))


def _same_units(found: list[str], wanted: list[str]) -> bool:
    squeeze = lambda names: {re.sub(r"\s+", "", name) for name in names}  # noqa: E731
    return squeeze(found) == squeeze(wanted)


@dataclass
class Score:
    gold: int = 0
    found: int = 0
    matched: int = 0
    units_stated: int = 0
    units_right: int = 0
    deadlines_stated: int = 0
    deadlines_right: int = 0
    kind_right: int = 0
    units_unstated: int = 0  # matched items whose labels name no unit…
    units_invented: int = 0  # …and to which units were given all the same
    deadlines_unstated: int = 0  # matched items whose labels state no deadline…
    deadlines_invented: int = 0  # …and which were given one all the same
    rules: int = 0  # gold rule items
    rules_right: int = 0  # …matched and found as rules
    # (confidence, whether the found item matched a gold item) for the calibration table
    confidences: list[tuple[float, bool]] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    # (item's opening words, what was found, what the label says) where the two differ
    units_wrong: list[tuple[str, str, str]] = field(default_factory=list)
    deadlines_wrong: list[tuple[str, str, str]] = field(default_factory=list)

    def __iadd__(self, other: "Score") -> "Score":
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    def figures(self) -> dict:
        ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
        return {
            "recall": ratio(self.matched, self.gold),
            "precision": ratio(self.matched, self.found),
            "units": ratio(self.units_right, self.units_stated),
            "deadlines": ratio(self.deadlines_right, self.deadlines_stated),
            "rule_vs_task": ratio(self.kind_right, self.matched),
            "rules_marked": ratio(self.rules_right, self.rules),
            "units_invented": ratio(self.units_invented, self.units_unstated),
            "deadlines_invented": ratio(self.deadlines_invented, self.deadlines_unstated),
            "gold": self.gold,
            "found": self.found,
        }


def score(document: Document, decompose: Callable) -> Score:
    """How a decomposition of the document (``decompose(paragraphs)``, which returns an object with
    ``items`` holding start, end, kind, lead_units, co_units, deadline_text, confidence) agrees
    with the labels."""
    found = decompose(document.paragraphs).items
    result = Score(gold=len(document.items), found=len(found))
    pairs = []
    for g, gold in enumerate(document.items):
        for f, item in enumerate(found):
            overlap = min(gold.end, item.end) - max(gold.start, item.start)
            shorter = min(gold.end - gold.start, item.end - item.start)
            if overlap > 0 and overlap * 2 >= shorter:
                pairs.append((overlap, g, f))
    pairs.sort(reverse=True)
    gold_used, found_used = {}, {}
    for _, g, f in pairs:
        if g not in gold_used and f not in found_used:
            gold_used[g], found_used[f] = f, g
    text = document.text
    for g, gold in enumerate(document.items):
        result.rules += gold.kind == "rule"
        if g not in gold_used:
            result.misses.append(text[gold.start : gold.end][:40])
            continue
        item = found[gold_used[g]]
        result.matched += 1
        result.kind_right += item.kind == gold.kind
        result.rules_right += gold.kind == "rule" and item.kind == "rule"
        if gold.lead:
            result.units_stated += 1
            if _same_units(item.lead_units, gold.lead):
                result.units_right += 1
            else:
                said = "、".join(item.lead_units)
                result.units_wrong.append(
                    (text[gold.start : gold.end][:40], said, "、".join(gold.lead))
                )
        else:
            result.units_unstated += 1
            if item.lead_units:
                result.units_invented += 1
                said = "、".join(item.lead_units)
                result.units_wrong.append((text[gold.start : gold.end][:40], said, ""))
        if gold.deadline:
            result.deadlines_stated += 1
            if same_deadline(item.deadline_text, gold.deadline):
                result.deadlines_right += 1
            else:
                said = (text[gold.start : gold.end][:40], item.deadline_text or "", gold.deadline)
                result.deadlines_wrong.append(said)
        else:
            result.deadlines_unstated += 1
            if item.deadline_text:
                result.deadlines_invented += 1
                said = (text[gold.start : gold.end][:40], item.deadline_text, "")
                result.deadlines_wrong.append(said)
    for f, item in enumerate(found):
        result.confidences.append((item.confidence, f in found_used))
        if f not in found_used:
            result.extras.append(text[item.start : item.end][:40])
    return result


@dataclass
class _Labelled:
    """A second labeller's items in the shape ``score`` reads a decomposition's."""

    start: int
    end: int
    kind: str
    lead_units: list[str]
    co_units: list[str]
    deadline_text: str | None
    confidence: float = 1.0


def agreement(folder: Path = AGREEMENT) -> tuple[Score, list[str]]:
    """The second labeller's items scored against the corpus's labels of the same documents, as
    a parser's would be (recall: of the corpus's items, the share the second labeller also
    made; units and deadlines: on the items both made), and the documents' names."""
    known = sources()
    total, names = Score(), []
    for path in sorted(folder.glob("*.tsv")):
        reference = load(path.stem, CORPUS, known)
        second = load(path.stem, CORPUS, labels=folder)
        found = [
            _Labelled(item.start, item.end, item.kind, item.lead, item.co, item.deadline or None)
            for item in second.items
        ]
        total += score(reference, lambda paragraphs, found=found: _Found(found))
        names.append(path.stem)
    return total, names


@dataclass
class _Found:
    items: list


def calibration(confidences: list[tuple[float, bool]], edges=(0.5, 0.6, 0.7, 0.8, 0.9)) -> list:
    """Rows (from, to, items, share right) over bins of the shown confidence."""
    bounds = [0.0, *edges, 1.01]
    rows = []
    for low, high in zip(bounds, bounds[1:], strict=False):
        inside = [right for value, right in confidences if low <= value < high]
        if inside:
            rows.append((low, min(high, 1.0), len(inside), round(sum(inside) / len(inside), 3)))
    return rows
