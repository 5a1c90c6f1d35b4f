"""The rules of a scheme, as plain functions: the grade bands, what may not be measured, and
whether a scheme adds up before a round may start on it."""

from dataclasses import dataclass
from decimal import Decimal

from mofan.assessment.choices import BASE_KINDS, Grade, IndicatorKind

# Grades by score bands, highest first: a total at or above `low` earns the grade.
DEFAULT_BANDS = [
    {"grade": Grade.GOOD, "low": "90"},
    {"grade": Grade.FAIR_GOOD, "low": "80"},
    {"grade": Grade.FAIR, "low": "60"},
    {"grade": Grade.POOR, "low": "0"},
]
MAX_TOTAL = Decimal("1000")
MAX_INDICATORS = 200

# Nothing scores or ranks people or organisations by time spent in an app, logins, likes,
# shares or check-ins: the rules against formalism in government apps forbid such assessment
# criteria. The scheme editor refuses an indicator that names one, with the reason.
FORBIDDEN = {
    "登录": "登录次数",
    "在线时长": "在线时长",
    "使用时长": "使用时长",
    "学习时长排名": "学习时长排名",
    "点赞": "点赞",
    "转发": "转发",
    "分享": "分享",
    "打卡": "打卡",
    "积分": "平台积分",
    "阅读量": "阅读量",
    "浏览量": "浏览量",
    "下载量": "下载量",
    "关注量": "关注量",
}
FORBIDDEN_REASON = (
    "按照整治形式主义为基层减负的有关规定，不得将政务应用程序的登录、使用时长、点赞、转发、分享、"
    "打卡、积分等作为考核指标"
)


def figure(value) -> str:
    """A number as people write it: 100, 2.5 — never 100.00 or 1E+2."""
    return format(Decimal(str(value)).normalize(), "f")


def forbidden_in(*texts: str) -> str | None:
    """The forbidden measure a text names, or None."""
    joined = "".join(texts)
    for term, what in FORBIDDEN.items():
        if term in joined:
            return what
    return None


def bands_problem(bands) -> str | None:
    """Why the bands are not a valid ladder (four grades, lows strictly falling to 0), or None."""
    try:
        lows = [Decimal(str(band["low"])) for band in bands]
        grades = [band["grade"] for band in bands]
    except (KeyError, TypeError, ArithmeticError, ValueError):
        return "等次划分格式无效。"
    if sorted(grades) != sorted(Grade.values) or len(grades) != len(Grade.values):
        return "等次划分须为好、较好、一般、差四个等次。"
    if any(a <= b for a, b in zip(lows, lows[1:], strict=False)) or lows[-1] != 0:
        return "等次分数线须从高到低排列，最低一档从0分起。"
    return None


def grade_for(total: Decimal | None, vetoed: bool, bands) -> str:
    """The grade of a total by the bands (highest first); a veto is 差 whatever the total."""
    if vetoed:
        return Grade.POOR
    if total is None:
        return ""
    for band in bands:
        if total >= Decimal(str(band["low"])):
            return band["grade"]
    return Grade.POOR


@dataclass(frozen=True)
class Line:
    """One indicator as the scheme check reads it."""

    name: str
    kind: str
    points: Decimal
    formula: str = ""
    params: dict | None = None


def scheme_problems(total: Decimal, lines: list[Line]) -> list[str]:
    """Why a scheme cannot be used for a round: its base points do not add up to the declared
    total, a record indicator lacks a formula or has a parameter out of range, a veto carries
    points. Empty when it can."""
    from mofan.assessment import formulas

    problems = []
    if not lines:
        return ["指标体系中还没有指标。"]
    base = sum((line.points for line in lines if line.kind in BASE_KINDS), Decimal(0))
    if base != total:
        problems.append(
            f"基本指标（自动计分和评审计分）合计{figure(base)}分，与总分{figure(total)}分不符。"
        )
    for line in lines:
        if line.kind == IndicatorKind.RECORD:
            problem = formulas.params_problem(line.formula, line.params or {})
            if problem:
                problems.append(f"“{line.name}”：{problem}")
        if line.kind == IndicatorKind.VETO and line.points:
            problems.append(f"“{line.name}”：一票否决项不设分值。")
    return problems
