"""考核评价: an assessing organisation's indicator system for a year (Scheme → Dimension →
Indicator, the scoring of each as data), a round of it over the organisations it assesses
(Round → Target), and each target's score on each indicator (Score) with the counts it was
computed from or the team's reason, the self-assessment and the evidence behind it."""

from django.conf import settings
from django.db import models

from mofan.assessment.choices import Grade, IndicatorKind, RoundState
from mofan.assessment.querysets import (
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

    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = "指标得分"
        ordering = ["target", "indicator__dimension__order", "indicator__order", "id"]
        constraints = [models.UniqueConstraint(fields=["target", "indicator"], name="score_once")]

    def __str__(self) -> str:
        return f"{self.target_id}/{self.indicator_id}"


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
