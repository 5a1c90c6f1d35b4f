"""The ledger part of `seed-demo --scale large`: by default 1,000,000 items in 200 ledgers with
5,000,000 progress reports, written in batches as plain rows (mofan.core.bulk: COPY on PostgreSQL),
deterministic, idempotent, progress reported."""

import random
from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from mofan.access.models import RoleAssignment, User
from mofan.access.roles import Role
from mofan.core.bulk import bulk_load, reset_sequences, write_rows
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

CYCLES = [ReportCycle.MONTHLY, ReportCycle.MONTHLY, ReportCycle.QUARTERLY, ReportCycle.WEEKLY]
ITEM_COLUMNS = [
    "id", "ledger_id", "number", "sort_key", "content", "lead_unit_id", "deadline",
    "deadline_note", "ongoing", "report_cycle", "state", "assigned_on", "closed_at", "evaluation",
    "evaluation_comment", "version", "created_at", "updated_at",
]  # fmt: skip
EVENT_COLUMNS = ["item_id", "kind", "from_state", "to_state", "actor_id", "comment", "at"]
REPORT_COLUMNS = [
    "item_id", "period", "text", "percent", "reported_by_id", "reported_at", "submission_key",
]  # fmt: skip
Owner = Item.owners.through


class LargeLedgerSeeder:
    def __init__(
        self,
        items: int = 1_000_000,
        reports: int = 5_000_000,
        ledgers: int = 200,
        progress: Callable[[int], None] | None = None,
    ):
        self.items, self.reports, self.ledgers = items, reports, ledgers
        self.rng = random.Random(f"{SEED}-ledger-large")  # nosec B311
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
        now = timezone.now()
        next_item = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        with bulk_load(Item), bulk_load(ProgressReport), bulk_load(ItemEvent), bulk_load(Owner):
            while made < self.items:
                items, owner_rows, events, reporting = [], [], [], []
                for _ in range(min(BATCH, self.items - made)):
                    # extra items go to the last ledger
                    index = min(made // per_ledger, len(ledgers) - 1)
                    number = made - index * per_ledger + 1
                    state = rng.choices(state_names, state_weights)[0]
                    deadline = today + timedelta(days=rng.randint(-120, 365))
                    assigned = (
                        today - timedelta(days=rng.randint(10, 300))
                        if state in open_states
                        else None
                    )
                    closed = state == ItemState.CLOSED
                    item_id = next_item
                    next_item += 1
                    items.append(
                        (
                            item_id, ledgers[index].pk, str(number), f"{number:06d}",
                            f"{rng.choice(CONTENTS)}（{number}）", rng.choice(units), deadline, "",
                            False, rng.choice(CYCLES), state, assigned, now if closed else None,
                            "good" if closed else "", "", 1, now, now,
                        )
                    )  # fmt: skip
                    person_id, user_id = rng.choice(owners)
                    owner_rows.append((item_id, person_id))
                    events.append((item_id, EventKind.CREATED, "", "", supervisor.pk, "", now))
                    if assigned is not None:
                        reporting.append((item_id, assigned, user_id))
                    made += 1
                write_rows(Item, ITEM_COLUMNS, items)
                write_rows(Owner, ["item_id", "person_id"], owner_rows)
                write_rows(ItemEvent, EVENT_COLUMNS, events)
                self.progress(len(items))
                # Reports: spread what is left evenly over the remaining reporting items.
                share = reports_left * len(items) // max(self.items - made + len(items), 1)
                reports = []
                for n in range(share if reporting else 0):
                    item_id, assigned, user_id = reporting[n % len(reporting)]
                    round_ = n // len(reporting)
                    on = assigned + timedelta(days=30 * round_ + rng.randint(0, 25))
                    reports.append(
                        (
                            item_id, f"{on.year}-{on.month:02d}", "按计划推进，已完成阶段性工作。",
                            min(100, 10 * (round_ + 1)), user_id, now, f"seed-{item_id}-{round_}",
                        )
                    )  # fmt: skip
                for start in range(0, len(reports), BATCH):
                    write_rows(ProgressReport, REPORT_COLUMNS, reports[start : start + BATCH])
                    self.progress(len(reports[start : start + BATCH]))
                reports_left -= len(reports)
        reset_sequences([Item])
        if connection.vendor == "postgresql":
            # Fresh planner statistics for every table written, the many-to-many ones included
            # (without them the planner expects thousands of owners per item).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return {"ledgers": len(ledgers), "items": made, "reports": self.reports - reports_left}
