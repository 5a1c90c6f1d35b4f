"""The floors of the code base, bottom up: an app imports only apps on floors below its own — at
module level or inside a function alike — so no import cycle can form between apps and `core`
stays the ground floor (see STYLE.md "Our own code")."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]

# Bottom up. Apps on one floor do not import each other.
FLOORS = [
    {"envparse"},  # read by the settings themselves
    {"logconfig"},
    {"docparse"},  # plain Python, no Django
    {"core"},
    {"audit"},
    {"access"},
    {"orgs"},
    {"notify"},
    {"ledger"},
    {"meetings", "dues"},
    {"members"},  # transfers and standing: decided by the meetings' 支部党员大会
    {"recruitment"},  # 发展党员: votes at 支部党员大会, the record created in orgs
    {"assessment"},  # 考核评价: scores computed from the records of the floors below
    {"inspection"},  # 巡视巡察: plans, rounds, teams and findings over the organisations
    {"discipline"},  # 监督执纪: case leads (some from inspection findings), reports, checks
    # The pages and jobs that sum up; the 等保 clause tests.
    {"housekeeping", "ops", "console", "dashboard", "demo", "mlps"},
    {"settings", "urls", "api_urls", "celery", "wsgi", "__main__", "gunicorn_conf"},  # project
]
FLOOR = {name: number for number, names in enumerate(FLOORS) for name in names}


def _part(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0].removesuffix(".py")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts or parts[0] == "__init__.py":
            continue
        yield path


def _imported_parts(tree: ast.AST) -> set[tuple[str, int]]:
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
            if node.module == "mofan":
                names = [f"mofan.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name.startswith("mofan."):
                found.add((name.split(".")[1], node.lineno))
    return found


def test_every_part_of_the_package_has_a_floor():
    parts = {_part(path) for path in _modules()}
    assert parts - set(FLOOR) == set(), "give the new app a floor in FLOORS"


@pytest.mark.parametrize("path", list(_modules()), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down_never_up(path):
    importer = _part(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upward = [
        f"line {line}: {importer} (floor {FLOOR[importer]}) imports {part} (floor {FLOOR[part]})"
        for part, line in sorted(_imported_parts(tree), key=lambda x: x[1])
        if part != importer and FLOOR.get(part, 99) >= FLOOR[importer]
    ]
    assert upward == []
