"""Document decomposition (no database): its quality by cross-validation on the labelled corpus
(each document decomposed by a model trained without it), then its speed — throughput over a
large generated work plan given as plain text, a 100-page Word file end to end (unzip,
numbering, outline, items), and a table of 5,000 rows a web page flattened to one cell a line.

    make bench          # runs this, then the database benchmarks
    .venv/bin/python bench/docparse.py

Prints a table and writes bench/results/docparse.json.
"""

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mofan.docparse import decompose_file  # noqa: E402
from mofan.docparse.tests.builders import cell_table, large_document, large_docx  # noqa: E402

RUNS = 7


def measure(label: str, data: bytes, name: str) -> dict:
    decompose_file(data, name)  # warm-up: regular expressions compiled, modules imported
    samples, items = [], 0
    for _ in range(RUNS):
        start = time.perf_counter()
        items = len(decompose_file(data, name).items)
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples)
    return {
        "what": label,
        "bytes": len(data),
        "median_s": round(median, 3),
        "max_s": round(max(samples), 3),
        "mb_per_s": round(len(data) / 1e6 / median, 2),
        "items": items,
    }


def _as_pdf(docx: bytes) -> bytes | None:
    """The document as an office suite exports it to PDF (LibreOffice headless), if installed."""
    import subprocess
    import tempfile

    from mofan.docparse.readers import office_command

    command = office_command()
    if command is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "plan.docx"
        source.write_bytes(docx)
        subprocess.run(
            [command, f"-env:UserInstallation=file://{folder}/profile", "--headless",
             "--convert-to", "pdf", "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=300,
        )  # fmt: skip
        return (Path(folder) / "plan.pdf").read_bytes()


def quality() -> dict:
    """The cross-validated figures over the whole corpus and per kind of document, and the
    calibration of the confidence shown."""
    from mofan.docparse import gold, learning

    documents = gold.load_all()
    report = learning.cross_validate(documents)
    figures = report.as_dict()
    print(f"Cross-validated on {len(documents)} labelled documents ({learning.FOLDS} folds):")
    print(f"{'kind':<16} {'docs':>5} {'items':>6} {'recall':>7} {'prec.':>6} {'units':>6} "
          f"{'dates':>6} {'rules':>6}")  # fmt: skip
    counts = {}
    for document in documents:
        counts[document.kind] = counts.get(document.kind, 0) + 1
    rows = [("all", len(documents), figures["total"])]
    rows += [(kind, counts.get(kind, 0), row) for kind, row in figures["by_kind"].items()]
    # the held-out documents, by the shipped model: never trained on nor fitted to
    held = gold.load_all(gold.HELDOUT)
    if held:
        from mofan.docparse import decompose

        total = gold.Score()
        for document in held:
            total += gold.score(document, decompose)
        figures["held_out"] = total.figures()
        rows.append(("held out", len(held), figures["held_out"]))
    # the same documents labelled twice, blind: how far two readers agree, beside the parser's
    # cross-validated figures on those documents
    second, names = gold.agreement()
    if names:
        same = gold.Score()
        for name in names:
            same += report.by_document[name]
        figures["agreement"] = {"labellers": second.figures(), "parser": same.figures()}
        rows.append(("two labellers", len(names), figures["agreement"]["labellers"]))
        rows.append(("parser, same", len(names), figures["agreement"]["parser"]))
    for kind, docs, row in rows:
        cells = [row[name] for name in ("recall", "precision", "units", "deadlines")]
        cells.append(row["rules_marked"])
        shown = " ".join(f"{'—' if c is None else c:>6}" for c in cells)
        print(f"{kind:<16} {docs:>5} {row['gold']:>6} {shown}")
    print("\nConfidence shown → share of found items that are labelled items:")
    for low, high, count, right in figures["calibration"]:
        print(f"  {low:.1f}–{high:.1f}: {count:>5} items, {right:.2f} right")
    print()
    return figures


def main() -> None:
    figures = quality()
    text = "\n".join(large_document(1200)).encode("utf-8")
    pages = large_docx(100)
    table = "\n".join(cell_table(5000)).encode("utf-8")
    results = [
        measure(f"Plain text, {len(text) / 1e6:.1f} MB (about 1,200 pages)", text, "plan.txt"),
        measure("Word file of 100 pages (.docx)", pages, "plan.docx"),
        measure("Table of 5,000 rows read one cell a line", table, "table.txt"),
    ]
    pdf = _as_pdf(large_docx(115))
    if pdf is not None:
        import pypdfium2

        count = len(pypdfium2.PdfDocument(pdf))
        results.append(
            measure(f"PDF of {count} pages, text layer read by position", pdf, "plan.pdf")
        )
    else:
        print("LibreOffice is not installed: the PDF figure is left out.")
    print(f"\n{'what':<48} {'median s':>9} {'max s':>7} {'MB/s':>6} {'items':>7}")
    for row in results:
        print(
            f"{row['what']:<48} {row['median_s']:>9} {row['max_s']:>7} "
            f"{row['mb_per_s']:>6} {row['items']:>7}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "docparse.json").write_text(
        json.dumps({"speed": results, "quality": figures}, ensure_ascii=False, indent=2)
    )


if __name__ == "__main__":
    main()
