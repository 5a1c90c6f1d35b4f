"""发展党员: one file per applicant (Applicant) with its stage and the dates the time rules read,
and the steps taken (Step), each with its date, the meeting that took it and what it recorded."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mofan.recruitment.choices import DocumentKind, Outcome, Recommendation, Stage, StepKind
from mofan.recruitment.querysets import (
    ApplicantQuerySet,
    DocumentQuerySet,
    PlanQuerySet,
    StepQuerySet,
)
from mofan.recruitment.rules import LIVE, Facts


class Applicant(models.Model):
    person = models.ForeignKey(
        "orgs.Person", verbose_name="申请人", on_delete=models.PROTECT, related_name="applications"
    )
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党支部", on_delete=models.PROTECT, related_name="applicants"
    )
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices)
    applied_on = models.DateField("递交入党申请书日期")
    talked_on = models.DateField("谈话日期", null=True, blank=True)
    activist_on = models.DateField("确定为入党积极分子日期", null=True, blank=True)
    nominee_on = models.DateField("列为发展对象日期", null=True, blank=True)
    political_on = models.DateField("政治审查日期", null=True, blank=True)
    trained_on = models.DateField("集中培训结业日期", null=True, blank=True)
    publicity_ends_on = models.DateField("公示截止日期", null=True, blank=True)
    pre_review_on = models.DateField("预审日期", null=True, blank=True)
    admitted_on = models.DateField("支部大会通过日期", null=True, blank=True)
    approved_on = models.DateField("审批为预备党员日期", null=True, blank=True)
    oath_on = models.DateField("入党宣誓日期", null=True, blank=True)
    probation_ends_on = models.DateField("预备期满日期", null=True, blank=True)
    extended = models.BooleanField("已延长预备期", default=False)
    confirmation_on = models.DateField("讨论转正日期", null=True, blank=True)
    last_review_on = models.DateField("最近考察日期", null=True, blank=True)
    reviews = models.PositiveSmallIntegerField("本阶段考察次数", default=0)
    ended_on = models.DateField("办结日期", null=True, blank=True)
    # 党内统计 counts new members who work 在生产、工作一线 (not in management posts).
    front_line = models.BooleanField("生产、工作一线", default=False)
    # The earliest day something is due by, and what (kept by the services after each step):
    # the lists sort by it and the daily check reads it with one indexed query.
    next_due_on = models.DateField("下一事项期限", null=True, blank=True)
    next_due_kind = models.CharField(max_length=20, blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ApplicantQuerySet.as_manager()

    class Meta:
        verbose_name = "发展党员档案"
        verbose_name_plural = "发展党员档案"
        ordering = ["org", "stage", "applied_on", "id"]
        constraints = [
            # One file on its way per person; a file ended (or done) may be followed by another.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(stage__in=["applicant", "activist", "nominee", "probationary"]),
                name="applicant_one_live_file",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "stage"], name="applicant_org_stage"),
            models.Index(fields=["next_due_on"], name="applicant_next_due"),
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_stage_display()}）"

    def requirements(self):
        """What the rules still require, each with its dates (no query)."""
        from mofan.recruitment.rules import done_from, requirements

        facts = self.facts()
        return requirements(facts, done_from(facts)) if self.stage in LIVE else []

    def facts(self) -> Facts:
        return Facts(
            stage=self.stage,
            applied_on=self.applied_on,
            talked_on=self.talked_on,
            activist_on=self.activist_on,
            nominee_on=self.nominee_on,
            political_on=self.political_on,
            trained_on=self.trained_on,
            publicity_ends_on=self.publicity_ends_on,
            pre_review_on=self.pre_review_on,
            admitted_on=self.admitted_on,
            approved_on=self.approved_on,
            oath_on=self.oath_on,
            probation_ends_on=self.probation_ends_on,
            confirmation_on=self.confirmation_on,
            last_review_on=self.last_review_on,
            reviews=self.reviews,
        )


class Step(models.Model):
    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("事项", max_length=20, choices=StepKind.choices)
    done_on = models.DateField("日期")
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name="会议", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    # 谈话人 / 考察人; 培养联系人 or 入党介绍人 (two)
    person_a = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person_b = models.ForeignKey(
        "orgs.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommendation = models.CharField(
        "推荐方式", max_length=10, choices=Recommendation.choices, blank=True
    )
    ends_on = models.DateField("公示截止日期", null=True, blank=True)
    days = models.PositiveSmallIntegerField("培训天数", null=True, blank=True)
    hours = models.DecimalField("培训学时", max_digits=5, decimal_places=1, null=True, blank=True)
    entitled = models.PositiveIntegerField("应到会有表决权的正式党员", null=True, blank=True)
    present = models.PositiveIntegerField("实到会有表决权的正式党员", null=True, blank=True)
    votes_for = models.PositiveIntegerField("赞成", null=True, blank=True)
    votes_against = models.PositiveIntegerField("反对", null=True, blank=True)
    votes_abstain = models.PositiveIntegerField("弃权", null=True, blank=True)
    passed = models.BooleanField("通过", null=True, blank=True)
    outcome = models.CharField("讨论结果", max_length=10, choices=Outcome.choices, blank=True)
    extension_months = models.PositiveSmallIntegerField("延长预备期（月）", null=True, blank=True)
    # The item the vote added to the meeting's minutes (meetings.services.append_decision).
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField("情况记录", max_length=500, blank=True)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = StepQuerySet.as_manager()

    class Meta:
        verbose_name = "发展党员步骤"
        verbose_name_plural = "发展党员步骤"
        ordering = ["applicant", "done_on", "id"]
        indexes = [models.Index(fields=["applicant", "kind"], name="step_applicant_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on}"


class Plan(models.Model):
    """A committee's 发展党员 plan for a year: a quota for each branch below it."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    note = models.CharField("说明", max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "发展党员计划"
        verbose_name_plural = "发展党员计划"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="plan_one_a_year")]

    def __str__(self) -> str:
        return f"{self.org} {self.year}年发展党员计划"


class PlanQuota(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="quotas")
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党支部", on_delete=models.PROTECT, related_name="+"
    )
    quota = models.PositiveSmallIntegerField("计划发展人数")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["plan", "org"], name="quota_once")]

    def __str__(self) -> str:
        return f"{self.org} {self.quota}"


def document_path(instance, filename: str) -> str:
    return f"recruitment/{instance.applicant_id}/{filename}"


class Document(models.Model):
    """A paper of the file, scanned or as written: the applicant's own (入党申请书, 入党志愿书,
    思想汇报, 转正申请) and those of the steps (考察材料, 政审材料, 培训结业证明…). Mofan keeps what
    was decided and when; these are what it was decided on."""

    applicant = models.ForeignKey(Applicant, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("材料类别", max_length=20, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_path, max_length=300)
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "发展党员材料"
        verbose_name_plural = "发展党员材料"
        ordering = ["applicant", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
