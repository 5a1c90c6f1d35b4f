"""The year of 发展党员 of a committee's subtree, generated from the files: how many at each
stage now, who was admitted (预备党员 approved) in the year and their make-up — women, ethnic
minorities, under 35 at admission, college education or above, working 在生产、工作一线 — and, branch by branch, the plan's
quota beside what was done."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from mofan.orgs.choices import Education, OrgKind
from mofan.recruitment import rules
from mofan.recruitment.choices import Stage
from mofan.recruitment.models import PlanQuota

COLLEGE = {Education.DOCTORATE, Education.MASTER, Education.BACHELOR, Education.COLLEGE}
YOUNG = 35


@dataclass
class Share:
    count: int
    total: int

    @property
    def percent(self) -> str:
        return f"{self.count * 100 / self.total:.1f}%" if self.total else "—"


@dataclass
class BranchRow:
    org_id: int
    name: str
    quota: int | None
    admitted: int = 0
    live: dict = field(default_factory=dict)

    @property
    def gap(self) -> int | None:
        return None if self.quota is None else self.quota - self.admitted


@dataclass
class YearFigures:
    year: int
    stages: dict
    admitted: int
    confirmed: int
    women: Share
    minorities: Share
    young: Share
    college: Share
    front_line: Share
    branches: list
    quota_total: int


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def year_figures(files, branches, year: int, plan=None) -> YearFigures:
    """`files`: the subtree's files the user may see; `branches`: its branches, in order."""
    stages = dict(files.values_list("stage").annotate(n=Count("id")).order_by())
    admitted = list(
        files.filter(approved_on__year=year)
        .values_list("org_id", "admitted_on", "person__gender", "person__ethnicity",
                     "person__birth_date", "person__education", "front_line")
    )  # fmt: skip
    confirmed = files.filter(stage=Stage.FULL, ended_on__year=year).count()
    total = len(admitted)
    live = {}
    for org_id, stage, n in (
        files.filter(stage__in=rules.LIVE).values_list("org_id", "stage").annotate(n=Count("id"))
        .order_by()
    ):  # fmt: skip
        live.setdefault(org_id, {})[stage] = n
    quotas = (
        dict(PlanQuota.objects.filter(plan=plan).values_list("org_id", "quota")) if plan else {}
    )
    by_branch = {}
    for org_id, *_ in admitted:
        by_branch[org_id] = by_branch.get(org_id, 0) + 1
    rows = [
        BranchRow(b.pk, b.name, quotas.get(b.pk), by_branch.get(b.pk, 0), live.get(b.pk, {}))
        for b in branches
    ]
    return YearFigures(
        year=year,
        stages=stages,
        admitted=total,
        confirmed=confirmed,
        women=Share(sum(1 for a in admitted if a[2] == "F"), total),
        minorities=Share(sum(1 for a in admitted if a[3] != "汉族"), total),
        young=Share(sum(1 for a in admitted if _age(a[4], a[1]) <= YOUNG), total),
        college=Share(sum(1 for a in admitted if a[5] in COLLEGE), total),
        front_line=Share(sum(1 for a in admitted if a[6]), total),
        branches=rows,
        quota_total=sum(q for q in quotas.values()),
    )


def branches_of(org, user):
    from mofan.access.scoping import Action
    from mofan.orgs.models import PartyOrg

    return (
        PartyOrg.objects.restrict(user, Action.RECRUIT)
        .subtree(org)
        .filter(kind=OrgKind.BRANCH)
        .active()
        .order_by("path")
    )
