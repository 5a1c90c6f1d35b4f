"""巡视巡察: an inspecting organisation's term coverage plan, its rounds with their teams and
targets, and the findings each team records. These are among the most sensitive records of the
system: see querysets.py for who reads them; every read is audited (views)."""

from django.conf import settings
from django.db import models

from mofan.access.crypto import EncryptedCharField
from mofan.inspection.choices import (
    Channel,
    DisclosureState,
    FindingCategory,
    LetterKind,
    Rating,
    RoundKind,
    Stage,
    TeamRole,
)
from mofan.inspection.querysets import (
    EvidenceQuerySet,
    FindingQuerySet,
    InterviewQuerySet,
    LetterQuerySet,
    PlanQuerySet,
    RectificationQuerySet,
    RoundQuerySet,
    TargetQuerySet,
)


class Plan(models.Model):
    """A term's coverage plan (全覆盖规划): which organisations below are inspected in which year."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="巡察组织", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("名称", max_length=200)
    first_year = models.PositiveSmallIntegerField("起始年度")
    last_year = models.PositiveSmallIntegerField("终止年度")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = "巡察规划"
        verbose_name_plural = "巡察规划"
        ordering = ["-first_year", "-id"]

    def __str__(self) -> str:
        return self.title


class PlanEntry(models.Model):
    """One organisation planned for a year of the term."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="entries")
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="巡察对象", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("计划年度")

    class Meta:
        verbose_name = "规划对象"
        ordering = ["plan", "year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["plan", "org"], name="plan_entry_once")]

    def __str__(self) -> str:
        return f"{self.plan_id}/{self.org_id}@{self.year}"


class Round(models.Model):
    """A round (轮次) of inspections: its kind, its stage and the day each stage began."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="巡察组织", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        Plan, verbose_name="巡察规划", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="rounds",
    )  # fmt: skip
    kind = models.CharField("类别", max_length=20, choices=RoundKind.choices)
    title = models.CharField("名称", max_length=200)
    year = models.PositiveSmallIntegerField("年度")
    stage = models.CharField("阶段", max_length=20, choices=Stage.choices, default=Stage.PREPARING)
    # {stage: "YYYY-MM-DD"}: the day each stage began.
    stage_dates = models.JSONField("各阶段开始日期", default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "巡察轮次"
        verbose_name_plural = "巡察轮次"
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title

    def members(self):
        """The members of all the round's teams."""
        return TeamMember.objects.filter(team__round=self)


class Team(models.Model):
    """A 巡察组 of a round, with the phone and mailbox its 进驻公告 gives."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField("名称", max_length=60)
    phone = models.CharField("值班电话", max_length=40, blank=True)
    mailbox = models.CharField("联系邮箱或信箱", max_length=200, blank=True)

    class Meta:
        verbose_name = "巡察组"
        ordering = ["round", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="team_name_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def ordered_members(self) -> list:
        """组长, 副组长, then 组员 (from the prefetched members)."""
        return sorted(self.members.all(), key=lambda m: (TeamRole.values.index(m.role), m.pk))


class TeamMember(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "orgs.Person", verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField("职务", max_length=20, choices=TeamRole.choices)
    # Where the member works when assigned (the 回避 check reads the person's units and moves).
    home_unit = models.ForeignKey(
        "orgs.Unit", verbose_name="所在单位", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "巡察组成员"
        ordering = ["team", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.team_id}/{self.person_id}"


class Target(models.Model):
    """An organisation a round inspects, and the team assigned to it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="被巡察组织", on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name="巡察组", null=True, blank=True, on_delete=models.PROTECT,
        related_name="targets",
    )  # fmt: skip

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "被巡察组织"
        ordering = ["round", "org__path"]
        constraints = [models.UniqueConstraint(fields=["round", "org"], name="target_org_once")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.org_id}"


class Finding(models.Model):
    """A problem a team found (问题), its facts stored SM4-encrypted."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="findings")
    number = models.PositiveSmallIntegerField("序号")
    category = models.CharField("问题类别", max_length=30, choices=FindingCategory.choices)
    title = EncryptedCharField("问题概要")
    facts = EncryptedCharField("问题事实")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    # 移交 and 整改: the finding as a problem of the target's rectification ledger (made at 反馈).
    ledger_finding = models.OneToOneField(
        "ledger.Finding", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="inspection_finding",
    )  # fmt: skip
    # 整改评估: the inspecting organisation's rating of the rectification, with its evidence.
    rating = models.CharField("整改评估", max_length=20, choices=Rating.choices, blank=True)
    rating_evidence = EncryptedCharField("评估依据", blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField("评估时间", null=True, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        verbose_name = "巡察发现问题"
        verbose_name_plural = "巡察发现问题"
        ordering = ["target", "number"]
        constraints = [
            models.UniqueConstraint(fields=["target", "number"], name="finding_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.target_id}#{self.number}"


class Evidence(models.Model):
    """A file that bears a finding out (a record, a voucher, a photo), kept with it and read by
    those who read the finding (each download audited)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="inspection/evidence/%Y/%m/")
    file_name = models.CharField("文件名", max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "问题证据"
        verbose_name_plural = "问题证据"
        ordering = ["finding", "id"]

    def __str__(self) -> str:
        return f"证据{self.pk}"


class Interview(models.Model):
    """A 个别谈话 the team held at a target: with whom, when, and what was said (encrypted)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField("谈话日期")
    interviewee = EncryptedCharField("谈话对象")
    post = models.CharField("谈话对象职务", max_length=60, blank=True)
    summary = EncryptedCharField("谈话要点")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InterviewQuerySet.as_manager()

    class Meta:
        verbose_name = "个别谈话"
        verbose_name_plural = "个别谈话"
        ordering = ["target", "held_on", "id"]

    def __str__(self) -> str:
        return f"{self.target_id}@{self.held_on}"


class Letter(models.Model):
    """A 来信来访 received during a round: registered by the round's keepers, classified, and
    handed to the team of the target it concerns. Who sent it and what it says are encrypted;
    a sender may stay anonymous."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="letters")
    number = models.PositiveIntegerField("登记号")
    channel = models.CharField("来源方式", max_length=20, choices=Channel.choices)
    received_on = models.DateField("收到日期")
    sender = EncryptedCharField("反映人", blank=True)
    content = EncryptedCharField("反映内容")
    kind = models.CharField("分类", max_length=20, choices=LetterKind.choices, blank=True)
    target = models.ForeignKey(
        Target, verbose_name="涉及的巡察对象", null=True, blank=True, on_delete=models.PROTECT,
        related_name="letters",
    )  # fmt: skip
    handed_at = models.DateTimeField("移交巡察组时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "来信来访"
        verbose_name_plural = "来信来访"
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="letter_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}#{self.number}"


class Rectification(models.Model):
    """移交 and 整改 of one target: the rectification ledger made from its findings at 反馈, the
    days its 整改方案 and 整改情况报告 are due (computed from the feedback), and the papers as the
    target sent them. Read by the round's keepers and the ledger's supervisors (the target)."""

    target = models.OneToOneField(Target, on_delete=models.CASCADE, related_name="rectification")
    ledger = models.OneToOneField(
        "ledger.Ledger", verbose_name="整改台账", on_delete=models.PROTECT, related_name="+"
    )
    fed_back_on = models.DateField("反馈日期")
    plan_due_on = models.DateField("整改方案报送期限")
    report_due_on = models.DateField("整改情况报告报送期限")
    plan_file = models.FileField(upload_to="inspection/%Y/%m/", blank=True)
    plan_file_name = models.CharField(max_length=255, blank=True)
    plan_sent_at = models.DateTimeField("整改方案报送时间", null=True, blank=True)
    report_file = models.FileField(upload_to="inspection/%Y/%m/", blank=True)
    report_file_name = models.CharField(max_length=255, blank=True)
    report_sent_at = models.DateTimeField("整改情况报告报送时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RectificationQuerySet.as_manager()

    class Meta:
        verbose_name = "巡察整改"
        verbose_name_plural = "巡察整改"
        ordering = ["target"]

    def __str__(self) -> str:
        return f"{self.target_id}"


class Disclosure(models.Model):
    """整改进展公开: the text generated from the records of a target's rectification, reviewed by
    the round's keepers and published as it stands (never typed; regenerated until published)."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="disclosures")
    text = models.TextField("公开内容")
    figures = models.JSONField("统计数据", default=dict)
    state = models.CharField(
        "状态", max_length=20, choices=DisclosureState.choices, default=DisclosureState.DRAFT
    )
    generated_at = models.DateTimeField("生成时间")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "整改进展公开"
        verbose_name_plural = "整改进展公开"
        ordering = ["target", "-generated_at"]

    def __str__(self) -> str:
        return f"{self.target_id}@{self.generated_at:%Y-%m-%d}"
