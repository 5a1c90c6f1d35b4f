"""Who is to do an item, when its text says so in prose rather than in a label: the lead and
co-units named in a sentence ("各街道（社区）、区直有关单位要…", "…由区委党校负责组织", "要求各镇各部门…"),
read by a model learned from the labelled corpus (``python -m mofan.docparse.learning train``).

A span labeller in two steps. The candidates are the stretches of an item's first 60
characters that end the way the name of a body ends (…局, …办公室, …领导小组, …单位, 各县（区）…) and
hold no punctuation but a bracketed aside; each is judged lead unit, co-unit or neither by a
logistic regression over the characters at its edges and on either side of it, the verb its
clause goes on with, its length and its place in the sentence. It is trained, stored and
checked as the sentence model is (``sentences.Model``, an .npz read without pickle) and scored
here in plain Python. The chosen spans are the likeliest ones that do not overlap.

Written here rather than with a CRF library: a span classifier over a few dozen candidates
reuses the sentence model's trainer and file format, and needs no compiled dependency on the
server. Plain Python.
"""

import bisect
import math
import re
from functools import lru_cache
from pathlib import Path

from mofan.docparse.attributes import names
from mofan.docparse.sentences import Model
from mofan.docparse.units import ADDRESSEE_ENDINGS, BODY_ENDINGS, DOING_FIRST, alternation, ending

MODEL = Path(__file__).parent / "model" / "units.npz"
CLASSES = ("none", "lead", "co")
# How far into an item names are looked for, and the longest name. 98 % of the labelled names an
# item's text states end within 60 characters; on the folds, 60 reads units as well as 100 did
# (0.760 and 0.758) with an eighth fewer candidates, 40 a point worse (0.751).
_REACH = 60
_LONGEST = 18
# The endings of bodies' names, and of the lists of them a document addresses (各县（区）, 各级)
_ENDINGS = BODY_ENDINGS + ADDRESSEE_ENDINGS
# At each place, the longest ending that starts there (a lookahead, so that 部 and 部门 both end a
# name where they would overlap), with the bracketed aside that may follow it
_ENDING = re.compile(
    r"(?=(" + alternation(_ENDINGS) + r")"
    r"([（(][^（()）0-9０-９]{1,12}[)）])?)"
)
# What a name may not hold: the marks that end or join clauses, quotes, a colon.
_BREAK = re.compile(r"[，,。；;：:！!？?“”\"|｜\s、]")
_WIDTH = str.maketrans(",;:()!?", "，；：（）！？")
_DIGIT = re.compile(r"[0-9０-９]")
# Kinds of place, not bodies, though they end as a body's name may: "城镇新增就业…", "农村人居环境…"
_PLACES = frozenset(
    ("城镇", "城市", "城乡", "乡村", "农村", "地区", "市区", "县城", "集镇", "郊区")
)


# Words no body's name opens with, prepositions and verbs of asking: "向镇安委会上报…" names
# where the report goes, "对学校领导小组…进行调整" what is changed, "督促各级基层党组织…" whom,
# "到2019年6月底完成全部整改" by when, "…，请财政局组织实施" who is asked, "利用各类媒体平台宣传…"
# by what means (对台办 and 将乐县 are names)
NO_OPENING = re.compile(
    r"[向把被从请]|对(?!台|外)|将(?!乐)|到(?=[0-9０-９今明本年])|督促|按照|根据|通过|要求|"
    r"利用|依托|借助"
)


def _bucket(n: int) -> str:
    return "1" if n <= 2 else "2" if n <= 4 else "3" if n <= 7 else "4" if n <= 11 else "5"


def candidates(text: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch that may be a body's name, within the first _REACH
    characters: for each place a name may end, each start up to _LONGEST before it that crosses
    no clause mark (a list mark only inside brackets)."""
    return _candidates(_normal(text))


def _normal(text: str) -> str:
    """The head of a text as the model reads it: full-width punctuation (one character for one,
    so that places do not move). Traditional characters were made simplified before
    (decompose.normalised)."""
    return text[: _REACH + 3].translate(_WIDTH)


# An ending that counts rather than names: "新建3所", "整治12处". (Not in Chinese numerals: "销号一处"
# counts, but "干部一处", "综合二处" and "执法一队" are bodies.)
_NOT_A_BODY = re.compile(r"[0-9０-９][处所站队室]")


def _candidates(head: str) -> list[tuple[int, int]]:
    ends = set()
    for match in _ENDING.finditer(head, 0, _REACH):
        ends.add(match.end(1))
        if match.group(2):
            ends.add(match.end(2))
    out = []
    for end in sorted(ends):
        if _NOT_A_BODY.match(head, end - 2) or head.startswith("内", end):
            # "…、整治12处" counts places; "县城区及工业园区内审批…" says where, not who
            continue
        depth = 0
        start = end
        while start > 0 and end - start < _LONGEST:
            char = head[start - 1]
            if char == "）":
                depth += 1
            elif char == "（":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and _BREAK.match(char):
                break
            start -= 1
            if (
                end - start >= 2
                and depth == 0
                and char != "（"
                and not _DIGIT.match(char)
                and head[start:end] not in _PLACES
                and not NO_OPENING.match(head, start)
            ):
                out.append((start, end))
    return out


def _start_features(text: str, start: int, sentence_starts: tuple[int, ...]) -> list[str]:
    """What stands before a span and how it opens; its place in its sentence: the sentence it
    stands in (first, second, later) and whether it opens it, after a numbering mark at most
    ("二是各党支部要…", "第五条 局办公室是…")."""
    before = text[max(0, start - 3) : start]
    sentence = bisect.bisect_right(sentence_starts, start)
    opening = text[sentence_starts[sentence - 1] if sentence else 0 : start]
    out = [
        "l1" + (before[-1:] or "^"),
        "l2" + (before[-2:] if len(before) >= 2 else "^" + before),
        "l3" + (before if len(before) == 3 else "^" + before),
        "f1" + text[start],
        "f2" + text[start : start + 2],
        "s" + str(min(sentence, 3)),
        "open" if not opening.strip() else "mark" if _MARK.fullmatch(opening) else "inner",
    ]
    if start < 8:
        out.append("near")
    return out


def _end_features(text: str, end: int) -> list[str]:
    """What follows a span, and the verb its clause goes on with past the other names of a list
    ("A、B和C要…")."""
    after = text[end : end + 3]
    rest = _CLAUSE_REST.match(text, end)
    modal = _MODAL.search(text, rest.end(), rest.end() + 4)
    out = [
        "e1" + text[end - 1],
        "e2" + text[end - 2 : end],
        "r1" + (after[:1] or "$"),
        "r2" + (after[:2] or "$"),
        "r3" + (after or "$"),
        "m" + (modal.group(0) if modal else "-"),
    ]
    if rest.end() > end:
        out.append("listed")
    return out


def _span_features(text: str, start: int, end: int) -> list[str]:
    """The span itself: its last three characters, length and shape, and the pair of characters
    around it."""
    name = text[start:end]
    out = [
        "e3" + name[-3:],
        "n" + _bucket(end - start),
        "lr" + (text[start - 1] if start else "^") + (text[end : end + 1] or "$"),
    ]
    if len(name) <= 8:
        out.append("w" + name)
    if "（" in name:
        out.append("aside")
    if "、" in name:
        out.append("list")
    if "和" in name or "及" in name or "与" in name:
        out.append("and")
    if _DIGIT.search(name):
        out.append("digit")
    return out


_MARK = re.compile(
    r"\s*(?:[一二三四五六七八九十]+是|[（(]?[一二三四五六七八九十0-9]+[)）.．、]|第[一二三四五六七八九十百]+条)"
    r"[\s:：]*"
)
# the rest of a list of names after one of them, and the verbs that make them its subject
_CLAUSE_REST = re.compile(
    r"(?:[、和及与][^，,。；;：:、和及与]{1,22}?(?=[、和及与要将负牵应须必务均都]))*"
)
_MODAL = re.compile(r"要|将|负责|牵头|应|须|必须|务必|均|都|可以|对|在|于|按|根据|结合|会同|组织")
_SENTENCE_END = re.compile(r"[。！？!?；;]")


def _sentence_starts(text: str) -> tuple[int, ...]:
    starts = [0] + [match.end() for match in _SENTENCE_END.finditer(text, 0, _REACH)]
    return tuple(starts)


def samples(text: str) -> tuple[list[tuple[int, int]], list[list[str]]]:
    """The candidate spans of a text and what the classifier sees of each (for training)."""
    head = _normal(text)
    places = _candidates(head)
    starts = _sentence_starts(head)
    rows = [
        _start_features(head, start, starts) + _end_features(head, end)
        + _span_features(head, start, end)
        for start, end in places
    ]  # fmt: skip
    return places, rows


# How far a span's start may weigh against a name before the span is not scored: in the shipped
# model every labelled name's start weighs above -3.3, and about two spans in three weigh below
# -4 (the cross-validated figures are the same with or without the cut)
PRUNE = 4.0
THRESHOLD = 0.5  # the probability of being a lead or co-unit from which a span is taken


def read(model: Model, text: str) -> tuple[list[str], list[str]]:
    """The lead and co-units the text names, by the model."""
    return read_many(model, [text])[0]


class _Scorer:
    """The model's weights as plain lists, summed per feature group: the model is linear, so a
    span's score is that of its start's features plus its end's plus its own, and the first two
    are worked out once for all the spans that share them. Plain Python rather than numpy,
    whose cost is per call: a span has a dozen features, a document thousands of spans."""

    def __init__(self, model: Model):
        rows = model.weights.tolist()
        self.weight = {name: tuple(rows[at]) for name, at in model.index.items()}
        self.bias = tuple(model.bias.tolist())
        self.lead, self.co = model.classes.index("lead"), model.classes.index("co")
        self.none = model.classes.index("none")
        if len(self.bias) != 3:
            raise ValueError("the unit model has three classes: none, lead, co")

    def total(self, names: list[str]) -> tuple[float, float, float]:
        a = b = c = 0.0
        get = self.weight.get
        for name in names:
            found = get(name)
            if found is not None:
                x, y, z = found
                a += x
                b += y
                c += z
        return a, b, c

    def hopeless(self, opening: tuple[float, float, float]) -> bool:
        """Whether what stands before and at the start of a span weighs so far against a name
        that nothing after it could outweigh it (no labelled name in the corpus comes near)."""
        none = opening[self.none]
        return max(opening[self.lead], opening[self.co]) - none < -PRUNE

    def chance(self, *parts: tuple[float, float, float]) -> tuple[float, float]:
        """P(lead), P(co) from the summed scores of a span's features."""
        a, b, c = self.bias
        for x, y, z in parts:
            a, b, c = a + x, b + y, c + z
        top = max(a, b, c)
        scores = (math.exp(a - top), math.exp(b - top), math.exp(c - top))
        whole = scores[0] + scores[1] + scores[2]
        return scores[self.lead] / whole, scores[self.co] / whole


@lru_cache(maxsize=4)
def _scorer(model: Model) -> _Scorer:
    return _Scorer(model)


def read_many(model: Model, texts: list[str]) -> list[tuple[list[str], list[str]]]:
    """read() for many texts."""
    scorer = _scorer(model)
    out = []
    for text in texts:
        head = _normal(text)
        sentence_starts = _sentence_starts(head)
        by_start: dict[int, tuple] = {}
        by_end: dict[int, tuple] = {}
        judged = []
        for start, end in _candidates(head):
            opening = by_start.get(start)
            if opening is None:
                features = _start_features(head, start, sentence_starts)
                opening = by_start[start] = scorer.total(features)
            if scorer.hopeless(opening):
                continue
            closing = by_end.get(end)
            if closing is None:
                closing = by_end[end] = scorer.total(_end_features(head, end))
            lead, co = scorer.chance(
                opening, closing, scorer.total(_span_features(head, start, end))
            )
            if lead + co >= THRESHOLD:
                judged.append((max(lead, co), start, end, "lead" if lead >= co else "co"))
        taken: list[tuple[int, int, str]] = []
        for _, start, end, kind in sorted(judged, reverse=True):
            if not any(start < b and a < end for a, b, _ in taken):
                taken.append((start, end, kind))
        taken.sort()
        taken = _with_listed(head, _with_listed_before(head, taken))
        # "各镇人民政府和区直有关单位" is two names, "工业和信息化局" one (attributes.names)
        out.append(
            (
                [name for a, b, kind in taken if kind == "lead" for name in names(text[a:b])],
                [name for a, b, kind in taken if kind == "co" for name in names(text[a:b])],
            )
        )
    return out


# A name that ends where a list goes on: the names after it up to the clause's verb
_LISTED = re.compile(
    r"[、和及与]([^，,。；;：:、和及与]{1,22}?)(?=[、和及与]|" + _MODAL.pattern + ")"
)


def _with_listed(head: str, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The chosen spans, each followed by the other names of the list it opens, of the same kind
    ("各乡镇、县直各单位要…", "各行署、市、县政府对…"): a list's names share its verb, though the
    classifier sees each by itself. A listed stretch counts if it ends as a name does."""
    out = list(taken)
    for _, end, kind in taken:
        at = end
        while (more := _next_listed(head, at)) is not None:
            name = more.group(1)
            # "各级党组织、党员干部要…": people, not a body, though 干部 ends as 部 does;
            # "各责任单位、特别是牵头单位要…": one of them singled out, not one more
            if (
                not _ENDING_AT_END.search(name)
                or name.endswith("干部")
                or name.startswith(("特别是", "尤其是", "其中", "包括"))
                or any(a < more.end() and more.start(1) < b for a, b, _ in out)
            ):
                break
            out.append((more.start(1), more.end(), kind))
            at = more.end()
    return sorted(out)


_ENDING_AT_END = ending(_ENDINGS, r"(?:[（(][^（()）]{1,12}[)）])?$")
# A list's joining words, outside brackets; 以及 before 及
_JOINS = re.compile(r"(?:、|以及|和|及|与)(?![^（(]*[)）])")
_SAYS = re.compile(r"要|将|应(?!急)|须|负责|牵头")
_SHORT_WORD = re.compile(r"[\u4e00-\u9fff]{1,3}")


def _with_listed_before(head: str, taken: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """The chosen spans, each with the names of the list before it back to where its clause
    opens, of the same kind ("气象、应急、水务等部门要…", "环保局以及各街道办事处要…"): the classifier
    may take only the list's last name, whose verb the others share. A name before a 、 may be a
    bare word whose ending the last name gives (气象, 街道); before 和, 及 or 与 it must end as a
    name does, and a word that does not opens the chosen name instead ("市工业和信息化局" is one
    name, of which the classifier may take only "信息化局")."""
    out = list(taken)
    for start, end, kind in taken:
        opening = max(head.rfind(mark, 0, start) for mark in "，。；：！？") + 1
        mark = _MARK.match(head, opening)
        opening = mark.end() if mark and mark.end() <= start else opening
        clause = head[opening:start]
        if head.startswith("其", start):
            continue  # "政府及其部门": a body and its own, no list
        joins = list(_JOINS.finditer(clause))
        if not joins or joins[-1].end() != len(clause):
            continue
        parts, at = [], 0
        for join in joins:
            parts.append((opening + at, opening + join.start(), join.group(0)))
            at = join.end()
        if all(
            0 < b - a <= _LONGEST
            and not _BREAK.search(head, a, b)
            and not NO_OPENING.search(head, a, b)
            and not _SAYS.search(head, a, b)
            and not DOING_FIRST.match(head, a)
            and (
                _ENDING_AT_END.search(head[a:b])
                or (joined == "、" and _SHORT_WORD.fullmatch(head[a:b]))
            )
            and not any(x < b and a < y for x, y, _ in out)
            for a, b, joined in parts
        ):
            out += [(a, b, kind) for a, b, _ in parts]
        elif (
            len(parts) == 1
            and _joined_inside(head, parts[0][0], start)
            and not any(x < start and parts[0][0] < y for x, y, _ in out if x != start)
        ):
            # "市工业和信息化局", "自然资源和规划局": a word that is no name before 和 is the start
            # of the name the classifier took the end of
            out[out.index((start, end, kind))] = (parts[0][0], end, kind)
    return sorted(out)


def _joined_inside(head: str, a: int, start: int) -> bool:
    """Whether head[a:start] is a word of two to six characters and 和, 及 or 与 that opens a
    body's name: no name by itself (else it is one of a list), no verb of doing, preposition or
    modal."""
    word = head[a : start - 1]
    return bool(
        _JOINED_INSIDE.fullmatch(head, a, start)
        and not _ENDING_AT_END.search(word)
        and not NO_OPENING.search(word)
        and not _SAYS.search(word)
        and not DOING_FIRST.match(word)
    )


_JOINED_INSIDE = re.compile(r"[\u4e00-\u9fff]{2,6}[和及与]")


# The last name of a list whose clause goes on with no modal ("请各乡镇、县直各单位紧扣…",
# "各党总支、直属党支部的…"): up to the first place a name ends
_LAST_LISTED = re.compile(
    r"[、和及与]((?:[^，,。；;：:、和及与（(]|[（(][^（()）]{1,12}[)）]){1,22}?"
    r"(?:" + alternation(_ENDINGS) + r"))(?![（(、和及与])"
)


def _next_listed(head: str, at: int) -> re.Match | None:
    """The next name of a list after `at`: up to the clause's verb, or else up to where it first
    ends as a name does."""
    more = _LISTED.match(head, at)
    if more is not None and _ENDING_AT_END.search(more.group(1)):
        return more
    return _LAST_LISTED.match(head, at) or more


@lru_cache(maxsize=1)
def shipped() -> Model | None:
    """The unit model that ships in the package, read once per process; None before it has
    been trained."""
    return Model.load(MODEL) if MODEL.exists() else None
