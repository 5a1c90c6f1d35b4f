"""Each role's home (issue 10): the member's meetings, hours (their own figure, no ranking) and
unread notices; the secretary's branch checklist; lights by lead unit for supervisors and
leaders — each scoped, in a fixed number of queries."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from time_machine import travel

from mofan.ledger import services as ledger
from mofan.ledger.choices import LedgerKind
from mofan.meetings import services as meetings
from mofan.meetings.choices import MeetingKind
from mofan.meetings.tests.conftest import at
from mofan.notify import services as notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(world):
    w = world
    with travel("2026-11-16 09:00:00+08:00", tick=False):
        w.meeting = meetings.plan_meeting(
            w.branch_a, actor=w.alice, kind=MeetingKind.THEME_DAY, title="11月主题党日",
            starts_at=at(2026, 11, 20, 9), ends_at=at(2026, 11, 20, 11), place="第三会议室",
        )  # fmt: skip
        held = meetings.plan_meeting(
            w.branch_a, actor=w.alice, kind=MeetingKind.PARTY_LECTURE, title="专题党课",
            starts_at=at(2026, 11, 16, 9, 30), ends_at=at(2026, 11, 16, 12, 30),
        )  # fmt: skip
    with travel("2026-11-16 13:00:00+08:00", tick=False):
        meetings.mark(held, w.amy_p, actor=w.alice, status="present")
        meetings.record_minutes(held, actor=w.alice, version=held.version, summary="已召开。")
    w.ledger = ledger.create_ledger(
        actor=w.sam, name="台账", kind=LedgerKind.GENERAL, year=2026, unit=w.unit_root
    )
    for n, (unit, due) in enumerate(
        [
            (w.unit_a, date(2026, 11, 10)),
            (w.unit_a, date(2026, 11, 18)),
            (w.unit_b, date(2026, 12, 31)),
        ]
    ):
        item = ledger.add_item(
            w.ledger, actor=w.sam, content=f"事项{n}", lead_unit=unit, deadline=due,
            owners=[w.amy_p] if unit == w.unit_a else [w.bob_p],
        )  # fmt: skip
        with travel("2026-11-01 09:00:00+08:00", tick=False):
            ledger.transition(item, "assign", actor=w.sam)
    notify.create([notify.Notice(w.amy.pk, "x", "请参加主题党日", "", "", "home-1")])
    return w


def _home(login, user):
    with travel("2026-11-17 09:00:00+08:00", tick=False):
        response = login(user).get(reverse("dashboard:home"))
    assert response.status_code == 200
    return response


def test_a_member_sees_meetings_hours_deadlines_and_notices(week, login):
    page = _home(login, week.amy).content.decode()
    meetings_card = page[page.index('data-testid="home-meetings"') :]
    assert "11月主题党日" in meetings_card and "待召开" in meetings_card
    assert "专题党课" not in meetings_card[: meetings_card.index("</div></div>")]  # held already
    assert "3.0 / 32 学时" in page and "还差 29.0 学时" in page
    assert "排名" not in page and "名次" not in page  # never ranked
    assert "请参加主题党日" in page[page.index('data-testid="home-notices"') :]
    deadlines = page[page.index('data-testid="home-deadlines"') :]
    assert "事项1" in deadlines and "事项0" not in deadlines  # 11月10日 has passed


def test_a_secretary_sees_the_branch_checklist(week, login):
    page = _home(login, week.alice).content.decode()
    branch = page[page.index('data-testid="home-branch"') :]
    assert "第一党支部 · 本期待办" in branch
    assert "尚未召开" in branch


def test_a_supervisor_and_a_leader_see_lights_by_unit(week, login):
    page = _home(login, week.sam).content.decode()
    rows = page[page.index('data-testid="home-supervised-units"') :]
    # 办公厅: one red (past 11月10日), one yellow (11月18日 within 3 working days)
    assert rows.index("办公厅") < rows.index("人事司")
    assert _home(login, week.sam).context["supervised"] == {"open": 3, "red": 1, "yellow": 1}
    assert "黄灯 1 项" in page and "超期 1 项" in page
    panel = _home(login, week.sam).context["supervised_by_unit"]
    assert [(r["unit"], r["open"], r["red"], r["yellow"], r["green"]) for r in panel] == [
        ("办公厅", 2, 1, 1, 0),
        ("人事司", 1, 0, 0, 1),
    ]
    # bob of another branch supervises nothing: no figures of sam's ledger reach his home page
    bob = _home(login, week.bob).context
    assert "supervised" not in bob and "supervised_by_unit" not in bob
    # una leads 人事司: she sees its item only
    scope = _home(login, week.una).context["scope_by_unit"]
    assert [(r["unit"], r["open"]) for r in scope] == [("人事司", 1)]


def test_the_home_page_takes_the_same_queries_for_more_data(week, login):
    def count():
        with travel("2026-11-17 09:00:00+08:00", tick=False):
            client = login(week.sam)
            with CaptureQueriesContext(connection) as queries:
                client.get(reverse("dashboard:home"))
        return len(queries)

    count()  # the supervisor's ledger counted a first time (the board's kept figures)
    ledger.add_item(week.ledger, actor=week.sam, content="又一项", lead_unit=week.unit_b)
    before = count()  # counted again: it changed
    for n in range(5):
        ledger.add_item(week.ledger, actor=week.sam, content=f"更多{n}", lead_unit=week.unit_b)
    assert count() == before


def test_with_a_worker_the_supervisor_home_reads_the_kept_figures_and_says_when(
    week, login, settings
):
    """Where the minute's job keeps the board, the home page counts nothing: it shows the kept
    figures, and a change shows once the job has run."""
    from mofan.ledger import board

    settings.KEPT_BY_WORKER = True
    with travel("2026-11-17 08:59:00+08:00", tick=False):
        board.refresh_due(date(2026, 11, 17), [week.ledger.pk])
    page = _home(login, week.sam)
    assert [(r["unit"], r["red"]) for r in page.context["supervised_by_unit"]] == [
        ("办公厅", 1),
        ("人事司", 0),
    ]
    assert "数据统计于2026年11月17日 08:59:00" in page.content.decode()
    with travel("2026-11-17 09:00:00+08:00", tick=False):
        late = ledger.add_item(
            week.ledger, actor=week.sam, content="逾期", lead_unit=week.unit_b,
            deadline=date(2026, 11, 1), owners=[week.bob_p],
        )  # fmt: skip
        ledger.transition(late, "assign", actor=week.sam)
    assert _home(login, week.sam).context["supervised_by_unit"][1]["red"] == 0  # not yet
    with travel("2026-11-17 09:01:00+08:00", tick=False):
        board.refresh_due(date(2026, 11, 17), [week.ledger.pk])  # the minute's job
    rows = _home(login, week.sam).context["supervised_by_unit"]
    assert [(r["unit"], r["open"], r["red"]) for r in rows] == [("办公厅", 2, 1), ("人事司", 2, 1)]
