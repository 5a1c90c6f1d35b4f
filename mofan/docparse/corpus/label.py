"""Helper for labelling the decomposition corpus (see GUIDE.md). Stand-alone on purpose: it
imports nothing of the parser, so a labeller never sees what a program makes of a document.

    python3 label.py split NAME.txt > NAME.tsv   # one row per sentence, labels empty
    python3 label.py check NAME                  # NAME.txt and NAME.tsv agree, labels valid
"""

import re
import sys
from pathlib import Path

HEADER = ["kind", "item", "lead", "co", "deadline", "text"]
KINDS = {"meta", "heading", "lead", "background", "task", "rule", "closing", "attr"}
# A sentence ends at a full stop, question or exclamation mark or a semicolon, with any closing
# quotation marks or brackets that follow it.
END = re.compile(r"[^。！？!?；;]*(?:[。！？!?；;]+[”’」』）)]*|$)")


def split(path: Path) -> str:
    rows = ["\t".join(HEADER)]
    for paragraph in path.read_text(encoding="utf-8").splitlines():
        for found in END.finditer(paragraph.strip()):
            piece = found.group(0).strip()
            if piece:
                rows.append("\t" * (len(HEADER) - 1) + piece)
    return "\n".join(rows) + "\n"


def check(name: str) -> list[str]:
    text_path, tsv_path = Path(f"{name}.txt"), Path(f"{name}.tsv")
    problems = []
    paragraphs = [
        re.sub(r"\s+", "", line) for line in text_path.read_text(encoding="utf-8").splitlines()
    ]
    paragraphs = [p for p in paragraphs if p]
    lines = tsv_path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].split("\t") != HEADER:
        return [f"{tsv_path}: the first line must be the header {HEADER}"]
    at, position, open_item = 0, 0, False
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(HEADER):
            problems.append(f"line {number}: {len(cells)} columns, not {len(HEADER)}")
            continue
        kind, item, lead, co, deadline, text = cells
        if kind not in KINDS:
            problems.append(f"line {number}: kind {kind!r} is not one of {sorted(KINDS)}")
        if kind in ("task", "rule"):
            if item not in ("new", "+"):
                problems.append(f"line {number}: a {kind} row needs item new or +")
            elif item == "+" and not open_item:
                problems.append(f"line {number}: + with no item started above")
            open_item = True
        elif item or lead or co or deadline:
            problems.append(f"line {number}: only task and rule rows take item/lead/co/deadline")
        if item == "+" and (lead or co or deadline):
            problems.append(f"line {number}: units and deadline go on the item's new row")
        piece = re.sub(r"\s+", "", text)
        if not piece:
            problems.append(f"line {number}: empty text")
            continue
        while at < len(paragraphs) and position == len(paragraphs[at]):
            at, position = at + 1, 0
        if at >= len(paragraphs) or not paragraphs[at].startswith(piece, position):
            where = paragraphs[at][position : position + 30] if at < len(paragraphs) else "(end)"
            problems.append(f"line {number}: text does not follow the document here: {where!r}")
            break
        position += len(piece)
    else:
        if at < len(paragraphs) and position < len(paragraphs[at]) or at < len(paragraphs) - 1:
            problems.append("the rows end before the document does")
    return problems


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "split":
        sys.stdout.write(split(Path(sys.argv[2])))
    elif len(sys.argv) == 3 and sys.argv[1] == "check":
        found = check(sys.argv[2].removesuffix(".tsv").removesuffix(".txt"))
        print("\n".join(found) if found else "ok")
        sys.exit(1 if found else 0)
    else:
        print(__doc__)
        sys.exit(2)
