"""Audited writes per second at 1 and at 50 concurrent clients (called by bench/run.py).

Each client is a thread with its own database connection that repeats one business transaction:
append an audit record, update a row of its own, and spend 5 ms on other work (pg_sleep) before
committing, as a service function does. The records are chained after each commit. The same load
runs a second time with one lock every audited transaction takes until it commits, which is what
the chain head row did before the keyed chain (the figure to compare with).
"""

import statistics
import threading
import time

SECONDS = 8.0
WORK_MS = 5


def _client(stop: threading.Event, latencies: list[float], serialise: bool, index: int) -> None:
    from django.db import connection, transaction

    from mofan.audit import services

    try:
        while not stop.is_set():
            started = time.perf_counter()
            with transaction.atomic():
                if serialise:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_xact_lock(7411020099)")
                services.record(None, "bench.audited_write", payload={"client": index})
                with connection.cursor() as cursor:
                    cursor.execute(
                        "UPDATE access_user SET display_name = display_name WHERE id = %s", [index]
                    )
                    cursor.execute("SELECT pg_sleep(%s)", [WORK_MS / 1000])
            latencies.append(time.perf_counter() - started)
    finally:
        connection.close()


def _run(clients: int, serialise: bool, *, wait: bool = True) -> dict:
    from mofan.audit.models import AuditLink, PendingLink

    stop = threading.Event()
    per_client: list[list[float]] = [[] for _ in range(clients)]
    threads = [
        threading.Thread(target=_client, args=(stop, per_client[i], serialise, i + 1))
        for i in range(clients)
    ]
    links_before = AuditLink.objects.count()
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join()
    latencies = sorted(x for lat in per_client for x in lat)
    waited = time.perf_counter()
    while wait and PendingLink.objects.exists() and time.perf_counter() - waited < 30:
        time.sleep(0.05)
    return {
        "clients": clients,
        "writes_per_s": round(len(latencies) / SECONDS, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 1),
        "chained": AuditLink.objects.count() - links_before,
        "written": len(latencies),
        "pending_after": PendingLink.objects.count(),
    }


def audit_benchmarks() -> list[dict]:
    from django.db import connection

    from mofan.audit import services

    if connection.vendor != "postgresql":
        return []
    services.link_pending()
    rows = []
    for serialise in (False, True):
        for clients in (1, 50):
            result = _run(clients, serialise)
            result["design"] = (
                "one lock per write (before)" if serialise else "keyed chain, chained in-process"
            )
            rows.append(result)
    # Production: the request only queues the chaining; the worker chains what is pending.
    inline = services._link_after_commit
    services._link_after_commit = lambda: None
    try:
        for clients in (1, 50):
            result = _run(clients, False, wait=False)
            started = time.perf_counter()
            chained = services.link_pending()
            result["design"] = "keyed chain, chained by the worker"
            result["worker_s"] = round(time.perf_counter() - started, 2)
            result["chained"] = chained
            rows.append(result)
    finally:
        services._link_after_commit = inline
    started = time.perf_counter()
    verified = services.verify(write_checkpoint=False)
    rows.append(
        {
            "design": "verify",
            "records": verified.checked,
            "ok": verified.ok,
            "seconds": round(time.perf_counter() - started, 2),
        }
    )
    return rows
