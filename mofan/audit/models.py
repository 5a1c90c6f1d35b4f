"""The tamper-evident audit trail: append-only records chained by hash."""

from django.db import models

from mofan.core.errors import UserFacingError


class ImmutableRecordError(UserFacingError):
    default_message = "审计记录不可修改或删除。"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRecordError()

    def delete(self):
        raise ImmutableRecordError()


class AuditEvent(models.Model):
    seq = models.BigIntegerField("序号", unique=True)
    occurred_at = models.DateTimeField("时间", db_index=True)
    # No foreign key: a record must outlive the account and never be rewritten by a cascade.
    actor_id = models.BigIntegerField("操作人ID", null=True, blank=True, db_index=True)
    actor_name = models.CharField("操作人", max_length=150, blank=True)
    source_address = models.CharField("来源地址", max_length=45, blank=True)
    action = models.CharField("事件", max_length=80, db_index=True)
    object_type = models.CharField("对象类型", max_length=60, blank=True)
    object_id = models.CharField("对象ID", max_length=40, blank=True, db_index=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    changes = models.JSONField("变更", default=dict, blank=True)
    payload = models.JSONField("详情", default=dict, blank=True)
    hash_alg = models.CharField("摘要算法", max_length=10)
    prev_hash = models.CharField("前一摘要", max_length=64)
    hash = models.CharField("摘要", max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError()


class ChainHead(models.Model):
    """One row: the sequence number and hash of the newest record, locked while appending."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"#{self.seq}"
