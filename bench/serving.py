"""Serve the bench database with gunicorn as production does (hashed static files from
collectstatic, gthread workers, behind the TLS proxy's headers), for the loads that go over real
HTTP from a second process (QR sign-in, 述职评议 ballots)."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORKERS, THREADS = (int(n) for n in os.environ.get("BENCH_GUNICORN", "4x4").split("x"))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


@contextmanager
def gunicorn():
    """Yields the port gunicorn listens on (127.0.0.1); stops it afterwards."""
    port = free_port()
    env = os.environ | {"ALLOWED_HOSTS": "127.0.0.1", "MOFAN_DEBUG": "0"}
    subprocess.run(
        [str(Path(sys.executable).parent / "mofan"), "collectstatic", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, timeout=300,
    )  # fmt: skip
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "mofan.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--threads", str(THREADS), "--worker-class", "gthread",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_for(port)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def percentiles(samples: list[float]) -> dict:
    samples = sorted(samples)

    def at(share):
        return round(samples[min(len(samples) - 1, int(len(samples) * share))], 1)

    return {"p50": at(0.5), "p95": at(0.95), "p99": at(0.99), "max": round(samples[-1], 1)}
