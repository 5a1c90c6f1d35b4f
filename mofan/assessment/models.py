"""考核评价: an assessing organisation's indicator system for a year (Scheme → Dimension →
Indicator, the scoring of each as data), a round of it over the organisations it assesses
(Round → Target), and each target's score on each indicator (Score) with the counts it was
computed from or the team's reason, the self-assessment and the evidence behind it."""

import uuid

from django.conf import settings
from django.db import models

from mofan.access.crypto import EncryptedCharField
from mofan.assessment.choices import (
    AwardKind,
    AwardState,
    CheckKind,
    CheckState,
    DebriefKind,
    DebriefState,
    Decision,
    DutyKind,
    Grade,
    IndicatorKind,
    ReportState,
    RoundState,
)
from mofan.assessment.querysets import (
    AnnualReportQuerySet,
    AwardQuerySet,
    CandidateQuerySet,
    CheckCapQuerySet,
    CheckEntryQuerySet,
    DebrieferQuerySet,
    DebriefQuerySet,
    DutyListQuerySet,
    EvidenceQuerySet,
    RoundQuerySet,
    SchemeQuerySet,
    ScoreQuerySet,
    TargetQuerySet,
)

POINTS = {"max_digits": 7, "decimal_places": 2}


class Scheme(models.Model):
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="考核组织", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("名称", max_length=200)
    total = models.DecimalField("总分", **POINTS)
    target_kinds = models.JSONField("考核对象类别", default=list)
    bands = models.JSONField("等次划分", default=list)
    # Set when a round starts on it: a frozen scheme is changed only by copying it.
    frozen_at = models.DateTimeField("启用时间", null=True, blank=True)
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SchemeQuerySet.as_manager()

    class Meta:
        verbose_name = "考核指标体系"
        verbose_name_plural = "考核指标体系"
        ordering = ["-year", "org", "id"]

    def __str__(self) -> str:
        return f"{self.year}年{self.name}"


class Dimension(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("维度", max_length=60)

    class Meta:
        ordering = ["scheme", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="dimension_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="indicators")
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="indicators")
    order = models.PositiveSmallIntegerField("顺序")
    name = models.CharField("指标", max_length=200)
    kind = models.CharField("计分方式", max_length=20, choices=IndicatorKind.choices)
    # The most it gives (a deduction: the most it takes; a veto: none).
    points = models.DecimalField("分值", **POINTS)
    formula = models.CharField("计分公式", max_length=40, blank=True)
    params = models.JSONField("公式参数", default=dict, blank=True)
    guidance = models.TextField("评分标准", blank=True)

    class Meta:
        verbose_name = "考核指标"
        ordering = ["scheme", "dimension__order", "order", "id"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="rounds")
    title = models.CharField("名称", max_length=200)
    state = models.CharField(
        "状态", max_length=20, choices=RoundState.choices, default=RoundState.SELF
    )
    self_due_on = models.DateField("自评截止日期")
    # The scorers count records up to this day (the year's end, or today while the year runs).
    computed_at = models.DateTimeField("自动计分时间", null=True, blank=True)
    computed_upto = models.DateField("计分数据截至", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="考核组成员", blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = "考核轮次"
        verbose_name_plural = "考核轮次"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """One organisation assessed in a round, with its result kept after each computation."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="targets")
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="被考核组织", on_delete=models.PROTECT, related_name="+"
    )
    base = models.DecimalField("基本分", default=0, **POINTS)
    deducted = models.DecimalField("扣分", default=0, **POINTS)
    added = models.DecimalField("加分", default=0, **POINTS)
    total = models.DecimalField("总分", default=0, **POINTS)
    vetoed = models.BooleanField("一票否决", default=False)
    grade = models.CharField("等次", max_length=20, choices=Grade.choices, blank=True)
    rank = models.PositiveIntegerField("同类排名", null=True, blank=True)
    peers = models.PositiveIntegerField("同类组织数", null=True, blank=True)
    unscored = models.PositiveSmallIntegerField("待评审指标", default=0)
    self_done_at = models.DateTimeField("自评提交时间", null=True, blank=True)

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "被考核组织"
        ordering = ["round", "org__path"]
        constraints = [models.UniqueConstraint(fields=["round", "org"], name="target_once")]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.org_id}"


class Score(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="scores")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    # None: not scored yet (a judgement awaiting the team; a deduction, bonus or veto not applied).
    points = models.DecimalField("得分", null=True, blank=True, **POINTS)
    vetoed = models.BooleanField("否决", default=False)
    # The counts a record-based score was computed from, and its explanation in words.
    detail = models.JSONField("计分依据", default=dict, blank=True)
    explanation = models.CharField("计分说明", max_length=500, blank=True)
    self_text = models.TextField("自评情况", blank=True)
    comment = models.TextField("评审意见", blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scored_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    # 结果运用: a lost point the team marks to be rectified, and the finding it became in a
    # rectification ledger (one finding per score, however often the transfer is run).
    to_rectify = models.BooleanField("列入整改", default=False)
    finding = models.ForeignKey(
        "ledger.Finding", verbose_name="整改问题", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = "指标得分"
        ordering = ["target", "indicator__dimension__order", "indicator__order", "id"]
        constraints = [models.UniqueConstraint(fields=["target", "indicator"], name="score_once")]
        # The round page counts the lost points marked for rectification: a few among the
        # round's hundreds of thousands of scores.
        indexes = [
            models.Index(fields=["target"], condition=models.Q(to_rectify=True),
                         name="score_to_rectify")
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.target_id}/{self.indicator_id}"


class Correction(models.Model):
    """A published score corrected (结果更正): what the score and its organisation's result were
    and what they became, why, by whom and when. The score holds the corrected value; each
    correction keeps the one before it, so the published result can always be told."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="corrections")
    points_before = models.DecimalField("原得分", null=True, blank=True, **POINTS)
    vetoed_before = models.BooleanField("原否决", default=False)
    comment_before = models.TextField("原评审意见", blank=True)
    points_after = models.DecimalField("更正后得分", null=True, blank=True, **POINTS)
    vetoed_after = models.BooleanField("更正后否决", default=False)
    comment_after = models.TextField("更正后评审意见", blank=True)
    total_before = models.DecimalField("原总分", **POINTS)
    total_after = models.DecimalField("更正后总分", **POINTS)
    grade_before = models.CharField("原等次", max_length=20, choices=Grade.choices, blank=True)
    grade_after = models.CharField("更正后等次", max_length=20, choices=Grade.choices, blank=True)
    reason = models.TextField("更正理由")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("更正时间", auto_now_add=True)

    class Meta:
        verbose_name = "结果更正"
        verbose_name_plural = "结果更正"
        ordering = ["score", "at", "id"]

    def __str__(self) -> str:
        return f"{self.score_id}@{self.at:%Y-%m-%d %H:%M}"


def report_path(instance, filename: str) -> str:
    return f"assessment/debriefs/{instance.debrief_id}/{instance.pk}/{filename}"


def annual_path(instance, filename: str) -> str:
    return f"assessment/reports/{instance.org_id}/{instance.year}/{filename}"


def candidate_path(instance, filename: str) -> str:
    return f"assessment/awards/{instance.award_id}/{instance.org_id}/{filename}"


def evidence_path(instance, filename: str) -> str:
    return f"assessment/{instance.score.target.round_id}/{instance.score_id}/{filename}"


class Evidence(models.Model):
    """A file, or a link to a record in the system (a meeting, a ledger item…), behind a
    self-assessment or a team's decision."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence")
    by_team = models.BooleanField("考核组提供", default=False)
    file = models.FileField(upload_to=evidence_path, max_length=300, blank=True)
    name = models.CharField("名称", max_length=200)
    size = models.PositiveIntegerField(default=0)
    # A link to a record of the system: its kind and id, checked against what the user may read.
    record_kind = models.CharField("记录类型", max_length=20, blank=True)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = "佐证材料"
        ordering = ["score", "added_at", "id"]

    def __str__(self) -> str:
        return self.name


class DutyList(models.Model):
    """A 责任清单 of an organisation for a year, signed by the person responsible; or (org is the
    issuing organisation, `template` set) a template a higher organisation issues for the
    organisations of a kind below it, which their lists start from and may add to."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("清单类别", max_length=20, choices=DutyKind.choices)
    template = models.BooleanField("模板", default=False)
    # A template's: the kind of organisation whose lists start from it.
    target_kind = models.CharField("适用组织类别", max_length=20, blank=True)
    person = models.ForeignKey(
        "orgs.Person", verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    title = models.CharField("名称", max_length=200)
    from_template = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    # The version the person signed (签认): a later change awaits a new signature.
    signed_version = models.PositiveIntegerField(null=True, blank=True)
    signed_at = models.DateTimeField("签认时间", null=True, blank=True)

    objects = DutyListQuerySet.as_manager()

    class Meta:
        verbose_name = "责任清单"
        verbose_name_plural = "责任清单"
        ordering = ["-year", "org", "kind", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def signed(self) -> bool:
        return self.signed_version == self.version

    @property
    def target_kind_label(self) -> str:
        from mofan.orgs.choices import OrgKind

        return OrgKind(self.target_kind).label if self.target_kind else ""


class Duty(models.Model):
    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="duties")
    order = models.PositiveSmallIntegerField("顺序")
    text = models.TextField("责任事项")
    local = models.BooleanField("本级增加", default=True)
    indicators = models.ManyToManyField(
        Indicator, verbose_name="对应考核指标", blank=True, related_name="duties"
    )

    class Meta:
        ordering = ["duty_list", "order", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class DutyRevision(models.Model):
    """A list as it stood before a change: every version is kept."""

    duty_list = models.ForeignKey(DutyList, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["duty_list", "-version"]

    def __str__(self) -> str:
        return f"{self.duty_list_id} v{self.version}"


class Debrief(models.Model):
    """A 述职评议: the secretaries of the organisations an organisation assesses report on their
    党建 work (基层党组织书记抓党建述职评议), and those present grade each of them by anonymous
    ballot. Each voter gets a printed slip whose QR code (and code in letters) casts one ballot.

    Anonymity is by construction: a slip is handed out at random and is not linked to anyone; a
    ballot is not stored at all — it only adds one to the counts of the grades it gave, in the
    same transaction that spends its slip — so there is no row per ballot, no order of ballots
    and no time of a ballot to link to anyone. Neither the ballot nor its slip is audited."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField(
        "类别", max_length=20, choices=DebriefKind.choices, default=DebriefKind.SECRETARY
    )
    title = models.CharField("名称", max_length=200)
    held_on = models.DateField("述职评议日期")
    # The 评议 meeting of the meetings app where the reports are heard and the ballots cast.
    meeting = models.ForeignKey(
        "meetings.Meeting", verbose_name="述职评议会议", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    voters = models.PositiveIntegerField("评议人数（发票数）")
    # One whose share of 差 among the ballots that graded them passes this is flagged for 约谈.
    poor_share = models.DecimalField(
        "“差”票占比超过（%）列为约谈对象", max_digits=5, decimal_places=2, default=20
    )
    state = models.CharField(
        "状态", max_length=20, choices=DebriefState.choices, default=DebriefState.DRAFT
    )
    # Ballots are refused after this moment even before the organiser closes the vote.
    closes_at = models.DateTimeField("投票截止时间", null=True, blank=True)
    opened_at = models.DateTimeField("开始投票时间", null=True, blank=True)
    closed_at = models.DateTimeField("结束投票时间", null=True, blank=True)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    # The secret the slips' codes are derived from (so the sheet can be printed again), kept
    # encrypted; the slips themselves keep only a digest of their code.
    seed = EncryptedCharField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DebriefQuerySet.as_manager()

    class Meta:
        verbose_name = "述职评议"
        verbose_name_plural = "述职评议"
        ordering = ["-year", "-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class Debriefer(models.Model):
    """One who reports (述职人) for an organisation, with the counts of the grades given."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="debriefers")
    order = models.PositiveSmallIntegerField("顺序")
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="所在组织", on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "orgs.Person", verbose_name="述职人", on_delete=models.PROTECT, related_name="+"
    )
    post = models.CharField("职务", max_length=60)
    good = models.PositiveIntegerField("好", default=0)
    fair_good = models.PositiveIntegerField("较好", default=0)
    fair = models.PositiveIntegerField("一般", default=0)
    poor = models.PositiveIntegerField("差", default=0)
    unknown = models.PositiveIntegerField("不了解", default=0)
    # The 述职报告: text, or a file, or both, submitted by the one who reports before the vote.
    report_text = models.TextField("述职报告", blank=True)
    report_file = models.FileField(upload_to=report_path, max_length=300, blank=True)
    report_name = models.CharField("述职报告文件", max_length=200, blank=True)
    reported_at = models.DateTimeField("述职报告提交时间", null=True, blank=True)

    objects = DebrieferQuerySet.as_manager()

    class Meta:
        verbose_name = "述职人"
        ordering = ["debrief", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["debrief", "org"], name="debriefer_org_once")
        ]

    def __str__(self) -> str:
        return f"{self.debrief_id}/{self.person_id}"


class DebriefComment(models.Model):
    """A voter's optional comment on one who reported. Like the ballot it came with, it keeps
    nothing that orders or times it: a random key (so the table's order says nothing of when it
    was written), no time, no link to the slip."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    debriefer = models.ForeignKey(Debriefer, on_delete=models.CASCADE, related_name="comments")
    text = models.CharField("意见建议", max_length=300)

    class Meta:
        verbose_name = "评议意见"
        ordering = ["debriefer", "text"]

    def __str__(self) -> str:
        return self.text[:20]


class Slip(models.Model):
    """A printed ballot slip: the digest of its code and whether it was used — nothing else."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="slips")
    digest = models.CharField(max_length=64, unique=True)
    spent = models.BooleanField(default=False)

    class Meta:
        verbose_name = "评议票"

    def __str__(self) -> str:
        return f"{self.debrief_id}/{self.pk}"


class CheckCap(models.Model):
    """The yearly cap (总量控制) a higher organisation sets: how many 督查检查考核 each organisation
    below it may receive in the year. The nearest organisation above a target with a cap for the
    year decides its cap, and approves going beyond it."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="设定组织", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    cap = models.PositiveSmallIntegerField("每个下级组织全年接受督查检查考核不超过（次）")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    objects = CheckCapQuerySet.as_manager()

    class Meta:
        verbose_name = "督查检查考核年度总量"
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="check_cap_once")]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}: {self.cap}"


class CheckEntry(models.Model):
    """One 督查检查考核 aimed at lower organisations, registered by the organisation that runs it
    (统筹, 计划): counted against each target's yearly cap; beyond the cap it waits for the
    approval of the organisation that set it, with the reason."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="组织实施单位", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类别", max_length=20, choices=CheckKind.choices)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    targets = models.ManyToManyField("orgs.PartyOrg", verbose_name="对象", related_name="+")
    state = models.CharField(
        "状态", max_length=20, choices=CheckState.choices, default=CheckState.REGISTERED
    )
    # Beyond a target's cap: why it is needed, who must approve (the cap's organisation), and
    # the decision with its note.
    reason = models.TextField("超出总量的理由", blank=True)
    approver = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="审批组织", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.CharField("审批意见", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CheckEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "督查检查考核"
        verbose_name_plural = "督查检查考核"
        ordering = ["-year", "-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title


class AnnualReport(models.Model):
    """党委（党组）报告年度党建工作: a 党委（党组） writes its year's report on 党建 (text or a file),
    with a data appendix the system generates from the records, and sends it to the organisation
    above, which reads it and accepts it or returns it with its comments."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="报告组织", on_delete=models.PROTECT, related_name="+"
    )
    to_org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="报送组织", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("标题", max_length=200)
    text = models.TextField("报告正文", blank=True)
    file = models.FileField(upload_to=annual_path, max_length=300, blank=True)
    file_name = models.CharField("报告文件", max_length=200, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review = models.TextField("审阅意见", blank=True)
    reviewed_at = models.DateTimeField("审阅时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = "年度党建工作报告"
        verbose_name_plural = "年度党建工作报告"
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="annual_report_once")]

    def __str__(self) -> str:
        return self.title


class Award(models.Model):
    """A 创建 evaluation ("四强"党支部, 模范机关标兵单位 / 先进单位): its basis is a published round
    of the evaluating organisation's indicator system, whose results give the recommendation
    list; the recommended apply with evidence, the evaluating organisation reviews each, and the
    list is published with its basis."""

    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="评选组织", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    kind = models.CharField("创建类别", max_length=30, choices=AwardKind.choices)
    title = models.CharField("名称", max_length=200)
    round = models.ForeignKey(
        Round, verbose_name="评选依据（考核）", on_delete=models.PROTECT, related_name="awards"
    )
    places = models.PositiveSmallIntegerField("名额")
    min_total = models.DecimalField("推荐条件：考核总分不低于", **POINTS)
    apply_due_on = models.DateField("申报截止日期")
    basis = models.TextField("评选依据说明", blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=AwardState.choices, default=AwardState.APPLYING
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = "创建评选"
        verbose_name_plural = "创建评选"
        ordering = ["-year", "-id"]
        constraints = [  # one evaluation of a kind from a round's results
            models.UniqueConstraint(fields=["round", "kind"], name="award_round_kind_unique")
        ]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """An organisation the round's results recommend, its application and the decision on it."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="candidates")
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="推荐对象", on_delete=models.PROTECT, related_name="+"
    )
    target = models.ForeignKey(
        Target, verbose_name="考核结果", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField("推荐顺位")
    statement = models.TextField("申报材料", blank=True)
    file = models.FileField(upload_to=candidate_path, max_length=300, blank=True)
    file_name = models.CharField("申报附件", max_length=200, blank=True)
    applied_at = models.DateTimeField("申报时间", null=True, blank=True)
    decision = models.CharField(
        "评审结果", max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    decision_note = models.CharField("评审意见", max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("评审时间", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = "推荐对象"
        ordering = ["award", "position"]
        constraints = [models.UniqueConstraint(fields=["award", "org"], name="candidate_once")]

    def __str__(self) -> str:
        return f"{self.award_id}/{self.org_id}"
