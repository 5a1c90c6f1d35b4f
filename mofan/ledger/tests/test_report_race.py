"""Two owners send the first progress report on a 签收 item at the same moment (PostgreSQL,
threads): both reports are kept and the item is started once — it lost one of them with a 409 in
9 of 10 rounds before the automatic start was made idempotent."""

import threading

import pytest
from django.db import connection

from mofan.ledger import services
from mofan.ledger.choices import EventKind, ItemState
from mofan.ledger.models import Item, ItemEvent, ProgressReport

ROUNDS = 10


@pytest.fixture
def two_owners(race_db, ledger_world):
    return ledger_world


def _accepted_item(w, n: int) -> Item:
    item = services.add_item(
        w.ledger,
        actor=w.sam,
        content=f"并发报送{n}",
        lead_unit=w.unit_a,
        deadline=w.item.deadline,
        owners=[w.amy_p, w.alice_p],
    )
    services.transition(item, "assign", actor=w.sam)
    services.transition(item, "accept", actor=w.amy)
    return item


def _report_together(item_pk: int, owners, round_no: int) -> list:
    start = threading.Barrier(len(owners))
    outcomes: list = []

    def report(user):
        try:
            item = Item.objects.get(pk=item_pk)  # each request reads the item on its own
            start.wait()
            outcomes.append(
                services.submit_report(
                    item,
                    actor=user,
                    text=f"{user.username}的进展",
                    percent=10,
                    submission_key=f"race-{round_no}-{user.pk}",
                )[1]
            )
        except Exception as exc:  # the failure the test is about: kept, not lost in the thread
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=report, args=(user,)) for user in owners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_first_reports_at_once_are_both_kept_and_start_the_item_once(two_owners):
    w = two_owners
    kept = 0
    for n in range(ROUNDS):
        item = _accepted_item(w, n)
        outcomes = _report_together(item.pk, [w.amy, w.alice], n)
        assert outcomes == [True, True], outcomes
        item.refresh_from_db()
        assert item.state == ItemState.IN_PROGRESS
        assert ProgressReport.objects.filter(item=item).count() == 2
        starts = ItemEvent.objects.filter(
            item=item, kind=EventKind.TRANSITION, to_state=ItemState.IN_PROGRESS
        )
        assert starts.count() == 1
        kept += 1
    assert kept == ROUNDS
