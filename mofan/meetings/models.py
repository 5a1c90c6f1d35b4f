"""组织生活: the rules that say which meetings an organisation must hold, the meetings themselves
(plan, agenda, attendance, minutes), and the corrections of locked minutes."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q

from mofan.access.scoping import Action, seen_through
from mofan.meetings.choices import (
    LEADING_GROUP_KINDS,
    AttendanceRole,
    AttendanceStatus,
    MeetingKind,
    MeetingState,
    Period,
    Rating,
    SignInMethod,
)
from mofan.meetings.querysets import MeetingQuerySet, PlanQuerySet, RuleQuerySet

BACK_FILL_DAYS = 7  # recorded later than this after the meeting: 补记录
LOCK_HOURS = 48  # after this, minutes change only with a reason, keeping the earlier version


class MeetingRule(models.Model):
    """How often organisations of some kinds must hold a kind of meeting, from a given date.

    National rules (org empty, `is_floor`) are the floor and cannot be removed or weakened; an
    org admin may add a stricter rule for an organisation's subtree."""

    kind = models.CharField("会议类型", max_length=30, choices=MeetingKind.choices)
    org_kinds = models.JSONField("适用组织类别", default=list)
    period = models.CharField("周期", max_length=10, choices=Period.choices)
    minimum = models.PositiveSmallIntegerField("至少次数", default=1)
    needs_committee = models.BooleanField("仅限设委员会的组织", default=False)
    by_secretary = models.BooleanField("须由书记讲授", default=False)
    quorum = models.BooleanField("须过半数应到党员出席方有效", default=False)
    article = models.CharField("依据", max_length=300)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("停止日期", null=True, blank=True)
    org = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name="适用范围",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_rules",
        help_text="空：全国通用的底线规定；否则适用于该组织及其下级组织。",
    )
    is_floor = models.BooleanField("全国底线", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = "组织生活规定"
        verbose_name_plural = "组织生活规定"
        ordering = ["kind", "period", "-minimum", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(minimum__gte=1), name="rule_minimum_positive"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="rule_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(is_floor=False) | Q(org__isnull=True), name="rule_floor_is_national"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}{self.get_period_display()}至少{self.minimum}次"

    @property
    def quorum_words(self) -> str:
        """The quorum as the rule is written: committees count their members (委员), meetings of
        all members count the members due to attend."""
        if not self.quorum:
            return ""
        if self.kind in (MeetingKind.BRANCH_COMMITTEE, MeetingKind.COMMITTEE_MEETING):
            return "须过半数委员出席"
        return "须过半数应到党员出席"


class MeetingPlan(models.Model):
    """An organisation's plan for a year (month empty) or a month: what it means to study and do."""

    org = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="meeting_plans",
    )
    year = models.PositiveIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    content = models.TextField("计划内容")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "组织生活计划"
        verbose_name_plural = "组织生活计划"
        ordering = ["org", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "month"],
                condition=Q(month__isnull=False),
                name="plan_one_per_month",
            ),
            models.UniqueConstraint(
                fields=["org", "year"], condition=Q(month__isnull=True), name="plan_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                name="plan_month_in_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}年{f'{self.month}月' if self.month else '度'}计划"


class Meeting(models.Model):
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党组织", on_delete=models.PROTECT, related_name="meetings"
    )
    kind = models.CharField("会议类型", max_length=30, choices=MeetingKind.choices)
    title = models.CharField("会议名称", max_length=200)
    starts_at = models.DateTimeField("开始时间")
    ends_at = models.DateTimeField("结束时间")
    place = models.CharField("地点", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=MeetingState.choices, default=MeetingState.PLANNED
    )
    host = models.ForeignKey(
        "orgs.Person", verbose_name="主持人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    recorder = models.ForeignKey(
        "orgs.Person", verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    lecturer = models.ForeignKey(
        "orgs.Person", verbose_name="授课人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    summary = models.TextField("会议情况", blank=True)
    study_hours = models.DecimalField("计入学时", max_digits=4, decimal_places=1, default=0)
    # Kept by the services so that compliance is counted in one grouped query at any scale:
    # the local month of the meeting as year * 12 + month - 1, and the facts rules look at.
    month_index = models.PositiveIntegerField(editable=False)
    expected_count = models.PositiveIntegerField("应到人数", default=0)
    present_count = models.PositiveIntegerField("实到人数", default=0)
    leave_count = models.PositiveIntegerField("请假人数", default=0)
    quorate = models.BooleanField("过半数出席", default=False)
    by_secretary = models.BooleanField("书记讲授", default=False)
    # When the minutes were first recorded: back-filled (补记录) and locked are judged from it.
    recorded_at = models.DateTimeField("记录时间", null=True, blank=True)
    back_filled = models.BooleanField("补记录", default=False)
    cancel_reason = models.CharField("取消原因", max_length=200, blank=True)
    notified_at = models.DateTimeField("通知时间", null=True, blank=True)
    # 中心组: the topic of the annual study plan the session takes up, and the 一学一报 deadline.
    topic = models.ForeignKey(
        "StudyTopic", verbose_name="学习专题", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="meetings",
    )  # fmt: skip
    report_due_on = models.DateField("学习报告提交期限", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "会议"
        verbose_name_plural = "会议"
        ordering = ["-starts_at", "-id"]
        indexes = [
            models.Index(fields=["org", "starts_at"], name="meeting_org_start"),
            models.Index(fields=["month_index", "state", "org"], name="meeting_month_state_org"),
            # Search hits, latest first (dashboard/search.py).
            models.Index(fields=["-starts_at", "-id"], name="meeting_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_leading_group_meeting(self) -> bool:
        return self.kind in LEADING_GROUP_KINDS

    @property
    def locked(self) -> bool:
        from django.utils import timezone

        return self.recorded_at is not None and timezone.now() > self.recorded_at + timedelta(
            hours=LOCK_HOURS
        )


class ComplianceMonth(models.Model):
    """One organisation's compliance in one month, as the compliance engine counts it: the
    requirements whose period ends that month and how many are met, and the meetings held that
    month that were recorded late (补记录). Kept by meetings/kept.py — by the services that
    change meetings, rules and organisations, and recounted every night — so that the heat map of
    ten thousand organisations reads rows instead of running the engine."""

    org = models.ForeignKey("orgs.PartyOrg", on_delete=models.CASCADE, related_name="+")
    month_index = models.PositiveIntegerField()  # year * 12 + month - 1
    required = models.PositiveSmallIntegerField(default=0)
    met = models.PositiveSmallIntegerField(default=0)
    back_filled = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "month_index"], name="compliance_month_unique")
        ]
        indexes = [models.Index(fields=["month_index", "org"], name="compliance_month_org")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.month_index}"


class ComplianceRecount(models.Model):
    """A subtree whose kept compliance must be counted again from a year on (a rule or the
    organisations changed): written in the same transaction as the change, taken by the minute's
    job (or, with no worker, by the next reader) — meetings/kept.py."""

    org = models.ForeignKey(
        "orgs.PartyOrg", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )  # None: every organisation (a national rule)
    since_year = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.org_id or '*'} ≥{self.since_year}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField("顺序")
    title = models.CharField("议题", max_length=300)
    is_first_topic = models.BooleanField("第一议题", default=False)
    presenter = models.ForeignKey(
        "orgs.Person", verbose_name="汇报人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    materials = models.TextField("学习材料", blank=True)
    discussion = models.TextField("讨论情况", blank=True)
    decision = models.TextField("议定事项", blank=True)

    class Meta:
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="agenda_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(
        "orgs.Person", on_delete=models.PROTECT, related_name="meeting_attendance"
    )
    role = models.CharField(
        "身份", max_length=10, choices=AttendanceRole.choices, default=AttendanceRole.MEMBER
    )
    status = models.CharField(
        "出席情况",
        max_length=10,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.EXPECTED,
    )
    signed_at = models.DateTimeField("签到时间", null=True, blank=True)
    method = models.CharField("签到方式", max_length=10, choices=SignInMethod.choices, blank=True)
    leave_reason = models.CharField("请假事由", max_length=200, blank=True)

    objects = seen_through("meeting", "meetings.Meeting", Action.VIEW, Action.RECORD).as_manager()

    class Meta:
        ordering = ["meeting", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once")
        ]
        indexes = [models.Index(fields=["person", "status"], name="attendance_person_status")]

    def __str__(self) -> str:
        return f"{self.person_id} {self.status}"


class MinutesRevision(models.Model):
    """The minutes as they stood before a correction made after they were locked."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="revisions")
    content = models.JSONField("修改前的记录")
    reason = models.CharField("修改原因", max_length=300)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.changed_at:%Y-%m-%d %H:%M}"


class MinutesGrant(models.Model):
    """Someone outside a leading group allowed to read its meetings' minutes."""

    org = models.ForeignKey("orgs.PartyOrg", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    objects = seen_through("org", "orgs.PartyOrg", Action.VIEW, Action.RECORD).as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "user"], name="grant_once")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.user_id}"


class StudyTopic(models.Model):
    """A topic of a leading group's annual study plan (理论学习中心组年度学习计划)."""

    org = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name="党组织",
        on_delete=models.CASCADE,
        related_name="study_topics",
    )
    year = models.PositiveIntegerField("年度")
    order = models.PositiveSmallIntegerField("序号")
    title = models.CharField("专题", max_length=300)
    planned_month = models.PositiveSmallIntegerField("计划月份", null=True, blank=True)
    materials = models.TextField("学习材料", blank=True)

    objects = seen_through(
        "org", "orgs.PartyOrg", Action.BROWSE, Action.VIEW, Action.RECORD
    ).as_manager()

    class Meta:
        verbose_name = "学习专题"
        ordering = ["org", "year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "order"], name="topic_order_unique")
        ]

    def __str__(self) -> str:
        return self.title


class SitIn(models.Model):
    """巡听旁听: an observer from a higher organisation attends a study session and evaluates it."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="sit_in")
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="旁听人", on_delete=models.PROTECT, related_name="+"
    )
    attended = models.BooleanField("实际到会", default=True)
    rating = models.CharField("评价", max_length=20, choices=Rating.choices)
    comment = models.TextField("意见建议")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "巡听旁听"

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.get_rating_display()}"


class StudyReport(models.Model):
    """一学一报: what a participant reports after a study session, due by the session's date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="study_reports")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("学习报告")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "学习报告"
        ordering = ["meeting", "submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="study_report_once")
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.person_id}"


def meeting_file_path(instance, filename: str) -> str:
    # Under MEDIA_ROOT (var/media), outside the web root; served only through a scoped view.
    return f"meetings/{instance.meeting_id}/{filename}"


class MeetingFile(models.Model):
    """A photo or a file of a meeting (sign-in sheet, slides, materials), with a thumbnail for
    photos."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=meeting_file_path, max_length=300)
    thumbnail = models.FileField(upload_to=meeting_file_path, max_length=300, blank=True)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField()
    is_photo = models.BooleanField("照片", default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "会议附件"
        ordering = ["meeting", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
