from django.db import models


class DuesCategory(models.TextChoices):
    """How a member's monthly dues are worked out (中组部《关于中国共产党党费收缴、使用和管理的规定》)."""

    SALARIED = "salaried", "在职（按月工资收入）"
    RETIRED = "retired", "离退休（按离退休费或养老金）"
    FIXED = "fixed", "学生、下岗失业、依靠抚恤或救济生活等（定额）"


# As statements and sheets write them.
SHORT_LABELS = {
    DuesCategory.SALARIED: "在职",
    DuesCategory.RETIRED: "离退休",
    DuesCategory.FIXED: "定额",
}


class PaymentMethod(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "银行转账"
    ONLINE = "online", "线上交纳"


class WaiverKind(models.TextChoices):
    # 交纳党费确有困难的，经党支部研究、报上级党委批准，可以少交或者免交.
    REDUCED = "reduced", "少交"
    EXEMPT = "exempt", "免交"
    # A valid reason for not paying in those months (出国、重病住院…): the months are still owed,
    # but they do not count towards the six months of 党章第九条.
    EXCUSED = "excused", "有正当理由暂缓交纳"
