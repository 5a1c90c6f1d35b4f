"""The tamper-evident audit trail: append-only records, chained by a keyed MAC just after commit.

A business transaction only appends its record and a pending marker (no lock shared with any other
writer); `chain.link_pending` then gives each committed record its place in the chain, in commit
order, in a short transaction of its own.
"""

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
    # The record's own keyed MAC, made when it is written: a row put in the table by anyone but
    # the application has no valid seal and is never chained. The nonce makes each seal unique,
    # so a copied row is refused by the unique index.
    nonce = models.CharField("随机数", max_length=32)
    alg = models.CharField("算法", max_length=12)
    key_id = models.CharField("密钥标识", max_length=16)
    seal = models.CharField("记录认证码", max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError()


class AuditLink(models.Model):
    """A record's place in the chain: its position and the MAC that ties it to the one before."""

    seq = models.BigIntegerField("链序号", primary_key=True)
    event = models.OneToOneField(
        AuditEvent, verbose_name="审计记录", on_delete=models.PROTECT, related_name="link"
    )
    alg = models.CharField("算法", max_length=12)
    key_id = models.CharField("密钥标识", max_length=16)
    mac = models.CharField("消息认证码", max_length=64)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} → {self.event_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError()


class PendingLink(models.Model):
    """A committed record not chained yet; removed when its link is written."""

    event = models.OneToOneField(AuditEvent, on_delete=models.CASCADE, primary_key=True)

    def __str__(self) -> str:
        return str(self.event_id)
