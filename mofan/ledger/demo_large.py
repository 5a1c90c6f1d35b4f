"""The ledger part of `seed-demo --scale large`: by default 1,000,000 items in 200 ledgers with
5,000,000 progress reports, written in batches as plain rows (mofan.core.bulk: COPY on PostgreSQL),
deterministic, idempotent, progress reported. One top item in CASCADE_EVERY goes to a department,
whose leader splits it between two of its divisions, whose heads split each part once more
(层层分解, three levels: 4 % of the top items carry a cascade, 16 % of all items are in one)."""

import random
from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

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
CASCADE_EVERY = 25
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
    "evaluation_comment", "version", "created_at", "updated_at", "parent_id", "supervisor_id",
    "has_children", "rollup_deadline",
]  # fmt: skip
SUB_STATES = [(ItemState.ASSIGNED, 2), (ItemState.IN_PROGRESS, 6), (ItemState.CLOSED, 2)]
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

    def _leaders(self, root) -> dict:
        """A leader account (LEADER) for each department that has two divisions or more, and for
        each of its divisions the 督办联络员 (LIAISON) the division head delegates splitting to:
        both split and supervise 层层分解 parts. The accounts cannot log in."""
        departments: dict[int, list[int]] = {}
        for pk, parent_path in Unit.objects.filter(
            path__startswith=root.path, depth=3, dissolved_on__isnull=True
        ).values_list("pk", "path"):
            departments.setdefault(parent_path[: Unit.steplen * 2], []).append(pk)
        by_path = dict(Unit.objects.filter(path__in=list(departments)).values_list("path", "pk"))
        divisions_of = {
            by_path[path]: sorted(pks) for path, pks in departments.items() if len(pks) >= 2
        }
        unit_ids = [*divisions_of, *(pk for pks in divisions_of.values() for pk in pks)]
        password = make_password(None)
        User.objects.bulk_create(
            [
                User(
                    username=f"nat_lead_{pk}",
                    display_name="单位领导",
                    password=password,
                    password_changed_at=timezone.now(),
                )
                for pk in unit_ids
            ],
            batch_size=BATCH,
        )
        users = dict(
            User.objects.filter(username__startswith="nat_lead_").values_list("username", "pk")
        )
        RoleAssignment.objects.bulk_create(
            [
                RoleAssignment(
                    user_id=users[f"nat_lead_{pk}"],
                    role=Role.LEADER if pk in divisions_of else Role.LIAISON,
                    unit_id=pk,
                )
                for pk in unit_ids
            ],
            batch_size=BATCH,
        )
        return {
            "departments": {pk: users[f"nat_lead_{pk}"] for pk in divisions_of},
            "divisions_of": divisions_of,
            "divisions": {
                pk: users[f"nat_lead_{pk}"] for pks in divisions_of.values() for pk in pks
            },
        }

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
        sub_names = [s for s, _ in SUB_STATES]
        sub_weights = [w for _, w in SUB_STATES]
        reports_left = self.reports
        open_states = {
            ItemState.ASSIGNED,
            ItemState.ACCEPTED,
            ItemState.IN_PROGRESS,
            ItemState.DONE,
            ItemState.CLOSED,
        }
        leaders = self._leaders(root)
        made = 0
        tops = [0] * len(ledgers)
        now = timezone.now()
        next_item = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        with bulk_load(Item), bulk_load(ProgressReport), bulk_load(ItemEvent), bulk_load(Owner):

            def add(batch, ledger, number, key, unit, state, deadline, parent=None, supervisor_id=None,
                    children=False, actor=supervisor.pk, rollup=None):  # fmt: skip
                nonlocal next_item, made
                assigned = (
                    today - timedelta(days=rng.randint(10, 300)) if state in open_states else None
                )
                closed = state == ItemState.CLOSED
                item_id = next_item
                next_item += 1
                batch.items.append(
                    (
                        item_id, ledger.pk, number, key, f"{rng.choice(CONTENTS)}（{number}）",
                        unit, deadline, "", False, rng.choice(CYCLES), state, assigned,
                        now if closed else None, "good" if closed else "", "", 1, now, now,
                        parent, supervisor_id, children, rollup,
                    )
                )  # fmt: skip
                person_id, user_id = rng.choice(owners)
                batch.owner_rows.append((item_id, person_id))
                batch.events.append((item_id, EventKind.CREATED, "", "", actor, "", now))
                if assigned is not None:
                    batch.reporting.append((item_id, assigned, user_id))
                made += 1
                return item_id

            while made < self.items:
                batch = SimpleNamespace(items=[], owner_rows=[], events=[], reporting=[])
                items, owner_rows, events, reporting = (
                    batch.items,
                    batch.owner_rows,
                    batch.events,
                    batch.reporting,
                )
                while len(items) < BATCH and made < self.items:
                    index = min(made // per_ledger, len(ledgers) - 1)  # extras: the last ledger
                    ledger = ledgers[index]
                    tops[index] += 1
                    number = tops[index]
                    key = f"{number:06d}"
                    deadline = today + timedelta(days=rng.randint(-120, 365))
                    cascade = (
                        number % CASCADE_EVERY == 0
                        and self.items - made >= 5
                        and leaders["departments"]
                    )
                    if not cascade:
                        state = rng.choices(state_names, state_weights)[0]
                        add(batch, ledger, str(number), key, rng.choice(units), state, deadline)
                        continue
                    # 层层分解: a department's item, split between two of its divisions by the
                    # department's leader, each part split once more by the division's head.
                    department = rng.choice(list(leaders["departments"]))
                    boss = leaders["departments"][department]
                    divisions = rng.sample(leaders["divisions_of"][department], 2)
                    parts = []
                    for division in divisions:
                        due = deadline - timedelta(days=rng.randint(0, 30))
                        state = rng.choices(sub_names, sub_weights)[0]
                        below = (
                            ItemState.CLOSED if state == ItemState.CLOSED else ItemState.IN_PROGRESS
                        )
                        parts.append(
                            (division, state, due, below, due - timedelta(days=rng.randint(0, 15)))
                        )
                    # The kept roll-up: the earliest deadline of the open items below.
                    open_dues = [
                        d for _, st, due, below, low in parts
                        for d, s_ in ((due, st), (low, below)) if s_ != ItemState.CLOSED
                    ]  # fmt: skip
                    top = add(
                        batch, ledger, str(number), key, department, ItemState.IN_PROGRESS, deadline,
                        children=True, rollup=min(open_dues, default=None),
                    )  # fmt: skip
                    for part, (division, state, due, below, low) in enumerate(parts, start=1):
                        child = add(
                            batch, ledger, f"{number}.{part}", f"{key}.{part:04d}", division, state,
                            due, parent=top, supervisor_id=boss, children=True, actor=boss,
                            rollup=low if below != ItemState.CLOSED else None,
                        )  # fmt: skip
                        head = leaders["divisions"][division]
                        add(
                            batch, ledger, f"{number}.{part}.1", f"{key}.{part:04d}.0001", division,
                            below, low, parent=child, supervisor_id=head, actor=head,
                        )  # fmt: skip
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
