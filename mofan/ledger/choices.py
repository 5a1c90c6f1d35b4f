"""Vocabularies of the supervised-task ledger, with the Chinese labels users see."""

from django.db import models


class LedgerKind(models.TextChoices):
    GENERAL = "general", "一般台账"
    RECTIFICATION = "rectification", "整改台账"


class SourceKind(models.TextChoices):
    DIRECTIVE = "directive", "指示批示"
    DOCUMENT = "document", "文件"
    MEETING = "meeting", "会议"
    INSPECTION = "inspection", "巡视反馈"
    WORK_REPORT = "work_report", "工作报告"


class ItemState(models.TextChoices):
    DRAFT = "draft", "草稿"
    ASSIGNED = "assigned", "已交办"
    ACCEPTED = "accepted", "已签收"
    IN_PROGRESS = "in_progress", "办理中"
    DONE = "done", "申请办结"
    CLOSED = "closed", "已销号"


class ReportCycle(models.TextChoices):
    NONE = "none", "不定期"
    WEEKLY = "weekly", "每周"
    MONTHLY = "monthly", "每月"
    QUARTERLY = "quarterly", "每季度"
    DATES = "dates", "指定日期"


class Light(models.TextChoices):
    GREEN = "green", "绿灯"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"
    NONE = "none", "—"


class Evaluation(models.TextChoices):
    GOOD = "good", "好"
    FAIRLY_GOOD = "fairly_good", "较好"
    AVERAGE = "average", "一般"
    POOR = "poor", "差"


class EventKind(models.TextChoices):
    CREATED = "created", "创建"
    TRANSITION = "transition", "状态变更"
    EDITED = "edited", "修改"
    REPORT = "report", "进展报送"
    COMMENT = "comment", "督办意见"
    URGE = "urge", "催办"
    ATTACHMENT = "attachment", "上传附件"
    OWNERS = "owners", "指定责任人"
    EXTENSION = "extension", "延期"
    DECOMPOSED = "decomposed", "分解"
    HANDOVER = "handover", "上下级交办"


class HandoverState(models.TextChoices):
    PENDING = "pending", "待签收"
    ACCEPTED = "accepted", "已签收"
    RETURNED = "returned", "已退回"


class ExtensionState(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"


class FindingState(models.TextChoices):
    OPEN = "open", "整改中"
    CLOSED = "closed", "已销号"
    REOPENED = "reopened", "回头看后重新整改"


class FollowUpOutcome(models.TextChoices):
    HELD = "held", "整改成果巩固"
    REOPENED = "reopened", "问题反弹，重新整改"


class AccountabilityKind(models.TextChoices):
    ADMONITION_TALK = "admonition_talk", "诫勉谈话"
    CRITICISM = "criticism", "批评教育"
    CIRCULAR = "circular", "通报批评"
    ORGANISATIONAL = "organisational", "组织处理"
    DISCIPLINARY = "disciplinary", "纪律处分"


class DecompositionState(models.TextChoices):
    OPEN = "open", "审核中"
    COMMITTED = "committed", "已生成事项"
    DISCARDED = "discarded", "已放弃"


class CandidateStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已接受"
    REJECTED = "rejected", "已排除"


class CandidateKind(models.TextChoices):
    TASK = "task", "任务"
    RULE = "rule", "制度规定"
