"""What a piece of a document is — a task, a standing rule, a heading, a lead-in, background, a
closing formula, the document's frame or a line of attributes — from a linear model learned from
the labelled corpus (``docparse/corpus/``; ``python -m mofan.docparse.learning train``).

The model is a multinomial logistic regression over character unigrams and bigrams of the piece
(trigrams were tried and changed nothing in the cross-validated figures) and a few facts of its
place in the document (numbering, position in its line, the heading above it, the document's
title, the piece before it, the opening words of the piece after it). A document's pieces are
then judged together, through a chain of the classes of neighbouring pieces (``marginals``). It
ships as ``model/sentences.npz``: the feature names, a weight per feature and class, a bias per
class and the chain's weights, read with ``allow_pickle=False``. Scoring is
done here with numpy rather than by scikit-learn (which trains it) so that a server loads no
pickled object and needs no scikit-learn, and so that a whole document is scored in one pass.
Plain Python.
"""

import bisect
import io
import operator
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL = Path(__file__).parent / "model" / "sentences.npz"
# task+ and rule+ continue the item of the piece before; task and rule start one.
CLASSES = ("meta", "heading", "lead", "background", "closing", "attr", "task", "task+", "rule")
CLASSES += ("rule+",)
ITEM = ("task", "task+", "rule", "rule+")

_DIGITS = re.compile(r"[0-9０-９]+(?:[.．][0-9]+)?")
_TRAILING = "。；;！!？?，,：:、 "


@dataclass(slots=True)
class Context:
    """Where a piece stands. ``marker`` is the numbering it opens with: a heading style ("cn",
    "arabic", "article", …), "plain" for an unnumbered heading line, "clause" for 一是/（1）/①
    inside a paragraph, "" for none."""

    marker: str = ""
    first: bool = True  # the first piece of its line
    last: bool = True  # the last piece of its line
    title_part: bool = False  # the title of a numbered heading line
    alone: bool = False  # …of a heading with nothing under it but labels: no heading of anything
    under: int = 0  # …and how many lines stand under that heading, up to the next one
    body: bool = False  # …and whether the heading's line goes on after its title
    heading: str = ""  # the title of the heading it stands under
    document: str = ""  # the document's title
    previous: str = ""  # the piece before it
    after: str = ""  # what follows it: "text", "mark" (a clause mark), "heading" or "end"
    register: str = ""  # how much of the document tells of work done (decompose._register)
    following: str = ""  # the opening words of the piece after it


# Half-width punctuation read as its full-width form: web pages and typed text mix them.
_WIDTH = str.maketrans(",;:()!?", "，；：（）！？")
# Piece lengths in buckets: 0–6, 7–12, 13–24, 25–48, 49–96, longer.
_LENGTHS = [0] * 7 + [1] * 6 + [2] * 12 + [3] * 24 + [4] * 48


def _length(n: int) -> str:
    return str(_LENGTHS[n]) if n < len(_LENGTHS) else "5"


@lru_cache(maxsize=256)
def _around(heading: str, document: str) -> tuple[str, ...]:
    """Features of where a piece stands, the same for every piece under one heading."""
    heading = _DIGITS.sub("0", heading[:16].translate(_WIDTH))
    out = ["h" + heading[i : i + 2] for i in range(len(heading) - 1)]
    # The end of the document's title says what kind of document it is (…工作要点, …学习制度,
    # …的通报); its beginning says whose, which is nothing to learn from.
    kind = document.rstrip(_TRAILING)[-8:]
    out += ["d" + kind[i : i + 2] for i in range(len(kind) - 1)]
    return tuple(out)


def features(text: str, context: Context) -> list[str]:
    """The names of the features a piece has. Character n-grams are named by themselves (their
    length tells them apart); every other feature starts with an ASCII mark."""
    core = _DIGITS.sub("0", text.strip().translate(_WIDTH))
    body = core.rstrip(_TRAILING)
    n = len(body)
    out = list(body)
    out += map(operator.add, body, body[1:])  # the bigrams
    out += ["^" + body[:k] for k in (1, 2, 3, 4) if n >= k]
    out += ["$" + body[-k:] for k in (1, 2, 3) if n >= k]
    out.append("end" + (core[-1] if core else ""))
    out.append("len" + _length(n))
    out.append("m" + context.marker)
    out.append(f"pos{int(context.first)}{int(context.last)}")
    if context.title_part:
        out.append("title")
    if context.alone:
        out.append("alone")
    if context.title_part:
        out.append("under" + str(min(context.under, 3)))
        out.append("body" + str(int(context.body)))
    out += _around(context.heading, context.document)
    out.append("a" + context.after)
    out.append("r" + context.register)
    previous = context.previous.strip()
    if previous:
        head = _DIGITS.sub("0", previous[:6].translate(_WIDTH))
        out += ["p$" + previous[-1]] + ["p^" + head[i : i + 2] for i in range(len(head) - 1)]
    else:
        out.append("p0")
    following = context.following.strip()
    if following:
        head = _DIGITS.sub("0", following[:6].translate(_WIDTH))
        out += ["n^" + head[i : i + 2] for i in range(len(head) - 1)]
    return out


class Model:
    def __init__(self, names, weights: np.ndarray, bias: np.ndarray, classes, digest: str = ""):
        self.index = {name: row for row, name in enumerate(names)}
        self.weights = weights.astype(np.float64)
        self.columns = np.ascontiguousarray(self.weights.T)  # one row of weights per class
        self.bias = bias.astype(np.float64)
        self.classes = tuple(classes)
        self.digest = digest
        # (raw, calibrated) points of the confidence map; none: the raw probability is shown
        self.calibration: tuple[np.ndarray, np.ndarray] | None = None
        self._map: tuple | None = None  # the calibration as lists, for calibrated()
        # How the class of a piece weighs on the next one's, for a document's run of pieces:
        # a row per class of the piece before and one for the first piece, a column per class
        # of the piece (see marginals); none: each piece is judged by itself
        self.transitions: np.ndarray | None = None

    def calibrated(self, raw: float) -> float:
        """The confidence to show for an item the model gives `raw`: on the corpus's
        cross-validation, about that share of such items were labelled items."""
        if self.calibration is None:
            return raw
        points, values = self.calibration
        if self._map is None or self._map[0] is not points:
            # plain lists and bisect: np.interp on one number at a time costs ten times more
            self._map = (points, points.tolist(), values.tolist())
        _, xs, ys = self._map
        at = bisect.bisect_right(xs, raw)
        if at == 0:
            return ys[0]
        if at == len(xs):
            return ys[-1]
        x0, x1, y0, y1 = xs[at - 1], xs[at], ys[at - 1], ys[at]
        return y0 if x1 == x0 else y0 + (y1 - y0) * (raw - x0) / (x1 - x0)

    def probabilities(self, rows: list[list[str]]) -> np.ndarray:
        """One row of class probabilities per piece, columns in ``self.classes`` order. A
        feature a piece has twice counts once."""
        get = self.index.get
        flat: list[int] = []
        owner: list[int] = []  # the piece each entry of flat belongs to
        for position, names in enumerate(rows):
            found = set(map(get, names))
            found.discard(None)
            flat += found
            owner += [position] * len(found)
        hits, pieces = np.array(flat, dtype=np.int64), np.array(owner, dtype=np.int64)
        scores = np.empty((len(rows), len(self.bias)))
        for column in range(len(self.bias)):
            scores[:, column] = np.bincount(
                pieces, weights=self.columns[column][hits], minlength=len(rows)
            )
        scores += self.bias
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

    def judge(self, pieces: list[tuple[str, Context]], chain: bool = False) -> list["Judgement"]:
        return _judge(self, pieces, chain)

    def save(self, path: Path) -> None:
        """Written as an .npz with fixed entry times, so that the same model gives the same
        bytes (numpy's own writer stamps each entry with the clock)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        names = sorted(self.index, key=self.index.get)
        arrays = {
            "names": np.array(names),
            "weights": self.weights.astype(np.float32),
            "bias": self.bias.astype(np.float32),
            "classes": np.array(self.classes),
            "digest": np.array(self.digest),
            "calibration": np.array(self.calibration if self.calibration else np.empty((2, 0))),
            "transitions": (
                self.transitions if self.transitions is not None else np.empty((0, 0))
            ).astype(np.float32),
        }
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, array in arrays.items():
                buffer = io.BytesIO()
                np.lib.format.write_array(buffer, array, allow_pickle=False)
                entry = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                entry.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(entry, buffer.getvalue())

    @classmethod
    def load(cls, path: Path = MODEL) -> "Model":
        with np.load(path, allow_pickle=False) as data:
            model = cls(
                [str(name) for name in data["names"]],
                data["weights"],
                data["bias"],
                [str(name) for name in data["classes"]],
                str(data["digest"]),
            )
            points, values = data["calibration"]
            if len(points):
                model.calibration = (points.astype(float), values.astype(float))
            if "transitions" in data.files and data["transitions"].size:
                model.transitions = data["transitions"].astype(np.float64)
        return model


@lru_cache(maxsize=1)
def shipped() -> Model:
    """The model that ships in the package, read once per process."""
    return Model.load(MODEL)


@dataclass(slots=True)
class Judgement:
    kind: str  # the most likely class
    item: float  # the probability that the piece is (part of) a task or rule
    continues: float  # of that, the share that says it continues the item before
    rule: float  # of that, the share that says it is a standing rule
    heading: float


def judge(
    model: "Model", pieces: list[tuple[str, Context]], chain: bool = False
) -> list[Judgement]:
    """What each piece is, by the model's probabilities; with `chain`, the pieces are a
    document's run in order and each is judged with the others (marginals)."""
    return model.judge(pieces, chain) if pieces else []


def marginals(table: np.ndarray, transitions: np.ndarray) -> np.ndarray:
    """The class probabilities of a run of pieces judged together: a linear chain whose
    potentials are the model's probabilities of each piece by itself times the transitions'
    weight of each pair of neighbouring classes, summed over every labelling of the run
    (forward-backward). A heading is rarely followed by a piece that continues an item, a lead-in
    mostly by a task: what the classes of the pieces around a piece say of it, which the
    character n-grams of its neighbours tell the piece-by-piece model only in part.

    Written here rather than with a CRF library: the chain's weights are counted from the
    labelled runs (learning.transitions), ten classes by ten, and summing over them is a few
    lines of numpy; a CRF package would train the whole model again and add a compiled
    dependency to the server."""
    count, classes = table.shape
    step = transitions[:classes]
    forward = np.empty_like(table)
    backward = np.ones_like(table)
    current = table[0] * transitions[classes]
    forward[0] = current / current.sum()
    for position in range(1, count):
        current = table[position] * (forward[position - 1] @ step)
        forward[position] = current / current.sum()
    for position in range(count - 2, -1, -1):
        current = step @ (table[position + 1] * backward[position + 1])
        backward[position] = current / current.sum()
    joint = forward * backward
    return joint / joint.sum(axis=1, keepdims=True)


def _judge(model: "Model", pieces: list[tuple[str, Context]], chain: bool) -> list[Judgement]:
    table = model.probabilities([features(text, context) for text, context in pieces])
    if chain and model.transitions is not None:
        table = marginals(table, model.transitions)
    column = {name: position for position, name in enumerate(model.classes)}

    def total(names) -> np.ndarray:
        found = [column[name] for name in names if name in column]
        return table[:, found].sum(axis=1) if found else np.zeros(len(table))

    item = total(ITEM)
    safe = np.where(item > 0, item, 1.0)
    continues = total(("task+", "rule+")) / safe
    rule = total(("rule", "rule+")) / safe
    heading = total(("heading",))
    kinds = [model.classes[i] for i in table.argmax(axis=1)]
    return [
        Judgement(kind, float(a), float(b), float(c), float(d))
        for kind, a, b, c, d in zip(kinds, item, continues, rule, heading, strict=True)
    ]
