"""The national dues brackets, as the regulation states them. Loaded by a migration; amounts are
always worked out from the rules in the database, never from here."""

from datetime import date
from decimal import Decimal

REGULATION = "中共中央组织部《关于中国共产党党费收缴、使用和管理的规定》（2008年）"
SINCE = date(2008, 2, 1)

# (category, above, up to (inclusive), rate in per cent, fixed amount, article)
NATIONAL_BRACKETS = [
    ("salaried", None, "3000", "0.5", None,
     f"{REGULATION}第二条：每月工资收入（税后）在3000元以下（含3000元）者，交纳月工资收入的0.5%"),
    ("salaried", "3000", "5000", "1", None,
     f"{REGULATION}第二条：3000元以上至5000元（含5000元）者，交纳1%"),
    ("salaried", "5000", "10000", "1.5", None,
     f"{REGULATION}第二条：5000元以上至10000元（含10000元）者，交纳1.5%"),
    ("salaried", "10000", None, "2", None,
     f"{REGULATION}第二条：10000元以上者，交纳2%"),
    ("retired", None, "5000", "0.5", None,
     f"{REGULATION}第五条：离退休干部、职工中的党员，以实际领取的离退休费总额或养老金总额为计算基数，"
     "5000元以下（含5000元）的按0.5%交纳"),
    ("retired", "5000", None, "1", None,
     f"{REGULATION}第五条：5000元以上的按1%交纳"),
    ("fixed", None, None, None, "0.20",
     f"{REGULATION}第六条：学生党员、下岗失业的党员、依靠抚恤或救济生活的党员、"
     "领取当地最低生活保障金的党员，每月交纳党费0.2元"),
]  # fmt: skip


def _decimal(text):
    return None if text is None else Decimal(text)


def ensure_national_brackets(rule_model) -> None:
    """Store the brackets (idempotent). `rule_model` is DuesRule or its historical model."""
    for category, above, up_to, rate, fixed, article in NATIONAL_BRACKETS:
        rule_model.objects.get_or_create(
            category=category,
            above=_decimal(above),
            up_to=_decimal(up_to),
            effective_from=SINCE,
            defaults={"rate": _decimal(rate), "fixed_amount": _decimal(fixed), "article": article},
        )
