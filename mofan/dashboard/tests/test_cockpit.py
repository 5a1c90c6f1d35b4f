"""领导驾驶舱: the daily job counts the day into the month's rows (again the same day: the same
rows), the page sums the rows within the reader's scope, shows when they were counted, draws the
trend from the earlier months' rows, and leads down to the records; constant queries."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from mofan.assessment.tests.conftest import assess_world, running  # noqa: F401, F811 (fixtures)
from mofan.dashboard import cockpit
from mofan.dashboard.models import Snapshot

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 3, 45, tzinfo=TZ)


@pytest.fixture
def counted(site_world, time_machine):
    """The site world on 2026年12月3日: the item led by 办公厅 is overdue (its deadline moved to
    12月1日), the rectification ledger of 测试部 has one finding open, and so has 办公厅's (made
    from the 专项巡察's feedback); counted once."""
    from conftest import make_member, make_user
    from mofan.access.roles import Role
    from mofan.ledger.models import Item

    time_machine.move_to(NOW, tick=False)
    w = site_world
    Item.objects.filter(pk=w.item.pk).update(deadline=date(2026, 12, 1))
    # 测试部's head (党组书记): a leader over the whole unit tree.
    w.head = make_user("head", make_member("郑十", w.unit_root, w.branch_b),
                       (Role.LEADER, w.unit_root))  # fmt: skip
    w.rows = cockpit.take(NOW)
    return w


def _row(kind, entity):
    return Snapshot.objects.get(month_index=2026 * 12 + 11, kind=kind, entity_id=entity.pk)


def test_the_daily_count_keeps_each_unit_s_and_organisation_s_own_figures(counted):
    w = counted
    unit = _row("unit", w.unit_a)
    assert (unit.items_open, unit.items_red, unit.items_yellow) == (1, 1, 0)
    assert unit.path == w.unit_a.path and unit.taken_at == NOW
    root = _row("unit", w.unit_root)
    assert (root.findings_open, root.findings_closed, root.items_open) == (1, 0, 0)
    branch = _row("org", w.branch_a)
    from django.db.models import Sum

    from mofan.meetings.models import ComplianceMonth

    # Due: January to November; December's requirements fall due on its last day.
    kept = ComplianceMonth.objects.filter(
        org=w.branch_a, month_index__range=(2026 * 12, 2026 * 12 + 10)
    ).aggregate(required=Sum("required"), met=Sum("met"))
    assert (branch.required, branch.met) == (kept["required"], kept["met"])
    december = ComplianceMonth.objects.get(org=w.branch_a, month_index=2026 * 12 + 11)
    assert december.required > 0  # counted on the heat map, not yet in the rate
    assert branch.required > branch.met  # a year of branch meetings with one held


def test_counting_again_the_same_day_replaces_the_month_s_rows(counted, time_machine):
    w = counted
    from mofan.ledger.models import Item

    Item.objects.filter(pk=w.item.pk).update(deadline=date(2026, 12, 31))
    later = datetime(2026, 12, 3, 15, 0, tzinfo=TZ)
    assert cockpit.take(later) == w.rows
    unit = _row("unit", w.unit_a)
    assert (unit.items_red, unit.taken_at) == (0, later)
    assert Snapshot.objects.filter(month_index=2026 * 12 + 11).count() == w.rows


def test_each_reader_adds_up_the_rows_in_their_own_scope(counted):
    w = counted
    head = cockpit.figures(w.head, date(2026, 12, 3))  # the unit tree's items and findings
    assert head.totals["items_red"] == 1 and head.totals["findings_open"] == 2
    assert [u["name"] for u in head.units] == ["办公厅"]
    assert head.as_of == NOW and head.orgs == []  # no organisation's records
    sam = cockpit.figures(w.sam, date(2026, 12, 3))  # the supervisor of the party tree
    assert "第一党支部" in {o["name"] for o in sam.orgs} and sam.totals["items_red"] == 0
    una = cockpit.figures(w.una, date(2026, 12, 3))  # leader of 人事司: no item of 办公厅
    assert una.totals.get("items_red", 0) == 0 and una.units == []
    bob = cockpit.figures(w.bob, date(2026, 12, 3))  # branch B's secretary: branch B only
    assert {o["name"] for o in bob.orgs} <= {"第二党支部"}
    carol = cockpit.figures(w.carol, date(2026, 12, 3))
    assert "第一党支部" in {o["name"] for o in carol.orgs}


def test_the_trend_is_the_months_rows_in_order(counted):
    w = counted
    for month, red in ((2026 * 12 + 9, 4), (2026 * 12 + 10, 2)):
        Snapshot.objects.create(month_index=month, kind="unit", entity_id=w.unit_a.pk,
                                path=w.unit_a.path, taken_at=NOW, items_open=5, items_red=red)  # fmt: skip
    trend = cockpit.figures(w.head, date(2026, 12, 3)).trend
    assert [(t["month"], t["red"]) for t in trend] == [("2026年10月", 4), ("2026年11月", 2),
                                                       ("2026年12月", 1)]  # fmt: skip


def test_the_page_shows_the_counted_time_and_leads_to_the_records(
    counted, client, login, django_assert_max_num_queries
):
    w = counted
    login(w.head)
    with django_assert_max_num_queries(25):
        page = client.get("/cockpit/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "统计于2026年12月3日 03:45" in text
    assert f"/ledger/items/?unit={w.unit_a.pk}&light=red" in text
    login(w.sam)
    assert f"/meetings/orgs/{w.branch_a.pk}/" in client.get("/cockpit/").content.decode()
    assert 'id="cockpit-data"' in text and "echarts.trends.min.js" in text
    login(w.amy)  # a member reads no organisation's records
    assert client.get("/cockpit/").status_code == 404


def test_without_a_worker_the_page_counts_a_day_not_yet_counted(site_world, client, login,
                                                                 time_machine, settings):  # fmt: skip
    settings.KEPT_BY_WORKER = False
    time_machine.move_to(NOW, tick=False)
    assert not Snapshot.objects.exists()
    login(site_world.sam)
    assert client.get("/cockpit/").status_code == 200
    assert Snapshot.objects.filter(month_index=2026 * 12 + 11).exists()


def test_published_results_by_year_in_scope(running, client, login):  # noqa: F811
    from mofan.assessment import services
    from mofan.assessment.models import Score

    w = running
    services.start_scoring(w.round, actor=w.carol)
    for target, points in ((w.a, "30"), (w.b, "40")):
        duty = Score.objects.get(target=target, indicator=w.s.duty)
        services.score_indicator(duty, actor=w.sam, points=points)
    services.publish(w.round, actor=w.carol)
    results = cockpit.figures(w.carol, date(2026, 11, 20)).results
    assert [r["year"] for r in results] == [2026] and results[0]["n"] == 2
    assert sum(n for _, n in results[0]["grades"]) == 2
    mine = cockpit.figures(w.bob, date(2026, 11, 20)).results  # branch B: its own result only
    assert mine[0]["n"] == 1
