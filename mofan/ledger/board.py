"""The supervisor board's figures (督办看板), kept per ledger and lead unit.

Counting the lights of a million items for every look at the board took seconds. Instead each
ledger's figures are kept in BoardCell rows — per lead unit: open, red, yellow and late items, and
the 督查通报's counts — and the board adds up the rows of the ledgers one supervises.

A ledger's rows are counted again (`refresh`) when they are due (`due_ledgers`): never counted,
counted on an earlier day (the lights move with the date), or an item of the ledger changed since
(every change of an item writes its `updated_at`; roll-ups on the items above included). In
production the `mofan.ledger.refresh_board` job does so every minute, so a change shows within a
minute and the board reads only kept rows; on the embedded default, with no worker, the board
counts what is due when it is read. The nightly check (`mofan board-figures --check`) compares
every kept row with a count from scratch.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from mofan.ledger import circular
from mofan.ledger.models import BoardCell, Item, Ledger
from mofan.ledger.querysets import OPEN_STATES, light_parts

FIGURES = (
    "open",
    "red",
    "yellow",
    "late",
    "assigned",
    "closed",
    "closed_on_time",
    "due",
    "overdue",
)
# A change is seen by the next count if its transaction committed within this long of the count
# (an item's `updated_at` is when it was written, not when its transaction committed).
COMMIT_MARGIN = timedelta(minutes=2)
REFRESH_BATCH = 20  # ledgers counted in one query


def count(items, today: date) -> dict[tuple[int, int | None], dict[str, int]]:
    """The figures of `items`, per (ledger, lead unit), from scratch: the board's light counts
    (three grouped queries: the report check runs as an anti-join over the open items rather
    than a subquery per item inside the counts) and the 通报's (one)."""
    cells: dict = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    key = ("ledger_id", "lead_unit_id")
    parts = light_parts(today)
    live_not_red = ~parts["none"] & ~parts["red"]
    open_items = items.filter(state__in=OPEN_STATES)
    for row in (
        open_items.values(*key)
        .annotate(
            open=Count("pk"),
            red=Count("pk", filter=~parts["none"] & parts["red"]),
            yellow=Count("pk", filter=live_not_red & parts["soon"]),
        )
        .order_by()
    ):
        cells[row["ledger_id"], row["lead_unit_id"]].update(
            open=row["open"], red=row["red"], yellow=row["yellow"]
        )
    late = open_items.filter(parts["late"]).values(*key).annotate(n=Count("pk")).order_by()
    for row in late:
        cells[row["ledger_id"], row["lead_unit_id"]]["late"] = row["n"]
    # Yellow for a missed report alone (not red, not due soon).
    extra = open_items.filter(live_not_red & ~parts["soon"] & parts["late"])
    for row in extra.values(*key).annotate(n=Count("pk")).order_by():
        cells[row["ledger_id"], row["lead_unit_id"]]["yellow"] += row["n"]
    for row in circular.handed_counts(items, today, *key):
        cells[row["ledger_id"], row["lead_unit_id"]].update(
            {f: row[f] for f in ("assigned", "closed", "closed_on_time", "due", "overdue")}
        )
    return dict(cells)


def due_ledgers(ledger_ids, today: date) -> list[int]:
    """Of these ledgers, those whose kept figures must be counted again: never counted, counted
    on another day, or an item changed since. The changes are read once for all the ledgers,
    through the index of the items by `updated_at` from the oldest count on: the items changed
    today at most, rather than every ledger's items."""
    kept = list(
        Ledger.objects.filter(pk__in=ledger_ids)
        .order_by("pk")
        .values_list("pk", "figures_on", "figures_since")
    )
    due = [pk for pk, on, since in kept if on != today or since is None]
    counted = {pk: since for pk, on, since in kept if on == today and since is not None}
    if counted:
        changed = (
            Item.objects.filter(updated_at__gt=min(counted.values()), ledger_id__in=sorted(counted))
            .values("ledger_id")
            .annotate(last=Max("updated_at"))
            .order_by()
        )
        due += [row["ledger_id"] for row in changed if row["last"] > counted[row["ledger_id"]]]
    return sorted(due)


def refresh(ledger_ids, today: date | None = None) -> int:
    """Count these ledgers' figures again and keep them; returns how many ledgers were counted."""
    today = today or timezone.localdate()
    ids = sorted(set(ledger_ids))
    for start in range(0, len(ids), REFRESH_BATCH):
        batch = ids[start : start + REFRESH_BATCH]
        with transaction.atomic():
            # One count of a ledger at a time (the minute's job and a reader may meet).
            list(Ledger.objects.select_for_update().filter(pk__in=batch).order_by("pk"))
            # Taken before counting: a change written after this is counted next time.
            stamp = timezone.now()
            cells = count(Item.objects.filter(ledger_id__in=batch), today)
            BoardCell.objects.filter(ledger_id__in=batch).delete()
            BoardCell.objects.bulk_create(
                [
                    BoardCell(ledger_id=ledger_id, lead_unit_id=unit_id, **figures)
                    for (ledger_id, unit_id), figures in cells.items()
                ],
                batch_size=2000,
            )
            Ledger.objects.filter(pk__in=batch).update(
                figures_at=stamp, figures_since=stamp - COMMIT_MARGIN, figures_on=today
            )
    return len(ids)


def never_counted(ledger_ids) -> list[int]:
    return list(
        Ledger.objects.filter(pk__in=ledger_ids, figures_on__isnull=True).values_list(
            "pk", flat=True
        )
    )


def refresh_due(today: date | None = None, ledger_ids=None) -> int:
    """Count again whatever is due: of the given ledgers, or of all."""
    today = today or timezone.localdate()
    if ledger_ids is None:
        ledger_ids = Ledger.objects.values_list("pk", flat=True)
    return refresh(due_ledgers(ledger_ids, today), today)


def differences(today: date | None = None) -> list[str]:
    """Every kept figure that differs from a count from scratch, as lines to read (empty when
    all agree). Ledgers whose figures are due anyway (changed since, or of another day) are
    skipped: the next refresh counts them."""
    today = today or timezone.localdate()
    settled = Ledger.objects.filter(figures_on=today).exclude(
        pk__in=due_ledgers(Ledger.objects.values_list("pk", flat=True), today)
    )
    ids = list(settled.values_list("pk", flat=True))
    found = []
    for start in range(0, len(ids), REFRESH_BATCH):
        batch = ids[start : start + REFRESH_BATCH]
        fresh = count(Item.objects.filter(ledger_id__in=batch), today)
        kept = {
            (c.ledger_id, c.lead_unit_id): {f: getattr(c, f) for f in FIGURES}
            for c in BoardCell.objects.filter(ledger_id__in=batch)
        }
        for key in sorted(set(fresh) | set(kept), key=lambda k: (k[0], k[1] or 0)):
            want, have = fresh.get(key), kept.get(key)
            if want != have:
                found.append(f"台账 {key[0]}，牵头单位 {key[1]}：应为 {want}，保存的是 {have}")
    return found


@dataclass
class Board:
    rows: list[dict]  # per lead unit, worst first: open, red, yellow, late
    circular: circular.Circular
    as_of: datetime | None  # when the oldest of the figures shown was counted


def _kept_totals(ledger_ids: list[int]) -> tuple[dict, datetime | None]:
    """Per lead unit, the sums of the kept figures of these ledgers, and when the oldest of them
    was counted. Summing a thousand ledgers' rows takes a while, so the sums are cached under
    the ledgers and the time of their last count: they are summed again only after a count."""
    stamps = Ledger.objects.filter(pk__in=ledger_ids).aggregate(
        first=Min("figures_at"), last=Max("figures_at")
    )
    identity = f"{sorted(ledger_ids)}|{stamps['last']}".encode()
    key = "ledger-board:" + hashlib.sha256(identity).hexdigest()[:40]
    totals = cache.get(key)
    if totals is None:
        totals = {
            row["lead_unit_id"]: {f: row[f] for f in FIGURES}
            for row in BoardCell.objects.filter(ledger_id__in=ledger_ids)
            .values("lead_unit_id")
            .annotate(**{f: Sum(f) for f in FIGURES})
            .order_by()
        }
        cache.set(key, totals, timeout=24 * 3600)
    return totals, stamps["first"]


def board(ledger_ids: list[int], today: date, *, follower=None, supervised=()) -> Board:
    """The board of `ledger_ids` (ledgers the user supervises, their kept figures) and, given a
    `follower`, of the items they follow beyond the ledgers they supervise — split off below
    them, counted now: a few hundred at most."""
    totals: dict = {}
    as_of = None
    if ledger_ids:
        kept, as_of = _kept_totals(ledger_ids)
        totals = {unit_id: dict(figures) for unit_id, figures in kept.items()}
    if follower is not None:
        extra = Item.objects.followed_beyond_ledgers(follower, supervised)
        for (_, unit_id), figures in count(extra, today).items():
            into = totals.setdefault(unit_id, dict.fromkeys(FIGURES, 0))
            for f in FIGURES:
                into[f] += figures[f]
    from mofan.orgs.models import Unit

    names = dict(
        Unit.objects.filter(pk__in=[pk for pk in totals if pk is not None]).values_list(
            "pk", "name"
        )
    )
    rows = sorted(
        (
            {"lead_unit_id": unit_id, "lead_unit__name": names.get(unit_id), **figures}
            for unit_id, figures in totals.items()
            if figures["open"]
        ),
        key=lambda r: (-r["red"], -r["late"], -r["yellow"], r["lead_unit__name"] or ""),
    )
    units = circular.worst_first(
        [
            circular.unit_figures(unit_id, names.get(unit_id), figures)
            for unit_id, figures in totals.items()
            if figures["assigned"]
        ]
    )
    return Board(
        rows=rows,
        circular=circular.Circular(today=today, title="关于督办事项落实情况的通报", units=units),
        as_of=as_of,
    )
