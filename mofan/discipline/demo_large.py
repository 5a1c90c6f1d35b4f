"""巡视巡察 and 监督执纪 of `seed-demo --scale large` (issue 13's scale): the national committee
(NAT-P0) keeps a five-year coverage plan over every organisation below it (党小组 aside), 40
rounds of eight a year stationed at the organisations planned for their year — those of past years
closed, this year's in 整改 — with 20,000 findings; 50,000 case leads held by it and the
committees below over five years, most concluded by one of the four forms; and 30,000
personal-matters reports of last year. Its discipline officer is `bench_jijian`. Written in bulk
(the encrypted fields encrypt as they are saved); fixed random seed, so the same every time."""

import json
import random
import secrets
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from mofan.access.crypto import keyed_hash
from mofan.discipline.choices import FORM_OF, REPORT_ITEMS, Disposition, LeadState, Measure, Source
from mofan.discipline.models import Lead, PersonalReport, ReportRound
from mofan.inspection.choices import STAGES, FindingCategory, RoundKind, Stage, TeamRole
from mofan.inspection.models import Finding, Plan, PlanEntry, Round, Target, Team, TeamMember
from mofan.inspection.querysets import below
from mofan.inspection.services import INSPECTING_KINDS
from mofan.orgs.models import PartyOrg, Person

ROOT = "NAT-P0"
TITLE = "全系统五年巡察全覆盖规划"
ROUNDS_A_YEAR, FINDINGS, LEADS, REPORTS = 8, 20_000, 50_000, 30_000
OFFICER = "bench_jijian"
BATCH = 2000
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌玉兰海燕东亮晨"
ALLEGATIONS = [
    "反映其违规收受下属单位购物卡和礼品。", "反映其在干部选拔中违规打招呼。",
    "反映其违规使用公务用车办理私事。", "反映其违规发放津贴补贴。",
    "反映其配偶经商与本人职权存在关联。", "反映其违规操办婚丧喜庆事宜。",
    "反映其工作作风粗暴，群众意见较大。", "反映其违规参加由管理服务对象安排的宴请。",
]  # fmt: skip
TITLES = ["“三会一课”制度落实不到位", "落实中央八项规定精神不严格", "选人用人程序不规范",
          "财务管理制度执行不严", "意识形态工作责任制落实不到位", "基层党组织建设薄弱"]  # fmt: skip


class LargeDisciplineSeeder:
    total_steps = 5

    def __init__(self, progress: Callable[[int], None] | None = None):
        self.progress = progress or (lambda n: None)
        self.rng = random.Random(2026_13)  # nosec B311 (demo data: the same every time, no secret)

    def already_seeded(self) -> bool:
        return Plan.objects.filter(org__code=ROOT, title=TITLE).exists()

    def run(self) -> dict:
        root = PartyOrg.objects.get(code=ROOT)
        officer = self._officer(root)
        today = timezone.localdate()
        with transaction.atomic():
            rounds, targets = self._inspection(root, officer, today)
        self.progress(1)
        with transaction.atomic():
            findings = self._findings(targets, officer)
        self.progress(1)
        with transaction.atomic():
            leads = self._leads(root, officer, today)
        self.progress(1)
        with transaction.atomic():
            reports = self._reports(root, officer, today)
        self.progress(2)
        return {"rounds": rounds, "targets": len(targets), "findings": findings, "leads": leads,
                "reports": reports}  # fmt: skip

    def _officer(self, root):
        from mofan.access import services as access
        from mofan.access.models import User
        from mofan.access.roles import Role

        user = User.objects.filter(username=OFFICER).first()
        if user is None:
            person = Person.objects.filter(unit_id=root.unit_id).order_by("pk").first()
            # The benchmarks sign in with force_login: the password is never used.
            user = access.create_user(actor=None, username=OFFICER, temporary=False, person=person,
                                      password=secrets.token_urlsafe(18) + "Aa1!")  # fmt: skip
            access.grant_role(user, actor=None, role=Role.DISCIPLINE_OFFICER, org=root)
        return user

    def _inspection(self, root, officer, today):
        first, last = today.year - 4, today.year
        plan = Plan.objects.create(org=root, title=TITLE, first_year=first, last_year=last,
                                   created_by=officer)  # fmt: skip
        orgs = list(
            below(root)
            .filter(dissolved_on__isnull=True)
            .order_by("path")
            .values_list("pk", flat=True)
        )
        PlanEntry.objects.bulk_create(
            (PlanEntry(plan=plan, org_id=pk, year=first + n % 5) for n, pk in enumerate(orgs)),
            batch_size=BATCH,
        )
        people = list(
            Person.objects.filter(unit_id=root.unit_id)
            .order_by("pk")[:40]
            .values_list("pk", "unit_id")
        )
        rounds, targets = 0, []
        for year in range(first, last + 1):
            planned = orgs[year - first :: 5]
            closed = year < today.year
            stage = Stage.CLOSED if closed else Stage.RECTIFYING
            upto = STAGES.index(stage)
            for n in range(ROUNDS_A_YEAR):
                started = date(year, 3 + n, 1)
                round_ = Round.objects.create(
                    org=root, plan=plan, kind=RoundKind.SPECIAL if n % 4 == 3 else RoundKind.REGULAR,
                    title=f"{year}年第{n + 1}轮巡察", year=year, stage=stage, created_by=officer,
                    stage_dates={s: (started + timedelta(days=12 * i)).isoformat()
                                 for i, s in enumerate(STAGES[: upto + 1])},
                )  # fmt: skip
                team = Team.objects.create(round=round_, name="第一巡察组", phone="010-66000000")
                person_id, unit_id = people[(rounds) % len(people)]
                TeamMember.objects.create(team=team, person_id=person_id, role=TeamRole.LEADER,
                                          home_unit_id=unit_id)  # fmt: skip
                batch = [
                    Target(round=round_, org_id=pk, team=team) for pk in planned[n::ROUNDS_A_YEAR]
                ]
                targets += Target.objects.bulk_create(batch, batch_size=BATCH)
                rounds += 1
        return rounds, targets

    def _findings(self, targets, officer) -> int:
        categories = FindingCategory.values
        rows = []
        for n in range(FINDINGS):
            target = targets[n % len(targets)]
            rows.append(Finding(
                target=target, number=n // len(targets) + 1, category=categories[n % len(categories)],
                title=TITLES[n % len(TITLES)], facts=f"经查，{TITLES[n % len(TITLES)]}，涉及事项{n % 17 + 1}项。",
                created_by=officer,
            ))  # fmt: skip
        Finding.objects.bulk_create(rows, batch_size=BATCH)
        return len(rows)

    def _leads(self, root, officer, today) -> int:
        holders = [root.pk] + list(
            below(root)
            .filter(kind__in=INSPECTING_KINDS)
            .order_by("path")
            .values_list("pk", flat=True)[:200]
        )
        measures = [m for m in Measure.values]
        weights = [30, 20, 10, 8, 6, 4, 3, 2, 1, 10, 6]  # the first form most used
        sources = Source.values
        numbers: dict[tuple[int, int], int] = {}
        rows = []
        for n in range(LEADS):
            org = root.pk if n % 5 < 2 else holders[n % len(holders)]
            year = today.year - (n % 5)
            received = date(year, 1 + n % 11, 1 + n % 27)
            if received > today:
                received = today - timedelta(days=n % 60)
            numbers[(org, received.year)] = numbers.get((org, received.year), 0) + 1
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(GIVEN)
            lead = Lead(
                org_id=org, year=received.year, number=numbers[(org, received.year)],
                source=sources[n % len(sources)], received_on=received, subject_name=name,
                subject_name_hash=keyed_hash(name), subject_post="处长" if n % 3 else "科长",
                allegation=ALLEGATIONS[n % len(ALLEGATIONS)], created_by=officer,
            )  # fmt: skip
            if n % 10 < 7:  # concluded
                measure = self.rng.choices(measures, weights)[0]
                lead.state, lead.measure, lead.form = (
                    LeadState.CONCLUDED,
                    measure,
                    FORM_OF.get(measure),
                )
                lead.disposition = Disposition.VERIFY if (lead.form or 1) > 1 else Disposition.TALK
                lead.concluded_on = min(today, received + timedelta(days=40))
                lead.result = "已按规定处理。"
            else:
                lead.state, lead.disposition, lead.due_on = (
                    (LeadState.TALKING, Disposition.TALK, received + timedelta(days=21)),
                    (LeadState.VERIFYING, Disposition.VERIFY, received + timedelta(days=60)),
                    (LeadState.SHELVED, Disposition.SHELVE, received + timedelta(days=90)),
                )[n % 3]  # fmt: skip
            rows.append(lead)
            if len(rows) == BATCH:
                Lead.objects.bulk_create(rows)
                rows = []
        Lead.objects.bulk_create(rows)
        return LEADS

    def _reports(self, root, officer, today) -> int:
        year = today.year - 1
        round_ = ReportRound.objects.create(org=root, year=year, ranks=["一级调研员", "二级调研员"],
                                            due_on=date(year + 1, 1, 31), created_by=officer)  # fmt: skip
        items = json.dumps({key: "无" for key, _ in REPORT_ITEMS} | {"income": "工资收入。"},
                           ensure_ascii=False)  # fmt: skip
        ids = Person.objects.order_by("pk").values_list("pk", flat=True)[:REPORTS]
        submitted = timezone.now() - timedelta(days=max(1, (today - date(year + 1, 1, 20)).days))
        PersonalReport.objects.bulk_create(
            (PersonalReport(round=round_, person_id=pk, items=items if n % 20 else "",
                            submitted_at=submitted if n % 20 else None)
             for n, pk in enumerate(ids)),
            batch_size=BATCH,
        )  # fmt: skip
        return round_.reports.count()
