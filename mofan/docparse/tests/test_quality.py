"""How well the parser reads documents of every shape the issue names, scored against hand-made
answers in tests/documents/*.json (headings with their level; items by the start of their text,
with the units and deadline where the document states them)."""

import json
from pathlib import Path

import pytest

from mofan.docparse.decompose import decompose
from mofan.docparse.outline import flatten
from mofan.docparse.text import lines

DOCUMENTS = Path(__file__).parent / "documents"
NAMES = sorted(path.stem for path in DOCUMENTS.glob("*.json"))


def _score(name: str) -> dict:
    gold = json.loads((DOCUMENTS / f"{name}.json").read_text(encoding="utf-8"))
    found = decompose(lines((DOCUMENTS / f"{name}.txt").read_text(encoding="utf-8")))
    headings = [(h.number or h.title, h.level) for h in flatten(found.outline)]
    wanted = [tuple(pair) for pair in gold["headings"]]
    matched_headings = sum(1 for pair in wanted if pair in headings)
    items = [item.as_dict() for item in found.items]
    used, matched, attributes_right, attributes_stated = set(), 0, 0, 0
    for expected in gold["items"]:
        hit = next(
            (
                index
                for index, item in enumerate(items)
                if index not in used and item["text"].startswith(expected["text"])
            ),
            None,
        )
        stated = "lead_units" in expected or "deadline" in expected
        attributes_stated += stated
        if hit is None:
            continue
        used.add(hit)
        matched += 1
        item = items[hit]
        if stated:
            deadline = item["deadline"] or item["deadline_text"]
            attributes_right += item["lead_units"] == expected.get("lead_units", []) and (
                deadline == expected.get("deadline")
            )
    return {
        "headings": (matched_headings, len(wanted), len(headings)),
        "recall": (matched, len(gold["items"])),
        "precision": (len(used), len(items)),
        "attributes": (attributes_right, attributes_stated),
        "title": (found.title, gold["title"]),
    }


@pytest.fixture(scope="module")
def scores():
    return {name: _score(name) for name in NAMES}


def _total(scores, key, part=(0, 1)):
    return sum(s[key][part[0]] for s in scores.values()) / sum(
        s[key][part[1]] for s in scores.values()
    )


def test_there_are_documents_of_every_shape():
    assert {"work_points", "report", "rectification", "regulation", "notice", "runon"} <= set(NAMES)
    assert {"plain_headings"} <= set(NAMES)


def test_headings_are_found_with_their_level(scores):
    assert _total(scores, "headings") >= 0.98
    # and nothing is taken for a heading that is not one
    assert _total(scores, "headings", (0, 2)) >= 0.98


def test_items_recall_and_precision(scores):
    assert _total(scores, "recall") >= 0.90
    assert _total(scores, "precision") >= 0.85


def test_units_and_deadlines_where_stated(scores):
    assert _total(scores, "attributes") >= 0.90


def test_titles(scores):
    for name, score in scores.items():
        assert score["title"][0] == score["title"][1], name


def test_every_item_is_an_exact_span_of_the_document():
    for name in NAMES:
        found = decompose(lines((DOCUMENTS / f"{name}.txt").read_text(encoding="utf-8")))
        for item in found.items:
            assert found.text[item.start : item.end] == item.text, name
            assert item.text in found.text
            assert 0 < item.confidence <= 1 and item.reason
