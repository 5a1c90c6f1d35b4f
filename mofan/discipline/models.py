"""监督执纪: case leads with their collective reviews, steps, results by the four forms and
follow-up visits; leaders' discipline talks; 述责述廉 reports; personal-matters reports with
their random and key checks. The most sensitive records of the system: querysets.py says who
reads them, every read is audited, and the allegation, the facts and the personal data are
stored SM4-encrypted (the name of the person concerned too, with a keyed hash to find it)."""

from django.conf import settings
from django.db import models

from mofan.access.crypto import EncryptedCharField
from mofan.discipline.choices import (
    CheckKind,
    CheckOutcome,
    Disposition,
    Form,
    LeadState,
    Measure,
    Source,
    StepKind,
    TalkKind,
    TalkWay,
)
from mofan.discipline.querysets import (
    CheckQuerySet,
    DrawQuerySet,
    LeadQuerySet,
    RecordQuerySet,
    ReportQuerySet,
)

USER = settings.AUTH_USER_MODEL


class Lead(models.Model):
    """A 问题线索 held by an organisation's discipline officers (its 纪委/纪检委员)."""

    org = models.ForeignKey("orgs.PartyOrg", verbose_name="受理组织", on_delete=models.PROTECT,
                            related_name="+")  # fmt: skip
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("编号")
    source = models.CharField("线索来源", max_length=20, choices=Source.choices)
    received_on = models.DateField("受理日期")
    # The person concerned: one of the system's people where known (a person never sees leads
    # about themselves), and the name as reported, encrypted, with its keyed hash for search.
    subject = models.ForeignKey("orgs.Person", verbose_name="被反映人", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    subject_name = EncryptedCharField("被反映人姓名")
    subject_name_hash = models.CharField(max_length=64, db_index=True, editable=False)
    subject_post = models.CharField("被反映人职务", max_length=100, blank=True)
    allegation = EncryptedCharField("反映的主要问题")
    state = models.CharField("状态", max_length=20, choices=LeadState.choices,
                             default=LeadState.REGISTERED)  # fmt: skip
    disposition = models.CharField("处置方式", max_length=20, choices=Disposition.choices,
                                   blank=True)  # fmt: skip
    talk_way = models.CharField("谈话或函询", max_length=10, choices=TalkWay.choices, blank=True)
    due_on = models.DateField("当前办理期限", null=True, blank=True)
    handlers = models.ManyToManyField(USER, verbose_name="承办人", related_name="+", blank=True)
    finding = models.ForeignKey("inspection.Finding", verbose_name="来源巡察问题", null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="leads")  # fmt: skip
    form = models.PositiveSmallIntegerField("形态", choices=Form.choices, null=True, blank=True)
    measure = models.CharField("处理方式", max_length=30, choices=Measure.choices, blank=True)
    result = EncryptedCharField("办理结果", blank=True)
    concluded_on = models.DateField("办结日期", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    # `mofan rotate-keys` rehashes the name under a new hash key (mofan.access.keys).
    KEYED_HASHES = {"subject_name": "subject_name_hash"}

    objects = LeadQuerySet.as_manager()

    class Meta:
        verbose_name = "问题线索"
        verbose_name_plural = "问题线索"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "number"], name="lead_number_once")
        ]
        indexes = [
            models.Index(fields=["org", "year", "source"], name="lead_org_year_source"),
            models.Index(fields=["org", "year", "state"], name="lead_org_year_state"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.year}-{self.number:04d}"


class Review(models.Model):
    """A 集体排查: who took part, the disposition chosen, why, and the deadline it set."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("排查日期")
    participants = models.ManyToManyField("orgs.Person", verbose_name="参加人员", related_name="+")
    disposition = models.CharField("处置方式", max_length=20, choices=Disposition.choices)
    talk_way = models.CharField("谈话或函询", max_length=10, choices=TalkWay.choices, blank=True)
    reason = EncryptedCharField("排查意见")
    due_on = models.DateField("办理期限", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "集体排查"
        ordering = ["lead", "held_on", "id"]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"{self.lead_id}@{self.held_on}"


class Step(models.Model):
    """One entry of a lead's record (办理过程): a letter sent, a reply, a talk, a report, the
    result, a follow-up visit."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField("环节", max_length=20, choices=StepKind.choices)
    on = models.DateField("日期")
    text = EncryptedCharField("内容", blank=True)
    by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "办理环节"
        ordering = ["lead", "on", "id"]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"{self.lead_id}:{self.kind}"


class Revisit(models.Model):
    """回访 of a person disciplined: scheduled at the result, recorded when made."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="revisits")
    due_on = models.DateField("计划回访日期")
    done_on = models.DateField("回访日期", null=True, blank=True)
    record = EncryptedCharField("回访情况", blank=True)
    by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "回访"
        ordering = ["lead", "due_on"]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"{self.lead_id}@{self.due_on}"


class Talk(models.Model):
    """A leader's discipline talk with a cadre (谈话提醒, 廉政谈话), a discipline record of the
    organisation (the branch's 谈心谈话 meetings stay in 组织生活)."""

    org = models.ForeignKey("orgs.PartyOrg", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("谈话类型", max_length=20, choices=TalkKind.choices)
    person = models.ForeignKey("orgs.Person", verbose_name="谈话对象", on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    talker = models.ForeignKey("orgs.Person", verbose_name="谈话人", on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    held_on = models.DateField("谈话日期")
    record = EncryptedCharField("谈话内容")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "谈话记录"
        ordering = ["-held_on", "-id"]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"谈话记录{self.pk}"


class DutyReport(models.Model):
    """述责述廉: a leading cadre's yearly report on their duties and integrity."""

    org = models.ForeignKey("orgs.PartyOrg", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("orgs.Person", verbose_name="述职人", on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    year = models.PositiveSmallIntegerField("年度")
    text = EncryptedCharField("述责述廉报告")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "述责述廉"
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "person", "year"], name="duty_report_once")
        ]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"述责述廉{self.pk}"


class ReportRound(models.Model):
    """An organisation's yearly collection of personal-matters reports: who must report (the
    ranks it sets), the day they are due (31 January of the next year), whether it is closed."""

    org = models.ForeignKey("orgs.PartyOrg", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("报告年度")
    ranks = models.JSONField("须报告的职级", default=list)
    due_on = models.DateField("报送截止日期")
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = "个人有关事项报告年度"
        ordering = ["-year", "id"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="report_round_once")]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"{self.year}年度个人有关事项报告"


class PersonalReport(models.Model):
    """One cadre's personal-matters report of a year: the items as encrypted structured data."""

    round = models.ForeignKey(ReportRound, on_delete=models.CASCADE, related_name="reports")
    person = models.ForeignKey("orgs.Person", on_delete=models.PROTECT, related_name="+")
    items = EncryptedCharField("报告事项", blank=True)  # JSON: {item key: text}
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "个人有关事项报告"
        ordering = ["round", "person__name_stroke_key", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="personal_report_once")
        ]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"个人有关事项报告{self.pk}"


class Draw(models.Model):
    """A 随机抽查 draw: the share, the seed and the roster it drew from, kept so that anyone
    who may read it can redo the draw and get the same list."""

    round = models.ForeignKey(ReportRound, on_delete=models.CASCADE, related_name="draws")
    share = models.PositiveSmallIntegerField("抽查比例（%）")
    seed = models.CharField("随机种子", max_length=64)
    roster = models.JSONField("抽取范围（报告ID，升序）")
    drawn = models.JSONField("抽中（报告ID）")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DrawQuerySet.as_manager()

    class Meta:
        verbose_name = "随机抽查"
        ordering = ["round", "id"]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"随机抽查{self.pk}"


class Check(models.Model):
    """A check of one report (随机抽查 or 重点查核 before a promotion) and its outcome."""

    report = models.ForeignKey(PersonalReport, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField("查核方式", max_length=10, choices=CheckKind.choices)
    draw = models.ForeignKey(Draw, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="checks")  # fmt: skip
    reason = models.CharField("查核事由", max_length=200, blank=True)
    outcome = models.CharField("查核结果", max_length=20, choices=CheckOutcome.choices, blank=True)
    handling = EncryptedCharField("处理情况", blank=True)
    checked_on = models.DateField("查核日期", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CheckQuerySet.as_manager()

    class Meta:
        verbose_name = "查核"
        ordering = ["report", "id"]

    # Never a name or a text: the audit trail shows this.
    def __str__(self) -> str:
        return f"查核{self.pk}"
