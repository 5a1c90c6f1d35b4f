"""The gram index finds exactly what LIKE finds (core/textsearch.py): on PostgreSQL the query goes
through `mofan_bigrams` and the GIN index, elsewhere through LIKE alone; the rows are the same."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mofan.core import textsearch
from mofan.meetings.models import Meeting

pytestmark = pytest.mark.django_db

# Characters that make the cases: Chinese, Latin in both cases, digits, punctuation, "_" and "%"
# (LIKE's wildcards), full-width forms and spaces.
ALPHABET = "党建专项学习王年月日会议aAbB12_%、，。 （）Ｘ-./"
WHEN = datetime(2026, 11, 5, 9, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def titled(world):
    def make(titles):
        Meeting.objects.all().delete()
        Meeting.objects.bulk_create(
            Meeting(
                org=world.branch_a,
                kind="theme_day",
                title=title,
                starts_at=WHEN,
                ends_at=WHEN.replace(hour=11),
                month_index=2026 * 12 + 10,
                created_by=world.alice,
            )  # fmt: skip
            for title in titles
        )
        return {m.pk: m.title for m in Meeting.objects.all()}

    return make


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    titles=st.lists(st.text(ALPHABET, min_size=0, max_size=12), min_size=1, max_size=12),
    word=st.text(ALPHABET, min_size=1, max_size=4),
)
def test_the_same_rows_as_like(titled, titles, word):
    stored = titled(titles)
    found = set(
        textsearch.containing(Meeting.objects.all(), "title", word).values_list("pk", flat=True)
    )
    # LIKE alone is the reference: case-sensitive on PostgreSQL, not for ASCII on SQLite.
    like = set(Meeting.objects.filter(title__contains=word).values_list("pk", flat=True))
    assert found == like
    if connection.vendor == "postgresql":
        assert found == {pk for pk, title in stored.items() if word in title}


@pytest.mark.parametrize(
    ("word", "grams"),
    [
        ("党建", True),
        ("王", True),
        ("2026年", True),
        ("a_b", False),
        ("党建、", False),
        ("x y", False),
    ],
)
def test_words_go_through_the_index_on_postgresql(titled, word, grams):
    titled(["2026年党建工作会议", "王"])
    sql = str(textsearch.containing(Meeting.objects.all(), "title", word).query)
    assert ("mofan_bigrams" in sql) == (grams and connection.vendor == "postgresql")


def test_the_index_is_there_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the gram index is PostgreSQL's; SQLite searches with LIKE")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE indexname IN "
            "('item_content_grams', 'meeting_title_grams') ORDER BY 1"
        )
        assert [row[0] for row in cursor.fetchall()] == [
            "item_content_grams",
            "meeting_title_grams",
        ]
