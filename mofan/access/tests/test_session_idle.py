"""The idle limit (30 minutes without a request) is exact, and reading pages writes nothing: the
session row is rewritten at most once a minute, the exact time of the last request kept in the
cache."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db
PASSWORD = "Test@Pass2026"
START = "2026-12-01 09:00:00+08:00"
PAGES = ["/", reverse("orgs:roster"), reverse("ledger:mine"), reverse("orgs:tree")]


def _signed_in(username="alice") -> Client:
    client = Client()
    answer = client.post(reverse("access:login"), {"username": username, "password": PASSWORD})
    assert answer.status_code == 302, answer.content.decode()[:300]
    return client


def _writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def _ended(answer) -> bool:
    return answer.status_code == 302 and answer["Location"].startswith(reverse("access:login"))


def test_the_idle_limit_is_thirty_minutes():
    assert settings.SESSION_IDLE_SECONDS == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    # The row outlives the idle limit by more than the minute between its rewrites.
    assert settings.SESSION_COOKIE_AGE > settings.SESSION_IDLE_SECONDS + 60


def test_a_request_at_29_minutes_keeps_the_session_and_31_minutes_idle_ends_it(world):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in()
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("orgs:roster")).status_code == 200
        clock.shift(timedelta(minutes=29))  # 58 minutes after sign-in, 29 after the last request
        assert client.get(reverse("orgs:roster")).status_code == 200
        clock.shift(timedelta(minutes=31))
        answer = client.get(reverse("orgs:roster"))
        assert _ended(answer)
        shown = client.get(answer["Location"]).content.decode()
        assert "长时间未操作，会话已结束" in shown
        # Ended for good: the old cookie does not come back to life.
        assert _ended(client.get(reverse("orgs:roster")))


def test_the_limit_counts_from_the_last_request_to_the_second_not_the_last_write(world):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in()
        clock.shift(timedelta(seconds=50))  # too soon to rewrite the row: the cache keeps 09:00:50
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("orgs:roster")).status_code == 200
        assert _writes(queries.captured_queries) == []
        clock.shift(timedelta(minutes=29, seconds=59))  # 30:49 after sign-in, 29:59 idle
        assert client.get(reverse("orgs:roster")).status_code == 200
        clock.shift(timedelta(minutes=30, seconds=1))
        assert _ended(client.get(reverse("orgs:roster")))


def test_without_the_cache_the_session_ends_at_most_a_minute_early(world):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in()
        clock.shift(timedelta(seconds=50))
        assert client.get(reverse("orgs:roster")).status_code == 200
        cache.clear()  # e.g. Redis restarted: only the row's stamp (09:00:00) is left
        clock.shift(timedelta(minutes=29))  # 29:50 after the stamp: still in
        assert client.get(reverse("orgs:roster")).status_code == 200
        cache.clear()
        clock.shift(timedelta(minutes=30, seconds=5))
        assert _ended(client.get(reverse("orgs:roster")))


def test_reading_pages_writes_nothing_and_the_row_is_rewritten_once_a_minute(world):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in()
        key = client.session.session_key
        before = Session.objects.get(session_key=key).expire_date
        for step in range(3):
            clock.shift(timedelta(seconds=15))
            for path in PAGES:
                with CaptureQueriesContext(connection) as queries:
                    assert client.get(path).status_code == 200, (step, path)
                assert _writes(queries.captured_queries) == [], path
        assert Session.objects.get(session_key=key).expire_date == before
        clock.shift(timedelta(seconds=20))  # 65 s after the sign-in wrote the row
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGES[0]).status_code == 200
        writes = _writes(queries.captured_queries)
        assert len(writes) == 1 and "django_session" in writes[0]
        assert Session.objects.get(session_key=key).expire_date == before + timedelta(seconds=65)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PAGES[1]).status_code == 200
        assert _writes(queries.captured_queries) == []


def test_an_idle_api_session_gets_401_in_chinese(world):
    with time_machine.travel(START, tick=False) as clock:
        client = _signed_in()
        assert client.get("/api/memberships/").status_code == 200
        clock.shift(timedelta(minutes=31))
        answer = client.get("/api/memberships/")
    assert answer.status_code == 401
    assert "长时间未操作" in answer.json()["detail"]
