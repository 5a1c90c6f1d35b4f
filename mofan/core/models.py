"""What the ground floor keeps in the database: the check values of the keys in settings."""

from django.db import models


class KeyCheck(models.Model):
    """A key's check value (a MAC of a fixed text under the key, which reveals nothing of it),
    stored at first start: a later start with another key is refused before it can misread or
    miswrite data. `progress` keeps where an interrupted `mofan rotate-keys` stopped."""

    name = models.CharField("环境变量", max_length=60, primary_key=True)
    check_value = models.CharField("校验值", max_length=64)
    progress = models.JSONField("轮换进度", default=dict, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "密钥校验值"
        verbose_name_plural = "密钥校验值"

    def __str__(self) -> str:
        return self.name
