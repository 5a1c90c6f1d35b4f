"""Training the sentence model on the labelled corpus, and measuring the decomposition by
cross-validation: each document is decomposed by a model trained without it (grouped k-fold by
document), and the items found are scored against its labels (``gold.score``).

    python -m mofan.docparse.learning train     # writes model/sentences.npz
    python -m mofan.docparse.learning cv        # the cross-validated figures, per kind of document

Training needs scikit-learn (a development dependency); the shipped model does not. The same
corpus and seed give the same model, byte for byte.
"""

import hashlib
import json
import re
import sys
from dataclasses import dataclass, field

import numpy as np

from mofan.docparse import attributes, gold, sentences, spans
from mofan.docparse.decompose import decompose, normalised, training_pieces

SEED = 20261203
FOLDS = 10
C = 4.0  # inverse regularisation strength of the logistic regression
UNITS_C = 10.0  # …of the unit model
MIN_COUNT = 2  # a feature seen in fewer training pieces is left out
CALIBRATION_POINTS = 101  # the calibration map kept as this many points, raw 0.00 to 1.00
# How much the transitions between neighbouring pieces' classes weigh against each piece's own
# probabilities (sentences.marginals): on the pieces of the 399 documents' folds, item or not
# was read right for 0.868 of them with none, 0.879 at 0.5, 0.881 at 0.7, 0.879 at 1.0
CHAIN = 0.7


def _label(piece, rows: list[gold.Row]) -> str | None:
    """The class of a piece: that of the labelled row it overlaps most. A piece that starts
    after its row does (the parser cut the row at a clause mark) continues the row's item."""
    best, overlap = None, 0
    for row in rows:
        shared = min(row.end, piece.end) - max(row.start, piece.start)
        if shared > overlap:
            best, overlap = row, shared
    if best is None:
        return None
    if best.kind not in ("task", "rule"):
        return best.kind
    starts_row = piece.start <= best.start + 2
    return best.kind + ("+" if best.item == "+" or not starts_row else "")


def samples(document: gold.Document) -> tuple[list[list[str]], list[str]]:
    rows = document.rows

    def is_heading(start: int, end: int) -> bool:
        return any(
            row.kind == "heading" and min(row.end, end) - max(row.start, start) > 0 for row in rows
        )

    text, pieces = training_pieces(document.paragraphs, is_heading)
    X, y = [], []
    for piece in pieces:
        label = _label(piece, rows)
        if label is None:
            continue
        X.append(sentences.features(text[piece.start : piece.end], piece.context))
        y.append(label)
    return X, y


def digest(documents: list[gold.Document]) -> str:
    """What the model was trained on: the corpus's files, hashed."""
    hasher = hashlib.sha256()
    for document in sorted(documents, key=lambda d: d.name):
        for suffix in ("txt", "tsv"):
            hasher.update((gold.CORPUS / f"{document.name}.{suffix}").read_bytes())
    hasher.update(f"{SEED} {C} {UNITS_C} {MIN_COUNT} {CHAIN}".encode())
    return hasher.hexdigest()[:16]


def unit_samples(document: gold.Document) -> tuple[list[list[str]], list[str]]:
    """The candidate spans of each labelled item's text that states no label of its own (the
    text the unit model is asked about), each labelled lead, co or none: a span is a named unit
    when it is the first candidate with the labelled name's words."""
    # read as decompose reads them: simplified characters, round brackets
    squeeze = lambda name: re.sub(r"\s+", "", normalised(name))  # noqa: E731
    X, y = [], []
    for item in document.items:
        found = attributes.extract(normalised(document.text[item.start : item.end]))
        if found.lead_units:
            continue  # stated in a label: the unit model is not asked
        text = found.text
        places, rows = spans.samples(text)
        labels = ["none"] * len(places)
        for names, kind in ((item.lead, "lead"), (item.co, "co")):
            for name in map(squeeze, names):
                for position, (start, end) in enumerate(places):
                    if labels[position] == "none" and squeeze(text[start:end]) == name:
                        labels[position] = kind
                        break
        X += rows
        y += labels
    return X, y


def train(documents: list[gold.Document], tag: str = "") -> sentences.Model:
    parts = [samples(document) for document in documents]
    model = _fit(parts, C, tag)
    model.transitions = transitions([y for _, y in parts], model.classes)
    return model


def transitions(runs: list[list[str]], classes: tuple[str, ...]) -> np.ndarray:
    """The chain's weights (sentences.marginals) from the labelled runs of pieces: how much more
    often a class follows another (or opens a document) than it comes at all, each count one
    more than seen, raised to the power CHAIN. Dividing by how often a class comes at all keeps
    the model's own probabilities, which already hold that, from counting it twice."""
    at = {name: position for position, name in enumerate(classes)}
    size = len(classes)
    counts = np.ones((size + 1, size))
    for run in runs:
        before = size  # the row of a document's first piece
        for name in run:
            counts[before, at[name]] += 1
            before = at[name]
    follows = counts / counts.sum(axis=1, keepdims=True)
    share = counts[:size].sum(axis=0)
    share /= share.sum()
    return (follows / share) ** CHAIN


def train_units(documents: list[gold.Document], tag: str = "") -> sentences.Model:
    """The unit model (spans.py) on the labelled items' units. Its classes are weighed alike
    (most candidates are no unit)."""
    fitted = _fit([unit_samples(document) for document in documents], UNITS_C, tag, "balanced")
    # the classes in a fixed order, each there: a few documents may name no co-unit, and a
    # class never seen is never chosen (no weight, a bias far below the others)
    weights = np.zeros((len(fitted.index), len(spans.CLASSES)))
    bias = np.full(len(spans.CLASSES), -30.0)
    for column, name in enumerate(spans.CLASSES):
        if name in fitted.classes:
            weights[:, column] = fitted.weights[:, fitted.classes.index(name)]
            bias[column] = fitted.bias[fitted.classes.index(name)]
    names = sorted(fitted.index, key=fitted.index.get)
    return sentences.Model(names, weights, bias, spans.CLASSES, tag)


def _fit(parts, strength: float, tag: str, weights=None) -> sentences.Model:
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows, labels = [], []
    for X, y in parts:
        rows += X
        labels += y
    counts: dict[str, int] = {}
    for names in rows:
        for name in names:
            counts[name] = counts.get(name, 0) + 1
    vocabulary = sorted(name for name, count in counts.items() if count >= MIN_COUNT)
    index = {name: column for column, name in enumerate(vocabulary)}
    indptr, indices = [0], []
    for names in rows:
        # a feature is there or not, as Model.probabilities reads it (a name a piece has twice,
        # a bigram said twice, would otherwise be summed by the fit)
        indices += sorted({index[name] for name in names if name in index})
        indptr.append(len(indices))
    matrix = csr_matrix(
        (np.ones(len(indices)), np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(rows), len(vocabulary)),
    )
    fitted = LogisticRegression(C=strength, max_iter=5000, random_state=SEED, class_weight=weights)
    fitted.fit(matrix, labels)
    classes = [str(name) for name in fitted.classes_]
    weights = fitted.coef_.T
    bias = fitted.intercept_
    if len(classes) == 2:  # a binary fit keeps one column; the model wants one per class
        weights = np.hstack([-weights / 2, weights / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    return sentences.Model(vocabulary, weights, bias, classes, tag)


def folds(documents: list[gold.Document], k: int = FOLDS) -> list[list[gold.Document]]:
    """Documents put into k groups by their names' hashes, so that a fold holds whole documents
    and a document stays in its fold when others are added. (Until 2026年12月4日 they were dealt
    in turn in the order of those hashes, which moved most documents to another fold whenever one
    was added, so that two days' figures differed by which documents trained which.)"""
    groups: list[list[gold.Document]] = [[] for _ in range(k)]
    for document in sorted(documents, key=lambda d: d.name):
        digest = hashlib.sha256(f"{SEED}{document.name}".encode()).hexdigest()
        groups[int(digest, 16) % k].append(document)
    return [group for group in groups if group]


@dataclass
class Report:
    total: gold.Score
    by_kind: dict[str, gold.Score]
    by_document: dict[str, gold.Score]
    calibration: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "total": self.total.figures(),
            "by_kind": {kind: score.figures() for kind, score in sorted(self.by_kind.items())},
            "calibration": self.calibration,
        }


def cross_validate(
    documents: list[gold.Document], k: int = FOLDS, calibrate: bool = True
) -> Report:
    """Each document decomposed by a model trained without it. With `calibrate`, each fold's
    model also shows confidences calibrated on the other folds only (cross-validation within
    its training documents), as the shipped model is."""
    total, by_kind, by_document = gold.Score(), {}, {}
    for held_out in folds(documents, k):
        names = {d.name for d in held_out}
        rest = [d for d in documents if d.name not in names]
        model = build(rest) if calibrate else train(rest)
        spotter = train_units(rest)
        for document in held_out:
            found = gold.score(
                document, lambda p, m=model, u=spotter: decompose(p, model=m, spotter=u)
            )
            by_document[document.name] = found
            total += found
            by_kind.setdefault(document.kind or "other", gold.Score())
            by_kind[document.kind or "other"] += found
    return Report(total, by_kind, by_document, gold.calibration(total.confidences))


def build(documents: list[gold.Document], tag: str = "", k: int = 5) -> sentences.Model:
    """The model trained on all the documents, its confidence calibrated: a logistic map
    (Platt scaling) from the log-odds of the raw probability an item is given to the share of
    such items that were labelled items, learned from a k-fold cross-validation over the same
    documents (each fold decomposed by a model that did not see it) and kept as points to
    interpolate between.

    Two parameters rather than an isotonic step function: on 399 documents the steps the inner
    folds fitted at the low end (raw 0.50–0.55) put 73 items at under 0.5 that the outer folds
    found right 63 times in 100."""
    from sklearn.linear_model import LogisticRegression

    raw: list[tuple[float, bool]] = []
    for held_out in folds(documents, k):
        names = {d.name for d in held_out}
        model = train([d for d in documents if d.name not in names])
        for document in held_out:
            raw += gold.score(document, lambda p, m=model: decompose(p, model=m)).confidences
    model = train(documents, tag)
    if raw and len({right for _, right in raw}) == 2:
        fitted = LogisticRegression(C=1e6, max_iter=1000)  # next to no regularisation
        fitted.fit(_log_odds([value for value, _ in raw]), [int(right) for _, right in raw])
        points = np.linspace(0.0, 1.0, CALIBRATION_POINTS)
        values = fitted.predict_proba(_log_odds(points))[:, 1]
        model.calibration = (points, np.clip(values, 0.01, 0.99))
    return model


def _log_odds(values) -> np.ndarray:
    clipped = np.clip(np.asarray(values, dtype=float), 1e-4, 1 - 1e-4)
    return np.log(clipped / (1 - clipped)).reshape(-1, 1)


def main(argv: list[str]) -> int:
    documents = gold.load_all()
    if argv[:1] == ["train"]:
        model = build(documents, digest(documents))
        model.save(sentences.MODEL)
        print(f"{len(documents)} documents, {len(model.index)} features -> {sentences.MODEL}")
        spotter = train_units(documents, digest(documents))
        spotter.save(spans.MODEL)
        print(f"unit model: {len(spotter.index)} features -> {spans.MODEL}")
        return 0
    if argv[:1] == ["cv"]:
        report = cross_validate(documents)
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        if "-v" in argv:
            for name, found in sorted(report.by_document.items()):
                print(name, json.dumps(found.figures(), ensure_ascii=False))
                for text in found.misses:
                    print("   missed:", text)
                for text in found.extras:
                    print("   extra: ", text)
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
