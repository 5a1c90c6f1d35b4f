"""Attendance decides quorum and compliance, so every change of it is on the audit trail with
the meeting, the person and the status: QR sign-in, the recorder's ticks, an added guest, leave."""

import pytest
from time_machine import travel

from mofan.audit import services as audit
from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput
from mofan.meetings import services
from mofan.meetings.choices import AttendanceStatus, MeetingKind
from mofan.meetings.tests.conftest import at


@pytest.fixture
def meeting(meeting_world):
    with travel("2026-11-18 10:00:00+08:00", tick=False):
        return services.plan_meeting(
            meeting_world.branch_a, actor=meeting_world.alice, kind=MeetingKind.BRANCH_ASSEMBLY,
            title="支部党员大会", starts_at=at(2026, 11, 20, 14), ends_at=at(2026, 11, 20, 16),
        )  # fmt: skip


def _records(action):
    return list(
        AuditEvent.objects.filter(action=action)
        .order_by("pk")
        .values("actor_name", "object_type", "object_id", "changes", "payload")
    )


def test_qr_sign_in_is_audited_once_with_person_and_status(meeting_world, meeting):
    w = meeting_world
    with travel("2026-11-20 13:50:00+08:00", tick=False):
        token = services.sign_in_token(meeting)
        services.sign_in(token, user=w.amy)
        services.sign_in(token, user=w.amy)  # the second scan changes nothing, records nothing
    assert _records("meetings.attendance.signed_in") == [
        {
            "actor_name": "amy",
            "object_type": "meetings.meeting",
            "object_id": str(meeting.pk),
            "changes": {"status": ["expected", "present"]},
            "payload": {
                "person": w.amy_p.pk,
                "person_name": "李四",
                "status": "present",
                "method": "qr",
            },
        }
    ]
    assert audit.verify().ok


def test_the_recorders_ticks_are_audited_with_before_and_after(meeting_world, meeting):
    w = meeting_world
    with travel("2026-11-20 15:00:00+08:00", tick=False):
        services.mark(meeting, w.amy_p, actor=w.alice, status=AttendanceStatus.LEAVE, reason="出差")
        services.mark(meeting, w.amy_p, actor=w.alice, status=AttendanceStatus.PRESENT)
    records = _records("meetings.attendance.marked")
    assert [(r["actor_name"], r["changes"], r["payload"]["status"]) for r in records] == [
        ("alice", {"status": ["expected", "leave"]}, "leave"),
        ("alice", {"status": ["leave", "present"]}, "present"),
    ]
    assert {r["payload"]["person"] for r in records} == {w.amy_p.pk}
    assert records[0]["payload"]["person_name"] == "李四"


def test_a_refused_tick_records_nothing(meeting_world, meeting):
    with pytest.raises(InvalidInput, match="请假须填写事由"):
        services.mark(
            meeting, meeting_world.amy_p, actor=meeting_world.alice, status=AttendanceStatus.LEAVE
        )
    assert _records("meetings.attendance.marked") == []


def test_an_added_guest_is_audited_once(meeting_world, meeting):
    w = meeting_world
    services.add_guest(meeting, w.bob_p, actor=w.alice)
    services.add_guest(meeting, w.bob_p, actor=w.alice)  # already on the list: nothing new
    (record,) = _records("meetings.attendance.added")
    assert record["actor_name"] == "alice"
    assert record["payload"] == {
        "person": w.bob_p.pk,
        "person_name": "王五",
        "status": "expected",
        "role": "guest",
    }


@travel("2026-11-19 10:00:00+08:00", tick=False)
def test_leave_is_audited_with_person_status_and_reason(meeting_world, meeting):
    services.request_leave(meeting, user=meeting_world.amy, reason="出差")
    (record,) = _records("meetings.attendance.leave")
    assert record["changes"] == {"status": ["expected", "leave"]}
    assert record["payload"] == {
        "person": meeting_world.amy_p.pk,
        "person_name": "李四",
        "status": "leave",
        "reason": "出差",
    }


def test_the_recorder_marks_attendance_through_the_api(meeting_world, meeting, login):
    """Found by the cross-organisation probe: the API refused every person as missing (its
    serializer had no request to scope the people by)."""
    w = meeting_world
    with travel("2026-11-20 14:30:00+08:00", tick=False):
        answer = login(w.alice).post(
            f"/api/meetings/{meeting.pk}/attendance/",
            {"person": w.amy_p.pk, "status": "present"},
            content_type="application/json",
        )
        assert answer.status_code == 200, answer.content
        rows = {row["person"]: row["status"] for row in answer.json()}
        assert rows[w.amy_p.pk] == "present"
        # Someone of another branch is refused like a missing person, and nothing changes.
        answer = login(w.bob).post(
            f"/api/meetings/{meeting.pk}/attendance/",
            {"person": w.amy_p.pk, "status": "absent"},
            content_type="application/json",
        )
        assert answer.status_code == 404
    assert meeting.attendance.get(person=w.amy_p).status == "present"
