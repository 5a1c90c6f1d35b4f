"""Fixed vocabularies of 组织关系转接 and a member's standing, with the labels users see."""

from django.db import models

from mofan.orgs.choices import MEMBER_ORG_KINDS


class TransferKind(models.TextChoices):
    WITHIN = "within", "系统内转接"
    OUT = "out", "转出本系统"
    IN = "in", "从系统外转入"


class TransferState(models.TextChoices):
    PENDING = "pending", "待接收"
    ACCEPTED = "accepted", "已接收"
    RETURNED = "returned", "已退回"
    WITHDRAWN = "withdrawn", "已撤回"
    DONE = "done", "已办结"  # a transfer out of or into the system, recorded from its letter


class TransferReason(models.TextChoices):
    JOB = "job", "工作调动"
    RETIRED = "retired", "退休"
    STUDY = "study", "升学、毕业"
    AWAY = "away", "外出流动"
    OTHER = "other", "其他"


class StandingKind(models.TextChoices):
    LOST = "lost", "认定失去联系"
    FOUND = "found", "恢复联系"
    STOPPED = "stopped", "停止党籍"
    RESTORED = "restored", "恢复党籍"
    REMOVED = "removed", "除名"


ACCEPTING_KINDS = MEMBER_ORG_KINDS
