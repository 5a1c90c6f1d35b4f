"""State changes of organisational life: plan a meeting, notify, sign in, ask for leave, record
the minutes, correct them, cancel. Each is one transaction with its audit record; counts the
compliance engine reads (present, quorate, by the secretary) are kept here, set-based."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core import signing
from django.db import transaction
from django.db.models import Case, Count, F, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from mofan.access.scoping import Action, person_of
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, UserFacingError
from mofan.core.templatetags.mofan import cnwhen
from mofan.meetings import kept
from mofan.meetings.choices import (
    LEADING_GROUP_KINDS,
    STUDY_KINDS,
    AttendanceRole,
    AttendanceStatus,
    MeetingKind,
    MeetingState,
    SignInMethod,
)
from mofan.meetings.models import (
    BACK_FILL_DAYS,
    AgendaItem,
    Attendance,
    Meeting,
    MeetingPlan,
    MeetingRule,
    MinutesRevision,
)
from mofan.orgs.choices import OrgKind, PositionTitle
from mofan.orgs.models import Membership, PartyOrg, Person, Position

SIGN_IN_SALT = "mofan.meetings.sign-in"
SIGN_IN_EARLY = timedelta(minutes=30)  # the QR code opens half an hour before the start
SIGN_IN_LATE = timedelta(minutes=30)  # and closes half an hour after the end

# Which organisations hold which kinds of meeting.
KIND_ORG_KINDS: dict[str, set[str]] = {
    MeetingKind.BRANCH_ASSEMBLY: {OrgKind.BRANCH},
    MeetingKind.BRANCH_COMMITTEE: {OrgKind.BRANCH, OrgKind.GENERAL_BRANCH},
    MeetingKind.GROUP_MEETING: {OrgKind.GROUP},
    MeetingKind.PARTY_LECTURE: {OrgKind.BRANCH, OrgKind.GENERAL_BRANCH, OrgKind.ORGAN_COMMITTEE},
    MeetingKind.THEME_DAY: {OrgKind.BRANCH, OrgKind.GENERAL_BRANCH},
    MeetingKind.ORG_LIFE_MEETING: {OrgKind.BRANCH},
    MeetingKind.MEMBER_APPRAISAL: {OrgKind.BRANCH},
    MeetingKind.HEART_TO_HEART: {OrgKind.BRANCH},
    MeetingKind.ORGAN_ASSEMBLY: {OrgKind.ORGAN_COMMITTEE},
    MeetingKind.DEMOCRATIC_LIFE_MEETING: {OrgKind.COMMITTEE, OrgKind.LEADING_GROUP},
    MeetingKind.COMMITTEE_MEETING: {
        OrgKind.COMMITTEE,
        OrgKind.LEADING_GROUP,
        OrgKind.ORGAN_COMMITTEE,
        OrgKind.GENERAL_BRANCH,
    },
    MeetingKind.CENTRAL_GROUP_STUDY: {OrgKind.COMMITTEE, OrgKind.LEADING_GROUP},
}
# Kinds whose attendees are the organisation's committee (its office holders), not all members.
COMMITTEE_KINDS = frozenset({MeetingKind.BRANCH_COMMITTEE, *LEADING_GROUP_KINDS})


class NotAllowed(UserFacingError):
    status_code = 403


def month_index(moment: datetime) -> int:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return local.year * 12 + local.month - 1


def may_record(user, org: PartyOrg) -> bool:
    return PartyOrg.objects.restrict(user, Action.RECORD).filter(pk=org.pk).exists()


def _require_recorder(user, org: PartyOrg) -> None:
    if not may_record(user, org):
        raise NotAllowed("只有本组织的书记（或上级党建管理员）可以安排和记录会议。")


def eligible_people(org: PartyOrg, kind: str, on: date) -> list[Person]:
    """Who is expected: the office holders for committee and leading-group meetings, otherwise
    the members in good standing of the organisation and its groups on the day (a member who
    transferred since counts where they were then)."""
    if kind in COMMITTEE_KINDS:
        holders = Position.objects.filter(org=org, started_on__lte=on).filter(
            Q(ended_on__isnull=True) | Q(ended_on__gte=on)
        )
        return list(
            Person.objects.filter(pk__in=holders.values("person_id")).order_by("name_stroke_key")
        )
    members = Membership.objects.in_subtree_on(org, on)
    return list(
        Person.objects.filter(pk__in=members.values("person_id")).order_by("name_stroke_key")
    )


def _check_kind(org: PartyOrg, kind: str) -> None:
    if kind not in MeetingKind.values:
        raise InvalidInput("会议类型无效。")
    if org.kind not in KIND_ORG_KINDS[kind]:
        raise InvalidInput(f"{org.get_kind_display()}不召开{MeetingKind(kind).label}。")
    if kind == MeetingKind.BRANCH_COMMITTEE and not org.has_committee:
        raise InvalidInput("该党支部未设支部委员会，不召开支部委员会会议。")


MAX_AGENDA_ITEMS = 5
YEARS = range(2000, 2101)  # the years meetings and plans are kept for


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if timezone.localtime(starts_at).year not in YEARS:
        raise InvalidInput("会议时间应在2000年至2100年之间，请核对日期。")
    if ends_at <= starts_at:
        raise InvalidInput("结束时间须晚于开始时间。")
    if ends_at - starts_at > timedelta(days=3):
        raise InvalidInput("一次会议最长 3 天，请核对时间。")


def _default_hours(kind: str, starts_at: datetime, ends_at: datetime) -> Decimal:
    if kind not in STUDY_KINDS:
        return Decimal("0")
    hours = (ends_at - starts_at).total_seconds() / 3600
    return Decimal(str(round(min(hours, 8.0) * 2) / 2))  # half hours, a day at most


@transaction.atomic
def plan_meeting(
    org: PartyOrg,
    *,
    actor,
    kind: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    agenda: list[dict] = (),
    guests: list[Person] = (),
    host: Person | None = None,
    recorder: Person | None = None,
    lecturer: Person | None = None,
    study_hours: Decimal | None = None,
    topic=None,
    report_due_on: date | None = None,
) -> Meeting:
    """A planned meeting with its agenda and its expected attendees."""
    _require_recorder(actor, org)
    _check_kind(org, kind)
    _check_times(starts_at, ends_at)
    if not title.strip():
        raise InvalidInput("请填写会议名称。")
    if study_hours is not None and not 0 <= study_hours <= 24:
        raise InvalidInput("计入学时应在0到24之间。")
    if len([e for e in agenda if (e.get("title") or "").strip()]) > MAX_AGENDA_ITEMS:
        raise InvalidInput(f"议程最多 {MAX_AGENDA_ITEMS} 项。")
    day = timezone.localtime(starts_at).date()
    if org.dissolved_on and org.dissolved_on < day:
        raise InvalidInput("该组织已撤销，不能再安排会议。")
    if topic is not None and topic.org_id != org.pk:
        raise InvalidInput("学习专题不属于本组织。")
    if report_due_on is not None and report_due_on < day:
        raise InvalidInput("学习报告提交期限不能早于会议日期。")
    meeting = Meeting.objects.create(
        org=org,
        kind=kind,
        title=title.strip()[:200],
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip()[:200],
        host=host,
        recorder=recorder,
        lecturer=lecturer,
        study_hours=_default_hours(kind, starts_at, ends_at)
        if study_hours is None
        else study_hours,
        month_index=month_index(starts_at),
        topic=topic,
        report_due_on=report_due_on,
        created_by=actor,
    )
    _replace_agenda(meeting, agenda)
    expected = eligible_people(org, kind, day)
    invited = [p for p in guests if p.pk not in {e.pk for e in expected}]
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person=p, role=AttendanceRole.MEMBER) for p in expected]
        + [Attendance(meeting=meeting, person=p, role=AttendanceRole.GUEST) for p in invited]
    )
    refresh_counts(meeting)
    audit.record(
        actor,
        "meetings.meeting.planned",
        meeting,
        payload={"org": org.pk, "kind": kind, "starts_at": starts_at.isoformat()},
    )
    return meeting


def _replace_agenda(meeting: Meeting, agenda) -> None:
    meeting.agenda.all().delete()
    items = []
    for order, entry in enumerate(agenda, start=1):
        title = (entry.get("title") or "").strip()
        if not title:
            continue
        items.append(
            AgendaItem(
                meeting=meeting,
                order=order,
                title=title[:300],
                is_first_topic=bool(entry.get("is_first_topic")),
                presenter=entry.get("presenter"),
                materials=(entry.get("materials") or "").strip(),
            )
        )
    AgendaItem.objects.bulk_create(items)


def first_topic_missing(meeting: Meeting) -> bool:
    """第一议题: a 党委（党组）会议 whose first agenda item is not marked as such is flagged."""
    if meeting.kind != MeetingKind.COMMITTEE_MEETING:
        return False
    first = meeting.agenda.order_by("order").first()
    return first is None or not first.is_first_topic


def refresh_counts(meeting: Meeting) -> None:
    """Expected, present and leave counts and the quorum, recounted in one UPDATE."""
    members = Attendance.objects.filter(meeting=OuterRef("pk"), role=AttendanceRole.MEMBER)

    def counted(queryset):
        return Coalesce(
            Subquery(queryset.values("meeting").annotate(n=Count("pk")).values("n")), Value(0)
        )

    Meeting.objects.filter(pk=meeting.pk).update(
        expected_count=counted(members),
        present_count=counted(members.filter(status=AttendanceStatus.PRESENT)),
        leave_count=counted(members.filter(status=AttendanceStatus.LEAVE)),
    )
    Meeting.objects.filter(pk=meeting.pk).update(
        quorate=Case(
            When(Q(present_count__gt=F("expected_count") / 2.0), then=Value(True)),
            default=Value(False),
        )
    )
    meeting.refresh_from_db(
        fields=["expected_count", "present_count", "leave_count", "quorate", "state"]
    )
    if meeting.state == MeetingState.HELD:
        kept.meeting_changed(meeting)  # the quorum may have moved, or it was just recorded


@transaction.atomic
@dataclass(frozen=True)
class Reach:
    """Whom a meeting notice reached, and who on the list it did not, with why."""

    sent: int
    missed: list[tuple[str, str]]

    def message(self) -> str:
        text = f"已向 {self.sent} 人发送会议通知。"
        if self.missed:
            shown = "、".join(f"{name}（{why}）" for name, why in self.missed[:20])
            more = f"等 {len(self.missed)} 人" if len(self.missed) > 20 else ""
            text += f"以下人员未收到，请另行通知：{shown}{more}。"
        return text


def notify_attendees(meeting: Meeting, *, actor) -> Reach:
    """The notice of the meeting to every attendee with an account (in-app; by e-mail to those
    with an address), and one message to the unit's group robots. Says who on the list it could
    not reach (no account, or a deactivated one)."""
    from mofan.notify import services as notify

    _require_recorder(actor, meeting.org)
    if meeting.state != MeetingState.PLANNED:
        raise InvalidInput("只能通知尚未召开的会议。")
    when = cnwhen(meeting.starts_at)
    body = f"{meeting.org.display_name}定于{when}在{meeting.place or '（地点另行通知）'}召开{meeting.title}，请准时参加。"
    first = meeting.agenda.filter(is_first_topic=True).first()
    if first and first.materials:
        body += f"第一议题学习材料：{first.materials}"
    url = reverse("meetings:meeting", args=[meeting.pk])
    notices = [
        notify.Notice(
            user_id=user_id,
            kind="meeting",
            title=f"会议通知：{meeting.title}",
            body=body,
            url=url,
            dedupe_key=f"meeting:{meeting.pk}:notice:{meeting.version}:{user_id}",
        )
        for user_id in meeting.attendance.filter(
            person__user__isnull=False, person__user__is_active=True
        ).values_list("person__user__id", flat=True)
    ]
    missed = [
        (name, "无系统账号" if active is None else "账号已停用")
        for name, active in meeting.attendance.exclude(person__user__is_active=True)
        .order_by("person__name_stroke_key")
        .values_list("person__name", "person__user__is_active")
    ]
    created = notify.create(notices)
    person = meeting.host or getattr(actor, "person", None)
    if person is not None:  # the group robots of the host's (or the secretary's) unit
        notify.queue_webhook(person.unit, f"meeting:{meeting.pk}:{meeting.version}", body)
    Meeting.objects.filter(pk=meeting.pk).update(notified_at=timezone.now())
    meeting.refresh_from_db(fields=["notified_at"])
    audit.record(
        actor,
        "meetings.meeting.notified",
        meeting,
        payload={"notices": created, "missed": len(missed)},
    )
    return Reach(sent=len(notices), missed=missed)


def materials_late(meeting: Meeting) -> bool:
    """第一议题 materials are to reach attendees at least a day before the meeting."""
    if not meeting.agenda.filter(is_first_topic=True).exists():
        return False
    return meeting.notified_at is None or meeting.notified_at > meeting.starts_at - timedelta(
        days=1
    )


# -- sign-in -------------------------------------------------------------------------------


def sign_in_token(meeting: Meeting) -> str:
    """What the QR code carries: the meeting, signed with the server's key, so it can be neither
    forged nor used for another meeting; the server checks the time window on every scan."""
    return signing.dumps({"m": meeting.pk}, salt=SIGN_IN_SALT, compress=True)


def meeting_for_token(token: str) -> Meeting:
    try:
        data = signing.loads(token, salt=SIGN_IN_SALT)
    except signing.BadSignature as error:
        raise InvalidInput("签到码无效，请扫描会场展示的二维码。") from error
    meeting = Meeting.objects.select_related("org").filter(pk=data.get("m")).first()
    if meeting is None:
        raise InvalidInput("签到码无效，请扫描会场展示的二维码。")
    return meeting


def sign_in_open(meeting: Meeting, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        meeting.state != MeetingState.CANCELLED
        and meeting.starts_at - SIGN_IN_EARLY <= now <= meeting.ends_at + SIGN_IN_LATE
    )


def attendee(meeting: Meeting, user, *, lock: bool = False) -> Attendance:
    """The user's row in the meeting's attendance (locked for update when asked), or NotAllowed
    in Chinese."""
    person_id = person_of(user)
    rows = meeting.attendance.select_for_update() if lock else meeting.attendance.all()
    row = rows.filter(person_id=person_id).first() if person_id else None
    if row is None:
        raise NotAllowed("您不在本次会议的应到名单中，请联系会议记录人。")
    return row


@transaction.atomic
def sign_in(token: str, *, user) -> tuple[Meeting, bool]:
    """Sign the user in by the meeting's QR code. Returns (meeting, newly signed in)."""
    meeting = meeting_for_token(token)
    if not sign_in_open(meeting):
        raise InvalidInput("不在签到时间内：会议开始前30分钟至结束后30分钟可以签到。")
    row = attendee(meeting, user, lock=True)
    if row.status == AttendanceStatus.PRESENT:
        return meeting, False
    was = row.status
    was_leave = was == AttendanceStatus.LEAVE
    row.status, row.signed_at, row.method = (
        AttendanceStatus.PRESENT,
        timezone.now(),
        SignInMethod.QR,
    )
    row.leave_reason = ""
    row.save(update_fields=["status", "signed_at", "method", "leave_reason"])
    if row.role == AttendanceRole.MEMBER:
        # One UPDATE, no recount: two hundred people scan within a minute.
        Meeting.objects.filter(pk=meeting.pk).update(
            present_count=F("present_count") + 1,
            leave_count=F("leave_count") - (1 if was_leave else 0),
            quorate=Case(
                When(Q(expected_count__lt=(F("present_count") + 1) * 2), then=Value(True)),
                default=Value(False),
            ),
        )
        if meeting.state == MeetingState.HELD:  # signed in after the minutes: the quorum
            kept.meeting_changed(meeting)
    _record_attendance(
        user,
        "signed_in",
        meeting,
        row,
        person_name=user.display_name or user.username,
        previous=was,
        method="qr",
    )
    return meeting, True


@transaction.atomic
def mark(meeting: Meeting, person: Person, *, actor, status: str, reason: str = "") -> Attendance:
    """The recorder ticks the roster: present, on leave (with a reason) or absent."""
    _require_recorder(actor, meeting.org)
    if meeting.state == MeetingState.CANCELLED:
        raise InvalidInput("会议已取消。")
    if status not in (
        AttendanceStatus.PRESENT,
        AttendanceStatus.LEAVE,
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXPECTED,
    ):
        raise InvalidInput("出席情况无效。")
    if status == AttendanceStatus.LEAVE and not reason.strip():
        raise InvalidInput("请假须填写事由。")
    row = Attendance.objects.select_for_update().filter(meeting=meeting, person=person).first()
    if row is None:
        raise InvalidInput("该人员不在本次会议的名单中。")
    previous = row.status
    row.status = status
    row.leave_reason = reason.strip()[:200] if status == AttendanceStatus.LEAVE else ""
    if status == AttendanceStatus.PRESENT and row.signed_at is None:
        row.signed_at, row.method = timezone.now(), SignInMethod.ROSTER
    row.save(update_fields=["status", "leave_reason", "signed_at", "method"])
    refresh_counts(meeting)
    _record_attendance(actor, "marked", meeting, row, person_name=person.name, previous=previous)
    return row


@transaction.atomic
def mark_roster(meeting: Meeting, marks: dict[int, tuple[str, str]], *, actor) -> int:
    """The recorder's whole roster in one go: {person id: (status, leave reason)}. All or
    nothing: a leave without a reason, or a person not on the list, refuses the lot, naming each.
    Returns how many rows changed; each change is recorded as `mark` records it."""
    _require_recorder(actor, meeting.org)
    if meeting.state == MeetingState.CANCELLED:
        raise InvalidInput("会议已取消。")
    rows = {
        row.person_id: row
        for row in Attendance.objects.select_for_update()
        .filter(meeting=meeting)
        .select_related("person")
    }
    allowed = {
        AttendanceStatus.PRESENT,
        AttendanceStatus.LEAVE,
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXPECTED,
    }
    problems = []
    for person_id, (status, reason) in marks.items():
        row = rows.get(person_id)
        if row is None:
            problems.append("名单中没有所选人员")
        elif status not in allowed:
            problems.append(f"{row.person.name}：出席情况无效")
        elif status == AttendanceStatus.LEAVE and not reason.strip():
            problems.append(f"{row.person.name}：请假须填写事由")
    if problems:
        raise InvalidInput("；".join(dict.fromkeys(problems)) + "。出席名单未保存。")
    changed = 0
    now = timezone.now()
    for person_id, (status, reason) in marks.items():
        row = rows[person_id]
        leave = reason.strip()[:200] if status == AttendanceStatus.LEAVE else ""
        if (row.status, row.leave_reason) == (status, leave):
            continue
        previous = row.status
        row.status, row.leave_reason = status, leave
        if status == AttendanceStatus.PRESENT and row.signed_at is None:
            row.signed_at, row.method = now, SignInMethod.ROSTER
        row.save(update_fields=["status", "leave_reason", "signed_at", "method"])
        _record_attendance(
            actor, "marked", meeting, row, person_name=row.person.name, previous=previous
        )
        changed += 1
    refresh_counts(meeting)
    return changed


@transaction.atomic
def add_guest(
    meeting: Meeting, person: Person, *, actor, role: str = AttendanceRole.GUEST
) -> Attendance:
    _require_recorder(actor, meeting.org)
    row, created = Attendance.objects.get_or_create(
        meeting=meeting, person=person, defaults={"role": role}
    )
    if created:
        _record_attendance(actor, "added", meeting, row, person_name=person.name, role=row.role)
    return row


@transaction.atomic
def request_leave(meeting: Meeting, *, user, reason: str) -> Attendance:
    """An attendee asks for leave, with the reason, before the meeting ends."""
    if not reason.strip():
        raise InvalidInput("请填写请假事由。")
    if meeting.state != MeetingState.PLANNED or timezone.now() > meeting.ends_at:
        raise InvalidInput("会议已结束，不能再请假。")
    row = attendee(meeting, user, lock=True)
    if row.status == AttendanceStatus.PRESENT:
        raise InvalidInput("您已签到，无需请假。")
    previous = row.status
    row.status, row.leave_reason = AttendanceStatus.LEAVE, reason.strip()[:200]
    row.save(update_fields=["status", "leave_reason"])
    refresh_counts(meeting)
    name = user.display_name or user.username
    _record_attendance(
        user, "leave", meeting, row, person_name=name, previous=previous, reason=row.leave_reason
    )
    return row


def _record_attendance(
    actor, what: str, meeting: Meeting, row: Attendance, *, person_name: str, previous=None, **more
) -> None:
    """Attendance decides quorum and compliance, so each change is on the audit trail: the
    meeting, whose row (the person), the status it now has and the one it had before."""
    audit.record(
        actor,
        f"meetings.attendance.{what}",
        meeting,
        changes={"status": [previous, row.status]} if previous is not None else None,
        payload={"person": row.person_id, "person_name": person_name, "status": row.status, **more},
    )


# -- minutes -------------------------------------------------------------------------------


def _snapshot(meeting: Meeting) -> dict:
    return {
        "host": meeting.host_id,
        "recorder": meeting.recorder_id,
        "lecturer": meeting.lecturer_id,
        "place": meeting.place,
        "summary": meeting.summary,
        "study_hours": str(meeting.study_hours),
        "agenda": [
            {"id": a.pk, "title": a.title, "discussion": a.discussion, "decision": a.decision}
            for a in meeting.agenda.all()
        ],
    }


def _is_secretary(person: Person | None, org: PartyOrg, on: date) -> bool:
    if person is None:
        return False
    return (
        Position.objects.filter(
            person=person, org=org, title=PositionTitle.SECRETARY, started_on__lte=on
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=on))
        .exists()
    )


@transaction.atomic
def record_minutes(
    meeting: Meeting,
    *,
    actor,
    version: int,
    summary: str,
    agenda: dict[int, dict] | None = None,
    host: Person | None = None,
    recorder: Person | None = None,
    lecturer: Person | None = None,
    place: str | None = None,
    study_hours: Decimal | None = None,
    reason: str = "",
) -> Meeting:
    """The minutes: who hosted and recorded, what was discussed and decided per agenda item.
    Recorded more than 7 days after the meeting: 补记录. After 48 hours the minutes are locked:
    a later correction needs a reason and keeps the earlier version."""
    meeting = Meeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)
    _require_recorder(actor, meeting.org)
    if meeting.version != version:
        raise StaleEdit("会议记录已被他人修改，请刷新后再改。")
    if meeting.state == MeetingState.CANCELLED:
        raise InvalidInput("会议已取消，不能记录。")
    now = timezone.now()
    if meeting.starts_at > now:
        raise InvalidInput("会议尚未开始，不能记录。")
    if not summary.strip():
        raise InvalidInput("请填写会议情况。")
    unknown = {str(k) for k in (agenda or {})} - {
        str(pk) for pk in meeting.agenda.values_list("pk", flat=True)
    }
    if unknown:
        raise InvalidInput(f"议程项 {'、'.join(sorted(unknown))} 不属于本次会议。")
    correcting = meeting.locked
    if correcting:
        if not reason.strip():
            raise InvalidInput("会议记录已锁定（记录满48小时），修改须填写原因，原记录将保留。")
        MinutesRevision.objects.create(
            meeting=meeting,
            content=_snapshot(meeting),
            reason=reason.strip()[:300],
            changed_by=actor,
        )
    first_time = meeting.recorded_at is None
    meeting.summary = summary.strip()
    for name, value in (("host", host), ("recorder", recorder), ("lecturer", lecturer)):
        if value is not None:
            setattr(meeting, name, value)
    if place is not None:
        meeting.place = place.strip()[:200]
    if study_hours is not None:
        if study_hours < 0 or study_hours > 24:
            raise InvalidInput("计入学时应在0到24之间。")
        meeting.study_hours = study_hours
    day = timezone.localtime(meeting.starts_at).date()
    if first_time:
        meeting.recorded_at = now
        meeting.back_filled = timezone.localtime(now).date() > day + timedelta(days=BACK_FILL_DAYS)
    meeting.state = MeetingState.HELD
    meeting.by_secretary = meeting.kind == MeetingKind.PARTY_LECTURE and _is_secretary(
        meeting.lecturer, meeting.org, day
    )
    meeting.version += 1
    meeting.save()
    by_key = {str(k): v for k, v in (agenda or {}).items()}
    for item in meeting.agenda.all():
        entry = by_key.get(str(item.pk))
        if entry is not None:
            item.discussion = (entry.get("discussion") or "").strip()
            item.decision = (entry.get("decision") or "").strip()
            item.save(update_fields=["discussion", "decision"])
    refresh_counts(meeting)
    audit.record(
        actor,
        "meetings.minutes.corrected" if correcting else "meetings.minutes.recorded",
        meeting,
        payload={"back_filled": meeting.back_filled, "reason": reason.strip()[:300]},
    )
    return meeting


def append_decision(meeting: Meeting, *, actor, title: str, decision: str, reason: str):
    """An agenda item another app's decision adds to a held meeting's minutes (e.g. the vote of a
    支部党员大会 on an applicant): appended after the items already there. On locked minutes the
    earlier version is kept with the reason, as any correction. Called inside the caller's
    transaction; the caller has checked that the actor may decide this."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state != MeetingState.HELD:
        raise InvalidInput("会议尚未登记为已召开，不能记入议程。")
    if meeting.locked:
        MinutesRevision.objects.create(
            meeting=meeting, content=_snapshot(meeting), reason=reason[:300], changed_by=actor
        )
    last = meeting.agenda.aggregate(last=Max("order"))["last"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting, order=last + 1, title=title[:300], decision=decision
    )
    meeting.version += 1
    meeting.save(update_fields=["version"])
    audit.record(
        actor, "meetings.minutes.decision", meeting, payload={"item": item.pk, "reason": reason}
    )
    return item


@transaction.atomic
def cancel(meeting: Meeting, *, actor, reason: str) -> Meeting:
    _require_recorder(actor, meeting.org)
    if meeting.state != MeetingState.PLANNED:
        raise InvalidInput("只能取消尚未召开的会议。")
    if not reason.strip():
        raise InvalidInput("取消会议须说明原因。")
    meeting.state, meeting.cancel_reason = MeetingState.CANCELLED, reason.strip()[:200]
    meeting.version += 1
    meeting.save(update_fields=["state", "cancel_reason", "version"])
    audit.record(
        actor, "meetings.meeting.cancelled", meeting, payload={"reason": meeting.cancel_reason}
    )
    return meeting


@transaction.atomic
def save_plan(
    org: PartyOrg, *, actor, year: int, month: int | None, content: str, version: int | None
) -> MeetingPlan:
    """An organisation's annual (month empty) or monthly plan; a stale edit is refused."""
    _require_recorder(actor, org)
    if not content.strip():
        raise InvalidInput("计划内容不能为空。")
    if month is not None and not 1 <= month <= 12:
        raise InvalidInput("月份应在1到12之间。")
    if year not in YEARS:
        raise InvalidInput("年度应在2000年至2100年之间。")
    plan = MeetingPlan.objects.select_for_update().filter(org=org, year=year, month=month).first()
    if plan is None:
        plan = MeetingPlan.objects.create(
            org=org, year=year, month=month, content=content.strip(), updated_by=actor
        )
    else:
        if version is not None and plan.version != version:
            raise StaleEdit("计划已被他人修改，请刷新后再改。")
        plan.content, plan.updated_by = content.strip(), actor
        plan.version += 1
        plan.save()
    audit.record(actor, "meetings.plan.saved", plan, payload={"year": year, "month": month})
    return plan


# -- rules ---------------------------------------------------------------------------------


@transaction.atomic
def add_local_rule(org: PartyOrg, *, actor, **fields) -> MeetingRule:
    """A stricter rule for an organisation's subtree, added by an org admin whose scope covers it.
    It can only add to the national floor: the floor itself stays whatever is added here."""
    if not PartyOrg.objects.restrict(actor, Action.CHANGE).filter(pk=org.pk).exists():
        raise NotAllowed("只有管辖该组织的党建管理员可以增加本地规定。")
    if not fields.get("org_kinds"):
        raise InvalidInput("请选择适用的组织类别。")
    if not (fields.get("article") or "").strip():
        raise InvalidInput("请填写依据。")
    rule = MeetingRule.objects.create(org=org, is_floor=False, created_by=actor, **fields)
    audit.record(
        actor,
        "meetings.rule.added",
        rule,
        payload={"org": org.pk, "kind": rule.kind, "period": rule.period, "minimum": rule.minimum},
    )
    kept.subtree_changed(org, rule.effective_from.year)
    return rule


@transaction.atomic
def end_rule(rule: MeetingRule, *, actor, on: date) -> MeetingRule:
    """A local rule stops applying from a date; the national floor cannot be ended."""
    rule = MeetingRule.objects.select_for_update(of=("self",)).get(pk=rule.pk)
    if rule.is_floor or rule.org_id is None:
        raise InvalidInput("全国底线规定不能停止或删除。")
    if not PartyOrg.objects.restrict(actor, Action.CHANGE).filter(pk=rule.org_id).exists():
        raise NotAllowed("只有管辖该组织的党建管理员可以停止本地规定。")
    if on < rule.effective_from:
        raise InvalidInput("停止日期不能早于施行日期。")
    rule.effective_to = on
    rule.version += 1
    rule.save(update_fields=["effective_to", "version"])
    audit.record(actor, "meetings.rule.ended", rule, payload={"on": on.isoformat()})
    kept.subtree_changed(rule.org, on.year)
    return rule


# -- 学习传达督促落实: an agenda item becomes work in a ledger ------------------------------------


@transaction.atomic
def create_ledger_item(
    agenda_item: AgendaItem,
    *,
    actor,
    ledger,
    content: str,
    lead_unit=None,
    deadline: date | None = None,
    ongoing: bool = False,
):
    """A draft item in a ledger the actor supervises, linked to the agenda item it came from; the
    meeting is recorded once per ledger as the items' source (kind "meeting")."""
    from mofan.ledger import services as ledger_services
    from mofan.ledger.choices import SourceKind

    meeting = agenda_item.meeting
    if not Meeting.objects.restrict(actor, Action.VIEW).filter(pk=meeting.pk).exists():
        raise NotAllowed("您无权查看该会议。")
    if not ledger_services.is_ledger_supervisor(actor, ledger):
        raise NotAllowed("只能在您督办的台账中生成督办事项。")
    if meeting.state != MeetingState.HELD:
        raise InvalidInput("会议召开并记录后，才能把议定事项生成督办事项。")
    day = timezone.localtime(meeting.starts_at).date()
    source = ledger.sources.filter(
        kind=SourceKind.MEETING, title=meeting.title[:300], issued_on=day
    ).first()
    if source is None:
        source = ledger_services.add_source(
            ledger,
            actor=actor,
            kind=SourceKind.MEETING,
            title=meeting.title[:300],
            issuer=meeting.org.display_name[:100],
            issued_on=day,
        )
    item = ledger_services.add_item(
        ledger,
        actor=actor,
        source=source,
        agenda_item=agenda_item,
        content=content,
        lead_unit=lead_unit,
        deadline=deadline,
        ongoing=ongoing,
        report_cycle="monthly",
    )
    audit.record(
        actor,
        "meetings.agenda.tasked",
        meeting,
        payload={"agenda_item": agenda_item.pk, "ledger": ledger.pk, "item": item.pk},
    )
    return item


# -- 理论学习中心组: the annual plan's topics, 巡听旁听, 一学一报 --------------------------------

_TOPIC_LINE = re.compile(r"^\s*(?:(\d{1,2})\s*月\s*[：:、.．]?\s*)?(.+?)\s*$")


@transaction.atomic
def save_topics(org: PartyOrg, *, actor, year: int, text: str) -> list:
    """The annual study plan's topics, one a line ("3月：专题" names the planned month). Topics a
    session already took up keep their link; the list is replaced in order."""
    from mofan.meetings.models import StudyTopic

    _require_recorder(actor, org)
    if org.kind not in KIND_ORG_KINDS[MeetingKind.CENTRAL_GROUP_STUDY]:
        raise InvalidInput("只有党委（党组）设理论学习中心组。")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise InvalidInput("请至少填写一个学习专题。")
    existing = {t.order: t for t in StudyTopic.objects.filter(org=org, year=year)}
    kept = []
    for order, line in enumerate(lines, start=1):
        found = _TOPIC_LINE.match(line)
        month = int(found[1]) if found[1] else None
        if month is not None and not 1 <= month <= 12:
            raise InvalidInput(f"第{order}行的月份无效。")
        topic = existing.pop(order, None) or StudyTopic(org=org, year=year, order=order)
        topic.title, topic.planned_month = found[2][:300], month
        topic.save()
        kept.append(topic)
    for stale in existing.values():
        stale.delete()
    audit.record(actor, "meetings.topics.saved", org, payload={"year": year, "topics": len(kept)})
    return kept


def _observes_from_above(user, org: PartyOrg) -> bool:
    """An observer from above: the user's view scope starts at an organisation above this one."""
    above = PartyOrg.objects.restrict(user, Action.VIEW).ancestors_of(org, including_self=False)
    return above.exists()


@transaction.atomic
def record_sit_in(meeting: Meeting, *, actor, attended: bool, rating: str, comment: str):
    """巡听旁听 of a 中心组 session, recorded by an observer from a higher organisation."""
    from mofan.meetings.choices import Rating
    from mofan.meetings.models import SitIn

    if meeting.kind != MeetingKind.CENTRAL_GROUP_STUDY:
        raise InvalidInput("巡听旁听只针对理论学习中心组学习。")
    if not _observes_from_above(actor, meeting.org):
        raise NotAllowed("巡听旁听须由上级党组织的人员进行。")
    if rating not in Rating.values or not comment.strip():
        raise InvalidInput("请选择评价并填写意见建议。")
    if meeting.starts_at > timezone.now():
        raise InvalidInput("会议尚未开始。")
    sit_in, created = SitIn.objects.update_or_create(
        meeting=meeting,
        defaults={
            "observer": actor,
            "attended": attended,
            "rating": rating,
            "comment": comment.strip(),
        },
    )
    person_id = person_of(actor)
    if person_id:
        Attendance.objects.get_or_create(
            meeting=meeting,
            person_id=person_id,
            defaults={
                "role": AttendanceRole.OBSERVER,
                "status": AttendanceStatus.PRESENT if attended else AttendanceStatus.ABSENT,
            },
        )
    audit.record(
        actor, "meetings.sit_in.recorded", meeting, payload={"rating": rating, "new": created}
    )
    return sit_in


@transaction.atomic
def submit_study_report(meeting: Meeting, *, user, text: str):
    """一学一报: a participant's report after a 中心组 session; may be revised, stays on time if
    first sent on time."""
    from mofan.meetings.models import StudyReport

    meeting = Meeting.objects.get(pk=meeting.pk)  # as it stands now, not as the caller read it
    if meeting.kind != MeetingKind.CENTRAL_GROUP_STUDY or meeting.report_due_on is None:
        raise InvalidInput("本次会议不要求提交学习报告。")
    if meeting.state != MeetingState.HELD:
        raise InvalidInput("会议召开并记录后才能提交学习报告。")
    if not text.strip():
        raise InvalidInput("学习报告不能为空。")
    row = attendee(meeting, user)
    if row.role != AttendanceRole.MEMBER:
        raise NotAllowed("学习报告由中心组成员提交。")
    report, created = StudyReport.objects.get_or_create(
        meeting=meeting, person_id=row.person_id, defaults={"text": text.strip()}
    )
    if not created:
        report.text = text.strip()
        report.save(update_fields=["text"])
    audit.record(user, "meetings.study_report.submitted", meeting, payload={"new": created})
    return report


def study_report_status(meeting: Meeting, today: date | None = None) -> list[dict]:
    """Each member of the session: submitted, submitted late, due, or overdue."""
    today = today or timezone.localdate()
    reports = {r.person_id: r for r in meeting.study_reports.all()}
    rows = []
    for row in meeting.attendance.filter(role=AttendanceRole.MEMBER).select_related("person"):
        report = reports.get(row.person_id)
        if report is not None:
            late = timezone.localtime(report.submitted_at).date() > meeting.report_due_on
            status = ("late", "逾期提交") if late else ("submitted", "已提交")
        else:
            status = ("overdue", "逾期未交") if today > meeting.report_due_on else ("due", "待提交")
        rows.append(
            {"person": row.person, "report": report, "status": status[0], "label": status[1]}
        )
    return rows


@transaction.atomic
def attach_file(meeting: Meeting, *, actor, upload):
    """A photo (thumbnailed) or a file of the meeting, within type and size limits."""
    from django.core.files.base import ContentFile

    from mofan.core.uploads import PHOTOS, check_upload, extension, thumbnail
    from mofan.meetings.models import MeetingFile

    _require_recorder(actor, meeting.org)
    if meeting.state == MeetingState.CANCELLED:
        raise InvalidInput("会议已取消。")
    name = check_upload(upload)
    photo = extension(name) in PHOTOS
    small = thumbnail(upload) if photo else None
    stored = MeetingFile(
        meeting=meeting, name=name, size=upload.size, is_photo=photo, uploaded_by=actor
    )
    stored.file.save(name, upload, save=False)
    if small is not None:
        stored.thumbnail.save(f"thumb-{name.rsplit('.', 1)[0]}.jpg", ContentFile(small), save=False)
    stored.save()
    audit.record(actor, "meetings.file.added", meeting, payload={"name": name, "photo": photo})
    return stored


def study_hours(person_id, year: int) -> Decimal:
    """Concentrated study hours of a year, from the meetings attended. Shown to the member and
    the branch; never ranked (2026 rules on government apps)."""
    total = Attendance.objects.filter(
        person_id=person_id,
        status=AttendanceStatus.PRESENT,
        meeting__state=MeetingState.HELD,
        meeting__month_index__range=(year * 12, year * 12 + 11),
    ).aggregate(hours=Sum("meeting__study_hours"))["hours"]
    return total or Decimal("0")
