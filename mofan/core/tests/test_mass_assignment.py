"""Mass assignment (等保 8.1.4 数据完整性): what the server sets — ids, numbers, states, versions,
counts, timestamps, who did it, the ledger an item belongs to — cannot be written through the
API. Each write below carries such fields with other values; the stored record keeps the
server's."""

import pytest
from time_machine import travel

from mofan.access import services as access
from mofan.access.roles import Role
from mofan.ledger.models import Item, ProgressReport
from mofan.meetings.models import Meeting, MeetingPlan

pytestmark = pytest.mark.django_db

FORGED_TIME = "2020-01-01T08:00:00+08:00"


@pytest.fixture
def sam(site_world, login):
    access.grant_role(site_world.sam, actor=None, role=Role.ORG_ADMIN, org=site_world.organ)
    return login(site_world.sam)


def test_creating_an_item_ignores_the_fields_the_server_sets(site_world, sam):
    w = site_world
    answer = sam.post(
        "/api/ledger-items/",
        {
            "ledger": w.ledger.pk,
            "content": "新事项",
            "id": 99999,
            "number": "99",
            "state": "closed",
            "assigned_on": "2020-01-01",
            "closed_at": FORGED_TIME,
            "evaluation": "good",
            "evaluation_comment": "已评估",
            "updated_at": FORGED_TIME,
            "light": "green",
            "report_late": True,
            "tags": ["伪造"],
            "created_by": w.amy.pk,
        },  # fmt: skip
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    item = Item.objects.get(pk=answer.json()["id"])
    assert item.pk != 99999 and item.number == "2"
    assert (item.state, item.assigned_on, item.closed_at) == ("draft", None, None)
    assert (item.evaluation, item.evaluation_comment) == ("", "")
    assert not item.tags.exists()


def test_editing_an_item_cannot_move_it_or_change_its_state(site_world, sam):
    w = site_world
    before = Item.objects.get(pk=w.item.pk)
    answer = sam.patch(
        f"/api/ledger-items/{w.item.pk}/",
        {
            "version": before.version,
            "content": "改后的内容",
            "id": 5,
            "number": "77",
            "state": "closed",
            "ledger": w.rectification.pk,
            "parent": None,
            "evaluation": "good",
            "closed_at": FORGED_TIME,
            "assigned_on": "2020-01-01",
        },  # fmt: skip
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.json()
    after = Item.objects.get(pk=w.item.pk)
    assert after.content == "改后的内容" and after.version == before.version + 1
    assert (after.ledger_id, after.number, after.state) == (w.ledger.pk, "1", "in_progress")
    assert (after.evaluation, after.closed_at, after.assigned_on) == (
        "", None, before.assigned_on,
    )  # fmt: skip


def test_a_report_is_filed_for_its_period_by_its_author(site_world, login):
    w = site_world
    answer = login(w.amy).post(
        f"/api/ledger-items/{w.item.pk}/reports/",
        {
            "text": "又有进展",
            "percent": 60,
            "submission_key": "mass-1",
            "id": 4242,
            "period": "2001-01",
            "reported_by": w.sam.pk,
            "reported_at": FORGED_TIME,
        },  # fmt: skip
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    report = ProgressReport.objects.get(submission_key="mass-1")
    assert report.pk != 4242 and report.reported_by_id == w.amy.pk
    assert report.period != "2001-01" and report.reported_at.year != 2020


def test_planning_a_meeting_ignores_state_counts_and_minutes(site_world, sam):
    w = site_world
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        answer = sam.post(
            "/api/meetings/",
            {
                "org": w.branch_a.pk,
                "kind": "theme_day",
                "title": "主题党日",
                "starts_at": "2026-11-25T09:00:00+08:00",
                "ends_at": "2026-11-25T11:00:00+08:00",
                "id": 9999,
                "state": "held",
                "expected_count": 99,
                "present_count": 50,
                "leave_count": 3,
                "quorate": True,
                "by_secretary": True,
                "recorded_at": FORGED_TIME,
                "back_filled": True,
                "version": 9,
                "created_by": w.amy.pk,
                "agenda": [
                    {
                        "id": 555,
                        "order": 7,
                        "title": "学习",
                        "discussion": "伪造的讨论",
                        "decision": "伪造的决定",
                    },
                ],
            },  # fmt: skip
            content_type="application/json",
        )
    assert answer.status_code == 201, answer.json()
    meeting = Meeting.objects.get(pk=answer.json()["id"])
    assert meeting.pk != 9999 and meeting.created_by_id == w.sam.pk
    assert (meeting.state, meeting.version, meeting.recorded_at) == ("planned", 1, None)
    assert (meeting.present_count, meeting.leave_count) == (0, 0)
    assert meeting.expected_count == 2  # branch A's two members, counted by the service
    assert not (meeting.quorate or meeting.by_secretary or meeting.back_filled)
    item = meeting.agenda.get()
    assert (item.pk, item.order, item.discussion, item.decision) != (555, 7, "", "")
    assert (item.order, item.discussion, item.decision) == (1, "", "")


def test_a_plan_keeps_its_own_id_and_time(site_world, sam):
    w = site_world
    answer = sam.post(
        "/api/meeting-plans/",
        {
            "org": w.branch_b.pk,
            "year": 2026,
            "month": 12,
            "content": "学习",
            "id": w.plan.pk,
            "updated_at": FORGED_TIME,
        },  # fmt: skip
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.json()
    plan = MeetingPlan.objects.get(pk=answer.json()["id"])
    assert plan.pk != w.plan.pk and plan.org_id == w.branch_b.pk
    assert plan.updated_at.year != 2020
    w.plan.refresh_from_db()
    assert (w.plan.org_id, w.plan.content) == (w.branch_a.pk, "学习讲话精神")
