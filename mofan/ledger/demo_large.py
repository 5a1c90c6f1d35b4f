"""The ledger part of `seed-demo --scale large`: by default 1,000,000 items in 200 ledgers with
5,000,000 progress reports, written in batches (deterministic, idempotent, progress reported)."""

import random
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from mofan.access.models import RoleAssignment, User
from mofan.access.roles import Role
from mofan.ledger.choices import EventKind, ItemState, LedgerKind, ReportCycle
from mofan.ledger.models import Item, ItemEvent, Ledger, ProgressReport
from mofan.orgs.models import Person, Unit

SEED = 20261125
BATCH = 20_000
PREFIX = "全国示范系统督办台账"
SUPERVISOR = "nat_duban"
CONTENTS = (
    "落实重要指示批示精神，制定工作方案",
    "完善制度机制并组织实施",
    "开展专项检查并报送检查报告",
    "推进重点任务按期完成",
    "组织专题学习研讨",
    "整改巡视反馈问题",
    "健全长效机制",
    "开展调查研究并形成报告",
)
STATES = [
    (ItemState.DRAFT, 5),
    (ItemState.ASSIGNED, 10),
    (ItemState.ACCEPTED, 10),
    (ItemState.IN_PROGRESS, 55),
    (ItemState.DONE, 8),
    (ItemState.CLOSED, 12),
]


class LargeLedgerSeeder:
    def __init__(
        self,
        items: int = 1_000_000,
        reports: int = 5_000_000,
        ledgers: int = 200,
        progress: Callable[[int], None] | None = None,
    ):
        self.items, self.reports, self.ledgers = items, reports, ledgers
        self.rng = random.Random(f"{SEED}-ledger-large")
        self.progress = progress or (lambda n: None)

    @property
    def total_steps(self) -> int:
        return self.items + self.reports

    def already_seeded(self) -> bool:
        return Ledger.objects.filter(name__startswith=PREFIX).exists()

    def _owners(self, count: int = 20_000) -> list[tuple[int, int]]:
        """(person id, user id) of people given accounts so that they can own items."""
        people = list(
            Person.objects.filter(
                unit__path__startswith=Unit.objects.get(code="NAT-U0").path, user__isnull=True
            )
            .order_by("pk")
            .values_list("pk", "unit_id")[:count]
        )
        password = make_password(None)  # unusable: these demo accounts cannot log in
        User.objects.bulk_create(
            [
                User(
                    username=f"nat{pk}",
                    display_name="",
                    person_id=pk,
                    password=password,
                    password_changed_at=timezone.now(),
                )
                for pk, _ in people
            ],
            batch_size=BATCH,
        )
        users = dict(
            User.objects.filter(username__startswith="nat", person__isnull=False).values_list(
                "person_id", "pk"
            )
        )
        return [(pk, users[pk]) for pk, _ in people if pk in users]

    @transaction.atomic
    def run(self) -> dict:
        rng = self.rng
        today = timezone.localdate()
        root = Unit.objects.get(code="NAT-U0")
        supervisor = User.objects.filter(username=SUPERVISOR).first()
        if supervisor is None:
            supervisor = User.objects.create(
                username=SUPERVISOR,
                display_name="督办员",
                password=make_password(None),
                password_changed_at=timezone.now(),
            )
            RoleAssignment.objects.create(user=supervisor, role=Role.SUPERVISOR, unit=root)
        units = list(
            Unit.objects.filter(path__startswith=root.path, depth=3).values_list("pk", flat=True)
        )
        owners = self._owners()
        ledgers = Ledger.objects.bulk_create(
            [
                Ledger(
                    name=f"{PREFIX}{n:03d}",
                    kind=LedgerKind.GENERAL if n % 10 else LedgerKind.RECTIFICATION,
                    year=today.year,
                    unit=root,
                )
                for n in range(1, self.ledgers + 1)
            ]
        )
        if ledgers[0].pk is None:
            ledgers = list(Ledger.objects.filter(name__startswith=PREFIX).order_by("name"))
        Ledger.supervisors.through.objects.bulk_create(
            [
                Ledger.supervisors.through(ledger_id=ledger.pk, user_id=supervisor.pk)
                for ledger in ledgers
            ]
        )
        per_ledger = max(1, self.items // len(ledgers))
        state_names = [s for s, _ in STATES]
        state_weights = [w for _, w in STATES]
        reports_left = self.reports
        open_states = {
            ItemState.ASSIGNED,
            ItemState.ACCEPTED,
            ItemState.IN_PROGRESS,
            ItemState.DONE,
            ItemState.CLOSED,
        }
        made = 0
        while made < self.items:
            chunk = []
            for _ in range(min(BATCH, self.items - made)):
                index = min(
                    made // per_ledger, len(ledgers) - 1
                )  # extra items go to the last ledger
                ledger = ledgers[index]
                number = made - index * per_ledger + 1
                state = rng.choices(state_names, state_weights)[0]
                deadline = today + timedelta(days=rng.randint(-120, 365))
                assigned = (
                    today - timedelta(days=rng.randint(10, 300)) if state in open_states else None
                )
                chunk.append(
                    Item(
                        ledger_id=ledger.pk,
                        number=str(number),
                        sort_key=f"{number:06d}",
                        content=f"{rng.choice(CONTENTS)}（{number}）",
                        lead_unit_id=rng.choice(units),
                        deadline=deadline,
                        report_cycle=rng.choice(
                            [
                                ReportCycle.MONTHLY,
                                ReportCycle.MONTHLY,
                                ReportCycle.QUARTERLY,
                                ReportCycle.WEEKLY,
                            ]
                        ),
                        state=state,
                        assigned_on=assigned,
                        closed_at=timezone.now() if state == ItemState.CLOSED else None,
                        evaluation="good" if state == ItemState.CLOSED else "",
                    )
                )
                made += 1
            Item.objects.bulk_create(chunk, batch_size=BATCH)
            if chunk[0].pk is None:
                keys = {(i.ledger_id, i.number) for i in chunk}
                found = {
                    (ledger_id, n): pk
                    for pk, ledger_id, n in Item.objects.filter(
                        ledger_id__in={k[0] for k in keys}
                    ).values_list("pk", "ledger_id", "number")
                }
                for item in chunk:
                    item.pk = found[(item.ledger_id, item.number)]
            picks = [rng.choice(owners) for _ in chunk]
            Item.owners.through.objects.bulk_create(
                [
                    Item.owners.through(item_id=i.pk, person_id=p)
                    for i, (p, _) in zip(chunk, picks, strict=True)
                ],
                batch_size=BATCH,
            )
            ItemEvent.objects.bulk_create(
                [
                    ItemEvent(item_id=i.pk, kind=EventKind.CREATED, actor_id=supervisor.pk)
                    for i in chunk
                ],
                batch_size=BATCH,
            )
            self.progress(len(chunk))
            # Reports: spread what is left evenly over the remaining reporting items.
            reporting = [
                (i, u) for i, (_, u) in zip(chunk, picks, strict=True) if i.assigned_on is not None
            ]
            share = reports_left * len(chunk) // max(self.items - made + len(chunk), 1)
            reports = []
            for n in range(share):
                item, user_id = reporting[n % len(reporting)] if reporting else (None, None)
                if item is None:
                    break
                on = item.assigned_on + timedelta(
                    days=30 * (n // len(reporting)) + rng.randint(0, 25)
                )
                reports.append(
                    ProgressReport(
                        item_id=item.pk,
                        period=f"{on.year}-{on.month:02d}",
                        text="按计划推进，已完成阶段性工作。",
                        percent=min(100, 10 * (n // len(reporting) + 1)),
                        reported_by_id=user_id,
                        submission_key=f"seed-{item.pk}-{n // len(reporting)}",
                    )
                )
            for start in range(0, len(reports), BATCH):
                ProgressReport.objects.bulk_create(reports[start : start + BATCH])
                self.progress(len(reports[start : start + BATCH]))
            reports_left -= len(reports)
        if connection.vendor == "postgresql":
            # Fresh planner statistics for every table written, the many-to-many ones included
            # (without them the planner expects thousands of owners per item).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return {"ledgers": len(ledgers), "items": made, "reports": self.reports - reports_left}
