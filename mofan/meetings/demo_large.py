"""The meetings of `seed-demo --scale large`: three years of organisational life for the 10,000
organisations, by default about 1,500,000 meetings and 20,000,000 attendance rows.

Rows this many are written the fast way each database offers (mofan.core.bulk: COPY on
PostgreSQL, executemany on SQLite) with ids assigned here, in batches, deterministically. Counts the
compliance engine reads (present, quorate, by the secretary) are computed as the rows are made."""

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from mofan.access.models import User
from mofan.core.bulk import bulk_load, reset_sequences, timestamp, write_lines, write_rows
from mofan.meetings.choices import MeetingKind, MeetingState
from mofan.meetings.models import Attendance, Meeting
from mofan.meetings.services import _default_hours
from mofan.orgs.choices import MembershipStatus, OrgKind, PositionTitle
from mofan.orgs.models import Membership, PartyOrg, Position

SEED = 20261125
BATCH = 25_000  # meetings a batch
PREFIX = "NAT-"
RECORDER = "nat_zuzhi"
TITLES = {
    MeetingKind.THEME_DAY: "{m}月主题党日",
    MeetingKind.BRANCH_COMMITTEE: "{m}月支部委员会会议",
    MeetingKind.BRANCH_ASSEMBLY: "{m}月支部党员大会",
    MeetingKind.PARTY_LECTURE: "{m}月党课",
    MeetingKind.ORG_LIFE_MEETING: "年度组织生活会",
    MeetingKind.MEMBER_APPRAISAL: "民主评议党员",
    MeetingKind.HEART_TO_HEART: "谈心谈话",
    MeetingKind.GROUP_MEETING: "{m}月党小组会",
    MeetingKind.COMMITTEE_MEETING: "{m}月委员会会议",
    MeetingKind.ORGAN_ASSEMBLY: "机关党员干部大会",
    MeetingKind.CENTRAL_GROUP_STUDY: "{m}月中心组学习",
    MeetingKind.DEMOCRATIC_LIFE_MEETING: "年度民主生活会",
}
# (kind, expected meetings a month) by kind of organisation; yearly ones at 1/12.
RATES = {
    OrgKind.BRANCH: [
        (MeetingKind.THEME_DAY, 1.0),
        (MeetingKind.BRANCH_COMMITTEE, 0.4),
        (MeetingKind.BRANCH_ASSEMBLY, 1.0),
        (MeetingKind.PARTY_LECTURE, 0.8),
        (MeetingKind.ORG_LIFE_MEETING, 1 / 12),
        (MeetingKind.MEMBER_APPRAISAL, 1 / 12),
        (MeetingKind.HEART_TO_HEART, 1 / 12),
    ],
    OrgKind.GROUP: [(MeetingKind.GROUP_MEETING, 0.4)],
    OrgKind.GENERAL_BRANCH: [(MeetingKind.COMMITTEE_MEETING, 0.3)],
    OrgKind.ORGAN_COMMITTEE: [
        (MeetingKind.COMMITTEE_MEETING, 1.0),
        (MeetingKind.ORGAN_ASSEMBLY, 1 / 12),
        (MeetingKind.PARTY_LECTURE, 0.25),
    ],
    OrgKind.COMMITTEE: [
        (MeetingKind.COMMITTEE_MEETING, 2.0),
        (MeetingKind.CENTRAL_GROUP_STUDY, 1.0),
        (MeetingKind.DEMOCRATIC_LIFE_MEETING, 1 / 12),
    ],
}
COMMITTEE_KINDS = {
    MeetingKind.BRANCH_COMMITTEE,
    MeetingKind.COMMITTEE_MEETING,
    MeetingKind.CENTRAL_GROUP_STUDY,
    MeetingKind.DEMOCRATIC_LIFE_MEETING,
}
PLACES = ["机关第一会议室", "机关第三会议室", "党员活动室", "红色教育基地"]


class LargeMeetingSeeder:
    def __init__(
        self,
        meetings: int = 1_500_000,
        months: int = 36,
        progress: Callable[[int], None] | None = None,
    ):
        self.target, self.months = meetings, months
        self.rng = random.Random(f"{SEED}-meetings-large")  # nosec B311
        self.progress = progress or (lambda n: None)

    @property
    def total_steps(self) -> int:
        return self.target

    def already_seeded(self) -> bool:
        return Meeting.objects.filter(org__code__startswith=PREFIX).exists()

    def _people(self):
        orgs = list(
            PartyOrg.objects.filter(code__startswith=PREFIX).values_list(
                "pk", "kind", "path", "has_committee", "founded_on"
            )
        )
        by_path = {path: pk for pk, _, path, _, _ in orgs}
        members: dict[int, list[int]] = {}
        steplen = PartyOrg.steplen
        for person, path in Membership.objects.filter(
            org__code__startswith=PREFIX, status=MembershipStatus.NORMAL
        ).values_list("person_id", "org__path"):
            # a member counts for their own organisation and the one above (a group's branch)
            for end in (len(path), len(path) - steplen):
                org = by_path.get(path[:end]) if end > 0 else None
                if org is not None:
                    members.setdefault(org, []).append(person)
        officers: dict[int, list[tuple[int, str]]] = {}
        for person, org, title in Position.objects.filter(
            org__code__startswith=PREFIX, ended_on__isnull=True
        ).values_list("person_id", "org_id", "title"):
            officers.setdefault(org, []).append((person, title))
        return orgs, members, officers

    def _plan(self, orgs, today: date) -> list[tuple]:
        """(org, kind, month index) of every meeting, the rates scaled to reach the target."""
        now = today.year * 12 + today.month - 1
        first = now - self.months + 1
        base = sum(rate for _, kind, *_ in orgs for _, rate in RATES.get(kind, ())) * self.months
        scale = self.target / base if base else 0
        rng, plan = self.rng, []
        for pk, kind, _path, has_committee, founded in orgs:
            start = max(first, founded.year * 12 + founded.month - 1) if founded else first
            for meeting_kind, rate in RATES.get(kind, ()):
                if meeting_kind == MeetingKind.BRANCH_COMMITTEE and not has_committee:
                    continue
                expected = rate * scale
                for month in range(start, now + 1):
                    count = int(expected) + (rng.random() < expected - int(expected))
                    plan.extend((pk, meeting_kind, month) for _ in range(count))
        rng.shuffle(plan)
        return plan[: self.target]

    def run(self) -> dict:
        today = timezone.localdate()
        orgs, members, officers = self._people()
        plan = self._plan(orgs, today)
        plan.sort(key=lambda row: (row[2], row[0]))  # in time order, as they were held
        creator = User.objects.filter(username=RECORDER).values_list("pk", flat=True).first()
        if creator is None:
            creator = User.objects.create(
                username=RECORDER,
                display_name="组织员",
                password=make_password(None),  # unusable: the demo's recorder cannot log in
                password_changed_at=timezone.now(),
            ).pk
        next_meeting = (
            Meeting.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        next_row = (
            Attendance.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1
        tz = timezone.get_current_timezone()
        now = timezone.now()
        secretary_of = {
            org: next((p for p, title in people if title == PositionTitle.SECRETARY), None)
            for org, people in officers.items()
        }
        rng = self.rng
        made = rows_made = 0
        with bulk_load(Attendance):
            for start in range(0, len(plan), BATCH):
                meetings, attendance = [], []
                for org, kind, month in plan[start : start + BATCH]:
                    year, m = divmod(month, 12)
                    day = date(year, m + 1, rng.randint(2, 28 if m == 1 else 30))
                    if day > today:
                        day = today
                    starts = datetime.combine(day, time(rng.choice((9, 14, 15))), tzinfo=tz)
                    ends = starts + timedelta(hours=2)
                    expected = (
                        [p for p, _ in officers.get(org, ())]
                        if kind in COMMITTEE_KINDS
                        else members.get(org, ())
                    )
                    held = starts < now and rng.random() < 0.97
                    meeting_id = next_meeting
                    next_meeting += 1
                    present = leave = 0
                    if held:
                        share = rng.uniform(0.5, 1.0)
                        signed = timestamp(starts)
                        for person in expected:
                            roll = rng.random()
                            if roll < share:
                                present += 1
                                attendance.append(
                                    f"{next_row}\t{meeting_id}\t{person}\tmember\tpresent\t{signed}\troster\t\n"
                                )
                            elif roll < share + (1 - share) * 0.7:
                                leave += 1
                                attendance.append(
                                    f"{next_row}\t{meeting_id}\t{person}\tmember\tleave\t\\N\t\t因公出差\n"
                                )
                            else:
                                attendance.append(
                                    f"{next_row}\t{meeting_id}\t{person}\tmember\tabsent\t\\N\t\t\n"
                                )
                            next_row += 1
                    else:
                        for person in expected:
                            attendance.append(
                                f"{next_row}\t{meeting_id}\t{person}\tmember\texpected\t\\N\t\t\n"
                            )
                            next_row += 1
                    secretary = secretary_of.get(org)
                    by_secretary = (
                        kind == MeetingKind.PARTY_LECTURE
                        and secretary is not None
                        and rng.random() < 0.4
                    )
                    back_filled = held and rng.random() < 0.05
                    recorded = (
                        ends + timedelta(days=rng.randint(8, 30) if back_filled else 0, hours=2)
                        if held
                        else None
                    )
                    meetings.append(
                        (
                            meeting_id, org, kind, TITLES[kind].format(m=m + 1), starts, ends,
                            rng.choice(PLACES), MeetingState.HELD if held else MeetingState.CANCELLED,
                            secretary, secretary if by_secretary else None,
                            "会议按议程进行。" if held else "", _default_hours(kind, starts, ends),
                            month, len(expected), present, leave, held and present * 2 > len(expected),
                            by_secretary, recorded, back_filled, "" if held else "因工作冲突取消",
                            creator, now, 1,
                        )
                    )  # fmt: skip
                with transaction.atomic():
                    write_rows(Meeting, MEETING_COLUMNS, meetings)
                    write_lines(Attendance, ATTENDANCE_COLUMNS, attendance)
                made += len(meetings)
                rows_made += len(attendance)
                self.progress(len(meetings))
        reset_sequences([Meeting, Attendance])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Meeting._meta.db_table}")
                cursor.execute(f"ANALYZE {Attendance._meta.db_table}")
        return {"meetings": made, "attendance": rows_made}


MEETING_COLUMNS = [
    "id", "org_id", "kind", "title", "starts_at", "ends_at", "place", "state", "host_id",
    "lecturer_id", "summary", "study_hours", "month_index", "expected_count", "present_count",
    "leave_count", "quorate", "by_secretary", "recorded_at", "back_filled", "cancel_reason",
    "created_by_id", "created_at", "version",
]  # fmt: skip
ATTENDANCE_COLUMNS = [
    "id",
    "meeting_id",
    "person_id",
    "role",
    "status",
    "signed_at",
    "method",
    "leave_reason",
]
