"""The race that sent e-mails twice: two delivery workers and two runs each of the daily
reminder commands at the same time, on PostgreSQL, several rounds. Every notice of a user with
an address goes out exactly once (counted by its Message-ID in the locmem outbox)."""

import threading
from collections import Counter
from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from mofan.ledger import services as ledger
from mofan.ledger.choices import LedgerKind
from mofan.notify import jobs
from mofan.notify.models import DeliveryState, Notification

# (the day, what is due that day) — Dec 17, 24 and 30 are 10, 5 and 1 working days before the
# end of the year, when secretaries are reminded; every day the overdue items remind owners.
ROUNDS = [date(2026, 12, 17), date(2026, 12, 18), date(2026, 12, 24), date(2026, 12, 30)]


@pytest.fixture
def busy_world(race_db, world):
    for n, user in enumerate((world.alice, world.amy, world.bob, world.carol, world.sam)):
        user.email = f"user{n}@dangjian.example"
        user.save()
    book = ledger.create_ledger(
        actor=world.sam, name="并发台账", kind=LedgerKind.GENERAL, year=2026, unit=world.unit_root
    )
    for n in range(12):
        item = ledger.add_item(
            book,
            actor=world.sam,
            content=f"事项{n}",
            lead_unit=world.unit_a,
            deadline=date(2026, 12, 1),
            owners=[world.amy_p, world.alice_p] if n % 2 else [world.bob_p],
        )
        ledger.transition(item, "assign", actor=world.sam)
    return world


def _in_thread(target, errors):
    def run():
        try:
            target()
        except BaseException as exc:  # reported by the test, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    return threading.Thread(target=run)


def _race(day: date) -> None:
    """Two delivery workers polling, two runs of each reminder command, all started at once."""
    start = threading.Barrier(6)
    stop = threading.Event()
    errors: list[BaseException] = []

    def worker():
        start.wait()
        while not stop.is_set():
            jobs.deliver()  # what `celery worker` runs for the queued and the periodic task
        jobs.deliver()

    def command(name):
        start.wait()
        call_command(name, "--date", day.isoformat(), verbosity=0)

    workers = [_in_thread(worker, errors) for _ in range(2)]
    commands = [
        _in_thread(lambda name=name: command(name), errors)
        for name in (
            "ledger_reminders",
            "ledger_reminders",
            "meeting_reminders",
            "meeting_reminders",
        )
    ]
    for thread in workers + commands:
        thread.start()
    for thread in commands:
        thread.join(timeout=120)
    stop.set()
    for thread in workers:
        thread.join(timeout=120)
    assert not errors, errors


def test_two_workers_and_two_reminder_runs_send_each_notice_once(busy_world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for day in ROUNDS:
        _race(day)
        sent = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
        due = Notification.objects.filter(user__email__gt="")
        assert set(due.values_list("email_state", flat=True)) == {DeliveryState.SENT}
        assert sorted(sent) == sorted(
            f"<notice-{pk}@127.0.0.1>" for pk in due.values_list("pk", flat=True)
        )
        assert set(sent.values()) == {1}, [key for key, n in sent.items() if n > 1]
    kinds = Counter(Notification.objects.values_list("kind", flat=True))
    assert kinds["ledger.overdue"] >= 4 * 18 and kinds["meeting_gap"] > 0, kinds
