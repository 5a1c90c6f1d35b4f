"""Bad input the cross-organisation probe found accepted (or answered with a 500): each is now a
clear refusal in Chinese that changes nothing."""

from decimal import Decimal

import pytest
from time_machine import travel

from mofan.core.errors import InvalidInput
from mofan.meetings import services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.models import AgendaItem, Meeting, MeetingPlan
from mofan.meetings.tests.conftest import at

pytestmark = pytest.mark.django_db


def _plan(w, **kwargs):
    values = {
        "kind": MeetingKind.PARTY_LECTURE,
        "title": "党课",
        "starts_at": at(2026, 11, 25, 9),
        "ends_at": at(2026, 11, 25, 11),
    }
    return services.plan_meeting(w.branch_a, actor=w.alice, **(values | kwargs))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"study_hours": Decimal("-30")}, "计入学时应在0到24之间"),
        ({"study_hours": Decimal("25")}, "计入学时应在0到24之间"),
        ({"agenda": [{"title": f"议题{n}"} for n in range(6)]}, "议程最多 5 项"),
        ({"starts_at": at(2101, 1, 1, 9), "ends_at": at(2101, 1, 1, 11)}, "2000年至2100年"),
        ({"starts_at": at(1999, 12, 31, 9), "ends_at": at(1999, 12, 31, 11)}, "2000年至2100年"),
    ],
)
@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_a_meeting_out_of_bounds_is_refused(meeting_world, change, message):
    with pytest.raises(InvalidInput, match=message):
        _plan(meeting_world, **change)
    assert not Meeting.objects.exists()


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_five_agenda_items_and_a_days_hours_are_fine(meeting_world):
    meeting = _plan(
        meeting_world,
        study_hours=Decimal("24"),
        agenda=[{"title": f"议题{n}"} for n in range(5)],
    )
    assert meeting.agenda.count() == 5 and meeting.study_hours == 24


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_through_the_api_and_the_page(meeting_world, login):
    w = meeting_world
    client = login(w.alice)
    answer = client.post(
        "/api/meetings/",
        {
            "org": w.branch_a.pk,
            "kind": "party_lecture",
            "title": "党课",
            "starts_at": "9999-12-31T09:00:00+08:00",
            "ends_at": "9999-12-31T11:00:00+08:00",
        },
        content_type="application/json",
    )
    assert answer.status_code == 400 and "2000年至2100年" in answer.content.decode()
    page = client.post(
        f"/meetings/orgs/{w.branch_a.pk}/new/",
        {
            "kind": "party_lecture",
            "title": "党课",
            "day": "0001-01-01",
            "start": "09:00",
            "end": "11:00",
        },
    )
    assert page.status_code == 400 and "2000年至2100年" in page.content.decode()
    answer = client.post(
        "/api/meeting-plans/",
        {"org": w.branch_a.pk, "year": 9223372036854775807, "content": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert not Meeting.objects.exists() and not MeetingPlan.objects.exists()


def test_minutes_naming_another_meetings_agenda_item_are_refused(meeting_world):
    w = meeting_world
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        mine = _plan(w, agenda=[{"title": "学习"}])
        other = services.plan_meeting(
            w.branch_b,
            actor=w.bob,
            kind=MeetingKind.PARTY_LECTURE,
            title="党课",
            starts_at=at(2026, 11, 25, 9),
            ends_at=at(2026, 11, 25, 11),
            agenda=[{"title": "别人的议题"}],
        )
    foreign = other.agenda.get()
    with travel("2026-11-25 12:00:00+08:00", tick=False):
        with pytest.raises(InvalidInput, match=f"议程项 {foreign.pk} 不属于本次会议"):
            services.record_minutes(
                mine,
                actor=w.alice,
                version=mine.version,
                summary="情况",
                agenda={foreign.pk: {"discussion": "改", "decision": "改"}},
            )
    mine.refresh_from_db()
    assert mine.recorded_at is None
    assert AgendaItem.objects.get(pk=foreign.pk).discussion == ""


def test_a_misspelt_boolean_filter_is_refused(meeting_world, login):
    answer = login(meeting_world.alice).get("/api/meetings/", {"back_filled": "maybe"})
    assert answer.status_code == 400 and "back_filled" in answer.json()
    assert (
        login(meeting_world.alice).get("/api/meetings/", {"back_filled": "true"}).status_code == 200
    )


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "2026-13", "abc"])
def test_a_calendar_month_out_of_range_shows_this_month(meeting_world, login, month):
    page = login(meeting_world.alice).get("/meetings/calendar/", {"month": month})
    assert page.status_code == 200 and "月份无效" in page.content.decode()
