"""述职评议 ballots at the same moment (PostgreSQL, threads): one slip sent from several phones at
once counts once; many slips at once each count once, also while the organiser closes the vote —
every ballot is either counted before the close or refused after it, never half-counted."""

import threading

import pytest
from django.db import connection

ROUNDS = 5


@pytest.fixture
def race(race_db, debrief_world):
    from mofan.assessment import debriefs

    w = debrief_world
    w.debrief = debriefs.change(w.debrief, actor=w.carol, version=w.debrief.version,
                                title=w.debrief.title, held_on=w.debrief.held_on, voters=40)  # fmt: skip
    w.codes = debriefs.slip_codes(w.debrief)
    w.debrief = debriefs.open_vote(w.debrief, actor=w.carol)
    return w


def _together(calls) -> list:
    start = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(n, call):
        try:
            start.wait()
            outcomes[n] = call()
        except Exception as exc:  # kept, so the test can say what happened in the thread
            outcomes[n] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _total(w) -> int:
    w.da.refresh_from_db()
    return sum(getattr(w.da, m) for m in ("good", "fair_good", "fair", "poor", "unknown"))


def test_one_slip_sent_from_several_phones_at_once_counts_once(race):
    from mofan.assessment import debriefs

    w = race
    marks = {w.da.pk: "good", w.db.pk: "good"}
    for n in range(ROUNDS):
        outcomes = _together([lambda c=w.codes[n]: debriefs.cast(c, marks)] * 6)
        assert outcomes.count(None) == 1, outcomes
        assert all(isinstance(o, debriefs.BallotRefused) for o in outcomes if o is not None)
    assert _total(w) == ROUNDS and debriefs.cast_count(w.debrief) == ROUNDS


def test_ballots_racing_the_close_are_counted_before_it_or_refused_after_it(race):
    from mofan.assessment import debriefs

    w = race
    marks = {w.da.pk: "fair_good", w.db.pk: "poor"}
    calls = [lambda c=code: debriefs.cast(c, marks) for code in w.codes[:30]]
    calls.insert(15, lambda: debriefs.close_vote(w.debrief, actor=w.carol))
    outcomes = _together(calls)
    closing = outcomes.pop(15)
    assert not isinstance(closing, Exception), closing
    counted = outcomes.count(None)
    assert all(isinstance(o, debriefs.BallotRefused) for o in outcomes if o is not None)
    assert _total(w) == counted == debriefs.cast_count(w.debrief)
    w.db.refresh_from_db()
    assert w.db.poor == counted
