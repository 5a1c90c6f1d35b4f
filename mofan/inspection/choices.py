from django.db import models


class RoundKind(models.TextChoices):
    REGULAR = "regular", "常规巡察"
    SPECIAL = "special", "专项巡察"
    MOBILE = "mobile", "机动巡察"
    FOLLOW_UP = "follow_up", "巡察“回头看”"


class Stage(models.TextChoices):
    """A round's stages, in order; a round moves one stage forward at a time."""

    PREPARING = "preparing", "准备"
    STATIONED = "stationed", "进驻"
    INQUIRING = "inquiring", "了解"
    REPORTING = "reporting", "报告"
    FEEDBACK = "feedback", "反馈"
    HANDOVER = "handover", "移交"
    RECTIFYING = "rectifying", "整改"
    EVALUATING = "evaluating", "评估"
    CLOSED = "closed", "结束"


STAGES = list(Stage.values)


class TeamRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "组员"


class FindingCategory(models.TextChoices):
    LEADERSHIP = "leadership", "党的领导"
    PARTY_BUILDING = "party_building", "党的建设"
    STRICT_GOVERNANCE = "strict_governance", "全面从严治党"
    CADRES = "cadres", "选人用人"
    CONDUCT = "conduct", "作风"
    INTEGRITY = "integrity", "廉洁"
    OTHER = "other", "其他"


class Coverage(models.TextChoices):
    """Where an organisation stands in a term's coverage plan."""

    INSPECTED = "inspected", "已巡察"
    PLANNED = "planned", "已列入计划"
    UNCOVERED = "uncovered", "尚未覆盖"
    GONE = "gone", "已撤销（不计入）"


class Channel(models.TextChoices):
    """How a 来信来访 reached the team."""

    LETTER = "letter", "来信"
    PHONE = "phone", "来电"
    VISIT = "visit", "来访"
    MAIL = "mail", "电子邮件"


class LetterKind(models.TextChoices):
    """The classification of a 来信来访."""

    UNSORTED = "", "待分类"
    ACCUSATION = "accusation", "检举控告"
    ADVICE = "advice", "意见建议"
    APPEAL = "appeal", "申诉"
    OTHER = "other", "其他诉求"


class Rating(models.TextChoices):
    """The inspecting organisation's 整改评估 of one finding."""

    DONE = "done", "整改到位"
    MOSTLY = "mostly", "基本到位"
    NOT_DONE = "not_done", "未到位"


class RectificationPaper(models.TextChoices):
    """What the target sends back after the feedback."""

    PLAN = "plan", "整改方案"
    REPORT = "report", "整改情况报告"


class DisclosureState(models.TextChoices):
    DRAFT = "draft", "待审核"
    PUBLISHED = "published", "已公开"
