"""State changes of ledgers and their items. Each is one transaction with its audit record and
timeline event written inside it; the item state changes only through `transition()`."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from mofan.access.models import RoleAssignment
from mofan.access.roles import Role
from mofan.access.scoping import Action, has_role, person_of
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput, StaleEdit, UserFacingError
from mofan.core.templatetags.mofan import cndate
from mofan.core.uploads import check_upload
from mofan.ledger import notices, periods, states
from mofan.ledger.choices import (
    AccountabilityKind,
    Evaluation,
    EventKind,
    ExtensionState,
    FindingState,
    FollowUpOutcome,
    HandoverState,
    ItemState,
    LedgerKind,
    ReportCycle,
    SourceKind,
)
from mofan.ledger.models import (
    Accountability,
    Attachment,
    Extension,
    Finding,
    FollowUpCheck,
    Handover,
    Item,
    ItemEvent,
    Ledger,
    Milestone,
    ProgressReport,
    ReportDate,
    Source,
    Tag,
)
from mofan.ledger.querysets import OPEN_STATES, light_parts, supervises
from mofan.orgs.models import Person, Unit

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ALLOWED_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".wps",
    ".ofd",
    ".jpg",
    ".jpeg",
    ".png",
    ".txt",
    ".zip",
}


class NotAllowed(UserFacingError):
    status_code = 403


def is_ledger_supervisor(user, ledger: Ledger) -> bool:
    known = supervises(user, ledger)  # read with the ledger (LedgerQuerySet.with_supervision)
    return known if known is not None else ledger.supervisors.filter(pk=user.pk).exists()


def is_supervisor(user, item: Item) -> bool:
    """The ledger's supervisors supervise its items, except the sub-items a unit's leader split
    off (层层分解): those are supervised by that leader alone."""
    if item.supervisor_id is not None:
        return user.pk == item.supervisor_id
    return is_ledger_supervisor(user, item.ledger)


def may_decompose(user, item: Item) -> bool:
    """Whether the user may split this item among the units below its lead unit: its lead unit
    is in a subtree where they are the leader or the 督办联络员, and it is open."""
    return (
        item.state in OPEN_FOR_OWNERS
        and Item.objects.restrict(user, Action.DECOMPOSE).filter(pk=item.pk).exists()
    )


def is_owner(user, item: Item) -> bool:
    person_id = person_of(user)
    return person_id is not None and item.owners.filter(pk=person_id).exists()


def liaisons_of(unit: Unit) -> list[int]:
    """The active accounts that are 督办联络员 of the unit or of a unit above it, nearest first."""
    rows = (
        RoleAssignment.objects.filter(
            role=Role.LIAISON, unit__in=Unit.objects.ancestors_of(unit), user__is_active=True
        )
        .order_by("-unit__depth", "user_id")
        .values_list("user_id", "unit__depth")
    )
    nearest = max((depth for _, depth in rows), default=None)
    return [uid for uid, depth in rows if depth == nearest]


def may_receive(user, item: Item) -> bool:
    """Whether the user is a 督办联络员 of the item's lead unit (or of a unit above it)."""
    return Item.objects.restrict(user, Action.RECEIVE).filter(pk=item.pk).exists()


def may(user, item: Item, role: str) -> bool:
    return is_supervisor(user, item) if role == "supervisor" else is_owner(user, item)


def _event(
    item: Item, kind: str, *, actor, comment: str = "", from_state="", to_state="", report=None
) -> ItemEvent:
    return ItemEvent.objects.create(
        item=item,
        kind=kind,
        actor=actor,
        comment=comment,
        from_state=from_state,
        to_state=to_state,
        report=report,
    )


@transaction.atomic
def create_ledger(*, actor, name: str, kind: str, year: int, unit, description: str = "") -> Ledger:
    """A new ledger; its creator supervises it. Only supervisors (督办员) create ledgers."""
    if not has_role(actor, Role.SUPERVISOR):
        raise InvalidInput("只有督办员可以新建台账。")
    ledger = Ledger.objects.create(
        name=name, kind=kind, year=year, unit=unit, description=description
    )
    ledger.supervisors.add(actor)
    audit.record(
        actor, "ledger.ledger.created", ledger, payload={"name": name, "kind": kind, "year": year}
    )
    return ledger


@transaction.atomic
def add_source(ledger: Ledger, *, actor, **fields) -> Source:
    source = Source.objects.create(ledger=ledger, **fields)
    audit.record(
        actor,
        "ledger.source.created",
        source,
        payload={"title": source.title, "reference": source.reference},
    )
    return source


def _sort_key(number: str) -> str:
    return ".".join(f"{int(part):04d}" for part in number.split("."))


def _next_number(ledger: Ledger, parent: Item | None) -> str:
    siblings = Item.objects.filter(ledger=ledger, parent=parent).values_list("number", flat=True)
    last = max((int(n.rsplit(".", 1)[-1]) for n in siblings), default=0)
    return f"{parent.number}.{last + 1}" if parent else str(last + 1)


ITEM_FIELDS = (
    "content",
    "lead_unit",
    "deadline",
    "deadline_note",
    "ongoing",
    "report_cycle",
    "source",
)


def _set_report_dates(item: Item, dates) -> None:
    ReportDate.objects.bulk_create([ReportDate(item=item, due_on=d) for d in sorted(set(dates))])


def _check_item(fields: dict, report_dates=()) -> None:
    if fields.get("report_cycle") == ReportCycle.DATES and not report_dates:
        raise InvalidInput("报送周期为“指定日期”时，须填写报送日期。")
    if not (fields.get("content") or "").strip():
        raise InvalidInput("任务内容不能为空。")
    if fields.get("ongoing") and fields.get("deadline"):
        raise InvalidInput("“长期坚持”的事项不设完成时限，二者只能选一。")


@transaction.atomic
def add_item(
    ledger: Ledger,
    *,
    actor,
    parent: Item | None = None,
    co_units=(),
    owners=(),
    tags=(),
    report_dates=(),
    **fields,
) -> Item:
    """A new draft item, numbered after its siblings (1, 2, … or 1.1, 1.2 under a parent)."""
    _check_item(fields, report_dates)
    if parent is not None and parent.ledger_id != ledger.pk:
        raise InvalidInput("上级事项不属于该台账。")
    finding = fields.get("finding")
    if finding is not None and finding.ledger_id != ledger.pk:
        raise InvalidInput("该问题不属于本台账。")
    Ledger.objects.select_for_update().filter(pk=ledger.pk).first()  # numbering one at a time
    number = _next_number(ledger, parent)
    # A sub-item's key extends its parent's, whatever width the parent's key was written in (the
    # large demo's), so that "the items below" is always a range of keys.
    sort_key = (
        f"{parent.sort_key}.{int(number.rsplit('.', 1)[-1]):04d}" if parent else _sort_key(number)
    )
    item = Item.objects.create(
        ledger=ledger, parent=parent, number=number, sort_key=sort_key, **fields
    )
    if parent is not None and not parent.has_children:
        Item.objects.filter(pk=parent.pk).update(has_children=True)
        parent.has_children = True
    if parent is not None:
        refresh_rollups(item)
    item.co_units.set(co_units)
    item.owners.set(owners)
    item.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    _set_report_dates(item, report_dates)
    _event(item, EventKind.CREATED, actor=actor)
    audit.record(
        actor, "ledger.item.created", item, payload={"number": number, "ledger": ledger.pk}
    )
    return item


@dataclass
class NewItem:
    """An item to be written by `add_items_in_bulk`, with its relations and its timeline note."""

    item: Item
    co_units: list = field(default_factory=list)
    owners: list = field(default_factory=list)
    note: str = ""
    parent: int | None = None  # the index in the same list of the entry this one is a sub-item of


def add_items_in_bulk(ledger: Ledger, new: list[NewItem], *, actor) -> list[Item]:
    """Many draft items at once (an import, a decomposed document), numbered after the ledger's
    last top-level item, with their co-units, owners and a "created" event each. An entry may
    name an earlier entry as its parent: it is numbered below it (1.1, 1.2, 1.2.1). The caller
    writes the one audit record that names what was added, inside the same transaction."""
    if not new:
        return []
    with transaction.atomic():
        Ledger.objects.select_for_update().filter(pk=ledger.pk).first()  # numbering one at a time
        top = ledger.items.filter(parent__isnull=True).aggregate(Max("sort_key"))["sort_key__max"]
        next_number = int(top.split(".")[0]) + 1 if top else 1
        items, depth, below = [], [], [0] * len(new)
        for index, entry in enumerate(new):
            item = entry.item
            item.ledger = ledger
            if entry.parent is None:
                item.number = str(next_number)
                item.sort_key = _sort_key(item.number)
                next_number += 1
                depth.append(0)
            else:
                if not 0 <= entry.parent < index:
                    raise ValueError("a parent entry comes before its sub-items")
                upper = items[entry.parent]
                below[entry.parent] += 1
                upper.has_children = True
                item.number = f"{upper.number}.{below[entry.parent]}"
                item.sort_key = f"{upper.sort_key}.{below[entry.parent]:04d}"
                depth.append(depth[entry.parent] + 1)
            items.append(item)
        # a level at a time, so that each sub-item's parent has its key when it is written
        for level in range(max(depth) + 1):
            batch = []
            for item, entry, d in zip(items, new, depth, strict=True):
                if d == level:
                    if entry.parent is not None:
                        item.parent = items[entry.parent]
                    batch.append(item)
            Item.objects.bulk_create(batch, batch_size=2000)
            if batch[0].pk is None:  # backends that do not return keys from a bulk insert
                numbers = [item.number for item in batch]
                by_number = dict(
                    ledger.items.filter(number__in=numbers).values_list("number", "pk")
                )
                for item in batch:
                    item.pk = by_number[item.number]
        Item.co_units.through.objects.bulk_create(
            [
                Item.co_units.through(item_id=e.item.pk, unit_id=unit.pk)
                for e in new
                for unit in e.co_units
            ],
            batch_size=5000,
        )
        Item.owners.through.objects.bulk_create(
            [
                Item.owners.through(item_id=e.item.pk, person_id=person.pk)
                for e in new
                for person in e.owners
            ],
            batch_size=5000,
        )
        ItemEvent.objects.bulk_create(
            [
                ItemEvent(item_id=e.item.pk, kind=EventKind.CREATED, actor=actor, comment=e.note)
                for e in new
            ],
            batch_size=5000,
        )
    return items


@transaction.atomic
def update_item(
    item: Item,
    *,
    actor,
    version: int,
    co_units=None,
    owners=None,
    tags=None,
    report_dates=None,
    **fields,
) -> Item:
    if item.state == ItemState.CLOSED:
        raise InvalidInput("已销号的事项不能修改。")
    merged = {f: getattr(item, f) for f in ITEM_FIELDS} | fields
    if fields.get("deadline") and item.has_children:
        # 层层分解: a part's deadline is never later than its parent's (decompose refuses it),
        # so neither may the parent's move before a part's.
        later = list(
            descendants(item)
            .filter(state__in=OPEN_STATES, deadline__gt=fields["deadline"])
            .order_by("sort_key")
            .values_list("number", "deadline")[:3]
        )
        if later:
            parts = "、".join(f"{number}（{cndate(day)}）" for number, day in later)
            raise InvalidInput(f"完成时限不能早于子事项的时限：{parts}。请先调整子事项的时限。")
    dates = (
        report_dates
        if report_dates is not None
        else list(item.report_dates.values_list("due_on", flat=True))
    )
    _check_item(merged, dates)
    before = {f: str(getattr(item, f) or "") for f in fields}
    updated = Item.objects.filter(pk=item.pk, version=version).update(
        **fields, version=version + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleEdit(f"事项 {item.number} 已被他人修改，请刷新页面查看最新内容后再保存。")
    item.refresh_from_db()
    if report_dates is not None:
        item.report_dates.all().delete()
        _set_report_dates(item, report_dates)
    if co_units is not None:
        item.co_units.set(co_units)
    if owners is not None:
        item.owners.set(owners)
    if tags is not None:
        item.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    after = {f: str(getattr(item, f) or "") for f in fields}
    changes = audit.diff(before, after)
    if "deadline" in changes:
        refresh_rollups(item)
    _event(
        item,
        EventKind.EDITED,
        actor=actor,
        comment="、".join(Item._meta.get_field(f).verbose_name for f in changes),
    )
    audit.record(actor, "ledger.item.updated", item, changes=changes)
    return item


OPEN_FOR_OWNERS = (ItemState.ASSIGNED, ItemState.ACCEPTED, ItemState.IN_PROGRESS)


@transaction.atomic
def request_extension(item: Item, *, actor, deadline: date, reason: str) -> Extension:
    """An owner asks for a later deadline with a reason (延期申请); the supervisors are told."""
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if not is_owner(actor, locked):
        raise NotAllowed("只有该事项的责任人可以申请延期。")
    if locked.state not in OPEN_FOR_OWNERS:
        raise InvalidInput(f"事项当前为“{ItemState(locked.state).label}”，不能申请延期。")
    if locked.deadline is None:
        raise InvalidInput("该事项未设完成时限（或为长期坚持），无需申请延期。")
    if not reason.strip():
        raise InvalidInput("申请延期须说明理由。")
    if deadline <= locked.deadline:
        raise InvalidInput(f"申请延至的日期须晚于现在的时限（{cndate(locked.deadline)}）。")
    if deadline.year > locked.deadline.year + 5:
        raise InvalidInput("申请延至的日期过远，请核对。")
    if locked.extensions.filter(state=ExtensionState.PENDING).exists():
        raise InvalidInput("已有一项延期申请待审批，请等待审批结果。")
    extension = Extension.objects.create(
        item=locked,
        current_deadline=locked.deadline,
        requested_deadline=deadline,
        reason=reason.strip(),
        requested_by=actor,
    )
    event = _event(
        locked,
        EventKind.EXTENSION,
        actor=actor,
        comment=f"申请将时限由{cndate(locked.deadline)}延至{cndate(deadline)}：{reason.strip()}",
    )
    notices.on_extension(locked, extension, event_id=event.pk)
    audit.record(
        actor,
        "ledger.extension.requested",
        locked,
        payload={"from": locked.deadline.isoformat(), "to": deadline.isoformat()},
    )
    return extension


@transaction.atomic
def decide_extension(item: Item, *, actor, approve: bool, comment: str = "") -> Extension:
    """A supervisor approves or refuses the item's pending extension. Approved, the item's
    deadline moves (its first one kept in original_deadline); refused, it stays. The owner is
    told either way."""
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if not is_supervisor(actor, locked):
        raise NotAllowed("只有该事项的督办人可以审批延期申请。")
    extension = locked.extensions.filter(state=ExtensionState.PENDING).first()
    if extension is None:
        raise InvalidInput("该事项没有待审批的延期申请。")
    if not approve and not comment.strip():
        raise InvalidInput("不予批准须说明理由。")
    extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
    extension.decided_by, extension.decided_at = actor, timezone.now()
    extension.decision_comment = comment.strip()
    extension.save()
    before = locked.deadline
    if approve:
        locked.original_deadline = locked.original_deadline or extension.current_deadline
        locked.deadline = extension.requested_deadline
        locked.deadline_note = f"经批准延期（原定{cndate(locked.original_deadline)}）"
        locked.version += 1
        locked.save(
            update_fields=[
                "deadline",
                "original_deadline",
                "deadline_note",
                "version",
                "updated_at",
            ]
        )
        refresh_rollups(locked)
    verdict = "批准延期" if approve else "不予批准延期"
    text = (
        f"{verdict}：时限由{cndate(before)}延至{cndate(extension.requested_deadline)}"
        if approve
        else f"{verdict}，时限仍为{cndate(before)}"
    )
    event = _event(
        locked,
        EventKind.EXTENSION,
        actor=actor,
        comment=f"{text}" + (f"。{comment.strip()}" if comment.strip() else ""),
    )
    notices.on_extension_decided(locked, extension, event_id=event.pk)
    audit.record(
        actor,
        "ledger.extension.approved" if approve else "ledger.extension.refused",
        locked,
        changes={"deadline": [before.isoformat(), locked.deadline.isoformat()]} if approve else {},
        payload={"extension": extension.pk, "comment": comment.strip()},
    )
    item.refresh_from_db()
    return extension


@transaction.atomic
def name_owners(item: Item, *, actor, owners) -> Item:
    """The lead unit's 督办联络员 (or a supervisor of the ledger) names who handles an item handed
    to the unit: people with an account in the lead unit or below it. The new owners are told."""
    locked = (
        Item.objects.select_for_update(of=("self",)).select_related("lead_unit").get(pk=item.pk)
    )
    if not (is_supervisor(actor, locked) or may_receive(actor, locked)):
        raise NotAllowed("只有牵头单位的督办联络员或本台账的督办人可以指定责任人。")
    if locked.state not in OPEN_FOR_OWNERS:
        raise InvalidInput(f"事项当前为“{ItemState(locked.state).label}”，不能再指定责任人。")
    owners = list(owners)
    if not owners:
        raise InvalidInput("请至少指定一名责任人。")
    outside = [
        p.name
        for p in owners
        if locked.lead_unit is None
        or not p.unit.path.startswith(locked.lead_unit.path)
        or not getattr(p, "user", None)
        or not p.user.is_active
    ]
    if outside:
        raise InvalidInput(
            f"{'、'.join(outside)}不是牵头单位（含下级单位）有账号的人员，不能指定为责任人。"
        )
    before = sorted(locked.owners.values_list("pk", flat=True))
    after = sorted(p.pk for p in owners)
    if before == after:
        return locked
    added = [p for p in owners if p.pk not in before]
    locked.owners.set(owners)
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    names = "、".join(p.name for p in owners)
    event = _event(locked, EventKind.OWNERS, actor=actor, comment=f"责任人：{names}")
    notices.on_owners_named(locked, added, event_id=event.pk)
    audit.record(actor, "ledger.item.owners_named", locked, changes={"owners": [before, after]})
    item.refresh_from_db()
    return item


def _rollup_of(item: Item):
    """The earliest deadline among the open items below one (sub-items at any depth, the item a
    lower organisation took over, and what lies below that)."""
    dates = list(
        descendants(item)
        .filter(state__in=OPEN_STATES, deadline__isnull=False)
        .aggregate(first=Min("deadline"))
        .values()
    )
    for deadline, below in Item.objects.filter(
        received_from__item=item, received_from__state=HandoverState.ACCEPTED,
        state__in=OPEN_STATES,
    ).values_list("deadline", "rollup_deadline"):  # fmt: skip
        dates += [deadline, below]
    return min((d for d in dates if d is not None), default=None)


def _late_below(item: Item, today: date) -> bool:
    """Whether an open item below one has missed a report (at any depth, through a take-over)."""
    late = light_parts(today, rollup=False)["late"] | Q(rollup_late=True)
    return (
        descendants(item).filter(late).exists()
        or Item.objects.filter(
            late, received_from__item=item, received_from__state=HandoverState.ACCEPTED
        ).exists()
    )


def _above(item: Item) -> Item | None:
    """The item one step above: the parent, or the item a lower organisation took this from."""
    if item.parent_id is not None:
        return Item.objects.get(pk=item.parent_id)
    return Item.objects.filter(
        handovers__received=item, handovers__state=HandoverState.ACCEPTED
    ).first()


def refresh_rollups(item: Item, today: date | None = None) -> None:
    """After an item's deadline or state changed, a report came in, or an item came below it:
    what is kept of the items below on every item above it (its parents, and through a
    take-over the item above) — the earliest open deadline and whether a report was missed."""
    today = today or timezone.localdate()
    node = _above(item)
    while node is not None:
        # Its light may change: written as a change of the item (the board counts it again).
        Item.objects.filter(pk=node.pk).update(
            rollup_deadline=_rollup_of(node),
            rollup_late=_late_below(node, today),
            updated_at=timezone.now(),
        )
        node = _above(node)


def refresh_late_rollups(today: date) -> int:
    """The daily pass (a reporting period ended overnight, and nothing was written to say so):
    `rollup_late` set on every item above an open item that has missed a report, and cleared
    everywhere else. Walks up the parent and take-over links in memory (the default order,
    which joins the ledgers, left out of every query); returns the number of items changed."""
    late = light_parts(today, rollup=False)["late"]
    # Two plain queries rather than one with an OR across the join: each is narrowed by an index
    # before the reports are looked at.
    frontier = set(
        Item.objects.filter(late, parent__isnull=False).order_by().values_list("pk", flat=True)
    ) | set(
        Item.objects.filter(
            late,
            pk__in=Handover.objects.filter(state=HandoverState.ACCEPTED).values("received_id"),
        )
        .order_by()
        .values_list("pk", flat=True)
    )
    # The links up, read once (a row per sub-item and per take-over), then walked in memory.
    up: dict[int, list[int]] = defaultdict(list)
    for pk, parent_id in (
        Item.objects.filter(parent__isnull=False).order_by().values_list("pk", "parent_id")
    ).iterator(chunk_size=20000):
        up[pk].append(parent_id)
    for received_id, item_id in (
        Handover.objects.filter(state=HandoverState.ACCEPTED)
        .order_by()
        .values_list("received_id", "item_id")
    ):
        up[received_id].append(item_id)
    above: set[int] = set()
    while frontier:
        frontier = {pk for below in frontier for pk in up.get(below, ())} - above
        above |= frontier
    marked = set(Item.objects.filter(rollup_late=True).order_by().values_list("pk", flat=True))
    changed = 0
    for pks, value in ((sorted(above - marked), True), (sorted(marked - above), False)):
        for batch in _batches(pks, 5000):
            changed += Item.objects.filter(pk__in=batch).update(
                rollup_late=value, updated_at=timezone.now()
            )
    return changed


def _batches(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def descendants(item: Item):
    """The sub-items of an item at any depth (its ledger's items whose number extends its own)."""
    return Item.objects.filter(ledger_id=item.ledger_id, sort_key__startswith=item.sort_key + ".")


def open_descendants(item: Item) -> list[str]:
    """The numbers of the sub-items (at any depth) assigned and not yet closed out, and of the
    item a lower organisation took over into its ledger ("《台账》第 N 项")."""
    if not item.has_children:
        return []
    numbers = list(
        descendants(item)
        .filter(state__in=OPEN_STATES)
        .order_by("sort_key")
        .values_list("number", flat=True)
    )
    taken = Handover.objects.filter(
        item=item, state=HandoverState.ACCEPTED, received__state__in=OPEN_STATES
    ).values_list("received__ledger__name", "received__number")
    return numbers + [f"《{name}》第 {number} 项" for name, number in taken]


# --- handing an item to a lower organisation's own ledger ------------------------------------


def receivers_of(unit: Unit) -> list[int]:
    """The active 督办员 of the unit or of a unit inside it: who 签收 what is handed to it."""
    return list(
        RoleAssignment.objects.filter(
            role=Role.SUPERVISOR, unit__in=Unit.objects.subtree(unit), user__is_active=True
        )
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


@transaction.atomic
def hand_over(item: Item, *, actor, to_unit: Unit, note: str = "") -> Handover:
    """A supervisor hands an item to a lower organisation's own ledger (a 机关 to its 直属单位):
    its 督办员 are told and 签收 it into one of their ledgers, or 退回 it. A draft is assigned by
    this; the item is then that organisation's to carry out and report on."""
    locked = Item.objects.select_for_update().select_related("ledger__unit").get(pk=item.pk)
    if not is_supervisor(actor, locked):
        raise NotAllowed("只有该事项的督办人可以交下级单位台账。")
    if locked.state not in (ItemState.DRAFT, *OPEN_FOR_OWNERS):
        raise InvalidInput(f"事项当前为“{ItemState(locked.state).label}”，不能交下级单位台账。")
    home = locked.ledger.unit
    if not to_unit.path.startswith(home.path) or to_unit.pk == home.pk or not to_unit.is_active:
        raise InvalidInput(f"只能交给“{home.name}”的下级单位。")
    if Handover.objects.filter(
        item=locked, state__in=(HandoverState.PENDING, HandoverState.ACCEPTED)
    ).exists():
        raise InvalidInput("该事项已交下级单位台账，待对方签收或已签收。")
    receivers = receivers_of(to_unit)
    if not receivers:
        raise InvalidInput(f"“{to_unit.name}”尚未设督办员，无人签收，不能交其台账。")
    if locked.state == ItemState.DRAFT:
        if locked.deadline is None and not locked.ongoing:
            raise InvalidInput("交办前须确定完成时限，或标明“长期坚持”。")
        locked.state, locked.assigned_on = ItemState.ASSIGNED, timezone.localdate()
    if locked.lead_unit_id is None:
        locked.lead_unit = to_unit
    locked.version += 1
    locked.save(update_fields=["state", "assigned_on", "lead_unit", "version", "updated_at"])
    handover = Handover.objects.create(
        item=locked, to_unit=to_unit, note=note.strip(), created_by=actor
    )
    event = _event(
        locked, EventKind.HANDOVER, actor=actor,
        comment=f"交{to_unit.name}台账，待签收。{note.strip()}".strip(),
    )  # fmt: skip
    notices.on_handover(locked, handover, receivers, event_id=event.pk)
    audit.record(
        actor, "ledger.item.handed_over", locked, payload={"to_unit": to_unit.pk, "note": note}
    )
    item.refresh_from_db()
    return handover


def _pending(handover: Handover, actor) -> Handover:
    locked = (
        Handover.objects.select_for_update()
        .select_related("item__ledger", "to_unit")
        .get(pk=handover.pk)
    )
    if not Handover.objects.restrict(actor, Action.TAKE_OVER).filter(pk=locked.pk).exists():
        raise NotAllowed("只有接收单位的督办员可以签收或退回。")
    if locked.state != HandoverState.PENDING:
        raise InvalidInput(f"该事项已{HandoverState(locked.state).label}，不能再签收或退回。")
    return locked


@transaction.atomic
def take_over(handover: Handover, *, actor, ledger: Ledger) -> Item:
    """签收: the item lives on in a ledger of the receiving organisation, linked both ways, as a
    draft for that organisation's supervisor to assign to its own units and people."""
    locked = _pending(handover, actor)
    if not (
        is_ledger_supervisor(actor, ledger) and ledger.unit.path.startswith(locked.to_unit.path)
    ):
        raise InvalidInput(f"请选择您督办的、属于“{locked.to_unit.name}”的台账。")
    upper = Item.objects.select_for_update().get(pk=locked.item_id)
    received = add_item(
        ledger,
        actor=actor,
        content=upper.content,
        deadline=upper.deadline,
        deadline_note=f"上级时限：《{upper.ledger.name}》第 {upper.number} 项"[:100],
        ongoing=upper.ongoing,
        report_cycle=upper.report_cycle,
    )
    locked.state, locked.received = HandoverState.ACCEPTED, received
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["state", "received", "decided_by", "decided_at"])
    upper.has_children = True
    fields = ["has_children", "version", "updated_at"]
    if upper.state == ItemState.ASSIGNED:
        upper.state = ItemState.ACCEPTED
        fields.append("state")
    upper.version += 1
    upper.save(update_fields=fields)
    refresh_rollups(received)
    text = f"{locked.to_unit.name}已签收，纳入《{ledger.name}》第 {received.number} 项。"
    event = _event(upper, EventKind.HANDOVER, actor=actor, comment=text)
    _event(
        received, EventKind.HANDOVER, actor=actor,
        comment=f"签收上级交办：《{upper.ledger.name}》第 {upper.number} 项。",
    )  # fmt: skip
    notices.on_handover_decided(upper, locked, text, event_id=event.pk)
    audit.record(
        actor, "ledger.handover.accepted", upper,
        payload={"handover": locked.pk, "received": received.pk, "ledger": ledger.pk},
    )  # fmt: skip
    return received


@transaction.atomic
def return_handover(handover: Handover, *, actor, reason: str) -> Handover:
    """退回 with a reason ("不属于本单位职责"): the upper supervisor is told and may hand the item
    to another unit."""
    locked = _pending(handover, actor)
    if not reason.strip():
        raise InvalidInput("退回须填写理由。")
    locked.state, locked.reason = HandoverState.RETURNED, reason.strip()
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    text = f"{locked.to_unit.name}退回：{locked.reason}"
    event = _event(locked.item, EventKind.HANDOVER, actor=actor, comment=text)
    notices.on_handover_decided(locked.item, locked, text, event_id=event.pk)
    audit.record(
        actor, "ledger.handover.returned", locked.item,
        payload={"handover": locked.pk, "reason": locked.reason},
    )  # fmt: skip
    return locked


@dataclass
class SubItem:
    """One part of an item split among the units below its lead unit (层层分解)."""

    content: str
    lead_unit: Unit | None
    owners: list = field(default_factory=list)
    co_units: list = field(default_factory=list)
    deadline: date | None = None


MAX_PARTS = 50


@transaction.atomic
def decompose(item: Item, *, actor, parts: list[SubItem], assign: bool = False) -> list[Item]:
    """层层分解: the lead unit's leader (or 督办联络员) splits an item they received into
    sub-items for the units and people of their subtree. They supervise those sub-items, and only
    those; the ledger's supervisors follow them read-only. With `assign`, the sub-items are
    handed out at once. Every part is checked before any is written."""
    locked = Item.objects.select_for_update().get(pk=item.pk)
    if not may_decompose(actor, locked):
        raise NotAllowed("只有牵头单位的领导或督办联络员可以分解该事项，且事项须在办理中。")
    if not parts:
        raise InvalidInput("请至少填写一项子事项。")
    if len(parts) > MAX_PARTS:
        raise InvalidInput(f"一次最多分解为 {MAX_PARTS} 项子事项。")
    units = set(Unit.objects.restrict(actor, Action.DECOMPOSE).values_list("pk", flat=True))
    people = set(  # owners act on their items: people with an account
        Person.objects.restrict(actor, Action.DECOMPOSE)
        .filter(pk__in=[p.pk for part in parts for p in part.owners], user__isnull=False)
        .values_list("pk", flat=True)
    )
    errors = []
    for number, part in enumerate(parts, start=1):
        where = f"第 {number} 项："
        if not part.content.strip():
            errors.append(where + "任务内容不能为空。")
        if part.lead_unit is None:
            errors.append(where + "须指定牵头单位。")
        elif part.lead_unit.pk not in units:
            errors.append(where + f"牵头单位“{part.lead_unit.name}”不在您可分解的范围内。")
        errors += [
            where + f"配合单位“{unit.name}”不在您可分解的范围内。"
            for unit in part.co_units
            if unit.pk not in units
        ]
        errors += [
            where + f"责任人“{person.name}”不在您可分解的范围内，或尚无系统账号。"
            for person in part.owners
            if person.pk not in people
        ]
        if part.deadline is None and not locked.ongoing:
            errors.append(where + "须填写完成时限。")
        if part.deadline and locked.deadline and part.deadline > locked.deadline:
            errors.append(where + f"完成时限不能晚于上级事项的时限（{cndate(locked.deadline)}）。")
    if errors:
        raise InvalidInput("；".join(errors))
    children = [
        add_item(
            locked.ledger,
            actor=actor,
            parent=locked,
            supervisor=actor,
            content=part.content.strip(),
            lead_unit=part.lead_unit,
            deadline=part.deadline,
            ongoing=locked.ongoing and part.deadline is None,
            report_cycle=locked.report_cycle,
            source=locked.source,
            co_units=part.co_units,
            owners=part.owners,
        )
        for part in parts
    ]
    numbers = [child.number for child in children]
    _event(
        locked,
        EventKind.DECOMPOSED,
        actor=actor,
        comment=f"分解为 {len(children)} 项子事项：{'、'.join(numbers)}",
    )
    audit.record(
        actor,
        "ledger.item.decomposed",
        locked,
        payload={"children": [child.pk for child in children], "numbers": numbers},
    )
    if assign:
        for child in children:
            transition(child, "assign", actor=actor)
    return children


@transaction.atomic
def transition(
    item: Item,
    name: str,
    *,
    actor,
    comment: str = "",
    evaluation: str = "",
    evaluation_comment: str = "",
) -> Item:
    """Move an item through the state machine (ledger/states.py), refusing what it does not allow."""
    locked = Item.objects.select_for_update().get(pk=item.pk)
    step = states.require(locked.state, name)
    if not may(actor, locked, step.by):
        who = "督办人" if step.by == "supervisor" else "责任人"
        raise NotAllowed(f"只有该事项的{who}可以{step.label}。")
    if step.needs_comment and not comment.strip():
        raise InvalidInput(f"{step.label}须填写说明。")
    if name == "assign":
        if locked.lead_unit_id is None:
            raise InvalidInput("交办前须指定牵头单位。")
        # Without a named owner the lead unit's 督办联络员 receives it and names one.
        if not locked.owners.exists() and not liaisons_of(locked.lead_unit):
            raise InvalidInput(
                f"牵头单位“{locked.lead_unit.name}”尚未设督办联络员，交办前须指定责任人。"
            )
        if locked.deadline is None and not locked.ongoing:
            raise InvalidInput("交办前须确定完成时限，或标明“长期坚持”。")
        locked.assigned_on = timezone.localdate()
    if name in ("submit_done", "close_out"):
        # 申请办结 and 销号 wait for every part below (层层分解): done is done all the way down.
        open_below = open_descendants(locked)
        if open_below:
            numbers = "、".join(open_below[:5]) + ("等" if len(open_below) > 5 else "")
            what = "申请办结" if name == "submit_done" else "销号本事项"
            raise InvalidInput(
                f"尚有 {len(open_below)} 项子事项未销号（{numbers}），须全部销号后才能{what}。"
            )
    if name == "submit_done" and not locked.attachments.filter(is_evidence=True).exists():
        raise InvalidInput("申请办结须先上传佐证材料。")
    if name == "close_out":
        if not evaluation:
            raise InvalidInput("销号须作出落实效果评估。")
        if evaluation not in Evaluation.values:
            raise InvalidInput(
                f"落实效果评估须为：{'、'.join(Evaluation.labels)}（{'、'.join(Evaluation.values)}）。"
            )
        locked.evaluation = evaluation
        locked.evaluation_comment = evaluation_comment
        locked.closed_at = timezone.now()
    if name == "return":
        locked.returned_at, locked.return_reason = timezone.now(), comment.strip()
    if name == "submit_done":
        locked.returned_at, locked.return_reason = None, ""
    previous = locked.state
    locked.state = step.target
    locked.version += 1
    locked.save(
        update_fields=[
            "state",
            "version",
            "assigned_on",
            "evaluation",
            "evaluation_comment",
            "closed_at",
            "returned_at",
            "return_reason",
            "updated_at",
        ]
    )
    event = _event(
        locked,
        EventKind.TRANSITION,
        actor=actor,
        comment=comment,
        from_state=previous,
        to_state=step.target,
    )
    notices.on_transition(locked, name, event_id=event.pk, comment=comment)
    refresh_rollups(locked)
    if name == "close_out" and locked.finding_id:
        _refresh_finding(locked.finding, actor=actor)
    audit.record(
        actor,
        f"ledger.item.{name}",
        locked,
        changes={"state": [previous, step.target]},
        payload={"comment": comment, "evaluation": evaluation},
    )
    item.refresh_from_db()  # the caller's object shows the new state too
    return item


def submit_report(
    item: Item,
    *,
    actor,
    text: str,
    percent: int,
    submission_key: str,
    on: date | None = None,
    make_up: bool = False,
) -> tuple[ProgressReport, bool]:
    """One progress report for the current period. The same submission_key twice stores it once;
    returns (report, created). The first report on a 签收 item starts it (签收 → 办理) — once,
    however many owners report at the same moment: the item row is locked and its state read
    again under the lock, so the second reporter finds it started and only adds the report."""
    if not is_owner(actor, item):
        raise NotAllowed("只有该事项的责任人可以报送进展。")
    # A key is the reporter's own, on this item: another's key (guessed, or the same by chance)
    # neither finds their report nor stops this one.
    same = {"item": item, "reported_by": actor, "submission_key": submission_key}
    existing = ProgressReport.objects.filter(**same).first()
    if existing is not None:
        return existing, False
    if not text.strip():
        raise InvalidInput("进展情况不能为空。")
    if not 0 <= percent <= 100:
        raise InvalidInput("完成进度应在 0 到 100 之间。")
    on = on or timezone.localdate()

    try:
        with transaction.atomic():
            locked = Item.objects.select_for_update().get(pk=item.pk)
            if locked.state not in (ItemState.ASSIGNED, ItemState.ACCEPTED, ItemState.IN_PROGRESS):
                raise InvalidInput(f"事项当前为“{ItemState(locked.state).label}”，不能报送进展。")
            period = periods.period_for(locked, on)
            if make_up:
                period = periods.missed(locked, on)
                if period is None:
                    raise InvalidInput("上一报送期已报送（或无须报送），无需补报。")
            report = ProgressReport.objects.create(
                item=locked,
                made_up=make_up,
                period=period,
                text=text,
                percent=percent,
                reported_by=actor,
                submission_key=submission_key,
            )
            if locked.state == ItemState.ACCEPTED:
                transition(locked, "start", actor=actor, comment="报送进展，开始办理")
            else:
                refresh_rollups(locked)  # a missed report made up clears the light above
            _event(locked, EventKind.REPORT, actor=actor, comment=text, report=report)
            audit.record(
                actor,
                "ledger.report.submitted",
                locked,
                payload={"period": report.period, "percent": percent, "made_up": make_up},
            )
    except IntegrityError:
        # The same submission raced in from another request: the first one stands.
        return ProgressReport.objects.get(**same), False
    item.refresh_from_db()  # the caller's object shows the state the report left
    return report, True


@transaction.atomic
def comment(
    item: Item,
    *,
    actor,
    text: str,
    kind: str = EventKind.COMMENT,
    report: ProgressReport | None = None,
) -> ItemEvent:
    """A supervisor's comment (on the item or on one of its progress reports) or an urge."""
    if not text.strip():
        raise InvalidInput("意见不能为空。")
    if report is not None and report.item_id != item.pk:
        raise InvalidInput("该进展报送不属于此事项。")
    event = _event(item, kind, actor=actor, comment=text, report=report)
    if kind == EventKind.URGE:
        notices.on_urge(item, event_id=event.pk, text=text)
    audit.record(actor, f"ledger.item.{kind}", item, payload={"text": text})
    return event


def check_attachment(upload) -> str:
    """The name an attachment is kept under; InvalidInput when its type, size or content is not
    allowed (a page checks the file before it saves what comes with it)."""
    return check_upload(upload, ALLOWED_EXTENSIONS, MAX_ATTACHMENT_BYTES)


@transaction.atomic
def attach(
    item: Item, *, actor, upload, is_evidence: bool = False, report: ProgressReport | None = None
) -> Attachment:
    """Store an uploaded file with the item, within type and size limits."""
    name = check_attachment(upload)
    if item.state == ItemState.CLOSED:
        raise InvalidInput("已销号的事项不能再上传附件。")
    attachment = Attachment(
        item=item,
        report=report,
        name=name,
        size=upload.size,
        is_evidence=is_evidence,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    _event(
        item,
        EventKind.ATTACHMENT,
        actor=actor,
        comment=f"{'佐证材料：' if is_evidence else ''}{attachment.name}",
    )
    audit.record(
        actor,
        "ledger.attachment.added",
        item,
        payload={"name": attachment.name, "evidence": is_evidence},
    )
    return attachment


@transaction.atomic
def attach_to_source(source: Source, *, actor, upload) -> Attachment:
    """The source document itself (批示件, 文件, 会议纪要), kept with the source."""
    if not is_ledger_supervisor(actor, source.ledger):
        raise NotAllowed("只有台账的督办人可以上传来源材料。")
    name = check_attachment(upload)
    attachment = Attachment(source=source, name=name, size=upload.size, uploaded_by=actor)
    attachment.file.save(name, upload, save=False)
    attachment.save()
    audit.record(actor, "ledger.source.attachment_added", source, payload={"name": name})
    return attachment


# --- rectification (整改): findings, their measures, follow-up checks ---------------------------


@transaction.atomic
def add_finding(
    ledger: Ledger, *, actor, description: str, cause: str = "", source=None
) -> Finding:
    if ledger.kind != LedgerKind.RECTIFICATION:
        raise InvalidInput("只有整改台账可以登记问题。")
    if not is_ledger_supervisor(actor, ledger):
        raise NotAllowed("只有台账的督办人可以登记问题。")
    if not description.strip():
        raise InvalidInput("问题描述不能为空。")
    Ledger.objects.select_for_update().filter(pk=ledger.pk).first()
    number = (ledger.findings.aggregate(n=Max("number"))["n"] or 0) + 1
    finding = Finding.objects.create(
        ledger=ledger, number=number, description=description, cause=cause, source=source
    )
    audit.record(actor, "ledger.finding.created", finding, payload={"number": number})
    return finding


@dataclass
class Handed:
    """What an inspection hands over at its feedback: the ledger and its findings, in order."""

    ledger: Ledger
    findings: list[Finding]


def open_rectification_ledger(
    *, actor, name: str, year: int, unit: Unit, supervisors, source: dict, problems: list[str]
) -> Handed:
    """A rectification ledger made by an inspecting organisation for the one it inspected (巡察
    移交整改): supervised by the target's own people (`supervisors`, who fill in the measures,
    owners and deadlines), its source the feedback, one finding per problem, numbered in order.
    The actor keeps the inspection, not the ledger, so the 督办员 rule of create_ledger does not
    apply. Set-based (a feedback may carry hundreds of problems); the caller's transaction
    makes it all or nothing."""
    if not supervisors:
        raise InvalidInput("整改台账须有督办人。")
    if not problems:
        raise InvalidInput("没有需要整改的问题。")
    ledger = Ledger.objects.create(
        name=name, kind=LedgerKind.RECTIFICATION, year=year, unit=unit,
        description=source.get("summary", ""),
    )  # fmt: skip
    ledger.supervisors.set(supervisors)
    origin = Source.objects.create(ledger=ledger, kind=SourceKind.INSPECTION, **source)
    findings = Finding.objects.bulk_create(
        Finding(ledger=ledger, source=origin, number=n, description=text)
        for n, text in enumerate(problems, start=1)
    )
    audit.record(actor, "ledger.ledger.created", ledger, payload={
        "name": name, "kind": LedgerKind.RECTIFICATION, "year": year,
        "supervisors": sorted(u.pk for u in supervisors), "findings": len(findings)})  # fmt: skip
    return Handed(ledger, findings)


def reopen_finding(finding: Finding, *, actor, reason: str) -> Finding:
    """An evaluation found the rectification short (未到位): the finding is open again for new
    measures, as a 回头看 that found the problem back would leave it."""
    finding.state = FindingState.REOPENED
    finding.closed_at = None
    finding.save(update_fields=["state", "closed_at"])
    audit.record(actor, "ledger.finding.reopened", finding, payload={"reason": reason})
    return finding


def add_measure(finding: Finding, *, actor, **fields) -> Item:
    """A rectification measure: an item of the finding's ledger, tied to the finding."""
    finding.refresh_from_db(fields=["state"])
    if finding.state == FindingState.CLOSED:
        raise InvalidInput("该问题已整改销号；如回头看发现反弹，请先登记回头看结论再增加措施。")
    return add_item(finding.ledger, actor=actor, finding=finding, **fields)


def _refresh_finding(finding: Finding, *, actor) -> None:
    """A finding closes out when every one of its measures has."""
    measures = finding.measures.all()
    if (
        measures.exists()
        and not measures.exclude(state=ItemState.CLOSED).exists()
        and finding.state != FindingState.CLOSED
    ):
        finding.state = FindingState.CLOSED
        finding.closed_at = timezone.now()
        finding.save(update_fields=["state", "closed_at"])
        audit.record(actor, "ledger.finding.closed", finding)


@transaction.atomic
def schedule_follow_up(finding: Finding, *, actor, on: date) -> FollowUpCheck:
    if not is_ledger_supervisor(actor, finding.ledger):
        raise NotAllowed("只有台账的督办人可以安排回头看。")
    finding.refresh_from_db(fields=["state"])
    if finding.state != FindingState.CLOSED:
        raise InvalidInput("问题整改销号后才能安排回头看。")
    check = FollowUpCheck.objects.create(finding=finding, scheduled_on=on)
    audit.record(actor, "ledger.followup.scheduled", finding, payload={"on": on})
    return check


@transaction.atomic
def record_follow_up(
    check: FollowUpCheck, *, actor, done_on: date, outcome: str, notes: str
) -> FollowUpCheck:
    """The result of a follow-up check; a problem found back reopens the finding for new measures."""
    finding = check.finding
    if not is_ledger_supervisor(actor, finding.ledger):
        raise NotAllowed("只有台账的督办人可以登记回头看结论。")
    if check.done_on is not None:
        raise InvalidInput("该次回头看已登记结论。")
    if outcome not in FollowUpOutcome.values:
        raise InvalidInput("请选择回头看结论。")
    if not notes.strip():
        raise InvalidInput("请填写检查情况。")
    check.done_on, check.outcome, check.notes, check.checked_by = done_on, outcome, notes, actor
    check.save()
    if outcome == FollowUpOutcome.REOPENED:
        finding.state = FindingState.REOPENED
        finding.save(update_fields=["state"])
    audit.record(
        actor, "ledger.followup.recorded", finding, payload={"outcome": outcome, "notes": notes}
    )
    return check


# --- accountability (问责) ------------------------------------------------------------------


def may_see_accountability(user, item: Item) -> bool:
    """The ledger's supervisors, and discipline officers whose unit scope covers the lead unit."""
    if is_supervisor(user, item):
        return True
    if item.lead_unit_id is None:
        return False
    above = Unit.objects.ancestors_of(item.lead_unit)
    return RoleAssignment.objects.filter(
        user=user, role=Role.DISCIPLINE_OFFICER, unit__in=above
    ).exists()


@transaction.atomic
def add_accountability(
    item: Item, *, actor, kind: str, subject: str, reason: str, decided_on: date
) -> Accountability:
    if not is_supervisor(actor, item):
        raise NotAllowed("只有督办人可以登记问责。")
    if kind not in AccountabilityKind.values or not subject.strip() or not reason.strip():
        raise InvalidInput("请完整填写问责方式、对象和事由。")
    record = Accountability.objects.create(
        item=item,
        kind=kind,
        subject=subject,
        reason=reason,
        decided_on=decided_on,
        recorded_by=actor,
    )
    audit.record(
        actor, "ledger.accountability.recorded", item, payload={"kind": kind, "subject": subject}
    )
    return record


@transaction.atomic
def add_milestone(item: Item, *, actor, title: str, due_on: date) -> Milestone:
    if not is_supervisor(actor, item):
        raise NotAllowed("只有督办人可以设置节点。")
    if not title.strip():
        raise InvalidInput("节点名称不能为空。")
    if item.deadline and due_on > item.deadline:
        raise InvalidInput("节点日期不能晚于完成时限。")
    milestone = Milestone.objects.create(item=item, title=title, due_on=due_on)
    _event(
        item, EventKind.EDITED, actor=actor, comment=f"设置节点：{title}（{due_on:%Y年%m月%d日}）"
    )
    audit.record(actor, "ledger.milestone.added", item, payload={"title": title, "due_on": due_on})
    return milestone


@transaction.atomic
def complete_milestone(milestone: Milestone, *, actor, done_on: date) -> Milestone:
    item = milestone.item
    if not (is_owner(actor, item) or is_supervisor(actor, item)):
        raise NotAllowed("只有责任人或督办人可以确认节点完成。")
    if milestone.done_on:
        raise InvalidInput("该节点已确认完成。")
    milestone.done_on = done_on
    milestone.save(update_fields=["done_on"])
    _event(item, EventKind.EDITED, actor=actor, comment=f"节点完成：{milestone.title}")
    audit.record(
        actor,
        "ledger.milestone.completed",
        item,
        payload={"title": milestone.title, "done_on": done_on},
    )
    return milestone
