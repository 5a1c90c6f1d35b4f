from collections import Counter
from datetime import date

import pytest
from django.db.models import Count, Exists, OuterRef

from mofan.ledger import periods, services, workdays
from mofan.ledger.models import Item

pytestmark = pytest.mark.django_db


def test_add_workdays_skips_the_national_day_holiday():
    # 2026-09-30 is a Wednesday; 1–7 October are official holidays.
    assert workdays.add_workdays(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert workdays.workdays_between(date(2026, 9, 30), date(2026, 10, 8)) == 1


def test_make_up_workday_counts():
    # 2026-10-10 (Saturday) is a make-up working day of the 2026 National Day schedule.
    assert workdays.is_workday(date(2026, 10, 10)) is True
    assert workdays.is_workday(date(2026, 10, 11)) is False


def test_a_year_without_a_published_schedule_counts_weekends_only():
    assert workdays.is_estimate(date(2027, 3, 1))
    assert workdays.add_workdays(date(2027, 3, 5), 1) == date(2027, 3, 8)


def test_periods_and_their_labels():
    assert periods.period_of("weekly", date(2026, 11, 25)) == "2026-W48"
    assert periods.period_of("monthly", date(2026, 11, 25)) == "2026-11"
    assert periods.period_of("quarterly", date(2026, 11, 25)) == "2026-Q4"
    assert periods.last_completed("monthly", date(2026, 11, 25)) == ("2026-10", date(2026, 10, 31))
    assert (
        periods.label("2026-W48") == "2026年第48周" and periods.label("2026-Q4") == "2026年第4季度"
    )


def _light(item, today):
    return Item.objects.with_light(today).get(pk=item.pk).light


def test_lights_follow_the_rule(ledger_world):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    Item.objects.filter(pk=w.item.pk).update(assigned_on=date(2026, 11, 20))
    assert _light(w.item, date(2026, 11, 25)) == "green"
    services.submit_report(
        w.item,
        actor=w.amy,
        text="十一月进展",
        percent=50,
        submission_key="nov",
        on=date(2026, 11, 26),
    )
    # three working days before 31 December (Thursday): from Monday 28 December on, yellow
    assert _light(w.item, date(2026, 12, 25)) == "green"
    assert _light(w.item, date(2026, 12, 28)) == "yellow"
    assert _light(w.item, date(2027, 1, 4)) == "red"


def test_a_missing_report_for_the_last_month_turns_the_light_yellow(ledger_world):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    Item.objects.filter(pk=w.item.pk).update(assigned_on=date(2026, 9, 1))
    assert Item.objects.with_light(date(2026, 11, 25)).get(pk=w.item.pk).report_late is True
    assert _light(w.item, date(2026, 11, 25)) == "yellow"
    services.submit_report(
        w.item,
        actor=w.amy,
        text="十月进展",
        percent=30,
        submission_key="oct",
        on=date(2026, 10, 30),
    )
    assert _light(w.item, date(2026, 11, 25)) == "green"


def test_drafts_and_closed_items_have_no_light(ledger_world):
    assert _light(ledger_world.item, date(2026, 11, 25)) == "none"


def test_lights_of_many_items_take_one_query(ledger_world, django_assert_num_queries):
    w = ledger_world
    for i in range(20):
        services.add_item(w.ledger, actor=w.sam, content=f"事项{i}", deadline=date(2026, 12, 1))
    with django_assert_num_queries(1):
        lights = list(Item.objects.with_light(date(2026, 11, 25)).values_list("light", flat=True))
    assert len(lights) == 21


def _items_of_every_light(w) -> None:
    cases = [
        ("draft", date(2026, 11, 1), None),
        ("assigned", date(2026, 11, 1), None),
        ("in_progress", date(2026, 11, 26), None),
        ("in_progress", date(2027, 6, 1), date(2026, 9, 1)),
        ("in_progress", date(2027, 6, 1), date(2026, 11, 20)),
        ("done", date(2026, 11, 20), None),
        ("closed", date(2026, 11, 1), None),
        ("accepted", None, date(2026, 1, 1)),
    ]
    for state, deadline, assigned_on in cases:
        item = services.add_item(w.ledger, actor=w.sam, content=state, deadline=deadline)
        Item.objects.filter(pk=item.pk).update(state=state, assigned_on=assigned_on)


def test_filtering_by_light_agrees_with_the_computed_light(ledger_world):
    today = date(2026, 11, 25)
    _items_of_every_light(ledger_world)
    computed = dict(Item.objects.with_light(today).values_list("pk", "light"))
    for light in ("red", "yellow", "green", "none"):
        filtered = set(Item.objects.with_light_only(light, today).values_list("pk", flat=True))
        assert filtered == {pk for pk, value in computed.items() if value == light}, light
    assert set(computed.values()) == {"red", "yellow", "green", "none"}


def test_the_light_reads_the_same_in_a_subquery_and_grouped(ledger_world):
    """The light's SQL is compiled once and reused (mofan/core/expressions.py): inside another
    query, under other aliases, grouped, and on another day it says what it says on its own."""
    _items_of_every_light(ledger_world)
    for today in (date(2026, 11, 25), date(2026, 12, 28), date(2026, 11, 25)):
        computed = dict(Item.objects.with_light(today).values_list("pk", "light"))
        for light in ("red", "yellow", "green", "none"):
            expected = {pk for pk, value in computed.items() if value == light}
            lit = Item.objects.with_light(today).filter(light=light)
            assert set(
                Item.objects.filter(pk__in=lit.values("pk")).values_list("pk", flat=True)
            ) == (expected)
            same = Exists(lit.filter(pk=OuterRef("pk")))
            assert set(Item.objects.filter(same).values_list("pk", flat=True)) == expected
        grouped = Item.objects.with_light(today).values("light").annotate(n=Count("pk"))
        assert {row["light"]: row["n"] for row in grouped} == Counter(computed.values())


def test_items_reporting_on_given_dates(ledger_world):
    w = ledger_world
    item = services.add_item(
        w.ledger,
        actor=w.sam,
        content="按节点报送",
        lead_unit=w.unit_a,
        owners=[w.amy_p],
        deadline=date(2026, 12, 31),
        report_cycle="dates",
        report_dates=[date(2026, 9, 30), date(2026, 11, 20), date(2026, 12, 20)],
    )
    services.transition(item, "assign", actor=w.sam)
    Item.objects.filter(pk=item.pk).update(assigned_on=date(2026, 9, 1))
    report, _ = services.submit_report(
        item, actor=w.amy, text="三季度进展", percent=40, submission_key="d1", on=date(2026, 9, 28)
    )
    assert report.period == "2026-09-30"
    assert (
        Item.objects.with_light(date(2026, 11, 25)).get(pk=item.pk).report_late is True
    )  # 20 November missed
    services.submit_report(
        item, actor=w.amy, text="补报", percent=60, submission_key="d2", on=date(2026, 11, 20)
    )
    assert Item.objects.with_light(date(2026, 11, 25)).get(pk=item.pk).report_late is False
    assert (
        set(Item.objects.with_light_only("yellow", date(2026, 11, 25)).values_list("pk", flat=True))
        == set()
    )


def test_given_dates_are_required_for_that_cycle(ledger_world):
    from mofan.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="须填写报送日期"):
        services.add_item(
            ledger_world.ledger, actor=ledger_world.sam, content="x", report_cycle="dates"
        )


def test_subtract_workdays_skips_the_holiday_backwards():
    assert workdays.subtract_workdays(date(2026, 10, 8), 1) == date(2026, 9, 30)
    assert workdays.subtract_workdays(date(2026, 10, 8), 0) == date(2026, 10, 8)
