"""Demo meetings for the small demo: a year of organisational life for every branch and group, as
organisations really keep it (most months met, some missed, a few back-filled), and next week's
branch assembly of 办公厅第一党支部 waiting to be held. Written in bulk with a fixed seed."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from mofan.access.models import User
from mofan.meetings import services
from mofan.meetings.choices import AttendanceRole, AttendanceStatus, MeetingKind, MeetingState
from mofan.meetings.models import Attendance, Meeting
from mofan.orgs.choices import MembershipStatus, OrgKind, PositionTitle
from mofan.orgs.models import Membership, PartyOrg, Position

# (kind, months it is held in: "all", "quarter" (one month of each quarter), "year" (one month))
BRANCH_PATTERN = [
    (MeetingKind.THEME_DAY, "all"),
    (MeetingKind.BRANCH_COMMITTEE, "all"),
    (MeetingKind.BRANCH_ASSEMBLY, "quarter"),
    (MeetingKind.PARTY_LECTURE, "quarter"),
    (MeetingKind.ORG_LIFE_MEETING, "year"),
    (MeetingKind.MEMBER_APPRAISAL, "year"),
    (MeetingKind.HEART_TO_HEART, "year"),
]
TITLES = {
    MeetingKind.THEME_DAY: "{m}月主题党日",
    MeetingKind.BRANCH_COMMITTEE: "{m}月支部委员会会议",
    MeetingKind.BRANCH_ASSEMBLY: "第{q}季度支部党员大会",
    MeetingKind.PARTY_LECTURE: "第{q}季度党课",
    MeetingKind.ORG_LIFE_MEETING: "年度组织生活会",
    MeetingKind.MEMBER_APPRAISAL: "民主评议党员",
    MeetingKind.HEART_TO_HEART: "谈心谈话",
    MeetingKind.GROUP_MEETING: "{m}月党小组会",
}


def seed_small() -> int:
    if Meeting.objects.exists():
        return 0
    rng = random.Random(20261125)  # nosec B311
    today = timezone.localdate()
    creator = User.objects.get(username="shuji_a")
    orgs = list(
        PartyOrg.objects.filter(code__startswith="DEMO-", kind__in=[OrgKind.BRANCH, OrgKind.GROUP])
    )
    members = {}
    for membership in Membership.objects.filter(status=MembershipStatus.NORMAL).select_related(
        "org"
    ):
        for org in orgs:
            if membership.org.path.startswith(org.path):
                members.setdefault(org.pk, []).append(membership.person_id)
    officers = {}
    for position in Position.objects.filter(org__in=orgs, ended_on__isnull=True):
        officers.setdefault(position.org_id, []).append((position.person_id, position.title))
    made = 0
    tz = timezone.get_current_timezone()
    with transaction.atomic():
        for org in orgs:
            plan = (
                BRANCH_PATTERN
                if org.kind == OrgKind.BRANCH
                else [(MeetingKind.GROUP_MEETING, "all")]
            )
            diligence = rng.choice(
                [1.0, 0.99, 0.97, 0.93, 0.8]
            )  # how faithfully this branch keeps it
            for kind, rhythm in plan:
                if kind == MeetingKind.BRANCH_COMMITTEE and not org.has_committee:
                    continue
                for month in _months(rhythm, today.month, rng):
                    if rng.random() > diligence:
                        continue
                    day = today.replace(month=month, day=rng.randint(3, 26))
                    starts = datetime.combine(day, time(rng.choice([9, 14, 15])), tzinfo=tz)
                    if starts >= timezone.now():
                        continue
                    made += _write(
                        org, kind, starts, members.get(org.pk, []), officers.get(org.pk, []),
                        creator, rng,
                    )  # fmt: skip
    _upcoming(creator)
    return made


def _months(rhythm: str, upto: int, rng) -> list[int]:
    """The months of this year a meeting of the rhythm falls in, up to the current month."""
    if rhythm == "all":
        months = list(range(1, 13))
    elif rhythm == "quarter":
        months = [q * 3 + 1 + rng.randint(0, 2) for q in range(4)]
    else:
        months = [rng.randint(1, 12)]
    return [m for m in months if m <= upto]


def _write(org, kind, starts, members, officers, creator, rng) -> int:
    committee = kind == MeetingKind.BRANCH_COMMITTEE
    expected = [person for person, _ in officers] if committee else members
    if not expected:
        return 0
    month = timezone.localtime(starts).month
    ends = starts + timedelta(hours=2 if kind != MeetingKind.HEART_TO_HEART else 1)
    back_filled = rng.random() < 0.06
    recorded = ends + (
        timedelta(days=rng.randint(8, 20)) if back_filled else timedelta(hours=rng.randint(1, 30))
    )
    present_share = rng.uniform(0.55, 1.0)
    statuses = []
    for _ in expected:
        roll = rng.random()
        statuses.append(
            AttendanceStatus.PRESENT if roll < present_share
            else AttendanceStatus.LEAVE if roll < present_share + (1 - present_share) * 0.7
            else AttendanceStatus.ABSENT
        )  # fmt: skip
    present = statuses.count(AttendanceStatus.PRESENT)
    secretary = next((p for p, title in officers if title == PositionTitle.SECRETARY), None)
    lecturer = secretary if kind == MeetingKind.PARTY_LECTURE and rng.random() < 0.6 else None
    meeting = Meeting.objects.create(
        org=org,
        kind=kind,
        title=TITLES[kind].format(m=month, q="一二三四"[(month - 1) // 3]),
        starts_at=starts,
        ends_at=ends,
        place=rng.choice(["机关第一会议室", "机关第三会议室", "党员活动室", "红色教育基地"]),
        state=MeetingState.HELD,
        host_id=secretary,
        lecturer_id=lecturer,
        summary="会议按议程进行，学习了有关精神，研究了支部近期工作。",
        study_hours=services._default_hours(kind, starts, ends),
        month_index=services.month_index(starts),
        expected_count=len(expected),
        present_count=present,
        leave_count=statuses.count(AttendanceStatus.LEAVE),
        quorate=present * 2 > len(expected),
        by_secretary=lecturer is not None and lecturer == secretary,
        recorded_at=recorded,
        back_filled=back_filled,
        created_by=creator,
    )
    Attendance.objects.bulk_create(
        [
            Attendance(
                meeting=meeting,
                person_id=person,
                role=AttendanceRole.MEMBER,
                status=status,
                signed_at=starts if status == AttendanceStatus.PRESENT else None,
                method="roster" if status == AttendanceStatus.PRESENT else "",
                leave_reason="因公出差" if status == AttendanceStatus.LEAVE else "",
            )
            for person, status in zip(expected, statuses, strict=True)
        ]
    )
    return 1


def _upcoming(creator) -> None:
    """Next week's branch assembly of 办公厅第一党支部, planned by its secretary."""
    branch = PartyOrg.objects.get(code="DEMO-B00")
    day = timezone.localdate() + timedelta(days=7)
    tz = timezone.get_current_timezone()
    services.plan_meeting(
        branch,
        actor=creator,
        kind=MeetingKind.BRANCH_ASSEMBLY,
        title="第四季度支部党员大会",
        starts_at=datetime.combine(day, time(14, 30), tzinfo=tz),
        ends_at=datetime.combine(day, time(16, 30), tzinfo=tz),
        place="机关第三会议室",
        agenda=[
            {
                "title": "学习习近平总书记最新重要讲话和重要指示批示精神",
                "is_first_topic": True,
                "materials": "讲话原文及学习辅导材料",
            },
            {"title": "通报支部第四季度工作"},
            {"title": "讨论预备党员转正事宜"},
        ],
        study_hours=Decimal("2"),
    )
