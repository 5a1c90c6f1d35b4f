"""Query counts that do not grow with the data: the same for 2 meetings and for 20."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from time_machine import travel

from mofan.meetings import services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.tests.conftest import at


def _meetings(w, count, start_day=1):
    for n in range(count):
        meeting = services.plan_meeting(
            w.branch_a, actor=w.alice, kind=MeetingKind.THEME_DAY, title=f"主题党日{n}",
            starts_at=at(2026, 10, 1 + n % 28, 9), ends_at=at(2026, 10, 1 + n % 28, 11),
        )  # fmt: skip
        services.record_minutes(meeting, actor=w.alice, version=meeting.version, summary="已召开。")


def _count(client, url, params=None) -> int:
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_lists_cost_the_same_for_2_and_20_meetings(meeting_world, login):
    w = meeting_world
    pages = [
        (w.alice, reverse("meetings:org", args=[w.branch_a.pk])),
        (w.amy, reverse("meetings:home")),
        (w.alice, "/api/meetings/"),
        (w.carol, reverse("meetings:compliance")),
        (w.carol, "/api/meeting-compliance/"),
        (w.amy, reverse("meetings:hours")),
        (w.alice, reverse("meetings:org_hours", args=[w.branch_a.pk])),
        (w.alice, reverse("meetings:calendar") + "?month=2026-10"),
    ]
    _meetings(w, 2)
    few = [
        _count(login(user), url, {"org": w.organ.pk} if "compliance" in url else None)
        for user, url in pages
    ]
    _meetings(w, 18)
    many = [
        _count(login(user), url, {"org": w.organ.pk} if "compliance" in url else None)
        for user, url in pages
    ]
    assert few == many


def test_meetings_at_the_same_hour_list_newest_record_first_on_every_run(meeting_world, login):
    """Ties on the start time are broken by the record, so a page (and a restored copy of the
    database, whose rows lie in another physical order) always lists them the same way."""
    w = meeting_world
    made = [
        services.plan_meeting(
            w.branch_a, actor=w.alice, kind=MeetingKind.THEME_DAY, title=title,
            starts_at=at(2026, 9, 5, 14), ends_at=at(2026, 9, 5, 16), agenda=[],
        )
        for title in ("甲", "乙", "丙")
    ]  # fmt: skip
    # A change moves the first one's row to the end of the table (on PostgreSQL).
    services.record_minutes(made[0], actor=w.alice, version=made[0].version, summary="已召开。")
    page = login(w.alice).get(reverse("meetings:org", args=[w.branch_a.pk])).context["page"]
    assert [m.pk for m in page.object_list] == [m.pk for m in reversed(made)]
