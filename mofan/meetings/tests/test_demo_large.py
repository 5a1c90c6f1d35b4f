"""The large demo's meetings: written the fast way, yet exactly what the services would keep."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from conftest import make_member
from mofan.meetings import compliance
from mofan.meetings.choices import AttendanceStatus
from mofan.meetings.demo_large import LargeMeetingSeeder
from mofan.meetings.models import Attendance, Meeting
from mofan.orgs import services as orgs
from mofan.orgs.choices import OrgKind, PositionTitle

pytestmark = pytest.mark.django_db


def test_large_meeting_seeder_keeps_the_counts_and_the_sequences(db):
    root = orgs.create_org(
        actor=None, parent=None, kind=OrgKind.COMMITTEE, code="NAT-P0", name="系统党委"
    )
    branch = orgs.create_org(
        actor=None, parent=root, kind=OrgKind.BRANCH, code="NAT-B0", name="第1党支部",
        has_committee=True, founded_on=date(2020, 1, 1),
    )  # fmt: skip
    group = orgs.create_org(
        actor=None, parent=branch, kind=OrgKind.GROUP, code="NAT-B0G", name="党小组"
    )
    unit = orgs.create_unit(actor=None, parent=None, kind="organ", code="NAT-U0", name="示范系统")
    people = [make_member(f"成员{i}", unit, group if i % 2 else branch) for i in range(8)]
    orgs.appoint(
        actor=None,
        person=people[0],
        org=branch,
        title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
    )
    orgs.appoint(
        actor=None,
        person=people[2],
        org=branch,
        title=PositionTitle.ORGANISATION_MEMBER,
        started_on=date(2020, 1, 1),
    )
    seeder = LargeMeetingSeeder(meetings=300, months=6)
    counts = seeder.run()
    assert counts["meetings"] == Meeting.objects.count() and 250 <= counts["meetings"] <= 300
    assert counts["attendance"] == Attendance.objects.count()
    checked = Meeting.objects.annotate(
        rows=Count("attendance"),
        here=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
    )
    for meeting in checked:
        assert meeting.expected_count == meeting.rows and meeting.present_count == meeting.here
        assert meeting.quorate == (meeting.state == "held" and meeting.here * 2 > meeting.rows)
    branch_meeting = Meeting.objects.filter(org=branch, kind="theme_day").first()
    assert branch_meeting.expected_count == 8  # the branch's own members and its group's
    assert Meeting.objects.filter(org=branch, kind="branch_committee").first().expected_count == 2
    assert seeder.already_seeded()
    made = Meeting.objects.create(
        org=branch, kind="theme_day", title="再建一次", starts_at=timezone.now(),
        ends_at=timezone.now() + timezone.timedelta(hours=1), month_index=1,
        created_by_id=Meeting.objects.first().created_by_id,
    )  # fmt: skip
    assert made.pk > counts["meetings"]  # the sequence moved past the seeded ids
    row = Attendance.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():  # the unique constraint is back
        Attendance.objects.create(meeting_id=row.meeting_id, person_id=row.person_id)
    today = timezone.localdate()
    assert compliance.matrix(root, today.year, today).rows
    signed = Attendance.objects.filter(status=AttendanceStatus.PRESENT).select_related("meeting")
    assert all(a.signed_at == a.meeting.starts_at for a in signed[:50])  # times read back exactly


def test_bulk_load_rebuilds_the_indexes_it_dropped(db):
    from django.db import connection

    from mofan.core.bulk import bulk_load

    def indexes():
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, Attendance._meta.db_table)
        return {name for name, info in found.items() if info["index"] or info["unique"]}

    before = indexes()
    with bulk_load(Attendance):
        assert len(indexes()) < len(before)  # dropped while the empty table is filled
    assert indexes() == before
