"""Need-to-know for 组织生活: persona × page/endpoint × expected status for a meeting of branch A,
and a leading group's minutes only for its members and those granted."""

from datetime import date

import pytest
from django.urls import reverse
from time_machine import travel

from conftest import make_user
from mofan.access.roles import Role
from mofan.meetings import services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.models import Meeting, MinutesGrant
from mofan.meetings.tests.conftest import at
from mofan.orgs import services as orgs
from mofan.orgs.choices import PositionTitle


@pytest.fixture
def planned(meeting_world):
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        return services.plan_meeting(
            meeting_world.branch_a, actor=meeting_world.alice, kind=MeetingKind.BRANCH_ASSEMBLY,
            title="支部党员大会", starts_at=at(2026, 11, 19, 14), ends_at=at(2026, 11, 19, 16),
            agenda=[{"title": "学习", "is_first_topic": True}],
        )  # fmt: skip


def _pages(w, m):
    a = w.branch_a.pk
    return {
        "meeting": ("get", reverse("meetings:meeting", args=[m.pk])),
        "minutes": ("get", reverse("meetings:minutes", args=[m.pk])),
        "qr": ("get", reverse("meetings:qr", args=[m.pk])),
        "org": ("get", reverse("meetings:org", args=[a])),
        "new": ("get", reverse("meetings:new", args=[a])),
        "plan": ("get", reverse("meetings:plan", args=[a, 2026, 0])),
        "cell": ("get", reverse("meetings:cell", args=[a, 2026, 11])),
        "api_meeting": ("get", f"/api/meetings/{m.pk}/"),
        "api_attendance": ("get", f"/api/meetings/{m.pk}/attendance/"),
    }


EXPECTED = {
    # persona: statuses for meeting, minutes, qr, org, new, plan, cell, api meeting, api attendance
    "alice": (200, 200, 200, 200, 200, 200, 200, 200, 200),  # secretary of branch A
    "carol": (200, 200, 200, 200, 200, 200, 200, 200, 200),  # org admin above it
    "amy": (200, 404, 404, 200, 404, 404, 200, 200, 200),  # a member: her own meeting
    "sam": (200, 404, 404, 200, 404, 404, 200, 200, 200),  # supervisor over the tree: reads
    "bob": (404, 404, 404, 404, 404, 404, 404, 404, 404),  # secretary of branch B
    "una": (404, 404, 404, 404, 404, 404, 404, 404, 404),  # leader of a unit, no party scope
    "auditor": (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "sysadmin": (404, 404, 404, 404, 404, 404, 404, 404, 404),
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_permission_matrix(meeting_world, planned, login, persona):
    client = login(getattr(meeting_world, persona))
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        got = tuple(
            getattr(client, method)(url).status_code
            for method, url in _pages(meeting_world, planned).values()
        )
    assert got == EXPECTED[persona]


@pytest.mark.parametrize("persona", ["bob", "una", "auditor"])
def test_outsiders_change_nothing(meeting_world, planned, login, persona):
    client = login(getattr(meeting_world, persona))
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        for action in ("notify", "cancel", "leave", "mark", "roster", "all_present"):
            answer = client.post(
                reverse("meetings:action", args=[planned.pk, action]),
                {
                    "reason": "x",
                    "person": meeting_world.amy_p.pk,
                    "status": "present",
                    f"status_{meeting_world.amy_p.pk}": "present",
                },
            )
            assert answer.status_code == 404, action
        assert (
            client.post(
                reverse("meetings:minutes", args=[planned.pk]), {"summary": "x", "version": 1}
            ).status_code
            == 404
        )
        minutes = client.post(
            f"/api/meetings/{planned.pk}/minutes/", {"summary": "x", "version": 1}
        )
        assert minutes.status_code == 404
        assert (
            client.post(reverse("meetings:new", args=[meeting_world.branch_a.pk]), {}).status_code
            == 404
        )
    planned.refresh_from_db()
    assert planned.version == 1 and planned.state == "planned" and planned.present_count == 0


def test_a_member_cannot_record(meeting_world, planned, login):
    client = login(meeting_world.amy)
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        answer = client.post(reverse("meetings:action", args=[planned.pk, "notify"]))
        assert answer.status_code == 403
        minutes = client.post(
            f"/api/meetings/{planned.pk}/minutes/", {"summary": "x", "version": 1}
        )
        assert minutes.status_code == 403  # she sees her meeting; recording is not hers


def test_a_hidden_meeting_is_the_same_404_as_a_missing_one(meeting_world, planned, login):
    import re

    client = login(meeting_world.bob)
    hidden = client.get(reverse("meetings:meeting", args=[planned.pk]))
    missing = client.get(reverse("meetings:meeting", args=[planned.pk + 99]))

    def strip(answer):
        return re.sub(
            rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', b"", answer.content
        )

    assert hidden.status_code == missing.status_code == 404 and strip(hidden) == strip(missing)


def test_leading_group_minutes_only_for_its_members_and_those_granted(meeting_world, login):
    w = meeting_world
    orgs.appoint(
        actor=None,
        person=w.carol_p,
        org=w.organ,
        title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
    )
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        meeting = services.plan_meeting(
            w.organ, actor=w.carol, kind=MeetingKind.COMMITTEE_MEETING, title="机关党委会议",
            starts_at=at(2026, 11, 18, 9), ends_at=at(2026, 11, 18, 11),
            agenda=[{"title": "学习讲话精神", "is_first_topic": True}],
        )  # fmt: skip
        item = meeting.agenda.get()
        services.record_minutes(
            meeting, actor=w.carol, version=meeting.version, summary="研究了干部任用事项。",
            agenda={item.pk: {"discussion": "保密的讨论", "decision": "保密的决定"}},
        )  # fmt: skip
        url = reverse("meetings:meeting", args=[meeting.pk])
        assert "保密的讨论" in login(w.carol).get(url).content.decode()  # a member (attendee)
        supervisor = login(w.sam).get(url).content.decode()  # sees the meeting, not its minutes
        assert (
            "机关党委会议" in supervisor
            and "保密的讨论" not in supervisor
            and "研究了干部任用事项" not in supervisor
        )
        assert (
            login(w.sam).get(f"/api/meetings/{meeting.pk}/").json()["agenda"][0]["discussion"]
            is None
        )
        MinutesGrant.objects.create(org=w.organ, user=w.sam, granted_by=w.carol)
        assert "保密的讨论" in login(w.sam).get(url).content.decode()


def test_api_plans_a_meeting_only_in_scope_and_lists_scoped(meeting_world, login):
    body = {
        "org": meeting_world.branch_a.pk, "kind": "theme_day", "title": "主题党日",
        "starts_at": "2026-11-25T09:00:00+08:00", "ends_at": "2026-11-25T11:00:00+08:00",
        "agenda": [{"title": "重温入党誓词"}],
    }  # fmt: skip
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        refused = login(meeting_world.bob).post(
            "/api/meetings/", body, content_type="application/json"
        )
        assert refused.status_code == 400  # branch A is not among the orgs bob records for
        made = login(meeting_world.alice).post(
            "/api/meetings/", body, content_type="application/json"
        )
        assert made.status_code == 201 and made.json()["expected_count"] == 2
        assert login(meeting_world.bob).get("/api/meetings/").json()["count"] == 0
        assert login(meeting_world.amy).get("/api/meetings/").json()["count"] == 1
    assert Meeting.objects.count() == 1


def test_api_sign_in_and_compliance(meeting_world, login):
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        meeting = services.plan_meeting(
            meeting_world.branch_a, actor=meeting_world.alice, kind=MeetingKind.THEME_DAY,
            title="主题党日", starts_at=at(2026, 11, 20, 10), ends_at=at(2026, 11, 20, 11),
        )  # fmt: skip
        token = services.sign_in_token(meeting)
        first = login(meeting_world.amy).post("/api/meetings/sign-in/", {"token": token})
        assert first.status_code == 201 and first.json()["status"] == "present"
        assert (
            login(meeting_world.amy).post("/api/meetings/sign-in/", {"token": token}).status_code
            == 200
        )
        assert (
            login(meeting_world.bob).post("/api/meetings/sign-in/", {"token": token}).status_code
            == 403
        )
        grid = login(meeting_world.carol).get(
            "/api/meeting-compliance/", {"org": meeting_world.organ.pk, "year": 2026}
        )
        assert grid.status_code == 200 and grid.json()["rows"]
        assert (
            login(meeting_world.bob)
            .get("/api/meeting-compliance/", {"org": meeting_world.organ.pk})
            .status_code
            == 404
        )
        assert (
            login(meeting_world.carol).get("/api/meeting-compliance/", {"org": "x"}).status_code
            == 400
        )


def test_another_supervisor_of_nothing_sees_no_meeting(meeting_world, planned, login):
    other = make_user("other", None, (Role.BRANCH_SECRETARY, meeting_world.branch_b))
    assert login(other).get(reverse("meetings:meeting", args=[planned.pk])).status_code == 404


def _more_pages(w, m):
    a = w.branch_a.pk
    return {
        "hours": reverse("meetings:org_hours", args=[a]),
        "book": reverse("meetings:export", args=[a, 2026, "docx"]),
        "topics": reverse("meetings:topics", args=[a, 2026]),
        "sign_in": reverse("meetings:sign_in", args=[services.sign_in_token(m)]),
        "rules": reverse("meetings:rules"),
        "compliance": reverse("meetings:compliance"),
        "calendar": reverse("meetings:calendar") + "?month=2026-11",
        "my_hours": reverse("meetings:hours"),
        "api_plans": "/api/meeting-plans/",
        "api_rules": "/api/meeting-rules/",
    }


MORE = {
    # hours, book, topics, sign-in page, rules, compliance, calendar, my hours, api plans, rules
    "alice": (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "carol": (200, 200, 200, 403, 200, 200, 200, 200, 200, 200),  # not on the roster: 403
    "amy": (404, 404, 404, 200, 200, 200, 200, 200, 200, 200),
    "sam": (200, 200, 404, 403, 200, 200, 200, 200, 200, 200),
    "bob": (404, 404, 404, 403, 200, 200, 200, 200, 200, 200),
    "auditor": (404, 404, 404, 403, 200, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("persona", sorted(MORE))
def test_permission_matrix_of_the_other_pages(meeting_world, planned, login, persona):
    client = login(getattr(meeting_world, persona))
    with travel("2026-11-19 14:10:00+08:00", tick=False):
        got = tuple(
            client.get(url).status_code for url in _more_pages(meeting_world, planned).values()
        )
    assert got == MORE[persona]


@pytest.mark.parametrize("persona", ["bob", "amy", "auditor"])
def test_lists_show_no_other_organisations_data(meeting_world, planned, login, persona):
    client = login(getattr(meeting_world, persona))
    with travel("2026-11-19 14:10:00+08:00", tick=False):
        services.save_plan(
            meeting_world.branch_a, actor=meeting_world.alice, year=2026, month=None,
            content="第一党支部的年度计划", version=None,
        )  # fmt: skip
        plans = client.get("/api/meeting-plans/").json()
        calendar = client.get(reverse("meetings:calendar") + "?month=2026-11").content.decode()
    if persona == "amy":  # her own branch's plan and meeting
        assert plans["count"] == 1 and planned.title in calendar
    else:
        assert plans["count"] == 0 and planned.title not in calendar


def test_guests_are_added_by_name_within_scope(meeting_world, planned, login):
    client = login(meeting_world.alice)
    url = reverse("meetings:action", args=[planned.pk, "guest"])
    with travel("2026-11-19 10:00:00+08:00", tick=False):
        missing = client.post(url, {"name": "不存在"})
        assert missing.status_code == 400 and "没有找到" in missing.content.decode()
        other = client.post(url, {"name": meeting_world.bob_p.name})  # bob is of branch B
        assert other.status_code == 400
        carol = login(meeting_world.carol)  # the org admin sees both branches
        assert carol.post(url, {"name": meeting_world.bob_p.name}).status_code == 302
    planned.refresh_from_db()
    assert planned.attendance.filter(person=meeting_world.bob_p, role="guest").exists()
    assert planned.expected_count == 2  # guests are not counted in the quorum


def test_the_list_endpoint_hides_a_leading_groups_minutes_like_the_detail(meeting_world, login):
    """The probe's finding: `GET /api/meetings/?org=…` returned a 党组 meeting's discussion and
    decisions in full to a discipline officer who may list it but not read its minutes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = meeting_world
    jijian = make_user("jijian", None, (Role.DISCIPLINE_OFFICER, w.organ))
    orgs.appoint(
        actor=None, person=w.carol_p, org=w.organ, title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
    )  # fmt: skip

    def hold(day):
        meeting = services.plan_meeting(
            w.organ, actor=w.carol, kind=MeetingKind.COMMITTEE_MEETING, title=f"党委会议{day}",
            starts_at=at(2026, 11, day, 9), ends_at=at(2026, 11, day, 11),
            agenda=[{"title": "学习讲话精神", "is_first_topic": True}],
        )  # fmt: skip
        services.record_minutes(
            meeting, actor=w.carol, version=meeting.version, summary="研究了干部任用事项。",
            agenda={meeting.agenda.get().pk: {"discussion": "保密的讨论", "decision": "保密的决定"}},
        )  # fmt: skip

    def listed(user):
        client = login(user)
        with CaptureQueriesContext(connection) as queries:
            answer = client.get("/api/meetings/", {"org": w.organ.pk})
        assert answer.status_code == 200
        agenda = [item for row in answer.json()["results"] for item in row["agenda"]]
        return agenda, len(queries)

    with travel("2026-11-20 10:00:00+08:00", tick=False):
        hold(16)
        for outsider in (jijian, w.sam):
            agenda, _ = listed(outsider)
            assert len(agenda) == 1
            assert agenda[0]["discussion"] is None and agenda[0]["decision"] is None
            assert agenda[0]["title"] == "学习讲话精神"
        agenda, _ = listed(w.carol)  # a member of the group (an attendee) reads them
        assert agenda[0]["discussion"] == "保密的讨论" and agenda[0]["decision"] == "保密的决定"
        MinutesGrant.objects.create(org=w.organ, user=jijian, granted_by=w.carol)
        agenda, few = listed(jijian)
        assert agenda[0]["decision"] == "保密的决定"
        hold(17), hold(18)
        agenda, many = listed(jijian)
        assert len(agenda) == 3 and few == many  # the rule is part of the list's query
