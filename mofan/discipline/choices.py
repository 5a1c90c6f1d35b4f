from django.db import models


class Source(models.TextChoices):
    """Where a case lead (问题线索) came from."""

    INSPECTION = "inspection", "巡视巡察"
    PETITION = "petition", "信访举报"
    AUDIT = "audit", "审计"
    ASSIGNED = "assigned", "上级交办"
    SUPERVISION = "supervision", "监督检查"
    OTHER = "other", "其他"


class Disposition(models.TextChoices):
    """The four ways a collective review (集体排查) disposes of a lead."""

    TALK = "talk", "谈话函询"
    VERIFY = "verify", "初步核实"
    SHELVE = "shelve", "暂存待查"
    CLOSE = "close", "予以了结"


class LeadState(models.TextChoices):
    REGISTERED = "registered", "待集体排查"
    TALKING = "talking", "谈话函询中"
    VERIFYING = "verifying", "初步核实中"
    SHELVED = "shelved", "暂存待查"
    CONCLUDED = "concluded", "已办结"


class TalkWay(models.TextChoices):
    TALK = "talk", "谈话"
    LETTER = "letter", "函询"


class Form(models.IntegerChoices):
    """四种形态."""

    FIRST = 1, "第一种形态"
    SECOND = 2, "第二种形态"
    THIRD = 3, "第三种形态"
    FOURTH = 4, "第四种形态"


class Measure(models.TextChoices):
    """The measure a result takes, each of one form (FORM_OF), or none (了结 or 澄清)."""

    REMINDER = "reminder", "谈话提醒"
    CRITICISM = "criticism", "批评教育"
    SELF_CHECK = "self_check", "责令检查"
    ADMONITION = "admonition", "诫勉"
    LIGHT_PUNISHMENT = "light_punishment", "党纪轻处分"
    ORG_ADJUSTMENT = "org_adjustment", "组织调整"
    HEAVY_PUNISHMENT = "heavy_punishment", "党纪重处分"
    MAJOR_ADJUSTMENT = "major_adjustment", "重大职务调整"
    CASE_REVIEW = "case_review", "严重违纪涉嫌违法立案审查"
    CLEARED = "cleared", "反映不实，予以澄清"
    DISMISSED = "dismissed", "予以了结"


FORM_OF = {
    Measure.REMINDER: Form.FIRST, Measure.CRITICISM: Form.FIRST, Measure.SELF_CHECK: Form.FIRST,
    Measure.ADMONITION: Form.FIRST, Measure.LIGHT_PUNISHMENT: Form.SECOND,
    Measure.ORG_ADJUSTMENT: Form.SECOND, Measure.HEAVY_PUNISHMENT: Form.THIRD,
    Measure.MAJOR_ADJUSTMENT: Form.THIRD, Measure.CASE_REVIEW: Form.FOURTH,
}  # fmt: skip


class StepKind(models.TextChoices):
    """What happened to a lead, in order: its record (办理过程)."""

    REGISTERED = "registered", "登记"
    REVIEWED = "reviewed", "集体排查"
    LETTER_SENT = "letter_sent", "发出函询"
    REPLY = "reply", "收到函询回复"
    TALK_HELD = "talk_held", "谈话"
    REPORT = "report", "初步核实报告"
    CONCLUDED = "concluded", "办结"
    REVISITED = "revisited", "回访"


class TalkKind(models.TextChoices):
    """A leader's discipline talk with a cadre (谈心谈话 of the discipline records)."""

    REMINDER = "reminder", "谈话提醒"
    INTEGRITY = "integrity", "廉政谈话"
    APPOINTMENT = "appointment", "任前廉政谈话"


class CheckKind(models.TextChoices):
    RANDOM = "random", "随机抽查"
    KEY = "key", "重点查核"


class CheckOutcome(models.TextChoices):
    TRUE = "true", "如实报告"
    OMITTED = "omitted", "漏报"
    CONCEALED = "concealed", "瞒报"


# The items of a yearly personal-matters report (个人有关事项), as structured data.
REPORT_ITEMS = [
    ("marriage", "本人婚姻情况"),
    ("passports", "本人持有因私出入境证件情况"),
    ("trips", "本人因私出国（境）情况"),
    ("family_abroad", "子女与外国人、港澳台居民通婚及配偶子女移居国（境）外情况"),
    ("family_business", "配偶、子女及其配偶从业情况"),
    ("income", "本人工资及各类奖金、津贴、补贴等收入"),
    ("housing", "本人、配偶、共同生活的子女房产情况"),
    ("investment", "本人、配偶、共同生活的子女投资股票、基金、保险等情况"),
]
