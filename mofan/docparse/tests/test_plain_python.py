"""The parser stays plain Python: usable from a command, a worker or another program."""

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


def test_no_module_of_the_parser_imports_django():
    importing = re.compile(r"^\s*(from|import)\s+(django|mofan\.(?!docparse))", re.MULTILINE)
    for path in PACKAGE.glob("*.py"):
        assert not importing.search(path.read_text(encoding="utf-8")), path.name


def test_it_imports_without_django_settings():
    code = "import mofan.docparse.deadlines as d; print(d.parse('年内', year=2026).on)"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(PACKAGE.parent.parent)},
    )
    assert result.stdout.strip() == "2026-12-31", result.stderr
