"""理论学习中心组: the annual plan's topics, 巡听旁听 by an observer from above, 一学一报."""

from datetime import date

import pytest
from django.urls import reverse
from time_machine import travel

from conftest import make_person, make_user
from mofan.access.roles import Role
from mofan.core.errors import InvalidInput
from mofan.meetings import services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.models import SitIn, StudyReport, StudyTopic
from mofan.meetings.tests.conftest import at
from mofan.orgs import services as orgs
from mofan.orgs.choices import OrgKind, PositionTitle


@pytest.fixture
def group(meeting_world):
    """The leading group (党组) of the ministry with two members: zhao (secretary) and sun."""
    w = meeting_world
    leading = orgs.create_org(
        actor=None, parent=w.root, kind=OrgKind.LEADING_GROUP, code="LG", name="中共测试部党组"
    )
    for person, title in (
        (w.carol_p, PositionTitle.SECRETARY),
        (w.sam_p, PositionTitle.DEPUTY_SECRETARY),
    ):
        orgs.appoint(
            actor=None, person=person, org=leading, title=title, started_on=date(2020, 1, 1)
        )
    admin = make_user("zuzhi", None, (Role.ORG_ADMIN, leading))
    observer_p = make_person("巡听员", w.unit_root)
    observer = make_user("xuntin", observer_p, (Role.LEADER, w.root))  # from the committee above
    w.root.refresh_from_db()
    return w, leading, admin, observer


def test_topics_of_the_annual_plan(group, login):
    w, leading, admin, _ = group
    with travel("2026-02-01 10:00:00+08:00", tick=False):
        answer = login(admin).post(
            reverse("meetings:topics", args=[leading.pk, 2026]),
            {"topics": "3月：学习贯彻全会精神\n习近平文化思想\n\n6月：党纪学习教育"},
        )
        assert answer.status_code == 302
    topics = list(
        StudyTopic.objects.filter(org=leading).values_list("order", "title", "planned_month")
    )
    assert topics == [
        (1, "学习贯彻全会精神", 3),
        (2, "习近平文化思想", None),
        (3, "党纪学习教育", 6),
    ]
    with pytest.raises(InvalidInput, match="只有党委（党组）"):
        services.save_topics(w.branch_a, actor=w.carol, year=2026, text="x")


def test_a_session_with_sit_in_and_study_reports(group, login):
    w, leading, admin, observer = group
    with travel("2026-03-01 10:00:00+08:00", tick=False):
        services.save_topics(leading, actor=admin, year=2026, text="3月：学习贯彻全会精神")
        topic = StudyTopic.objects.get(org=leading)
        meeting = services.plan_meeting(
            leading, actor=admin, kind=MeetingKind.CENTRAL_GROUP_STUDY, title="3月中心组学习",
            starts_at=at(2026, 3, 10, 9), ends_at=at(2026, 3, 10, 12), topic=topic,
            report_due_on=date(2026, 3, 17),
        )  # fmt: skip
        assert meeting.expected_count == 2  # the leading group's members
    with travel("2026-03-10 15:00:00+08:00", tick=False):
        services.record_minutes(
            meeting, actor=admin, version=meeting.version, summary="集中学习研讨。"
        )
        with pytest.raises(services.NotAllowed, match="上级党组织"):
            services.record_sit_in(meeting, actor=admin, attended=True, rating="good", comment="好")
        page = login(observer).post(
            reverse("meetings:action", args=[meeting.pk, "sitin"]),
            {"attended": "on", "rating": "good", "comment": "准备充分，研讨深入。"},
        )
        assert page.status_code == 302
        assert SitIn.objects.get(meeting=meeting).get_rating_display() == "好"
        carol = login(w.carol)
        assert (
            carol.post(
                reverse("meetings:action", args=[meeting.pk, "report"]), {"text": " "}
            ).status_code
            == 400
        )
        assert (
            carol.post(
                reverse("meetings:action", args=[meeting.pk, "report"]), {"text": "学习体会……"}
            ).status_code
            == 302
        )
    with travel("2026-03-20 10:00:00+08:00", tick=False):
        statuses = {r["person"].pk: r["status"] for r in services.study_report_status(meeting)}
        assert statuses == {w.carol_p.pk: "submitted", w.sam_p.pk: "overdue"}
        services.submit_study_report(meeting, user=w.sam, text="迟交的体会")
        statuses = {r["person"].pk: r["status"] for r in services.study_report_status(meeting)}
        assert statuses[w.sam_p.pk] == "late"
    assert StudyReport.objects.count() == 2
    with pytest.raises(services.NotAllowed):
        services.submit_study_report(meeting, user=w.amy, text="不是成员")
