import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_member
from mofan.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("orgs:roster", {}),
        ("orgs:roster", {"org": "ORG", "status": "normal", "sort": "stroke"}),
        ("orgs:people", {"q": "z"}),
        ("orgs:tree", {}),
    ],
)
def test_list_pages_take_the_same_number_of_queries_for_2_and_50_rows(world, login, url, params):
    client = login(world.carol)
    params = {k: (world.organ.pk if v == "ORG" else v) for k, v in params.items()}
    few = _queries(client, reverse(url), params)
    for i in range(48):
        make_member(f"张{i}", world.unit_a, world.branch_a)
    many = _queries(client, reverse(url), params)
    # A list longer than a page is counted once (FirstPageFirst); a shorter one is not.
    assert many - few in (0, 1)
    for i in range(30):
        make_member(f"王{i}", world.unit_a, world.branch_a)
    assert _queries(client, reverse(url), params) == many


def test_api_list_query_count_is_constant(world, login):
    client = login(world.carol)
    few = _queries(client, "/api/memberships/")
    for i in range(30):
        make_member(f"李{i}", world.unit_b, world.branch_b)
    assert _queries(client, "/api/memberships/") == few


def test_search_by_initials_and_pinyin_finds_chinese_names(world, login):
    client = login(world.carol)
    for query in ("zs", "zhangs", "张三", "ZS"):
        names = {
            r["person"]["name"]
            for r in client.get("/api/memberships/", {"q": query}).json()["results"]
        }
        assert names == {"张三"}, query


def test_roster_filters_by_subtree_status_kind_and_join_dates(world, login):
    client = login(world.carol)

    def names(**params):
        return {
            r["person"]["name"] for r in client.get("/api/memberships/", params).json()["results"]
        }

    assert names(org=world.branch_a.pk) == {"张三", "李四"}
    assert names(org=world.organ.pk, kind="probationary") == {"吴九"}
    assert names(joined_after="2011-01-01") == set()
    assert len(names(joined_before="2011-01-01", status="normal")) == 6


def test_roster_can_be_ordered_by_surname_strokes(world, login):
    client = login(world.carol)
    page = client.get(reverse("orgs:roster"), {"sort": "stroke"}).content.decode()
    page = page[page.index('data-testid="roster-table"') :]
    # 王(4) 孙(6) 吴(7, 丨) 李(7, 一) … stroke order: 王 孙 李 吴 张 赵
    positions = [page.index(name) for name in ("王五", "孙七", "李四", "吴九", "张三", "赵六")]
    assert positions == sorted(positions)


def test_export_contains_the_filtered_rows_neutralises_formulas_and_is_audited(world, login):
    make_member('=HYPERLINK("http://x")', world.unit_a, world.branch_a)
    client = login(world.carol)
    response = client.get(reverse("orgs:roster_export"), {"org": world.branch_a.pk})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    values = [row[1] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert set(values) == {"张三", "李四", '\'=HYPERLINK("http://x")'}
    assert all(
        not str(cell.value).startswith("=")
        for row in sheet.iter_rows()
        for cell in row
        if cell.value
    )
    assert sheet.cell(row=3, column=6).value.startswith("110***")
    assert AuditEvent.objects.filter(
        action="orgs.roster.exported", actor_id=world.carol.pk
    ).exists()


def test_export_never_contains_rows_outside_scope(world, login):
    client = login(world.alice)
    response = client.get(reverse("orgs:roster_export"), {"org": world.branch_b.pk})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert names == {"张三", "李四"}
