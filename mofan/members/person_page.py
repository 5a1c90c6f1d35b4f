"""What the member's page (orgs:person_detail) shows of transfers, standing and the records that
follow a member: registered into orgs' PERSON_PAGE_PARTS by this app's ready()."""

from django.utils import timezone

from mofan.access.scoping import Action
from mofan.meetings import services as meetings
from mofan.meetings.choices import AttendanceStatus, MeetingState
from mofan.meetings.models import Attendance
from mofan.members.choices import TransferState
from mofan.members.models import StandingChange, Transfer
from mofan.orgs.models import Membership


def person_page_part(user, person, membership) -> dict:
    """What follows a member wherever their record is kept: the meetings they attended and the
    study hours of the year (in every organisation that kept them), the letter on its way, the
    decisions on their standing; and what the keeper of their record may do next."""
    if membership is None:
        return {}
    today = timezone.localdate()
    attended = (
        Attendance.objects.filter(
            person=person, status=AttendanceStatus.PRESENT, meeting__state=MeetingState.HELD
        )
        .select_related("meeting", "meeting__org")
        .order_by("-meeting__starts_at", "-pk")
    )
    keeps = Membership.objects.restrict(user, Action.TRANSFER).filter(pk=membership.pk).exists()
    return {
        "attended": list(attended[:8]),
        "attended_count": attended.count(),
        "hours": meetings.study_hours(person.pk, today.year),
        "year": today.year,
        "letter": Transfer.objects.filter(person=person, state=TransferState.PENDING)
        .select_related("to_org")
        .first(),
        "standing_changes": list(
            StandingChange.objects.filter(person=person).select_related("org", "meeting")
        ),
        "keeps_record": keeps,
    }
