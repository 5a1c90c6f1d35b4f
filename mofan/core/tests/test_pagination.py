"""FirstPageFirst: the first page is read before it is counted, and counted only when it is full."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mofan.core.views_base import FirstPageFirst
from mofan.orgs.models import Unit

pytestmark = pytest.mark.django_db


def read(paginator, number):
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.get_page(number)
        rows = list(page.object_list)
        figures = (page.paginator.count, page.paginator.num_pages, page.has_next())
    sql = [q["sql"] for q in ctx.captured_queries]
    return rows, figures, sql


def test_a_first_page_that_holds_everything_is_not_counted(world):
    units = Unit.objects.order_by("pk")
    total = units.count()
    assert total >= 3
    rows, figures, sql = read(FirstPageFirst(units, total), None)
    assert [u.pk for u in rows] == list(units.values_list("pk", flat=True))
    assert figures == (total, 1, False)
    assert len(sql) == 1 and "COUNT" not in sql[0].upper()


def test_a_full_first_page_is_counted_and_its_rows_read_once(world):
    units = Unit.objects.order_by("pk")
    total = units.count()
    rows, figures, sql = read(FirstPageFirst(units, 2), "1")
    assert [u.pk for u in rows] == list(units.values_list("pk", flat=True)[:2])
    assert figures == (total, -(-total // 2), True)
    assert len(sql) == 2 and sum("COUNT" in q.upper() for q in sql) == 1


def test_later_pages_and_bad_numbers_are_paginators_own(world):
    units = Unit.objects.order_by("pk")
    total = units.count()
    rows, figures, _ = read(FirstPageFirst(units, 2), "2")
    assert [u.pk for u in rows] == list(units.values_list("pk", flat=True)[2:4])
    last, _, _ = read(FirstPageFirst(units, 2), "999")  # out of range: the last page
    assert last[-1].pk == units.last().pk
    first, figures, _ = read(FirstPageFirst(units, 2), "abc")
    assert first[0].pk == units.first().pk and figures[0] == total
    empty, figures, _ = read(FirstPageFirst(Unit.objects.none(), 2), None)
    assert empty == [] and figures == (0, 1, False)


def test_the_api_counts_a_short_list_by_its_rows_and_a_long_one_by_count(world, login, monkeypatch):
    from mofan.core.api import Pages

    client = login(world.carol)
    with CaptureQueriesContext(connection) as ctx:
        few = client.get("/api/party-orgs/").json()
    assert few["count"] == len(few["results"]) >= 3 and few["next"] is None
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
    monkeypatch.setattr(Pages, "page_size", 2)
    with CaptureQueriesContext(connection) as ctx:
        paged = client.get("/api/party-orgs/").json()
    assert paged["count"] == few["count"] and len(paged["results"]) == 2
    assert paged["next"].endswith("?page=2")
    assert [r["id"] for r in paged["results"]] == [r["id"] for r in few["results"][:2]]
    assert sum("COUNT(" in q["sql"].upper() for q in ctx.captured_queries) == 1
