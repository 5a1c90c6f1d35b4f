"""The stages and steps of 发展党员, with the labels users see."""

from django.db import models


class Stage(models.TextChoices):
    APPLICANT = "applicant", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    NOMINEE = "nominee", "发展对象"
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "已转为正式党员"
    ENDED = "ended", "已终止"


class StepKind(models.TextChoices):
    TALK = "talk", "派人谈话"
    ACTIVIST = "activist", "确定为入党积极分子"
    REVIEW = "review", "培养教育考察（每半年）"
    NOMINEE = "nominee", "列为发展对象"
    POLITICAL = "political", "政治审查"
    TRAINING = "training", "短期集中培训"
    PUBLICITY = "publicity", "发展对象公示"
    PRE_REVIEW = "pre_review", "上级党委预审"
    ADMISSION = "admission", "支部党员大会讨论接收"
    APPROVAL = "approval", "上级党委审批（预备党员）"
    OATH = "oath", "入党宣誓"
    CONFIRMATION = "confirmation", "支部党员大会讨论转正"
    CONFIRM_APPROVAL = "confirm_approval", "上级党委审批（转正）"
    END = "end", "终止发展"


class Recommendation(models.TextChoices):
    MEMBERS = "members", "党员推荐"
    MASS_ORG = "mass_org", "群团组织推优"


class Outcome(models.TextChoices):
    """What a 支部党员大会 decides at the end of probation (第三十四条)."""

    CONFIRM = "confirm", "按期转为正式党员"
    EXTEND = "extend", "延长预备期"
    CANCEL = "cancel", "取消预备党员资格"


class DocumentKind(models.TextChoices):
    APPLICATION = "application", "入党申请书"
    VOLUNTEER = "volunteer", "入党志愿书"
    REPORT = "report", "思想汇报"
    REVIEW = "review", "培养考察材料"
    POLITICAL = "political", "政治审查材料"
    TRAINING = "training", "培训结业证明"
    CONFIRMATION = "confirmation", "转正申请"
    OTHER = "other", "其他材料"
