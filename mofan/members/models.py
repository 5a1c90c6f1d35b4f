"""组织关系转接 (a transfer from its letter to its acceptance or return) and the decisions on a
member's standing (失联, 停止党籍, 恢复党籍, 除名). The member's record itself, and the history of
where it was kept on each date, stay in `orgs` (Membership, MembershipTransfer)."""

from django.db import models
from django.db.models import Q

from mofan.members.choices import StandingKind, TransferKind, TransferReason, TransferState
from mofan.members.querysets import StandingQuerySet, TransferQuerySet


class Transfer(models.Model):
    kind = models.CharField("转接类型", max_length=10, choices=TransferKind.choices)
    state = models.CharField("状态", max_length=10, choices=TransferState.choices)
    person = models.ForeignKey(
        "orgs.Person", verbose_name="党员", on_delete=models.PROTECT, related_name="party_transfers"
    )
    from_org = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name="转出党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_org = models.ForeignKey(
        "orgs.PartyOrg",
        verbose_name="接收党组织",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    other_org_name = models.CharField("系统外党组织", max_length=200, blank=True)
    letter_number = models.CharField("介绍信编号", max_length=40, blank=True)
    reason = models.CharField("转接原因", max_length=10, choices=TransferReason.choices)
    issued_on = models.DateField("开具日期")
    valid_until = models.DateField("有效期至", null=True, blank=True)
    decided_on = models.DateField("办结日期", null=True, blank=True)
    return_reason = models.CharField("退回或撤回原因", max_length=300, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    issued_by_id = models.BigIntegerField(null=True, blank=True)
    decided_by_id = models.BigIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = "组织关系转接"
        verbose_name_plural = "组织关系转接"
        ordering = ["-issued_on", "-id"]
        constraints = [
            # A member has at most one letter on its way.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(state=TransferState.PENDING),
                name="transfer_one_pending",
            ),
        ]
        indexes = [
            models.Index(fields=["to_org", "state"], name="transfer_to_state"),
            models.Index(fields=["from_org", "state"], name="transfer_from_state"),
            models.Index(fields=["state", "valid_until"], name="transfer_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"

    @property
    def from_name(self) -> str:
        return self.from_org.name if self.from_org_id else self.other_org_name

    @property
    def to_name(self) -> str:
        return self.to_org.name if self.to_org_id else self.other_org_name


class StandingChange(models.Model):
    """One decision or finding on a member's standing, with the meeting that took it."""

    person = models.ForeignKey(
        "orgs.Person",
        verbose_name="党员",
        on_delete=models.PROTECT,
        related_name="standing_changes",
    )
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党组织", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("事项", max_length=10, choices=StandingKind.choices)
    # 失联: the day contact was lost; the others: the day of the decision.
    effective_on = models.DateField("日期")
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name="支部党员大会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approval = models.CharField("上级党组织批准", max_length=200, blank=True)
    note = models.CharField("情况说明", max_length=500)
    recorded_by_id = models.BigIntegerField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = StandingQuerySet.as_manager()

    class Meta:
        verbose_name = "党籍状态变更"
        verbose_name_plural = "党籍状态变更"
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["person", "kind"], name="standing_person_kind")]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()}"
