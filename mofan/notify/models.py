"""Notifications: kept in-app for each user, also sent by e-mail and to group-robot webhooks."""

from django.conf import settings
from django.db import models


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

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["webhook", "dedupe_key"], name="delivery_once")
        ]

    def __str__(self) -> str:
        return self.dedupe_key
