"""The 考核评价 of `seed-demo --scale large`: the national committee (NAT-P0) keeps this year's
scheme of 60 indicators — 36 scored from the records by the five formulas with varied parameters,
20 judgements, two deductions, a bonus and a veto, 100 base points — and a round of it over every
organisation below it, started through the services as an admin would (which writes a row per
organisation and indicator and computes every record-based score)."""

from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone

from mofan.assessment import formulas, services
from mofan.assessment.models import Scheme
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg

ROOT = "NAT-P0"
NAME = "全系统党建工作考核"
RECORDS, JUDGEMENTS = 36, 20


class LargeAssessmentSeeder:
    total_steps = 3

    def __init__(self, progress: Callable[[int], None] | None = None):
        self.progress = progress or (lambda n: None)

    def already_seeded(self) -> bool:
        return Scheme.objects.filter(org__code=ROOT, name=NAME).exists()

    def run(self) -> dict:
        root = PartyOrg.objects.get(code=ROOT)
        today = timezone.localdate()
        scheme = services.create_scheme(
            actor=None, org=root, year=today.year, name=NAME, total="100",
            target_kinds=[kind for kind in OrgKind.values],
        )  # fmt: skip
        dimensions = list(scheme.dimensions.order_by("order"))
        names = list(formulas.FORMULAS)
        lines = []
        for n in range(RECORDS):
            formula = formulas.FORMULAS[names[n % len(names)]]
            params = {p.name: str(min(p.high, p.default + n % 3)) for p in formula.params}
            lines.append((f"{formula.label}（{n + 1}）", "record", "1.5", formula.name, params))
        lines += [(f"评审指标{n + 1}", "judgement", "2.3", "", {}) for n in range(JUDGEMENTS)]
        lines += [("违反中央八项规定精神问题", "deduction", "10", "", {}),
                  ("意识形态工作责任制落实不到位", "deduction", "5", "", {}),
                  ("党建工作经验被上级推广", "bonus", "5", "", {}),
                  ("发生严重违纪违法问题", "veto", "0", "", {})]  # fmt: skip
        for n, (name, kind, points, formula, params) in enumerate(lines):
            scheme.refresh_from_db()
            services.save_indicator(
                scheme, actor=None, dimension=dimensions[n % len(dimensions)], name=name,
                kind=kind, points=points, formula=formula, params=params,
            )  # fmt: skip
        self.progress(1)
        targets = list(PartyOrg.objects.subtree(root).exclude(pk=root.pk).active())
        self.progress(1)
        round_ = services.start_round(
            scheme, actor=None, title=f"{today.year}年度{NAME}",
            self_due_on=today + timedelta(days=30), targets=targets,
        )  # fmt: skip
        self.progress(1)
        return {"indicators": len(lines), "targets": round_.targets.count()}
