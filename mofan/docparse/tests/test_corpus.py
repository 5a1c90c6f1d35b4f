"""The labelled corpus and what is measured on it: every document labelled and placed, the shipped
model trained on the corpus as it stands, no rule of the parser quoting a corpus sentence, and
the decomposition's figures by cross-validation — each document decomposed by a model that never
saw it."""

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from mofan.docparse import gold, learning, sentences, spans

PACKAGE = Path(__file__).resolve().parent.parent
CJK_RUN = re.compile(r"[\u4e00-\u9fff]{8,}")


@pytest.fixture(scope="module")
def documents():
    return gold.load_all()


@pytest.fixture(scope="module")
def report(documents):
    return learning.cross_validate(documents)


def test_the_corpus_is_fifty_sourced_documents_of_every_kind(documents):
    known = gold.sources()
    assert len(documents) >= 50
    for document in documents:
        assert document.name in known, f"{document.name} has no line in sources.tsv"
        kind, url, _ = known[document.name]
        assert kind in {"work_points", "gov_report", "division", "rectification", "disclosure",
                        "minutes", "implementation", "regulation", "notice", "speech"}  # fmt: skip
        assert url == "-" or url.startswith(("http://", "https://")), document.name
        assert all(row.kind in gold.KINDS for row in document.rows), document.name
    real = [d for d in documents if known[d.name][1] != "-"]
    assert len(real) >= 36
    assert len({known[d.name][1] for d in real}) == len(real)  # no page twice
    assert len({d.text for d in documents}) == len(documents)
    assert {known[d.name][0] for d in real} >= {"work_points", "gov_report", "division",
        "rectification", "disclosure", "minutes", "regulation", "notice", "speech"}  # fmt: skip


def test_every_row_is_placed_in_its_document(documents):
    for document in documents:
        text = document.text
        for row in document.rows:
            assert re.sub(r"\s", "", text[row.start : row.end]) == re.sub(r"\s", "", row.text)


def test_the_shipped_model_is_trained_on_the_corpus_as_it_stands(documents):
    """Change a label or add a document, and this fails until the model is trained again
    (`python -m mofan.docparse.learning train`)."""
    assert sentences.shipped().digest == learning.digest(documents)
    assert spans.shipped().digest == learning.digest(documents)  # the unit model too


def test_a_labelled_list_of_units_keeps_a_bracketed_list_as_one_name():
    assert gold._names("各党总支（党委、直属党支部）、机关党委") == [
        "各党总支（党委、直属党支部）",
        "机关党委",
    ]
    assert gold._names("各县(市、区),市直各部门") == ["各县(市、区)", "市直各部门"]


def test_training_is_reproducible_to_the_byte(documents, tmp_path):
    few = documents[:12]
    first, second = learning.train(few), learning.train(few)
    first.save(tmp_path / "first.npz")
    second.save(tmp_path / "second.npz")
    assert (tmp_path / "first.npz").read_bytes() == (tmp_path / "second.npz").read_bytes()
    loaded = sentences.Model.load(tmp_path / "first.npz")
    assert loaded.classes == first.classes and loaded.index == first.index
    assert abs(loaded.weights - first.weights).max() < 1e-6  # stored as float32
    assert loaded.transitions.shape == (len(first.classes) + 1, len(first.classes))
    assert abs(loaded.transitions - first.transitions).max() < 1e-5
    learning.train_units(few).save(tmp_path / "units1.npz")
    learning.train_units(few).save(tmp_path / "units2.npz")
    assert (tmp_path / "units1.npz").read_bytes() == (tmp_path / "units2.npz").read_bytes()
    units = sentences.Model.load(tmp_path / "units1.npz")
    assert units.classes == spans.CLASSES  # each class there, in a fixed order
    assert spans.read(units, "市财政局要完成预算调整。") in [(["市财政局"], []), ([], [])]


def test_a_piece_is_judged_with_its_neighbours():
    """The chain (sentences.marginals): with no preference between neighbouring classes each
    piece keeps its own probabilities; with one, a piece the model is unsure of takes the class
    its neighbours make likelier."""
    classes = ("heading", "task", "task+")
    table = np.array([[0.9, 0.05, 0.05], [0.02, 0.45, 0.53], [0.02, 0.49, 0.49]])
    flat = np.ones((4, 3))
    assert np.allclose(sentences.marginals(table, flat), table)
    # an item is seldom continued right after a heading, and a task is often followed by a
    # piece that continues it
    chain = np.array([[1.0, 2.0, 0.1], [1.0, 1.0, 1.5], [1.0, 1.0, 1.5], [1.0, 1.0, 0.1]])
    judged = sentences.marginals(table, chain)
    assert classes[judged[1].argmax()] == "task" and classes[judged[2].argmax()] == "task+"
    assert np.allclose(judged.sum(axis=1), 1.0)


def test_the_chain_learned_from_the_corpus_reads_as_documents_run(documents):
    model = learning.train(documents[:60])
    at = {name: position for position, name in enumerate(model.classes)}
    chain = model.transitions
    assert chain[at["heading"], at["task+"]] < chain[at["task"], at["task+"]]
    assert chain[at["rule"], at["rule+"]] > chain[at["task"], at["rule+"]]
    assert chain[len(model.classes), at["meta"]] > chain[len(model.classes), at["task+"]]


def _pattern_strings():
    """Every string constant in the parser's modules except docstrings."""
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef):
                body = node.body
                if body and isinstance(body[0], ast.Expr):
                    docstrings.add(id(body[0].value))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docstrings:
                    yield path.name, node.value


def test_the_held_out_documents_are_labelled_sourced_and_apart_from_the_corpus(documents):
    held = gold.load_all(gold.HELDOUT)
    known = gold.sources(gold.HELDOUT)
    # every document labelled; a disclosure of work done may hold no item, as in the corpus
    assert len(held) >= 5 and all(document.rows for document in held)
    assert sum(len(document.items) for document in held) >= 50
    assert {d.name for d in held}.isdisjoint(d.name for d in documents)
    assert {known[d.name][1] for d in held}.isdisjoint(gold.sources()[d.name][1] for d in documents)
    for document in held:
        for row in document.rows:
            placed = document.text[row.start : row.end]
            assert re.sub(r"\s", "", placed) == re.sub(r"\s", "", row.text)


def test_the_second_labels_are_of_corpus_documents_and_placed_in_them(documents):
    second = sorted(path.stem for path in gold.AGREEMENT.glob("*.tsv"))
    assert len(second) >= 15
    assert set(second) <= {d.name for d in documents}
    for name in second:
        document = gold.load(name, labels=gold.AGREEMENT)
        assert document.items, name
        for row in document.rows:
            placed = document.text[row.start : row.end]
            assert re.sub(r"\s", "", placed) == re.sub(r"\s", "", row.text)


def test_labels_agree_with_themselves_and_a_changed_label_shows(tmp_path):
    for name in ("suite_lifemeeting", "reg_gaoqing_2021"):
        (tmp_path / f"{name}.tsv").write_bytes((gold.CORPUS / f"{name}.tsv").read_bytes())
    same, names = gold.agreement(tmp_path)
    assert names == ["reg_gaoqing_2021", "suite_lifemeeting"]
    figures = same.figures()
    assert (figures["recall"], figures["precision"], figures["units"]) == (1.0, 1.0, 1.0)
    assert figures["deadlines"] == 1.0 and figures["gold"] == figures["found"] > 10
    # the second labeller leaves out one item's deadline and one item
    rows = (tmp_path / "suite_lifemeeting.tsv").read_text(encoding="utf-8").split("\n")
    at = next(i for i, row in enumerate(rows) if "\t2026年1月底前\t" in row)
    rows[at] = rows[at].replace("\t2026年1月底前\t", "\t\t")
    gone = next(i for i, row in enumerate(rows) if row.startswith("task\tnew") and i > at)
    rows[gone] = "background\t\t\t\t\t" + rows[gone].split("\t")[-1]
    (tmp_path / "suite_lifemeeting.tsv").write_text("\n".join(rows), encoding="utf-8")
    changed = gold.agreement(tmp_path)[0]
    assert changed.gold - changed.matched == 1 and changed.found == changed.gold - 1
    assert changed.deadlines_right == changed.deadlines_stated - 1


def test_no_rule_of_the_parser_quotes_a_corpus_sentence(documents):
    # nor one of the held-out documents, which are never to be fitted to
    held = gold.load_all(gold.HELDOUT)
    corpus = "\n".join(document.text for document in [*documents, *held])
    quoted = [
        (name, run)
        for name, value in _pattern_strings()
        for run in CJK_RUN.findall(value)
        if run in corpus
    ]
    assert quoted == []


def test_the_quote_check_can_fail(documents):
    sentence = next(run for d in documents for run in CJK_RUN.findall(d.text))
    assert sentence in "\n".join(d.text for d in documents)


# -- the figures, by cross-validation ------------------------------------------------------
#
# Two kinds of gate. The floors are what the decomposition reaches today (README, "任务分解"):
# a change that loses ground fails. The targets are the issue's; they are not met yet, and
# strict xfail makes the day they are met fail too, so that the floor is raised with them.

# (units and deadlines were 0.775 and 0.885 on the 261 documents before batch W; W's two
# government reports — one in traditional characters, one whose 今年 a lead-in ending in a full
# stop gives a list — took them to 0.765 and 0.841 on 272)
# (12月5日, 295 documents: recall 0.815 and precision 0.793, their floors raised from 0.78 and
# 0.76; units 0.766 and deadlines 0.850 after batch Y, whose units come from activity lines)
# (deadlines: batch AA, joined on 12月5日 evening, took them from 0.852 to 0.817 — a notice's dates
# garbled as stored (5251600前), a notice's 4月26日前 said once after its list for "上述三项工作", a
# table's time cell that dates only its first task; an announcing sentence the model takes for
# work giving its list its time took them to 0.855, an activity's time given to its items 0.869)
# (late on 12月5日, 320 documents: units 0.777 -> 0.808 on the 305 from the names of a list before
# the chosen one, a numbered row's trailing names, labels read by who and what they name;
# recall 0.818 -> 0.825 from tables whose head row stands once above the rows; batches AD and
# AE then joined: deadlines 0.871 -> 0.836, as their labellers dated a project table's rows by a
# year cell with no Chinese (read since: 0.851) and a stage's items by its heading's span;
# 0.830 / 0.804, units 0.792. Floors of recall, precision and units raised from 0.79, 0.78, 0.75.)
# (12月5日, 336 documents: batches AH and AI joined after their first runs — deadlines 6 of 8 and
# 3 of 8 there: a speech's "4.25-6.30", "放假前3天", a meeting's "一季度" said of a goal — taking the
# deadlines from 0.851 to 0.838; the rules their misses led to, 0.844. The deadline floor is
# lowered to 0.84 for it, the others hold: 0.833 / 0.806, units 0.784.)
# (12月5日, 399 documents: batches AJ to AQ, 63 documents whose first runs read 0.78 / 0.73, units
# 0.60, deadlines 0.53 — lists of targets kept as one item, a target table with no 序号 column,
# regulations whose doers are meetings and posts — took the folds to 0.821 / 0.796, units 0.746,
# deadlines 0.791; the rules their misses led to, units 0.746, deadlines 0.812. The floors of
# units and deadlines follow them down; recall and precision hold theirs.)
# (12月5日 afternoon: the pieces judged together through a chain, 0.823 / 0.800, units 0.750,
# deadlines 0.821 on the 399; then batches AR to AY, 61 documents whose first runs read 0.78 /
# 0.82, units 103 of 168, deadlines 15 of 32 — doers carried from a heading or a lead-in, targets
# split at commas — joined: 460 documents, 0.821 / 0.805, units 0.730, deadlines 0.804. Then
# batches AZ to BG, 43 documents whose first runs read 0.67 / 0.85, units 45 of 68, deadlines 21
# of 37, their labellers splitting sentences at commas (up to 60 % of a batch's items start after
# a comma, against 11 % in the corpus): 503 documents, 0.805 / 0.807, units 0.723, deadlines
# 0.787. With a comma series counted as one item, recall would be 0.873. The floors follow.
# Then the afternoon's deadline and unit rules took deadlines to 0.809 and units to 0.733: their
# floors are raised to 0.80 and 0.73.)
# (12月5日 evening, 543 documents, batches BH to BO joined and the evening's unit, deadline, frame
# and piece rules: 0.810 / 0.812, units 0.758, deadlines 0.832. Floors of precision, units and
# deadlines raised to 0.80, 0.74 and 0.82.)
# (12月5日 night, 580 documents, batches BP to BU joined — short excerpts whose labellers cut a
# fifth of the items at commas — and the night's unit rules: 0.803 / 0.814, units 0.760,
# deadlines 0.824. The units floor is raised to 0.75.)
# (Later that night, 610 documents, batches BV to BZ joined — 30 excerpts of notices, work
# points, minutes, plans and divisions, whose first run read 0.82 / 0.71, units 32 of 47,
# deadlines 7 of 21 — : 0.799 / 0.813, units 0.761, deadlines 0.805. The new documents' deadlines
# are campaign periods said once (“从即日起至全国两会结束”), a table whose rows keep the numbers of
# a longer list (6, 52, 53…) and a holiday's time; the floors of recall and deadlines follow them
# down to 0.79 and 0.80, as harder documents, not a parser, moved them.)
FLOORS = {"recall": 0.79, "precision": 0.80, "units": 0.75, "deadlines": 0.80}
# Units and deadlines given to items whose labels state none: reading more words as a time, or
# carrying a subject further, must not buy the figures above with what the document never said
# of the work (2026年12月4日, 272 documents: 0.191 and 0.051; 12月5日, 295: 0.192 and 0.053;
# evening, 305: 0.126 and 0.051, since a paragraph's subject goes on only when it is those
# addressed, 各地 or 全系统;
# late, 320: 0.109 and 0.052, ceiling of units lowered from 0.15)
CEILINGS = {"units_invented": 0.12, "deadlines_invented": 0.06}
TARGETS = {"recall": 0.90, "precision": 0.85, "units": 0.90, "deadlines": 0.90}


@pytest.mark.parametrize("name", FLOORS)
def test_the_cross_validated_figures_hold_their_floor(report, name):
    assert report.total.figures()[name] >= FLOORS[name], report.total.figures()


@pytest.mark.parametrize("name", CEILINGS)
def test_the_cross_validated_figures_stay_under_their_ceiling(report, name):
    assert report.total.figures()[name] <= CEILINGS[name], report.total.figures()


def test_units_and_deadlines_given_where_the_labels_state_none_are_counted():
    paragraphs = ["各单位要加强学习。", "做好宣传。"]
    text = "\n".join(paragraphs)
    second = text.index("做好")
    document = gold.Document("t", "notice", "", "", paragraphs, [], [
        gold.GoldItem("task", 0, second - 1, ["各单位"], [], ""),
        gold.GoldItem("task", second, len(text), [], [], ""),
    ])  # fmt: skip

    def found(units, deadline=None):
        items = [
            SimpleNamespace(start=0, end=second - 1, kind="task", lead_units=["各单位"],
                            deadline_text=None, confidence=0.9),
            SimpleNamespace(start=second, end=len(text), kind="task", lead_units=units,
                            deadline_text=deadline, confidence=0.9),
        ]  # fmt: skip
        return lambda paragraphs: SimpleNamespace(items=items)

    given = gold.score(document, found(["各单位"])).figures()
    assert (given["units"], given["units_invented"]) == (1.0, 1.0)
    assert gold.score(document, found([])).figures()["units_invented"] == 0.0
    assert given["deadlines"] is None and given["deadlines_invented"] == 0.0
    assert gold.score(document, found([], "年底前")).figures()["deadlines_invented"] == 0.5


@pytest.mark.xfail(strict=True, reason="issue 14's targets are not met yet (README, 任务分解)")
@pytest.mark.parametrize("name", TARGETS)
def test_the_cross_validated_figures_reach_the_target(report, name):
    assert report.total.figures()[name] >= TARGETS[name]


def test_three_quarters_of_a_regulations_clauses_are_standing_rules(report):
    """Issue 14's target, met since 2026年12月4日 (0.772 on the folds of 272 documents, 0.768
    on 295)."""
    assert report.by_kind["regulation"].figures()["rules_marked"] >= 0.75


@pytest.mark.xfail(strict=True, reason="reports of work done still yield tasks (README)")
def test_a_disclosure_of_figures_yields_at_most_two_tasks(report, documents):
    only_figures = [d.name for d in documents if d.kind == "disclosure" and not d.items]
    assert len(only_figures) >= 5
    assert all(report.by_document[name].found <= 2 for name in only_figures)


def test_confidence_is_calibrated(report):
    """A candidate shown at 0.9 is right about nine times in ten: in each band of shown
    confidence that holds enough items, the share right lies within 0.1 of the band."""
    bands = [(low, high, right) for low, high, count, right in report.calibration if count >= 50]
    assert len(bands) >= 3
    for low, high, right in bands:
        assert low - 0.1 <= right <= high + 0.1, (low, high, right)
