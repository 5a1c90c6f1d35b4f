"""CPU per request (issue 16): what one request of a busy page costs the application process and
the PostgreSQL backends that serve it, beside the latency a client sees.

    make bench                                   # after the page benchmarks (bench/run.py)
    python bench/cpu.py                          # alone, against the seeded mofan_bench
    BENCH_PARTS=cpu make bench                   # only this part of `make bench`
    BENCH_CPU_PAGES=ledger-red,api-red python bench/cpu.py
    BENCH_CPU_REQUESTS=100 BENCH_CPU_ROUNDS=3 BENCH_CPU_CLIENTS=2 python bench/cpu.py
    python bench/cpu.py --profile                # where the CPU goes, in-process (see profile())
    BENCH_CPU_COMPARE=../before python bench/cpu.py   # this checkout and another, page by page

It reads the large demo data set that bench/run.py seeds and changes nothing in it: the accounts
it uses are the seed's own (the supervisor of all ledgers, a department's leader, a member of the
big office with the most meetings), signed in by a session each as the login view would, and
logged out at the end. The pages as the bench root (an org admin of the whole tree, made by
bench/run.py) are added when that account exists.

gunicorn runs the production profile (mofan/gunicorn_conf.py: 4 workers x 4 threads, DEBUG off,
HTTPS behind a proxy, collected static files, Redis as the cache: BENCH_CPU_REDIS_URL, database
14 by default) on 127.0.0.1:8020 (BENCH_CPU_PORT). A second process
(`bench/cpu.py --load spec.json`) sends a fixed number of GETs per page from BENCH_CPU_CLIENTS
keep-alive connections on loopback and times each. Around each page's load the CPU time
(utime + stime of /proc/<pid>/stat) is read of the gunicorn master and workers and of every
PostgreSQL backend whose application_name is the bench's (the app's connections carry it in
DATABASE_URL; persistent, CONN_MAX_AGE=60, so a backend serves many requests and is sometimes
replaced). The backends are sampled every 0.2 s while the load runs: one that exits counts with
its last reading, one that starts counts from zero (its connection start-up is part of the cost).
Pages are run round-robin for BENCH_CPU_ROUNDS rounds and the median round is reported. With
BENCH_CPU_COMPARE another checkout (e.g. a `git worktree` of the commit before a change) is served
beside this one, each on a unix socket, and every page is measured on both in turn.

CPU time per request depends far less than latency on what else runs on the machine: on a 2-core
machine shared with other work, p50 and p99 follow the other work, CPU per request moves by some
10-15 % from run to run (caches and cores shared), hence the rounds and BENCH_CPU_COMPARE. What is
not counted: PostgreSQL's own background processes (WAL writer, checkpointer) and the client.

Prints a table and writes bench/results/cpu.json.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mofan_bench"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
APP_NAME = "mofan-bench-cpu"
PORT = int(os.environ.get("BENCH_CPU_PORT", "8020"))
REQUESTS = int(os.environ.get("BENCH_CPU_REQUESTS", "100"))
ROUNDS = int(os.environ.get("BENCH_CPU_ROUNDS", "3"))
CLIENTS = int(os.environ.get("BENCH_CPU_CLIENTS", "2"))
WARM_UP = 20
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
DEADLINE = "2026-12-31"
SMALL_UNIT = "NAT-U30-000"  # 7 items of the first ledger before DEADLINE, as lead or co-unit


def environment(app_name: str = "") -> dict:
    """The production profile's settings, with fixed bench-only keys. The app's connections are
    named (`app_name`) so that their backends can be told from anyone else's."""
    url = DATABASE_URL + (f"?application_name={app_name}" if app_name else "")
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="mofan.settings",
        MOFAN_DEBUG="0",
        MOFAN_HTTPS="1",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        MOFAN_LOG_LEVEL="WARNING",
    )
    env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghij")
    env.setdefault("MOFAN_FIELD_KEY", "00112233445566778899aabbccddeeff")
    env.setdefault(
        "MOFAN_HASH_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    )
    env.setdefault(
        "MOFAN_AUDIT_KEY", "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
    )
    # The production profile's cache: the session's idle stamp is read and written in Redis on
    # every request (BENCH_CPU_REDIS_URL; empty for the in-process cache of each worker).
    redis = os.environ.get("BENCH_CPU_REDIS_URL", "redis://127.0.0.1:6379/14")
    if redis:
        env["REDIS_URL"] = redis
    else:
        env.pop("REDIS_URL", None)
    return env


# --- the pages and their users -----------------------------------------------------------------


def pages() -> list[dict]:
    """Each page: key, label, the user it is seen as, its URL. Read from the seeded data."""
    from django.db.models import Count
    from django.utils import timezone

    from mofan.access.models import RoleAssignment, User
    from mofan.access.roles import Role
    from mofan.access.scoping import Action
    from mofan.ledger.filters import filter_items
    from mofan.ledger.models import Item, Ledger
    from mofan.orgs.models import Membership, PartyOrg, Unit

    ledger = Ledger.objects.filter(name__startswith="全国示范系统督办台账").order_by("name").first()
    if ledger is None:
        raise SystemExit("mofan_bench has no large demo data: run `make bench` (it seeds) first.")
    small = Unit.objects.get(code=SMALL_UNIT)
    big = PartyOrg.objects.get(code="NAT-C00")
    supervisor = User.objects.get(username="nat_duban")
    # The leader of the first department sees its people by unit (the big office's members).
    leader = RoleAssignment.objects.filter(role=Role.LEADER, unit__code="NAT-U00").get().user
    member = (
        User.objects.filter(
            username__regex=r"^nat[0-9]+$", person__membership__org__path__startswith=big.path
        )
        .annotate(n=Count("person__meeting_attendance"))
        .order_by("-n", "pk")
        .first()
    )
    red = "light=red&state=in_progress"
    today = timezone.localdate()
    items = Item.objects.filter(ledger=ledger)
    reds = items.with_light_only("red", today).filter(state="in_progress").count()
    smalls = filter_items(
        items.with_light(today), {"unit": small, "deadline_before": date.fromisoformat(DEADLINE)}
    ).count()
    members = Membership.objects.restrict(leader, Action.VIEW).count()
    result = [
        {"key": "ledger-red", "label": f"Ledger items HTML, red + in progress (50 of {reds:,})",
         "user": supervisor, "url": f"/ledger/{ledger.pk}/?{red}"},
        {"key": "ledger-unit", "label": f"Ledger items HTML, unit + deadline ({smalls} items)",
         "user": supervisor,
         "url": f"/ledger/{ledger.pk}/?unit={small.pk}&deadline_before={DEADLINE}"},
        {"key": "api-red", "label": f"Ledger items JSON, red + in progress (50 of {reds:,})",
         "user": supervisor, "url": f"/api/ledger-items/?ledger={ledger.pk}&{red}"},
        {"key": "api-unit", "label": f"Ledger items JSON, unit + deadline ({smalls} items)",
         "user": supervisor,
         "url": f"/api/ledger-items/?ledger={ledger.pk}&unit={small.code}&deadline_before={DEADLINE}"},
        {"key": "meetings-mine", "label": "A member's meetings (组织生活 home)",
         "user": member, "url": "/meetings/"},
        {"key": "roster", "label": f"Roster page 1, a department's {members:,} members (leader)",
         "user": leader, "url": "/orgs/roster/"},
        {"key": "hours", "label": "A member's study-hours page", "user": member,
         "url": "/meetings/hours/"},
        # No organisational data: what any signed-in page costs before its own work (session,
        # user, roles, unread count, login policy, the page shell), to read the others against.
        {"key": "floor", "label": "Floor: the change-password page (supervisor)",
         "user": supervisor, "url": "/accounts/password/"},
    ]  # fmt: skip
    root = User.objects.filter(username="bench_root").first()  # made by bench/run.py
    if root is not None:
        branch = (
            PartyOrg.objects.filter(code__startswith="NAT-B", kind="branch")
            .order_by("path")
            .first()
        )
        result += [
            {"key": "meetings-branch", "label": "Meeting list of a branch (org admin)",
             "user": root, "url": f"/meetings/orgs/{branch.pk}/"},
            {"key": "roster-org", "label": "Roster page 1, subtree of the big office (org admin)",
             "user": root, "url": f"/orgs/roster/?org={big.pk}"},
        ]  # fmt: skip
    wanted = os.environ.get("BENCH_CPU_PAGES")
    if wanted:
        keys = wanted.split(",")
        result = [page for page in result if page["key"] in keys]
    return result


def sign_in(users) -> dict[int, str]:
    """A session per user, as the login view makes it (the bench's users cannot log in by
    password: the seed gives them none)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from mofan.access import services

    sessions = {}
    for user in users:
        if user.pk in sessions:
            continue
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "mofan.access.backends.UsernameOrPhoneBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        services.start_session_clock(session)
        session.create()
        sessions[user.pk] = session.session_key
    return sessions


def sign_out(sessions: dict[int, str]) -> None:
    from django.contrib.sessions.backends.db import SessionStore

    for key in sessions.values():
        SessionStore(session_key=key).delete()


# --- CPU readings -------------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)


def children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry))
    return found


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of the whole machine, to show how busy it was."""
    with open("/proc/stat") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


class Meter:
    """CPU ticks of the gunicorn processes and the bench's PostgreSQL backends over a window."""

    def __init__(self, master: int, conn, app_name: str):
        self.master, self.conn, self.app_name = master, conn, app_name

    def backends(self) -> list[int]:
        rows = self.conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [self.app_name]
        ).fetchall()
        return [pid for (pid,) in rows]

    def app_pids(self) -> list[int]:
        return [self.master, *children_of(self.master)]

    def measure(self, run):
        """Run `run()` and return its result with (app ticks, db ticks, backends seen, machine
        busy share)."""
        app_start = {pid: cpu_ticks(pid) or 0 for pid in self.app_pids()}
        db_start = {pid: cpu_ticks(pid) or 0 for pid in self.backends()}
        db_last = dict(db_start)
        busy_start = machine_ticks()
        stop = threading.Event()

        def sample():
            while not stop.wait(0.2):
                for pid in self.backends():
                    ticks = cpu_ticks(pid)
                    if ticks is not None:
                        db_last[pid] = max(ticks, db_last.get(pid, 0))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        try:
            result = run()
        finally:
            stop.set()
            sampler.join()
        for pid in self.backends():
            ticks = cpu_ticks(pid)
            if ticks is not None:
                db_last[pid] = max(ticks, db_last.get(pid, 0))
        app = sum((cpu_ticks(pid) or 0) - start for pid, start in app_start.items())
        db = sum(last - db_start.get(pid, 0) for pid, last in db_last.items())
        busy_end = machine_ticks()
        busy = (busy_end[0] - busy_start[0]) / max(1, busy_end[1] - busy_start[1])
        return result, app, db, len(db_last), busy


# --- the load (a process of its own) -------------------------------------------------------------


def load(spec_path: str) -> None:
    """Send spec["requests"] GETs of spec["url"] from spec["clients"] keep-alive connections;
    print the latency of each in ms, as JSON."""
    import http.client

    spec = json.loads(Path(spec_path).read_text())
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    left = [spec["requests"]]
    headers = {
        "Cookie": f"{spec['cookie_name']}={spec['session']}",
        "X-Forwarded-Proto": "https",  # as behind the TLS-terminating proxy of production
        "Accept": spec.get("accept", "text/html"),
    }

    class UnixConnection(http.client.HTTPConnection):
        def connect(self):
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(self.timeout)
            self.sock.connect(spec["address"])

    def client():
        if isinstance(spec["address"], str):
            connection = UnixConnection("127.0.0.1", timeout=60)
        else:
            connection = http.client.HTTPConnection("127.0.0.1", spec["address"], timeout=60)
        while True:
            with lock:
                if left[0] <= 0:
                    break
                left[0] -= 1
            began = time.perf_counter()
            connection.request("GET", spec["url"], headers=headers)
            response = connection.getresponse()
            response.read()
            took = (time.perf_counter() - began) * 1000
            with lock:
                latencies.append(took)
                if response.status != 200:
                    failures.append(f"{response.status} {response.getheader('Location', '')}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(spec["clients"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"{len(failures)} requests failed: {failures[:3]}")
    print(json.dumps(latencies))


def run_load(page: dict, requests: int, cookie_name: str, address: int | str) -> list[float]:
    """`address`: a port on loopback, or the path of a unix socket."""
    spec = Path(tempfile.mkdtemp()) / "load.json"
    spec.write_text(
        json.dumps(
            {
                "url": page["url"],
                "session": page["session"],
                "cookie_name": cookie_name,
                "address": address,
                "requests": requests,
                "clients": CLIENTS,
                "accept": "application/json" if page["url"].startswith("/api/") else "text/html",
            }
        )
    )
    out = subprocess.run(
        [sys.executable, __file__, "--load", str(spec)],
        capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    if out.returncode:
        raise RuntimeError(f"load of {page['url']} failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout)


# --- the server ---------------------------------------------------------------------------------


def start_gunicorn(
    root: Path, address: int | str, app_name: str, log_dir: Path
) -> subprocess.Popen:
    """gunicorn serving the checkout at `root` on a port of loopback or a unix socket."""
    env = environment(app_name) | {"MOFAN_LOG_DIR": str(log_dir)}
    env["PYTHONPATH"] = str(root)
    bin_dir = Path(sys.executable).parent
    bind = f"unix:{address}" if isinstance(address, str) else f"127.0.0.1:{address}"
    # Served as in production: hashed static files from collectstatic, as `mofan deploy` does.
    subprocess.run(
        [sys.executable, "-m", "mofan", "collectstatic", "--noinput", "-v0"],
        cwd=root, env=env, check=True, timeout=300,
    )  # fmt: skip
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-c", "python:mofan.gunicorn_conf", "mofan.wsgi",
         "--bind", bind, "--chdir", str(root)],
        cwd=root, env=env, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited; see {log_dir}/gunicorn-error.log")
        try:
            if isinstance(address, str):
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.connect(address)
            else:
                socket.create_connection(("127.0.0.1", address), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn did not start")


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * share))], 1)


def machine() -> str:
    with open("/proc/cpuinfo") as info:
        model = next(
            (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?"
        )
    return f"{os.cpu_count()}-core {model}"


def summary(page: dict, runs: list[dict]) -> dict:
    """The median round of a page (by total CPU), with the range of the totals."""
    median = sorted(runs, key=lambda r: r["app_ms"] + r["db_ms"])[len(runs) // 2]
    totals = [r["app_ms"] + r["db_ms"] for r in runs]
    return {
        "key": page["key"],
        "what": page["label"],
        "url": page["url"],
        "requests": REQUESTS,
        "rounds": len(runs),
        "app_cpu_ms": round(median["app_ms"], 1),
        "db_cpu_ms": round(median["db_ms"], 1),
        "total_cpu_ms": round(median["app_ms"] + median["db_ms"], 1),
        "total_range_ms": [round(min(totals), 1), round(max(totals), 1)],
        "app_over_db": round(median["app_ms"] / median["db_ms"], 1) if median["db_ms"] else None,
        "p50_ms": percentile(median["latencies"], 0.50),
        "p99_ms": percentile(median["latencies"], 0.99),
        "backends": median["backends"],
        "machine_busy": round(median["busy"], 2),
    }


def main() -> None:
    """The load bench. BENCH_CPU_COMPARE=<another checkout> serves that one too (on the next
    port) and measures every page on both in turn, so that both see the same machine."""
    parts = os.environ.get("BENCH_PARTS")
    if parts and "cpu" not in parts.split(","):
        return
    os.environ.update(environment())
    import django

    django.setup()
    import psycopg
    from django.conf import settings

    chosen = pages()
    sessions = sign_in(page["user"] for page in chosen)
    for page in chosen:
        page["session"] = sessions[page["user"].pk]
    checkouts = [("this", ROOT)]
    if os.environ.get("BENCH_CPU_COMPARE"):
        checkouts.append(("compared", Path(os.environ["BENCH_CPU_COMPARE"]).resolve()))
    servers = []
    rows = {(name, page["key"]): [] for name, _ in checkouts for page in chosen}
    cookie = settings.SESSION_COOKIE_NAME
    # One checkout: port BENCH_CPU_PORT on loopback. Two: a unix socket each, alike for both.
    sockets = Path(tempfile.mkdtemp(prefix="mofan-bench-cpu-"))
    try:
        for n, (name, root) in enumerate(checkouts):
            app_name = f"{APP_NAME}-{n}"
            address = PORT if len(checkouts) == 1 else str(sockets / f"{name}.sock")
            log_dir = Path(tempfile.mkdtemp(prefix="mofan-bench-cpu-"))
            process = start_gunicorn(root, address, app_name, log_dir)
            servers.append({"name": name, "address": address, "app": app_name, "process": process})
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            for server in servers:
                server["meter"] = Meter(server["process"].pid, conn, server["app"])
                for page in chosen:  # each worker's first requests build templates, connections
                    run_load(page, WARM_UP, cookie, server["address"])
            for round_ in range(ROUNDS):
                for page in chosen:
                    # Alternate which checkout goes first, so that neither always follows the other.
                    for server in servers[:: 1 if round_ % 2 == 0 else -1]:
                        address = server["address"]
                        run_load(page, WARM_UP // 2, cookie, address)
                        latencies, app, db, backends, busy = server["meter"].measure(
                            lambda page=page, a=address: run_load(page, REQUESTS, cookie, a)
                        )
                        rows[(server["name"], page["key"])].append(
                            {
                                "app_ms": app * TICK_MS / REQUESTS,
                                "db_ms": db * TICK_MS / REQUESTS,
                                "latencies": latencies,
                                "backends": backends,
                                "busy": busy,
                            }
                        )
    finally:
        for server in servers:
            os.killpg(server["process"].pid, signal.SIGTERM)
            server["process"].wait(timeout=30)
        sign_out(sessions)
    results = {
        name: [summary(page, rows[(name, page["key"])]) for page in chosen] for name, _ in checkouts
    }
    print(
        f"\nCPU per request, {machine()}, {date.today().isoformat()}: {REQUESTS} requests x "
        f"{ROUNDS} rounds per page from {CLIENTS} clients; median round (by total CPU)"
    )
    for name, root in checkouts:
        if len(checkouts) > 1:
            print(f"\n{name}: {root}")
        print(
            f"\n{'page':<58} {'app ms':>7} {'db ms':>6} {'total':>6} {'range':>11} {'app/db':>6}"
            f" {'p50':>6} {'p99':>6} {'busy':>5}"
        )
        for row in results[name]:
            low, high = row["total_range_ms"]
            print(
                f"{row['what']:<58} {row['app_cpu_ms']:>7} {row['db_cpu_ms']:>6} "
                f"{row['total_cpu_ms']:>6} {f'{low}-{high}':>11} {row['app_over_db'] or '':>6} "
                f"{row['p50_ms']:>6} {row['p99_ms']:>6} {row['machine_busy']:>5}"
            )
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "cpu.json").write_text(
        json.dumps(
            {
                "machine": machine(),
                "date": date.today().isoformat(),
                "requests": REQUESTS,
                "rounds": ROUNDS,
                "clients": CLIENTS,
                "results": results["this"],
                **({"compared": results["compared"]} if "compared" in results else {}),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


# --- where the CPU goes (in-process) -------------------------------------------------------------

# Each CPU sample is charged to the innermost frame of the stack that belongs to one of these
# layers (first match of the file's path); frames of the standard library and of helper modules
# (django/utils, django/conf, staticfiles storage) are charged to the layer that called them.
LAYERS = [
    ("queries: driver", ("/psycopg", "/django/db/backends/")),
    ("queries: ORM", ("/django/db/", "/treebeard/", "/querysets.py")),
    ("templates", ("/django/template/", "/templatetags/", "/django/contrib/humanize/")),
    (
        "serialisation",
        ("/rest_framework/serializers.py", "/rest_framework/fields.py",
         "/rest_framework/relations.py", "/rest_framework/renderers.py",
         "/rest_framework/utils/", "/drf_spectacular/"),
    ),
    ("forms, filters", ("/django/forms/", "/django_filters/", "/forms.py", "/widgets.py",
                        "/filters.py", "/pickers.py")),
    (
        "middleware",
        ("/django/middleware/", "/django/contrib/sessions/", "/django/contrib/auth/",
         "/django/contrib/messages/", "/csp/", "/whitenoise/", "/django_otp/", "/axes/",
         "/django_htmx/", "/middleware.py", "/mofan/audit/context.py"),
    ),
    ("URL reversing, routing", ("/django/urls/",)),
    ("page shell (context processor)", ("/context_processors.py",)),
    ("handler, DRF view", ("/django/core/handlers/", "/django/views/", "/django/http/",
                           "/rest_framework/", "/django/test/", "/django/dispatch/")),
    ("app code (views, models)", ("/mofan/",)),
]  # fmt: skip


class Sampler:
    """A CPU-time sampling profiler: SIGPROF every millisecond of the process's CPU time."""

    def __init__(self):
        self.counts: dict[str, int] = {}
        self._layer: dict[str, str | None] = {}

    def layer(self, filename: str) -> str | None:
        if filename not in self._layer:
            self._layer[filename] = next(
                (name for name, parts in LAYERS if any(p in filename for p in parts)), None
            )
        return self._layer[filename]

    def _sample(self, signum, frame):
        found = None
        while frame is not None and found is None:
            found = self.layer(frame.f_code.co_filename)
            frame = frame.f_back
        key = found or "other"
        self.counts[key] = self.counts.get(key, 0) + 1

    def __enter__(self):
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL)


def profile(top: int = 0) -> None:
    """Each page in-process (Django's test client, the same settings, DEBUG off): the CPU of this
    process and of its backend per request, and the process's CPU split into layers by sampling.
    With --top N, also the N functions of most own time under cProfile."""
    os.environ.update(environment(APP_NAME))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    chosen = pages()
    sessions = sign_in(page["user"] for page in chosen)
    runs = int(os.environ.get("BENCH_CPU_PROFILE_REQUESTS", "50"))
    report = []
    try:
        for page in chosen:
            client = Client(HTTP_X_FORWARDED_PROTO="https")
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page["user"].pk]

            def get(page=page, client=client):
                response = client.get(page["url"])
                assert response.status_code == 200, (page["url"], response.status_code)

            for _ in range(10):
                get()
            backend = connection.cursor().connection.info.backend_pid
            cpu, db = time.process_time(), cpu_ticks(backend)
            for _ in range(runs):
                get()
            app_ms = (time.process_time() - cpu) * 1000 / runs
            db_ms = (cpu_ticks(backend) - db) * TICK_MS / runs
            with Sampler() as sampler:
                for _ in range(runs):
                    get()
            samples = sum(sampler.counts.values())
            layers = {
                name: round(app_ms * n / samples, 1)
                for name, n in sorted(sampler.counts.items(), key=lambda kv: -kv[1])
            }
            report.append(
                {"key": page["key"], "what": page["label"], "app_cpu_ms": round(app_ms, 1),
                 "db_cpu_ms": round(db_ms, 1), "layers_ms": layers}
            )  # fmt: skip
            print(f"\n{page['label']}  ({page['url']})")
            print(f"  app CPU {app_ms:.1f} ms/request, its backend {db_ms:.1f} ms/request")
            for name, ms in layers.items():
                print(f"  {name:<32} {ms:>6.1f} ms")
            if top:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(runs):
                    get()
                profiler.disable()
                pstats.Stats(profiler).sort_stats("tottime").print_stats(top)
    finally:
        sign_out(sessions)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "cpu-profile.json").write_text(
        json.dumps(
            {"machine": machine(), "date": date.today().isoformat(), "pages": report},
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    if "--load" in sys.argv:
        load(sys.argv[sys.argv.index("--load") + 1])
    elif "--profile" in sys.argv:
        profile(int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 0)
    else:
        main()
