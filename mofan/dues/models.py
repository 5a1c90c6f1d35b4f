"""党费: the bracket rules as data, each member's base, the payments and the approved waivers.
Every amount is a Decimal of yuan with two places; months are the first day of the month."""

from django.db import models
from django.db.models import Q

from mofan.dues.calc import cn_month
from mofan.dues.choices import DuesCategory, PaymentMethod, WaiverKind
from mofan.dues.querysets import DuesRecordQuerySet, PaymentQuerySet, RuleQuerySet

MONEY = {"max_digits": 12, "decimal_places": 2}


class DuesRule(models.Model):
    """One bracket: for a category, a monthly base above `above` (none: from 0) up to `up_to`
    inclusive (none: no limit) pays `rate` per cent of it, or the fixed amount."""

    category = models.CharField("党员类别", max_length=20, choices=DuesCategory.choices)
    above = models.DecimalField("基数高于（元）", null=True, blank=True, **MONEY)
    up_to = models.DecimalField("基数至（含，元）", null=True, blank=True, **MONEY)
    rate = models.DecimalField("比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    fixed_amount = models.DecimalField("定额（元/月）", null=True, blank=True, **MONEY)
    article = models.CharField("依据", max_length=300)
    effective_from = models.DateField("施行日期")
    effective_to = models.DateField("废止日期", null=True, blank=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        verbose_name = "党费交纳标准"
        verbose_name_plural = "党费交纳标准"
        ordering = ["category", "effective_from", models.F("above").asc(nulls_first=True)]
        constraints = [
            models.CheckConstraint(
                condition=Q(rate__isnull=False, fixed_amount__isnull=True)
                | Q(rate__isnull=True, fixed_amount__isnull=False),
                name="duesrule_rate_or_fixed",
            ),
        ]

    def __str__(self) -> str:
        return self.article


class DuesBase(models.Model):
    """A member's monthly base from a month on (recorded each year, and again when the income
    changes: 第十条, from the month the new salary is paid)."""

    person = models.ForeignKey(
        "orgs.Person", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_bases"
    )
    starts_on = models.DateField("起始月份")
    category = models.CharField("计算方式", max_length=20, choices=DuesCategory.choices)
    monthly_income = models.DecimalField("月计算基数（元，税后）", **MONEY)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = DuesRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "党费基数"
        verbose_name_plural = "党费基数"
        ordering = ["person", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "starts_on"], name="duesbase_one_per_month"),
            models.CheckConstraint(
                condition=Q(monthly_income__gte=0), name="duesbase_income_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.starts_on:%Y-%m} 起 {self.monthly_income} 元"


class DuesPayment(models.Model):
    """A payment of one member's dues for one month, to the organisation they belonged to then."""

    person = models.ForeignKey(
        "orgs.Person", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_payments"
    )
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="收缴党组织", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("所属月份")
    amount = models.DecimalField("金额（元）", **MONEY)
    paid_on = models.DateField("交纳日期")
    method = models.CharField("方式", max_length=20, choices=PaymentMethod.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = "党费交纳记录"
        verbose_name_plural = "党费交纳记录"
        ordering = ["person", "month"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="duespayment_amount_positive"),
        ]
        # A month may take a second payment (补交 after 少交, or after a base correction raised
        # what is due); the service refuses one for a month already paid in full.
        indexes = [
            models.Index(fields=["person", "month"], name="duespayment_person_month"),
            models.Index(fields=["org", "month"], name="duespayment_org_month"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {cn_month(self.month)} {self.amount} 元"


class DuesWaiver(models.Model):
    """An approved 少交 / 免交, or a valid reason for not paying, over a run of months."""

    person = models.ForeignKey(
        "orgs.Person", verbose_name="党员", on_delete=models.PROTECT, related_name="dues_waivers"
    )
    kind = models.CharField("类别", max_length=20, choices=WaiverKind.choices)
    first_month = models.DateField("起始月份")
    last_month = models.DateField("截止月份")
    reduced_amount = models.DecimalField("少交后每月金额（元）", null=True, blank=True, **MONEY)
    reason = models.CharField("事由", max_length=300)
    approved_on = models.DateField("批准日期")
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = DuesRecordQuerySet.as_manager()

    class Meta:
        verbose_name = "党费减免与缓交"
        verbose_name_plural = "党费减免与缓交"
        ordering = ["person", "first_month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_month__gte=models.F("first_month")), name="dueswaiver_months_order"
            ),
            models.CheckConstraint(
                condition=Q(kind=WaiverKind.REDUCED, reduced_amount__gt=0)
                | (~Q(kind=WaiverKind.REDUCED) & Q(reduced_amount__isnull=True)),
                name="dueswaiver_reduced_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.first_month:%Y-%m}–{self.last_month:%Y-%m}"
