"""Organisation rules of 党和国家机关基层组织工作条例 (arts. 5–7) and 中国共产党支部工作条例.

Pure functions over an org and its member counts, so they are checked the same way on save, in lists
and in tests.
"""

from dataclasses import dataclass
from datetime import date

from mofan.orgs.choices import ALLOWED_PARENT_KINDS, TERM_YEARS, OrgKind


@dataclass(frozen=True)
class Flag:
    code: str
    message: str
    severity: str = "warning"  # "error": the org breaks a rule; "warning": it should be looked at

    @property
    def css(self) -> str:
        return "red" if self.severity == "error" else "yellow"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def term_ends_on(kind: str, term_started_on: date | None) -> date | None:
    years = TERM_YEARS.get(kind)
    if years is None or term_started_on is None:
        return None
    return _add_years(term_started_on, years)


def flags(
    *,
    kind: str,
    has_committee: bool,
    term_started_on: date | None,
    full_members: int,
    subtree_members: int,
    dissolved: bool = False,
    today: date | None = None,
) -> list[Flag]:
    """What is wrong or due with an organisation, given its members in good standing."""
    if dissolved:
        return []
    today = today or date.today()
    found: list[Flag] = []
    if kind == OrgKind.BRANCH:
        if full_members < 3:
            found.append(
                Flag(
                    "branch_too_small",
                    f"正式党员 {full_members} 人，不足 3 人，不符合成立党支部条件",
                    "error",
                )
            )
        if full_members >= 7 and not has_committee:
            found.append(
                Flag(
                    "committee_required",
                    f"正式党员 {full_members} 人，已达 7 人，应设立支部委员会",
                    "error",
                )
            )
        if subtree_members > 50:
            found.append(
                Flag("branch_too_large", f"党员 {subtree_members} 人，超过 50 人，应考虑分设党支部")
            )
    elif kind == OrgKind.GENERAL_BRANCH:
        if not 50 <= subtree_members <= 100:
            found.append(
                Flag("general_branch_size", f"党员 {subtree_members} 人，党总支一般为 50 至 100 人")
            )
    elif kind in (OrgKind.COMMITTEE, OrgKind.ORGAN_COMMITTEE):
        if subtree_members < 100:
            found.append(
                Flag("committee_size", f"党员 {subtree_members} 人，不足 100 人，一般不设基层党委")
            )
    ends = term_ends_on(kind, term_started_on)
    if ends is not None and ends <= today:
        found.append(
            Flag(
                "term_expired",
                f"任期已于 {ends.year}年{ends.month}月{ends.day}日 届满，应按期换届",
                "error",
            )
        )
    return found


def parent_error(kind: str, parent_kind: str | None) -> str | None:
    """Why an org of this kind cannot sit under that parent, or None."""
    allowed = ALLOWED_PARENT_KINDS.get(kind, set())
    if parent_kind in allowed:
        return None
    label = OrgKind(kind).label
    if parent_kind is None:
        return f"{label}必须隶属于上级党组织。"
    return f"{label}不能设在{OrgKind(parent_kind).label}之下。"


def save_errors(*, kind: str, has_committee: bool, full_members: int) -> list[str]:
    """Rules that block saving an existing organisation (a new one is flagged until it has members)."""
    if kind == OrgKind.BRANCH and full_members >= 7 and not has_committee:
        return [
            f"该支部有正式党员 {full_members} 人，达到 7 人须设立支部委员会，请勾选“设委员会”。"
        ]
    return []
