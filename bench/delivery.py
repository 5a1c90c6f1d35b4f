"""E-mails per notice under two Celery workers and two concurrent runs of each reminder command
(issue 9: it was 27 of 27 meeting reminders twice). Must print 1.00.

    make bench                          # runs this after the page benchmarks
    python bench/delivery.py            # alone
    BENCH_REDIS_URL=redis://127.0.0.1:6379/13 BENCH_DELIVERY_DATABASE_URL=postgres://…/x python bench/delivery.py

A fresh PostgreSQL database (default mofan_bench_delivery, dropped and created) gets the small
demo data and a ledger of 300 overdue items whose owners, supervisors and leaders all have an
e-mail address. Then two real workers (`celery -A mofan.celery worker`, Redis from BENCH_REDIS_URL
or REDIS_URL) run, and on each of three days two `mofan ledger-reminders` and two
`mofan meeting-reminders` processes start at the same moment. Every notice created queues the
delivery task for the workers while each command also sends the queue itself at its end: the
race of the report. Without a mail server the messages are written to files (var/mail); each
carries its notice's Message-ID, so the files tell how often each notice went out.
Writes bench/results/delivery.json.
"""

import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get(
    "BENCH_DELIVERY_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mofan_bench_delivery"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL") or os.environ.get(
    "REDIS_URL", "redis://127.0.0.1:6379/0"
)
DAYS = [date(2026, 12, 17), date(2026, 12, 24), date(2026, 12, 30)]
ITEMS = 300
WORKERS = 2
RUNS_EACH = 2
MESSAGE_ID = re.compile(rb"^Message-ID: <notice-(\d+)@", re.MULTILINE)
WORKER_SENT = re.compile(r"'email': \{'sent': (\d+)")  # in each task's result line


def environment(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MOFAN_EMAIL")}
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        MOFAN_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="mofan.settings",
    )
    env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghij")
    env.setdefault("MOFAN_FIELD_KEY", "00112233445566778899aabbccddeeff")
    env.setdefault(
        "MOFAN_HASH_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
    )
    env.setdefault(
        "MOFAN_AUDIT_KEY", "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
    )
    return env


def fresh_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed() -> int:
    """The small demo, and a ledger of overdue items; returns how many users have an address."""
    from django.core.management import call_command
    from django.db.models import Value
    from django.db.models.functions import Concat

    from mofan.access.models import User
    from mofan.ledger import services as ledger
    from mofan.ledger.choices import LedgerKind
    from mofan.notify.models import Notification
    from mofan.orgs.models import Person, Unit

    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale="small", quiet=True, stdout=open(os.devnull, "w"))
    supervisor = User.objects.get(username="duban")
    owners = list(Person.objects.filter(user__isnull=False, user__is_active=True).order_by("pk"))
    units = list(Unit.objects.filter(depth__gt=1).order_by("path"))
    book = ledger.create_ledger(
        actor=supervisor,
        name="投递测速台账",
        kind=LedgerKind.GENERAL,
        year=2026,
        unit=Unit.objects.get(depth=1),
    )
    for n in range(ITEMS):
        item = ledger.add_item(
            book,
            actor=supervisor,
            content=f"投递测速事项{n + 1}",
            lead_unit=units[n % len(units)],
            deadline=date(2026, 12, 1),
            owners=[owners[n % len(owners)], owners[(n + 3) % len(owners)]],
        )
        ledger.transition(item, "assign", actor=supervisor)
    # Addresses only now: the notices of the set-up are not part of the count.
    Notification.objects.update(email_state="skipped")
    return User.objects.filter(is_active=True).update(
        email=Concat("username", Value("@bench.example"))
    )


def start_workers(env: dict, var_dir: Path) -> list[subprocess.Popen]:
    workers = []
    for n in range(1, WORKERS + 1):
        log = open(var_dir / f"worker{n}.log", "w")
        workers.append(
            subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "mofan.celery",
                    "worker",
                    "--pool=solo",
                    f"--hostname=bench-delivery-{n}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=INFO",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
    from mofan.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(app.control.ping(timeout=1.0) or []) >= WORKERS:
            return workers
    stop(workers)
    raise SystemExit(f"the {WORKERS} Celery workers did not answer within a minute ({var_dir})")


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)  # warm shutdown: the task at hand is finished
    for process in processes:
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def race(env: dict, day: date) -> float:
    """Two runs of each reminder command at once; seconds until all four have finished."""
    mofan = str(BIN / "mofan")
    commands = ["ledger-reminders", "meeting-reminders"] * RUNS_EACH
    began = time.perf_counter()
    runs = [
        subprocess.Popen(
            [mofan, name, "--date", day.isoformat()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in commands
    ]
    for name, run in zip(commands, runs, strict=True):
        out, err = run.communicate(timeout=600)
        if run.returncode:
            raise SystemExit(f"mofan {name} failed:\n{err.decode()}")
        print(f"  {name}: {out.decode().strip()}")
    return time.perf_counter() - began


def drained(timeout: float = 300) -> None:
    """Until no e-mail is waiting or being sent (the workers finish their queued tasks)."""
    from mofan.notify.models import Notification

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not Notification.objects.filter(email_state__in=["pending", "sending"]).exists():
            return
        time.sleep(0.5)
    raise SystemExit("e-mails still waiting after five minutes: are the workers running?")


def main() -> None:
    var_dir = Path(tempfile.mkdtemp(prefix="mofan-bench-delivery-"))
    env = environment(var_dir)
    os.environ.update(env)
    print(f"E-mail delivery race: database {DATABASE_URL}, Redis {REDIS_URL}, files in {var_dir}")
    fresh_database()
    import django

    django.setup()
    from mofan.celery import app
    from mofan.notify.models import Notification

    addressed = seed()
    app.control.purge()  # set-up's queued deliveries: nothing of theirs is counted
    print(f"  {addressed} users with an address, {ITEMS} overdue items")
    workers = start_workers(env, var_dir)
    try:
        seconds = []
        for day in DAYS:
            print(f"{day}: {WORKERS} workers, {RUNS_EACH} runs each of the two reminder commands")
            seconds.append(race(env, day))
            drained()
    finally:
        stop(workers)
    django.db.connections.close_all()

    sent = Counter()
    for path in (var_dir / "mail").glob("*.log"):
        sent.update(int(pk) for pk in MESSAGE_ID.findall(path.read_bytes()))
    due = set(
        Notification.objects.filter(user__email__gt="")
        .exclude(email_state="skipped")
        .values_list("pk", flat=True)
    )
    failed = Notification.objects.filter(email_state="failed").count()
    by_workers = sum(
        int(n)
        for path in var_dir.glob("worker*.log")
        for n in WORKER_SENT.findall(path.read_text(errors="replace"))
    )
    per_notice = sum(sent.values()) / len(due) if due else 0.0
    result = {
        "what": "E-mails per notice, 2 Celery workers + 2 concurrent runs of each reminder command",
        "notices": len(due),
        "emails": sum(sent.values()),
        "emails_per_notice": round(per_notice, 2),
        "notices_sent_twice_or_more": sum(1 for n in sent.values() if n > 1),
        "notices_not_sent": len(due - set(sent)),
        "failed": failed,
        "emails_sent_by_workers": by_workers,
        "command_seconds": [round(s, 1) for s in seconds],
        "date": date.today().isoformat(),
    }
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "delivery.json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(
        f"{result['notices']} notices, {result['emails']} e-mails: "
        f"e-mails per notice {per_notice:.2f} (must be 1.00); "
        f"{result['notices_sent_twice_or_more']} sent more than once, "
        f"{result['notices_not_sent']} not sent, {failed} failed; "
        f"{by_workers} sent by the workers, the rest by the commands"
    )
    if result["notices_sent_twice_or_more"] or result["notices_not_sent"] or not due:
        raise SystemExit(1)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
