"""The leader's dashboard (领导驾驶舱) reads figures kept by the daily job instead of counting a
million items and ten thousand organisations' meetings on every visit: one row per organisation
(and per administrative unit) per month, rewritten each day of the month and frozen when the month
is over — so the current month's row is today's figure and the earlier rows are the monthly trend.
Each row holds the organisation's or unit's own figures (not its subtree's): a reader's figure is
the sum of the rows within their scope."""

from django.db import models

from mofan.dashboard.querysets import SnapshotQuerySet


class Snapshot(models.Model):
    ORG, UNIT = "org", "unit"

    month_index = models.PositiveIntegerField()  # year * 12 + month - 1
    kind = models.CharField(max_length=4, choices=[(ORG, "党组织"), (UNIT, "单位")])
    entity_id = models.PositiveBigIntegerField()
    path = models.CharField(max_length=255)  # the organisation's or unit's tree path
    taken_at = models.DateTimeField()
    # Units: the ledger items they lead (在办, 超期 red, 临近时限 yellow) and the rectification
    # findings of the ledgers they keep (整改中, 已销号).
    items_open = models.PositiveIntegerField(default=0)
    items_red = models.PositiveIntegerField(default=0)
    items_yellow = models.PositiveIntegerField(default=0)
    findings_open = models.PositiveIntegerField(default=0)
    findings_closed = models.PositiveIntegerField(default=0)
    # Organisations, the year to date: the compliance engine's requirements due and met; 党委
    # (党组) meetings held and those opened by the 第一议题; 中心组 study sessions held and the
    # months that had one.
    required = models.PositiveIntegerField(default=0)
    met = models.PositiveIntegerField(default=0)
    committee_held = models.PositiveIntegerField(default=0)
    first_topic = models.PositiveIntegerField(default=0)
    study_held = models.PositiveIntegerField(default=0)
    study_months = models.PositiveSmallIntegerField(default=0)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "驾驶舱统计"
        constraints = [
            models.UniqueConstraint(
                fields=["month_index", "kind", "entity_id"], name="snapshot_once"
            )
        ]
        indexes = [
            models.Index(fields=["month_index", "kind", "path"], name="snapshot_month_path",
                         opclasses=["", "", "varchar_pattern_ops"]),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.kind}:{self.entity_id}@{self.month_index}"
