"""A missed report period can be made up (补报), and the light then says so (issue 10): a report
for the current month leaves last month missing — the yellow stays, honestly; a report marked
补报 fills last month, is shown as such, and the yellow goes."""

from datetime import date

import pytest
from django.urls import reverse
from time_machine import travel

from mofan.core.errors import InvalidInput
from mofan.ledger import periods, services
from mofan.ledger.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(ledger_world):
    """Item 1 reports monthly; assigned in October, no report for October."""
    w = ledger_world
    with travel("2026-10-15 10:00:00+08:00", tick=False):
        services.transition(w.item, "assign", actor=w.sam)
        services.transition(w.item, "accept", actor=w.amy)
    return w


def _late(w, day):
    return (
        Item.objects.filter(pk=w.item.pk)
        .with_light(day)
        .values_list("report_late", flat=True)
        .get()
    )


def test_this_months_report_leaves_last_month_missing_a_make_up_fills_it(late):
    w = late
    today = date(2026, 11, 10)
    assert periods.missed(w.item, today) == "2026-10" and _late(w, today)
    with travel("2026-11-10 10:00:00+08:00", tick=False):
        services.submit_report(w.item, actor=w.amy, text="本月进展", percent=30, submission_key="n")
        assert _late(w, today)  # November's report does not cover October
        report, created = services.submit_report(
            w.item, actor=w.amy, text="十月情况", percent=20, submission_key="o", make_up=True
        )
    assert created and (report.period, report.made_up) == ("2026-10", True)
    assert report.period_label == "2026年10月（补报）"
    assert not _late(w, today) and periods.missed(w.item, today) is None
    with travel("2026-11-10 11:00:00+08:00", tick=False):
        with pytest.raises(InvalidInput, match="无需补报"):
            services.submit_report(
                w.item, actor=w.amy, text="再补", percent=20, submission_key="p", make_up=True
            )


def test_nothing_to_make_up_before_a_period_has_passed(ledger_world):
    w = ledger_world
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        services.transition(w.item, "assign", actor=w.sam)
    assert periods.missed(w.item, date(2026, 11, 25)) is None  # assigned this month


def test_the_page_offers_the_make_up_only_when_a_period_was_missed(late, login):
    w = late
    url = reverse("ledger:item", args=[w.item.pk])
    with travel("2026-11-10 10:00:00+08:00", tick=False):
        client = login(w.amy)
        page = client.get(url).content.decode()
        assert "补报上一报送期（2026年10月，未按期报送）" in page
        assert '<span class="badge bg-yellow-lt">上一报送期未报送</span>' in page
        response = client.post(
            reverse("ledger:item_action", args=[w.item.pk, "report"]),
            {"submission_key": "k1", "make_up": "on", "text": "十月情况", "percent": 20},
        )
        assert response.status_code == 302
        page = client.get(url).content.decode()
        assert "补报上一报送期（" not in page
        assert '<span class="badge bg-yellow-lt">上一报送期未报送</span>' not in page
        assert "2026年10月（补报）" in page


def test_the_api_makes_up_too(late, login):
    w = late
    with travel("2026-11-10 10:00:00+08:00", tick=False):
        answer = login(w.amy).post(
            f"/api/ledger-items/{w.item.pk}/reports/",
            {"text": "十月情况", "percent": 20, "submission_key": "a1", "make_up": True},
            content_type="application/json",
        )
    assert answer.status_code == 201
    assert (answer.json()["period"], answer.json()["made_up"]) == ("2026-10", True)
