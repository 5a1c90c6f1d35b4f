"""Benchmarks of the foundation on the large demo data set (PostgreSQL by default).

    make bench                       # PostgreSQL at 127.0.0.1, database mofan_bench (created if missing)
    BENCH_DATABASE_URL=... make bench
    BENCH_PARTS=meetings make bench  # only some parts: foundation, pickers, ledger, meetings, dues, members,
                                     # recruitment, assessment, discipline (巡视巡察 and 监督执纪), ballots (述职评议 over HTTP), cockpit, audit,
                                     # cpu (CPU per request over HTTP: bench/cpu.py)
    BENCH_GUNICORN=2x8 make bench    # gunicorn workers x threads for the sign-in load (4x4)

Seeds the large data set with the project's own `seed-demo --scale large` when it is not there,
then times server-side handling of each page in-process (Django test client: URL routing,
middleware, scoping, queries, template rendering; no network); the QR sign-in load goes over HTTP
to gunicorn from a second process (bench/meetings.py). Prints a table and writes
bench/results/latest.json.
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mofan_bench"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghij")
os.environ.setdefault("MOFAN_FIELD_KEY", "00112233445566778899aabbccddeeff")
os.environ.setdefault(
    "MOFAN_HASH_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
)
os.environ.setdefault(
    "MOFAN_AUDIT_KEY", "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mofan.settings")
RUNS = int(os.environ.get("BENCH_RUNS", "30"))


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def timed(label: str, func, runs: int = RUNS) -> dict:
    from django.db import connection, reset_queries

    func()  # warm-up: caches, connections, template loading
    samples, queries = [], 0
    for _ in range(runs):
        reset_queries()
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
        queries = len(connection.queries)
    samples.sort()
    return {
        "what": label,
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 1),
        "queries": queries,
        "runs": runs,
    }


def main() -> None:
    if os.environ["DATABASE_URL"].startswith("postgres"):
        ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.DEBUG = True  # record queries for the counts
    settings.STORAGES["staticfiles"]["BACKEND"] = (
        "django.contrib.staticfiles.storage.StaticFilesStorage"
    )

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_demo", scale="large", quiet=True)
    seed_seconds = time.perf_counter() - started

    from mofan.access import services as access
    from mofan.access.models import User
    from mofan.access.roles import Role
    from mofan.orgs import stats
    from mofan.orgs.models import Membership, PartyOrg

    root = PartyOrg.objects.get(code="NAT-P0")
    big = PartyOrg.objects.get(code="NAT-C00")
    general = PartyOrg.objects.get(code="NAT-G00000")
    user = User.objects.filter(username="bench_root").first()
    if user is None:
        user = access.create_user(
            actor=None, username="bench_root", password="Bench@2026!x", temporary=False
        )
        access.grant_role(user, actor=None, role=Role.ORG_ADMIN, org=root)
    client = Client()
    client.force_login(user)

    subtree_members = Membership.objects.in_subtree(big).count()

    def get(url, **params):
        def run():
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code

        return run

    parts = os.environ.get(
        "BENCH_PARTS",
        "foundation,pickers,ledger,meetings,dues,members,recruitment,assessment,discipline,ballots,"
        "cockpit,audit",
    ).split(",")
    results = []
    foundation = (
        [
            timed(
                f"Roster page 1, subtree of {subtree_members:,} members ({big.short_name})",
                get("/orgs/roster/", org=big.pk),
            ),
            timed(
                "Roster page 1, same subtree + status + sort by strokes",
                get("/orgs/roster/", org=big.pk, status="normal", sort="stroke"),
            ),
            timed("Roster search by initials over the whole tree", get("/orgs/roster/", q="wf")),
            timed("API memberships page 1, same subtree", get("/api/memberships/", org=big.pk)),
            timed(
                "Member count of the root subtree (100,000 people)",
                lambda: stats.subtree_member_count(root),
            ),
            timed("Org tree page: first level", get("/orgs/tree/")),
            timed(
                "Org tree level: 40 organ committees under the root",
                get("/orgs/tree/", parent=root.pk),
            ),
            timed(
                "Org tree level: 115 general branches of the big office",
                get("/orgs/tree/", parent=big.pk),
            ),
            timed(
                "Org tree level: 6 branches of a general branch",
                get("/orgs/tree/", parent=general.pk),
            ),
            timed("Org page of the big office", get(f"/orgs/party-orgs/{big.pk}/")),
            timed("Home page: overview and flagged orgs of the whole tree", get("/")),
        ]
        if "foundation" in parts
        else []
    )
    results += foundation
    if "pickers" in parts:
        results += picker_benchmarks(get)
    if "ledger" in parts:
        results += ledger_benchmarks(get_as=Client)
    if "meetings" in parts:
        from bench.meetings import meeting_benchmarks

        results += meeting_benchmarks(get_as=Client, timed=timed, once=once)
    if "dues" in parts:
        from bench.dues import dues_benchmarks

        results += dues_benchmarks(get_as=Client, timed=timed, once=once, once_row=once_row)
    if "members" in parts:
        from bench.members import member_benchmarks

        results += member_benchmarks(get_as=Client, timed=timed, once=once, once_row=once_row)
    if "recruitment" in parts:
        from bench.recruitment import recruitment_benchmarks

        results += recruitment_benchmarks(get_as=Client, timed=timed, once=once, once_row=once_row)
    if "assessment" in parts:
        from bench.assessment import assessment_benchmarks

        results += assessment_benchmarks(get_as=Client, timed=timed, once=once, once_row=once_row)
    if "discipline" in parts:
        from bench.discipline import discipline_benchmarks

        results += discipline_benchmarks(get_as=Client, timed=timed, once=once, once_row=once_row)
    if "cockpit" in parts:
        from bench.cockpit import cockpit_benchmarks

        results += cockpit_benchmarks(get_as=Client, timed=timed, once=once, once_row=once_row)
    if "ballots" in parts:
        from bench.assessment import ballot_load

        results += ballot_load()
    audit_rows = []
    if "audit" in parts:
        from bench.audit_load import audit_benchmarks

        settings.DEBUG = False  # 50 threads would each keep every query they ran
        audit_rows = audit_benchmarks()
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    print(
        f"\nDatabase: {vendor}; seed-demo --scale large: {seed_seconds:.1f} s (0 if already seeded)\n"
    )
    print(f"{'what':<70} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for row in results:
        note = row.get("note", "")
        print(
            f"{row['what']:<70} {row['p50_ms']:>8} {row['p95_ms']:>8} {row['queries']:>8}  {note}"
        )
    if audit_rows:
        print(
            f"\n{'audited writes':<34} {'clients':>7} {'writes/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
        )
        for row in audit_rows:
            if row["design"] == "verify":
                print(
                    f"audit verify: {row['records']:,} records in {row['seconds']} s, ok={row['ok']}"
                )
                continue
            worker = f", worker {row['worker_s']} s" if "worker_s" in row else ""
            print(
                f"{row['design']:<34} {row['clients']:>7} {row['writes_per_s']:>9} "
                f"{row['p50_ms']:>8} {row['p99_ms']:>8}  chained {row['chained']}/{row['written']}"
                f"{worker}"
            )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "latest.json").write_text(
        json.dumps(
            {"database": vendor, "results": results, "audit": audit_rows},
            ensure_ascii=False,
            indent=2,
        )
    )


def picker_benchmarks(get) -> list[dict]:
    """The searches behind the name pickers, as the org admin of the whole tree types."""
    from mofan.orgs.models import Unit

    organ = Unit.objects.filter(depth=1).order_by("path").first()
    pick = "/orgs/pick/{}/".format
    return [
        timed("Picker: people by initials, whole tree", get(pick("people"), q="wf")),
        timed("Picker: people by a surname, whole tree", get(pick("people"), q="王")),
        timed(
            f"Picker: owners of a ledger of {organ.short_name or organ.name} (account, no text)",
            get(pick("people"), within=organ.pk, account=1),
        ),
        timed("Picker: units by initials (2,000 units)", get(pick("units"), q="bgt")),
        timed("Picker: units by part of a name", get(pick("units"), q="司")),
        timed(
            "Picker: party organisations one may change, by a word (10,000)",
            get(pick("orgs"), action="change", q="支部"),
        ),
        # Global search over people, organisations, units, ledgers, 1,000,000 items, meetings
        # and documents, as the org admin of the whole tree.
        timed("Search page: initials (wf)", get("/search/", q="wf")),
        timed("Search page: a common word (党建)", get("/search/", q="党建")),
        timed("Search page: a word found nowhere", get("/search/", q="无此词语")),
    ]


def once(label: str, func) -> dict:
    start = time.perf_counter()
    value = func()
    return {"what": label, "seconds": round(time.perf_counter() - start, 2), "value": value}


def once_row(done: dict, note: str = "") -> dict:
    """A result row of a job timed once (`once`)."""
    return {
        "what": done["what"],
        "p50_ms": done["seconds"] * 1000,
        "p95_ms": "",
        "queries": "",
        "runs": 1,
        "note": note,
    }


def ledger_benchmarks(get_as) -> list[dict]:
    """The supervised-task ledger at 1,000,000 items and 5,000,000 reports (issue 3 figures)."""
    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from mofan.access.models import User
    from mofan.ledger import imports, notices
    from mofan.ledger.models import Item, Ledger
    from mofan.orgs.models import Unit

    supervisor = User.objects.get(username="nat_duban")
    client = get_as()
    client.force_login(supervisor)
    ledger = Ledger.objects.filter(name__startswith="全国示范系统督办台账").order_by("name").first()
    today = timezone.localdate()
    total = Item.objects.count()

    def page(params):
        def run():
            response = client.get(f"/ledger/{ledger.pk}/", params)
            assert response.status_code == 200, response.status_code

        return run

    def get_page(url, params=None):
        def run():
            response = client.get(url, params or {})
            assert response.status_code == 200, response.status_code

        return run

    def search(text):
        def run():
            response = client.get("/search/", {"q": text})
            assert response.status_code == 200, response.status_code

        return run

    results = [
        # Global search as the supervisor of all 200 ledgers: the 1,000,000 item texts are read
        # through the gram index (core/textsearch.py).
        timed("Search page as the supervisor: a common word (专项)", search("专项")),
        timed("Search page as the supervisor: a word found nowhere", search("无此词语")),
        timed(
            f"Ledger item table page 1, light=red + state=in_progress ({ledger.items.count():,} items in ledger)",
            page({"light": "red", "state": "in_progress"}),
        ),
        timed(
            "Ledger item table page 1, unit + deadline range",
            page(
                {
                    "unit": Unit.objects.get(code="NAT-U00-000").pk,  # chosen by name on the page
                    "deadline_before": "2026-12-31",
                }
            ),
        ),
        timed(
            "Cross-ledger items, light=red (all ledgers)",
            lambda: client.get("/ledger/items/", {"light": "red"}),
        ),
    ]
    # The board reads figures kept per ledger and lead unit (ledger/board.py), as in production
    # where the minute's job keeps them: first every ledger counted (the nightly pass, and the
    # first job of a day), then the job with one ledger changed, then the board itself.
    from django.conf import settings

    from mofan.ledger import board

    counted = once(
        f"Board figures: count all {Ledger.objects.count()} ledgers (nightly, first job of a day)",
        lambda: board.refresh(Ledger.objects.values_list("pk", flat=True), today),
    )
    results.append(once_row(counted, f"{counted['value']} ledgers"))
    changed = Item.objects.filter(ledger=ledger).order_by("pk").first()
    Item.objects.filter(pk=changed.pk).update(updated_at=timezone.now())
    minute = once(
        "Board figures: the minute's job, one ledger changed", lambda: board.refresh_due(today)
    )
    results.append(once_row(minute, f"{minute['value']} ledger(s) counted"))
    eager = settings.CELERY_TASK_ALWAYS_EAGER
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a worker keeps the figures: the page only reads
    results += [
        timed("Supervisor board over all ledgers (kept figures)", get_page("/ledger/board/")),
        timed(
            "Supervisor board, all units listed (?all=1)",
            get_page("/ledger/board/", {"all": "1"}),
            runs=5,
        ),
    ]
    settings.CELERY_TASK_ALWAYS_EAGER = eager
    results += [
        timed(
            f"Status lights of all {total:,} items (one grouped query)",
            lambda: list(Item.objects.with_light(today).values("light").annotate(n=Count("pk"))),
            runs=5,
        ),
    ]
    from mofan.ledger import services
    from mofan.notify.models import Notification

    # 层层分解: the nightly pass that marks the items above a missed report (jobs.send_reminders
    # runs it before the reminders). Cleared first, so that the first pass sets every mark.
    Item.objects.filter(rollup_late=True).update(rollup_late=False)
    for label in ("first pass, every mark set", "second pass, nothing changed"):
        done = once(
            f"Roll-up of missed reports below, nightly pass ({label})",
            lambda: services.refresh_late_rollups(today),
        )
        results.append(once_row(done, f"{done['value']:,} items changed"))
    # Today's reminders from an earlier bench run would make the first run a repeat: clear them.
    Notification.objects.filter(dedupe_key__endswith=f":{today.isoformat()}").delete()
    first = once(
        f"Daily reminder job over {total:,} items (first run)",
        lambda: notices.daily_reminders(today),
    )
    again = once(
        "Daily reminder job, second run the same day (idempotent)",
        lambda: notices.daily_reminders(today),
    )
    results += [
        once_row(first, str(first["value"])),
        once_row(again, str(again["value"])),
    ]
    probe = subprocess.run(
        [sys.executable, __file__, "--export-probe"], capture_output=True, text=True, check=True
    )
    seconds, rows, peak_kb = probe.stdout.split()
    results.append(
        {
            "what": f"Export {int(rows):,} items to xlsx (separate process)",
            "p50_ms": float(seconds) * 1000,
            "p95_ms": "",
            "queries": "",
            "runs": 1,
            "note": f"peak RSS {int(peak_kb) // 1024} MB",
        }
    )
    path = Path(tempfile.mkdtemp()) / "ledger-10k.xlsx"
    _write_import_file(path, 10_000)
    target = Ledger.objects.filter(name__startswith="全国示范系统督办台账").order_by("name").last()

    def import_10k():
        with transaction.atomic():
            sheet = imports.read(path)
            result = imports.run(target, sheet, actor=supervisor)
            transaction.set_rollback(True)  # measure, then leave the data set as it was
        assert not result.errors, result.errors[:3]
        return result.created

    done = once("Import a 10,000-row Excel ledger (read, check, write; rolled back)", import_10k)
    results.append(once_row(done, ""))
    return results


def _write_import_file(path: Path, rows: int) -> None:
    import xlsxwriter

    from mofan.orgs.models import Unit

    names = list(
        Unit.objects.filter(code__startswith="NAT-U", depth=3).values_list("name", flat=True)[:200]
    )
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"])
    for n in range(1, rows + 1):
        sheet.write_row(
            n,
            0,
            [
                n,
                f"导入测速任务{n}",
                names[n % len(names)],
                names[(n + 1) % len(names)],
                "2026年12月底前",
            ],
        )
    book.close()


def _peak_rss_kb() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def export_probe() -> None:
    """Run in its own process so that its peak memory is the export's alone. A child process
    inherits its parent's peak (Linux keeps ru_maxrss across fork and exec), so the peak is reset
    through /proc before the work and read back after it."""
    import django

    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset VmHWM to the current RSS

    django.setup()
    from django.utils import timezone

    from mofan.ledger import exports
    from mofan.ledger.models import Item, Ledger

    ledgers = Ledger.objects.filter(name__startswith="全国示范系统督办台账").order_by("name")[:20]
    items = (
        Item.objects.filter(ledger__in=list(ledgers))
        .with_light(timezone.localdate())
        .order_by("ledger_id", "sort_key")
    )
    start = time.perf_counter()
    path, count = exports.xlsx("导出测速", items)
    seconds = time.perf_counter() - start
    os.unlink(path)
    print(f"{seconds:.2f} {count} {_peak_rss_kb()}")


if __name__ == "__main__":
    if "--export-probe" in sys.argv:
        export_probe()
    else:
        main()
