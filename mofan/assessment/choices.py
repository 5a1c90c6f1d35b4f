from django.db import models


class IndicatorKind(models.TextChoices):
    # Scored by a named formula from records already in the system: nobody types the figure.
    RECORD = "record", "按记录自动计分"
    # The assessed write a self-assessment with evidence; the assessment team scores it.
    JUDGEMENT = "judgement", "评审计分"
    # Separate kinds, each needing a reason and evidence from the team.
    DEDUCTION = "deduction", "扣分项"
    BONUS = "bonus", "加分项"
    VETO = "veto", "一票否决"


# The kinds whose points make up the scheme's declared total.
BASE_KINDS = frozenset({IndicatorKind.RECORD, IndicatorKind.JUDGEMENT})
# The kinds the team decides, with a reason and evidence.
TEAM_KINDS = frozenset({IndicatorKind.JUDGEMENT, IndicatorKind.DEDUCTION, IndicatorKind.BONUS,
                        IndicatorKind.VETO})  # fmt: skip


class RoundState(models.TextChoices):
    SELF = "self", "自评中"
    SCORING = "scoring", "评审中"
    PUBLISHED = "published", "已公布"


class Grade(models.TextChoices):
    GOOD = "good", "好"
    FAIR_GOOD = "fair_good", "较好"
    FAIR = "fair", "一般"
    POOR = "poor", "差"


DIMENSIONS = ["政治建设", "思想建设", "组织建设", "作风建设", "纪律建设", "制度建设"]


class DutyKind(models.TextChoices):
    # 党委（党组）的主体责任清单; its 书记 as 第一责任人; each 班子成员's 一岗双责; 纪检's 监督责任.
    MAIN = "main", "主体责任清单"
    FIRST = "first", "第一责任人责任清单"
    DUAL = "dual", "“一岗双责”责任清单"
    SUPERVISION = "supervision", "监督责任清单"


class DebriefState(models.TextChoices):
    DRAFT = "draft", "准备中"
    OPEN = "open", "投票中"
    CLOSED = "closed", "已计票"
    PUBLISHED = "published", "已公布"


class Mark(models.TextChoices):
    """What a ballot gives each one who reported (the 述职评议票's columns)."""

    GOOD = "good", "好"
    FAIR_GOOD = "fair_good", "较好"
    FAIR = "fair", "一般"
    POOR = "poor", "差"
    UNKNOWN = "unknown", "不了解"


class CheckKind(models.TextChoices):
    SUPERVISION = "supervision", "督查"
    CHECK = "check", "检查"
    ASSESSMENT = "assessment", "考核"


class CheckState(models.TextChoices):
    REGISTERED = "registered", "已登记"
    PENDING = "pending", "超出总量待审批"
    APPROVED = "approved", "超出总量已批准"
    REFUSED = "refused", "未批准"


class DebriefKind(models.TextChoices):
    """Two of the 三项制度 share the ballot: the secretaries of 基层党组织 report on their 党建
    work, or the responsible leaders of 党委（党组） below report on theirs."""

    SECRETARY = "secretary", "基层党组织书记抓党建述职评议"
    LEADER = "leader", "党委（党组）负责人述职党建"


# The organisations whose leaders report in a 党委（党组）负责人述职党建.
LEADING_KINDS = ("committee", "leading_group", "organ_committee")


class ReportState(models.TextChoices):
    """党委（党组）报告年度党建工作: written, sent up, and read by the organisation above."""

    DRAFT = "draft", "起草中"
    SUBMITTED = "submitted", "已报送"
    RETURNED = "returned", "退回修改"
    ACCEPTED = "accepted", "已审阅"


class AwardKind(models.TextChoices):
    STRONG_BRANCH = "strong_branch", "“四强”党支部"
    MODEL_PACESETTER = "model_pacesetter", "模范机关标兵单位"
    MODEL_ADVANCED = "model_advanced", "模范机关先进单位"


class AwardState(models.TextChoices):
    APPLYING = "applying", "申报中"
    REVIEWING = "reviewing", "评审中"
    PUBLISHED = "published", "已公布"


class Decision(models.TextChoices):
    PENDING = "pending", "待评审"
    APPROVED = "approved", "评审通过"
    REJECTED = "rejected", "未通过"
