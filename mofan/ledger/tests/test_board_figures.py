"""The supervisor board reads figures kept per ledger and lead unit (issue 16): they equal a count
from scratch after every kind of change, a change shows within a minute where a worker keeps
them, and the nightly check finds a figure that went wrong."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mofan.ledger import board, jobs, services
from mofan.ledger.models import BoardCell, Item, Ledger
from mofan.ledger.services import SubItem
from mofan.ledger.tests.test_cascade import cascade, finish  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db
NOW = "2026-11-24 10:00:00+08:00"
TODAY = date(2026, 11, 24)


def _written_now():
    """The fixtures wrote their items at the real time, after the travelled-to NOW."""
    Item.objects.update(updated_at=timezone.now())


def _rows(client, **params):
    response = client.get(reverse("ledger:board"), params)
    assert response.status_code == 200
    return {r["lead_unit__name"]: r for r in response.context["rows"]}, response


def _kept_equals_count(ledger):
    fresh = board.count(Item.objects.filter(ledger=ledger), TODAY)
    kept = {
        (c.ledger_id, c.lead_unit_id): {f: getattr(c, f) for f in board.FIGURES}
        for c in BoardCell.objects.filter(ledger=ledger)
    }
    assert kept == fresh
    return fresh


def test_kept_figures_follow_every_kind_of_change(cascade, login):  # noqa: F811
    c = cascade
    with time_machine.travel(NOW, tick=True) as clock:
        _written_now()
        services.transition(c.item, "assign", actor=c.sam)
        board.refresh_due(TODAY)
        counted = _kept_equals_count(c.ledger)
        assert counted[c.ledger.pk, c.unit_b.pk]["open"] == 1  # the parent, led by 人事司
        steps = [
            # Split among the divisions: three sub-items, the parent's roll-up moves.
            lambda: services.decompose(
                c.parent,
                actor=c.una,
                parts=[
                    SubItem("修订办法", c.cadre, owners=[c.gan_p], deadline=date(2026, 11, 20)),
                    SubItem("人才引进", c.talent, owners=[c.ren_p], deadline=date(2026, 12, 31)),
                ],
                assign=True,
            ),
            # An edit of the deadline (optimistic update, not a save()).
            lambda: services.update_item(
                Item.objects.get(pk=c.item.pk),
                actor=c.sam,
                version=Item.objects.get(pk=c.item.pk).version,
                deadline=date(2026, 11, 25),
            ),
            # A report, then 销号 of the item.
            lambda: finish(Item.objects.get(pk=c.item.pk), c.amy, c.sam),
        ]
        for step in steps:
            clock.shift(timedelta(seconds=5))
            step()
            assert board.due_ledgers([c.ledger.pk], TODAY) == [c.ledger.pk]
            board.refresh_due(TODAY)
            _kept_equals_count(c.ledger)
        figures = _kept_equals_count(c.ledger)
        # The parent is red through its overdue sub-item (deadline 11月20日), and so is 干部处.
        assert figures[c.ledger.pk, c.unit_b.pk]["red"] == 1
        assert figures[c.ledger.pk, c.cadre.pk]["red"] == 1
        assert figures[c.ledger.pk, c.unit_a.pk]["closed"] == 1
        assert board.differences(TODAY) == []


def test_with_a_worker_the_board_reads_kept_rows_and_the_job_shows_a_change(
    ledger_world, login, settings
):
    w = ledger_world
    settings.KEPT_BY_WORKER = True  # production: the beat job keeps the figures
    with time_machine.travel(NOW, tick=True) as clock:
        _written_now()
        services.transition(w.item, "assign", actor=w.sam)
        client = login(w.sam)
        rows, page = _rows(client)  # never counted: the page says so, the job counts it
        assert rows == {} and "其统计将在一分钟内完成" in page.content.decode()
        assert jobs.refresh_board() == 1
        rows, page = _rows(client)
        assert rows["办公厅"]["open"] == 1 and rows["办公厅"]["red"] == 0
        assert "其统计将在一分钟内完成" not in page.content.decode()
        assert "数据统计于2026年11月24日" in page.content.decode()
        assert "每分钟更新" in page.content.decode()
        clock.shift(timedelta(seconds=20))
        item = Item.objects.get(pk=w.item.pk)
        services.update_item(item, actor=w.sam, version=item.version, deadline=date(2026, 11, 1))
        rows, _ = _rows(client)
        assert rows["办公厅"]["red"] == 0  # not counted yet: the page says as of when
        with CaptureQueriesContext(connection) as read:
            _rows(client)
        counted = [q["sql"] for q in read.captured_queries if "COUNT" in q["sql"].upper()]
        assert not any("ledger_item" in sql for sql in counted)
        clock.shift(timedelta(seconds=40))
        assert jobs.refresh_board() == 1  # the minute's job
        rows, _ = _rows(client)
        assert rows["办公厅"]["red"] == 1
        # Counted again while the change is within the commit margin of the last count...
        assert jobs.refresh_board() == 1
        clock.shift(board.COMMIT_MARGIN + timedelta(seconds=1))
        assert jobs.refresh_board() == 1
        # ...then nothing is due until something changes.
        assert jobs.refresh_board() == 0


def test_a_new_day_makes_every_ledger_due(ledger_world):
    w = ledger_world
    with time_machine.travel(NOW, tick=True) as clock:
        _written_now()
        services.transition(w.item, "assign", actor=w.sam)
        board.refresh_due(TODAY)
        clock.shift(board.COMMIT_MARGIN * 2)
        board.refresh_due(TODAY)  # settled: the last change is older than the margin
        assert board.due_ledgers([w.ledger.pk], TODAY) == []
        assert board.due_ledgers([w.ledger.pk], TODAY + timedelta(days=1)) == [w.ledger.pk]


def test_the_check_finds_a_change_that_did_not_say_so(ledger_world, capsys):
    w = ledger_world
    with time_machine.travel(NOW, tick=True) as clock:
        _written_now()
        services.transition(w.item, "assign", actor=w.sam)
        board.refresh_due(TODAY)
        clock.shift(board.COMMIT_MARGIN * 2)
        board.refresh_due(TODAY)  # settled: the last change is older than the margin
        call_command("board_figures", "--check")
        assert "一致" in capsys.readouterr().out
        # Written behind the services' back: the item's updated_at stays as it was.
        Item.objects.filter(pk=w.item.pk).update(deadline=date(2020, 1, 1))
        with pytest.raises(SystemExit) as ended:
            call_command("board_figures", "--check")
        assert ended.value.code == 1
        shown = capsys.readouterr()
        assert f"台账 {w.ledger.pk}，牵头单位 {w.unit_a.pk}" in shown.out
        assert "'red': 1" in shown.out and "'red': 0" in shown.out
        assert jobs.check_board() == 1  # the nightly job logs it and counts all again
        assert board.differences(TODAY) == []


def test_a_leader_who_split_an_item_off_sees_the_parts_counted_live(cascade, login, settings):  # noqa: F811
    c = cascade
    settings.KEPT_BY_WORKER = True
    services.decompose(
        c.parent,
        actor=c.una,
        parts=[SubItem("修订办法", c.cadre, owners=[c.gan_p], deadline=date(2020, 1, 1))],
        assign=True,
    )
    rows, _ = _rows(login(c.una))  # una supervises no ledger: her parts, counted on reading
    assert list(rows) == ["干部处"] and rows["干部处"]["red"] == 1
    assert not Ledger.objects.filter(pk=c.ledger.pk, figures_on__isnull=False).exists()


def test_another_organisations_supervisor_sees_none_of_the_kept_figures(ledger_world, login):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    board.refresh_due()
    rows, page = _rows(login(w.una))
    assert rows == {} and page.context["circular"].units == []
    other = login(w.bob).get(reverse("ledger:board"), {"ledger": w.ledger.pk})
    assert other.status_code == 404


def test_the_board_reads_a_fixed_number_of_queries_however_many_ledgers(
    ledger_world, login, settings, django_assert_max_num_queries
):
    w = ledger_world
    for n in range(5):
        ledger = services.create_ledger(
            actor=w.sam, name=f"台账{n}", kind="general", year=2026, unit=w.unit_root
        )
        item = services.add_item(
            ledger,
            actor=w.sam,
            content=f"事项{n}",
            lead_unit=w.unit_b,
            owners=[w.una_p],
            ongoing=True,
        )
        services.transition(item, "assign", actor=w.sam)
    board.refresh_due()
    settings.KEPT_BY_WORKER = True
    client = login(w.sam)
    client.get(reverse("ledger:board"))
    with django_assert_max_num_queries(12):
        rows, _ = _rows(client)
    assert rows["人事司"]["open"] == 5
