"""Notifications: kept in-app for each user, also sent by e-mail and to group-robot webhooks.

Each message that leaves the system (an e-mail, a robot post) moves through DeliveryState: a
worker claims a batch (state SENDING, stamped with the claim time and the worker), sends it, and
marks each message SENT or, after a failure, PENDING again with a later retry time, FAILED once
the attempts are used up. A claim older than the lease (its worker died) is taken over."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from mofan.access.roles import Role
from mofan.access.scoping import OwnQuerySet, administered_by


class DeliveryState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    SKIPPED = "skipped", "无需发送"  # e-mail only: the user has no address or no longer an account


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField("类型", max_length=40)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # What makes a notice the same notice: a job run twice creates nothing twice.
    dedupe_key = models.CharField(max_length=200, unique=True)
    # Its e-mail (see DeliveryState).
    email_state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    email_claimed_by = models.CharField(max_length=100, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_retry_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)

    objects = OwnQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_unread"),
            # The delivery queue: only the notices whose e-mail is still to go, whatever the total.
            models.Index(
                fields=["id"],
                condition=Q(email_state__in=["pending", "sending"]),
                name="notification_email_queue",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class WebhookKind(models.TextChoices):
    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class Webhook(models.Model):
    """A group robot that receives the notices about items of one unit's subtree."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=20, choices=WebhookKind.choices)
    url = models.URLField("地址", max_length=500)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="单位范围", on_delete=models.CASCADE, related_name="webhooks"
    )
    active = models.BooleanField("启用", default=True)

    objects = administered_by(Role.SYSADMIN).as_manager()

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One message to one robot, kept so a retried job does not post it twice."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    dedupe_key = models.CharField(max_length=200)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["webhook", "dedupe_key"], name="delivery_once")
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(state__in=["pending", "sending"]),
                name="webhook_delivery_queue",
            )
        ]

    def __str__(self) -> str:
        return self.dedupe_key
