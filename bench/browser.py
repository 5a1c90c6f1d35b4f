"""The browser side of the main pages (issue 16): how soon the first page shows in a fresh browser,
what JS and CSS each page downloads, and how much of it the page does not use.

    make bench                          # runs this after the server-side benchmarks
    python bench/browser.py             # alone
    BENCH_BROWSER_PORT=8030 BENCH_BROWSER_RUNS=9 python bench/browser.py
    BENCH_BROWSER_DATABASE_URL=postgres://postgres@127.0.0.1:5432/x python bench/browser.py

A fresh PostgreSQL database (default mofan_bench_browser, dropped and created) gets the small demo
data; the static files are collected as `mofan deploy` does (hashed names, gzip copies) into a
folder of the run, and gunicorn serves the app with production settings (static files by
WhiteNoise). Debian's Chromium (headless; never a downloaded browser) then opens each page:

- time: each run in a new browser context (empty cache) holding only the session cookie, so
  every page is "the first page in a fresh browser": first contentful paint and the load event
  from the page's own navigation timing; the median of the runs;
- bytes: the JS and CSS bodies as they crossed the wire (gzip), from resource timing;
- unused: Chromium's coverage until the load event and a quiet network — V8 block coverage
  (`Profiler.startPreciseCoverage`, detailed) for scripts, `CSS.startRuleUsageTracking` for style
  sheets — scaled to the wire by each file's compression ratio. Code run later (a click on a
  menu, a picker opened) counts as unused, as in Chromium's own coverage panel.

A page fails the budget with more than 300 KB (300,000 bytes) of unused JS and CSS on the wire, or
a first page that takes over 1 s to its load event. Prints a table, writes
bench/results/browser.json and exits 1 when a page is over.
"""

import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
DATABASE_URL = os.environ.get(
    "BENCH_BROWSER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mofan_bench_browser"
)
RUNS = int(os.environ.get("BENCH_BROWSER_RUNS", "5"))
UNUSED_BUDGET = 300_000  # bytes of JS and CSS on the wire a page downloads and does not use
FIRST_PAGE_BUDGET_MS = 1000
PASSWORD = "Mofan@2026!"  # every demo account's (seed-demo)

# (what, path, demo user): the main pages, each as the demo user whose work it is. None: signed out.
PAGES = [
    ("login page", "/accounts/login/", None),
    ("home (supervisor)", "/", "duban"),
    ("ledger list", "/ledger/", "duban"),
    ("ledger item table", "/ledger/{ledger}/", "duban"),
    ("my tasks", "/ledger/mine/", "duban"),
    ("supervisor board", "/ledger/board/", "duban"),
    ("meetings", "/meetings/", "dangjian"),
    ("compliance heat map", "/meetings/compliance/", "dangjian"),
    ("roster", "/orgs/roster/", "dangjian"),
    ("org tree", "/orgs/tree/", "dangjian"),
    ("search 党建", "/search/?q=党建", "duban"),
]


def environment(var_dir: Path) -> dict:
    """The production profile (DATABASE_URL set: hashed, compressed static files served by
    WhiteNoise) over plain HTTP on loopback. No REDIS_URL: jobs run in-process; pages read no
    cache that would change what the browser gets."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MOFAN_", "REDIS_URL"))}
    env.update(
        DATABASE_URL=DATABASE_URL,
        MOFAN_VAR_DIR=str(var_dir),
        MOFAN_STATIC_ROOT=str(var_dir / "static"),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="mofan.settings",
        SECRET_KEY="bench-only-secret-key-not-for-production-0123456789abcdefghij",
        MOFAN_FIELD_KEY="00112233445566778899aabbccddeeff",
        MOFAN_HASH_KEY="00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
        MOFAN_AUDIT_KEY="ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
    )
    return env


def fresh_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed() -> dict:
    """The small demo, the static files as deployed; returns the values the page paths need."""
    from django.core.management import call_command
    from django.db import connection

    from mofan.ledger.models import Ledger

    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale="small", quiet=True, stdout=open(os.devnull, "w"))
    call_command("collectstatic", interactive=False, verbosity=0)
    # Planner statistics, as autovacuum has them on a server running for a minute: right after
    # the bulk load the planner guesses, and a page's time would be that guess's.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return {"ledger": Ledger.objects.order_by("pk").values_list("pk", flat=True).first()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(env: dict, var_dir: Path, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "python:mofan.gunicorn_conf", "mofan.wsgi",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, start_new_session=True,
        stdout=open(var_dir / "gunicorn.out", "w"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit(f"gunicorn did not start on port {port} ({var_dir})")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def sign_in(browser, base: str, username: str) -> dict:
    """The session of `username`, signed in through the login page (cookies only)."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    state = context.storage_state()
    context.close()
    return state


_NAVIGATION = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    response_ms: nav.responseEnd, dom_ready_ms: nav.domContentLoadedEventEnd,
    load_ms: nav.loadEventEnd, fcp_ms: fcp ? fcp.startTime : null,
    status: nav.responseStatus,
  };
}"""
_RESOURCES = """() => performance.getEntriesByType("resource").map((r) => ({
  url: r.name, type: r.initiatorType, transfer: r.transferSize,
  encoded: r.encodedBodySize, decoded: r.decodedBodySize,
}))"""


def open_fresh(browser, state: dict | None):
    """A new context (empty cache, only the session's cookies) and a page not yet navigated."""
    context = browser.new_context(
        locale="zh-CN", storage_state=state, viewport={"width": 1366, "height": 768}
    )
    return context, context.new_page()


def load(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    if response is None or response.status != 200:
        raise SystemExit(f"{url}: {response.status if response else 'no answer'}")
    page.wait_for_function('performance.getEntriesByType("navigation")[0].loadEventEnd > 0')


def timing(browser, base: str, path: str, state: dict | None) -> dict:
    samples = []
    for _ in range(RUNS):
        context, page = open_fresh(browser, state)
        load(page, base + path)
        samples.append(page.evaluate(_NAVIGATION))
        context.close()
    row = {
        key: round(statistics.median(values), 1) if values else None
        for key in ("response_ms", "fcp_ms", "dom_ready_ms", "load_ms")
        # (Chromium records no first contentful paint now and then: the median of the others)
        for values in [[s[key] for s in samples if s[key] is not None]]
    }
    return row | {"load_ms_runs": [round(s["load_ms"], 1) for s in samples]}


def _used_js(functions: list) -> tuple[int, int]:
    """(used, total) characters of one script from V8's block coverage: ranges nest, so painting
    them outer first leaves each character with the count of the innermost range holding it."""
    ranges = sorted(
        (r["startOffset"], r["endOffset"], r["count"]) for f in functions for r in f["ranges"]
    )
    ranges.sort(key=lambda r: (r[0], -r[1]))
    total = max((end for _, end, _ in ranges), default=0)
    painted = bytearray(total)
    for start, end, count in ranges:
        painted[start:end] = (b"\x01" if count else b"\x00") * (end - start)
    return sum(painted), total


def _used_css(rules: list, length: int) -> int:
    spans = sorted((r["startOffset"], r["endOffset"]) for r in rules if r["used"])
    used, reach = 0, 0
    for start, end in spans:
        start = max(start, reach)
        if end > start:
            used += end - start
            reach = end
    return min(used, length)


def coverage(browser, base: str, path: str, state: dict | None) -> dict:
    context, page = open_fresh(browser, state)
    cdp = context.new_cdp_session(page)
    sheets: dict[str, dict] = {}
    cdp.on(
        "CSS.styleSheetAdded", lambda e: sheets.update({e["header"]["styleSheetId"]: e["header"]})
    )
    cdp.send("Profiler.enable")
    cdp.send("Profiler.startPreciseCoverage", {"callCount": False, "detailed": True})
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    cdp.send("CSS.startRuleUsageTracking")
    load(page, base + path)
    page.wait_for_load_state("networkidle")
    scripts = cdp.send("Profiler.takePreciseCoverage")["result"]
    rules = cdp.send("CSS.stopRuleUsageTracking")["ruleUsage"]
    resources = {urlsplit(r["url"]).path: r for r in page.evaluate(_RESOURCES)}
    context.close()

    files = []
    for script in scripts:
        where = urlsplit(script["url"]).path
        if where not in resources:
            continue  # Playwright's own and the page's evaluated snippets
        used, total = _used_js(script["functions"])
        files.append(_file_row("js", where, resources[where], used, total))
    by_sheet: dict[str, list] = {}
    for rule in rules:
        by_sheet.setdefault(rule["styleSheetId"], []).append(rule)
    for sheet_id, header in sheets.items():
        where = urlsplit(header.get("sourceURL", "")).path
        if where not in resources:
            continue
        length = int(header["length"])
        used = _used_css(by_sheet.get(sheet_id, []), length)
        files.append(_file_row("css", where, resources[where], used, length))
    seen = {f["file"] for f in files}
    for where, entry in resources.items():  # downloaded and never parsed (none expected)
        kind = "js" if where.endswith(".js") else "css" if where.endswith(".css") else None
        if kind and where not in seen:
            files.append(_file_row(kind, where, entry, 0, 1))
    return {
        "files": sorted(files, key=lambda f: -f["unused_wire"]),
        **{
            f"{kind}_{what}": sum(f[what] for f in files if f["kind"] == kind)
            for kind in ("js", "css")
            for what in ("wire", "decoded", "unused_wire")
        },
    }


def _file_row(kind: str, where: str, entry: dict, used: int, total: int) -> dict:
    unused_share = 1 - used / total if total else 0.0
    return {
        "kind": kind,
        "file": where,
        "wire": entry["encoded"],  # the body as sent: gzip when the server compressed it
        "transfer": entry["transfer"],  # with the headers
        "decoded": entry["decoded"],
        "unused_share": round(unused_share, 3),
        "unused_wire": round(entry["encoded"] * unused_share),
    }


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{model}, {os.cpu_count()} cores"


def chromium_version() -> str:
    out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.strip()


def main() -> None:
    from playwright.sync_api import sync_playwright

    var_dir = Path(tempfile.mkdtemp(prefix="mofan-bench-browser-"))
    env = environment(var_dir)
    os.environ.update(env)
    port = int(os.environ.get("BENCH_BROWSER_PORT") or free_port())
    base = f"http://127.0.0.1:{port}"
    print(f"Browser side: database {DATABASE_URL}, gunicorn at {base}, files in {var_dir}")
    fresh_database()
    import django

    django.setup()
    values = seed()
    django.db.connections.close_all()
    server = start_server(env, var_dir, port)
    load_at_start = os.getloadavg()[0]  # times here are wall-clock: a busy machine shows in them
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync", "--no-first-run"],
            )  # fmt: skip
            states = {user: sign_in(browser, base, user) for _, _, user in PAGES if user}
            states[None] = None
            for _, path, user in PAGES:  # warm-up: each worker's first requests, as after a deploy
                for _ in range(2):
                    context, page = open_fresh(browser, states[user])
                    load(page, base + path.format(**values))
                    context.close()
            for what, path, user in PAGES:
                path = path.format(**values)
                row = {"page": what, "path": path, "user": user or "(signed out)"}
                row |= timing(browser, base, path, states[user])
                row |= coverage(browser, base, path, states[user])
                rows.append(row)
                print(f"  {what}: load {row['load_ms']} ms", flush=True)
            browser.close()
    finally:
        stop_server(server)
    shutil.rmtree(var_dir / "static", ignore_errors=True)

    busy = [round(load_at_start, 2), round(os.getloadavg()[0], 2)]
    kb = lambda n: f"{n / 1000:.1f}"  # noqa: E731
    print(
        f"\nMachine: {machine()}, load average {busy[0]} at the start and {busy[1]} at the end; "
        f"{chromium_version()}; {RUNS} runs a page, medians\n"
    )
    header = (
        f"{'page':<22} {'HTML ms':>7} {'FCP ms':>7} {'load ms':>8} {'JS KB':>7} {'CSS KB':>7} "
        f"{'unused JS':>10} {'unused CSS':>11} {'unused KB':>10}"
    )
    print(header + "\n" + "-" * len(header))
    over = []
    for row in rows:
        unused = row["js_unused_wire"] + row["css_unused_wire"]
        flags = []
        if unused > UNUSED_BUDGET:
            flags.append("unused over 300 KB")
        if row["load_ms"] > FIRST_PAGE_BUDGET_MS:
            flags.append("over 1 s")
        row["over"] = flags
        over += [f"{row['page']}: {flag}" for flag in flags]
        print(
            f"{row['page']:<22} {row['response_ms']:>7} {row['fcp_ms'] or '—':>7} {row['load_ms']:>8} "
            f"{kb(row['js_wire']):>7} {kb(row['css_wire']):>7} {kb(row['js_unused_wire']):>10} "
            f"{kb(row['css_unused_wire']):>11} {kb(unused):>10}  {', '.join(flags)}"
        )
    print("\nHTML: the page's HTML received (the server's part); FCP: first contentful paint")
    print("KB: 1,000 bytes of JS or CSS bodies as sent (gzip); unused: scaled by each file's ratio")
    worst = max(rows, key=lambda r: r["js_unused_wire"] + r["css_unused_wire"])
    print(f"\nFiles of the page with the most unused ({worst['page']}):")
    for f in worst["files"]:
        print(
            f"  {f['file']:<70} {kb(f['wire']):>7} KB, {f['unused_share']:.0%} unused "
            f"({kb(f['unused_wire'])} KB)"
        )
    result = {
        "what": "Browser side of the main pages, small demo data, production static serving",
        "machine": machine(),
        "load_average_1min": busy,
        "chromium": chromium_version(),
        "runs": RUNS,
        "date": date.today().isoformat(),
        "budgets": {"unused_wire_bytes": UNUSED_BUDGET, "first_page_load_ms": FIRST_PAGE_BUDGET_MS},
        "pages": rows,
        "over": over,
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "browser.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    if over:
        print("\nOver budget: " + "; ".join(over))
        raise SystemExit(1)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
