"""Demo files of 发展党员 for the small demo, in 办公厅第一党支部 (DEMO-B00, shuji_a's): one new
application, one whose talk is overdue, an activist whose year is up, a nominee awaiting the
publicity and, when the branch held a general meeting long enough ago, a probationary member
admitted at it. Through the services, in date order; idempotent."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from mofan.meetings.choices import MeetingKind, MeetingState
from mofan.meetings.models import Meeting
from mofan.orgs.models import Membership, PartyOrg, Person
from mofan.recruitment import services
from mofan.recruitment.choices import StepKind
from mofan.recruitment.models import Applicant


def seed_small() -> int:
    branch = PartyOrg.objects.filter(code="DEMO-B00").first()
    if branch is None or Applicant.objects.exists():
        return 0
    today = timezone.localdate()
    adult = today.replace(year=today.year - 20)
    people = list(
        Person.objects.filter(
            membership__isnull=True, user__isnull=True, birth_date__lt=adult
        ).order_by("pk")[:5]
    )
    sponsors = [
        m.person for m in Membership.objects.filter(org=branch, kind="full", status="normal")
        .select_related("person").order_by("pk")[:3]
    ]  # fmt: skip
    if len(people) < 4 or len(sponsors) < 3:
        return 0
    secretary, a, b = sponsors
    days = timedelta

    def step(file, kind, on, actor=None, **fields):
        file.refresh_from_db()
        services.record_step(file, actor=actor, kind=kind, done_on=on, **fields)

    services.open_file(actor=None, person=people[0], org=branch, applied_on=today - days(20))
    services.open_file(actor=None, person=people[1], org=branch, applied_on=today - days(50))

    def activist(person, applied_days_ago):
        file = services.open_file(
            actor=None, person=person, org=branch, applied_on=today - days(applied_days_ago)
        )
        start = today - days(applied_days_ago)
        step(
            file,
            StepKind.TALK,
            start + days(14),
            person_a=secretary,
            note="了解入党动机和对党的认识",
        )
        step(file, StepKind.ACTIVIST, start + days(40), recommendation="members", person_a=a,
             person_b=b, note="党员推荐，支部委员会研究确定")  # fmt: skip
        step(file, StepKind.REVIEW, start + days(40 + 182), note="学习积极，工作表现突出")
        step(file, StepKind.REVIEW, start + days(40 + 365), note="入党动机端正，基本具备党员条件")
        return file

    activist(people[2], 420)
    nominee = activist(people[3], 480)
    nominated = today - days(480) + days(40 + 366)
    step(nominee, StepKind.NOMINEE, nominated, person_a=a, person_b=b,
         note="听取党小组、培养联系人、党员和群众意见，支部委员会讨论同意")  # fmt: skip
    step(nominee, StepKind.POLITICAL, nominated + days(20), note="政治审查合格")
    step(nominee, StepKind.TRAINING, nominated + days(30), days=3, note="机关党委发展对象培训班")
    if len(people) > 4:
        _probationary(branch, people[4], secretary, a, b, today, step)
    return Applicant.objects.count()


def _probationary(branch, person, secretary, a, b, today, step):
    """A member admitted at the branch's last general meeting held 40 to 300 days ago."""
    meeting = (
        Meeting.objects.filter(
            org=branch, kind=MeetingKind.BRANCH_ASSEMBLY, state=MeetingState.HELD,
            starts_at__date__lte=today - timedelta(days=40),
            starts_at__date__gte=today - timedelta(days=300),
        )
        .filter(~Q(title=""))
        .order_by("-starts_at")
        .first()
    )  # fmt: skip
    if meeting is None:
        return
    held = timezone.localtime(meeting.starts_at).date()
    start = held - timedelta(days=600)
    file = services.open_file(
        actor=None, person=person, org=branch, applied_on=start, front_line=True
    )
    step(file, StepKind.TALK, start + timedelta(days=10), person_a=secretary, note="谈话")
    step(file, StepKind.ACTIVIST, start + timedelta(days=30), recommendation="mass_org",
         person_a=a, person_b=b)  # fmt: skip
    step(file, StepKind.REVIEW, start + timedelta(days=200), note="表现良好")
    step(file, StepKind.REVIEW, start + timedelta(days=380), note="表现良好")
    step(file, StepKind.NOMINEE, start + timedelta(days=400), person_a=a, person_b=b)
    step(file, StepKind.POLITICAL, start + timedelta(days=430), note="政治审查合格")
    step(file, StepKind.TRAINING, start + timedelta(days=440), days=3)
    publicity = held - timedelta(days=40)
    step(file, StepKind.PUBLICITY, publicity, ends_on=publicity + timedelta(days=9))
    step(file, StepKind.PRE_REVIEW, publicity + timedelta(days=14))
    entitled = services.entitled_voters(file, held)
    # Those present by the meeting's own attendance; the vote goes into its minutes, by the one
    # who recorded them.
    present = min(entitled, meeting.present_count) if meeting.expected_count else entitled
    step(file, StepKind.ADMISSION, held, actor=meeting.created_by, meeting=meeting,
         present=present, votes_for=present, votes_against=0, votes_abstain=0,
         note="逐个讨论，举手表决")  # fmt: skip
    step(file, StepKind.APPROVAL, held + timedelta(days=30), note="机关党委审批同意")
