"""Querysets of the ledger. Who sees an item: the ledger's supervisors, the lead or a co-unit (and
units above them, through unit-scoped roles), the item's owners, and whoever split its parent
among the units below (层层分解) and supervises it. Status lights are computed by one set-based
expression, a parent's rolled up from its open sub-items."""

from datetime import date

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast

from mofan.access.scoping import NOTHING, Action, check_action, prefix_q, scope_for
from mofan.core.expressions import CompiledOnce
from mofan.ledger import periods, workdays
from mofan.ledger.choices import ItemState, Light, ReportCycle

OPEN_STATES = (ItemState.ASSIGNED, ItemState.ACCEPTED, ItemState.IN_PROGRESS, ItemState.DONE)
REPORTING_STATES = (ItemState.ASSIGNED, ItemState.ACCEPTED, ItemState.IN_PROGRESS)
# Up to this many items split off by one person and below them, FOLLOW reads them by id.
FOLLOW_IDS = 20_000


class LedgerQuerySet(models.QuerySet):
    ACTIONS = frozenset({Action.VIEW, Action.SUPERVISE})

    def restrict(self, user, action: Action):
        check_action(action, self.ACTIONS, "Ledger")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        from mofan.ledger.models import Item, Ledger

        # EXISTS rather than a join of the supervisors: no row twice, so no DISTINCT over every
        # column (a ledger's description included) to take the doubles out again.
        supervised = Exists(
            Ledger.supervisors.through.objects.filter(ledger_id=OuterRef("pk"), user_id=user.pk)
        )
        if action == Action.SUPERVISE:
            return self.filter(supervised)
        return self.filter(
            supervised | Q(pk__in=Item.objects.restrict(user, Action.VIEW).values("ledger_id"))
        )

    def with_supervision(self, user):
        """Each ledger knowing whether `user` is one of its supervisors (see `supervises`), in
        the query that reads it rather than one more."""
        from mofan.ledger.models import Ledger

        return self.annotate(
            supervision_of=Value(user.pk),
            supervised=Exists(
                Ledger.supervisors.through.objects.filter(ledger_id=OuterRef("pk"), user_id=user.pk)
            ),
        )


def supervises(user, ledger) -> bool | None:
    """Whether `user` supervises `ledger`, when the ledger was read `with_supervision(user)`;
    None when it was not (the caller asks the database)."""
    if getattr(user, "pk", None) is None or getattr(ledger, "supervision_of", None) != user.pk:
        return None
    return ledger.supervised


class DecompositionQuerySet(models.QuerySet):
    """Drafts of a decomposition are the ledger supervisors' working papers: nobody else sees them."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.SUPERVISE}), "Decomposition")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        return self.filter(ledger__supervisors=user)


class AttachmentQuerySet(models.QuerySet):
    """A file is seen with the item it belongs to, or with its source's ledger."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.SUPERVISE}), "Attachment")
        from mofan.ledger.models import Item, Ledger

        items = Item.objects.restrict(user, action)
        ledgers = Ledger.objects.restrict(user, action)
        return self.filter(Q(item__in=items) | Q(source__ledger__in=ledgers))


class HandoverQuerySet(models.QuerySet):
    """An item handed to a lower organisation's ledger: seen by whoever follows the item above
    (VIEW), and taken over (签收/退回) by the 督办员 of the receiving unit or of a unit inside it
    (TAKE_OVER) — not by supervisors above it, whose scope merely contains it."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.TAKE_OVER}), "Handover")
        from mofan.ledger.models import Item

        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        from mofan.orgs.models import Unit

        steps = Unit.steplen
        prefixes = {
            path[:end]
            for path in scope.unit_paths.get(Action.TAKE_OVER, ())
            for end in range(steps, len(path) + 1, steps)
        }
        # The receiving unit is the user's own or one above it; the user's scope is inside it.
        mine = Q(to_unit__path__in=sorted(prefixes)) if prefixes else NOTHING
        if action == Action.TAKE_OVER:
            return self.filter(mine)
        return self.filter(mine | Q(item__in=Item.objects.restrict(user, Action.FOLLOW)))


# What an item table's row shows (templatetags.ledger.item_rows): the number, the content, the
# lead unit's name, the deadline, the state (returned or not) and, annotated, the light.
ROW_FIELDS = (
    "number",
    "content",
    "lead_unit__name",
    "lead_unit__short_name",
    "deadline",
    "ongoing",
    "state",
    "returned_at",
)


class ItemQuerySet(models.QuerySet):
    ACTIONS = frozenset(
        {
            Action.VIEW,
            Action.SUPERVISE,
            Action.FOLLOW,
            Action.HANDLE,
            Action.RECEIVE,
            Action.DECOMPOSE,
        }
    )
    # The lists with_lists() asked for, read after the items (see _fetch_all).
    _value_lists: tuple[str, ...] = ()

    def restrict(self, user, action: Action, *, ledger=None):
        """With `ledger` (a Ledger or its id): the items of that ledger only. For VIEW by one of
        its supervisors that is all of them, which the general condition says too, but in joins
        and subqueries over units and handovers that cost an item table more CPU, in Django and
        in the database, than its rows: they are left out. Whether the user supervises the
        ledger comes with a ledger read `with_supervision(user)`, else from one look-up."""
        check_action(action, self.ACTIONS, "Item")
        from mofan.ledger.models import Item, Ledger

        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        if ledger is not None:
            ledger_id = getattr(ledger, "pk", ledger)
            if action == Action.VIEW:
                supervised = supervises(user, ledger)
                if supervised is None:
                    supervised = Ledger.supervisors.through.objects.filter(
                        ledger_id=ledger_id, user_id=user.pk
                    ).exists()
                if supervised:
                    return self.filter(ledger_id=ledger_id)
            return self.restrict(user, action).filter(ledger_id=ledger_id)
        supervised_ledgers = Ledger.supervisors.through.objects.filter(user_id=user.pk).values(
            "ledger_id"
        )
        supervised = Q(ledger_id__in=supervised_ledgers)
        owned = (
            Q(
                pk__in=Item.owners.through.objects.filter(person_id=scope.person_id).values(
                    "item_id"
                )
            )
            if scope.person_id
            else NOTHING
        )
        # A sub-item split off by a unit's leader is theirs to supervise, not the ledger's: the
        # ledger's supervisors see it (below), read-only.
        mine = Q(supervisor_id=user.pk)
        if action == Action.FOLLOW:
            return self._followed(user, supervised)
        if action == Action.SUPERVISE:
            return self.filter((supervised & Q(supervisor__isnull=True)) | mine)
        if action == Action.DECOMPOSE:
            # Items led by a unit of the subtrees one splits work in (leader, 督办联络员).
            return self.filter(prefix_q("lead_unit__path", scope.unit_paths.get(action, ())))
        if action == Action.HANDLE:
            return self.filter(owned)
        if action == Action.RECEIVE:
            # Items led by the units one is the 督办联络员 of (or units below them).
            received = NOTHING
            for path in scope.unit_paths.get(Action.RECEIVE, ()):
                received |= Q(lead_unit__path__startswith=path)
            return self.filter(received)
        unit_paths = scope.unit_paths.get(Action.VIEW, ())
        by_unit = NOTHING
        for path in unit_paths:
            co_units = Item.co_units.through.objects.filter(unit__path__startswith=path).values(
                "item_id"
            )
            by_unit |= Q(lead_unit__path__startswith=path) | Q(pk__in=co_units)
        # An item a lower organisation took over: seen by whoever supervises the item above it.
        handed_down = Q(received_from__item__ledger_id__in=supervised_ledgers) | Q(
            received_from__item__supervisor_id=user.pk
        )
        return self.filter(supervised | owned | by_unit | mine | handed_down)

    def _followed(self, user, in_ledgers: Q):
        """FOLLOW: what a supervisor follows on their board and home page — the items they
        supervise and everything split off below them (层层分解): for the ledger's supervisors
        the whole ledger, for a unit's leader the sub-items they hand out and those split further
        below them."""
        from mofan.ledger.models import Ledger

        below, by_id = self._split_off(user)
        if below is None:
            # Most supervisors split nothing off: their board reads as it did before the split.
            return self.filter(in_ledgers)
        if by_id and not Ledger.supervisors.through.objects.filter(user_id=user.pk).exists():
            return self.filter(below)  # read through the primary key alone
        return self.filter(in_ledgers | below)

    def followed_beyond_ledgers(self, user, ledger_ids):
        """The part of FOLLOW outside the given ledgers (those the user supervises, whose board
        figures are kept): what they split off below them elsewhere — none for most."""
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        below, _ = self._split_off(user)
        if below is None:
            return self.none()
        return self.filter(below).exclude(ledger_id__in=ledger_ids)

    def _split_off(self, user) -> tuple[Q | None, bool]:
        """The items one split off and those split further below them, level by level along the
        parent link (each level one query on its index): a few thousand ids at most for a
        department's leader, read through the primary key (then True). Very many: by the parent
        links themselves, five levels down. None when one split nothing off."""
        from mofan.ledger.models import Item

        below: set[int] = set()
        level = list(
            Item.objects.filter(supervisor_id=user.pk).order_by().values_list("pk", flat=True)
        )
        while level and len(below) <= FOLLOW_IDS:
            below.update(level)
            level = [
                pk
                for start in range(0, len(level), 5000)
                for pk in Item.objects.filter(parent_id__in=level[start : start + 5000])
                .exclude(pk__in=below)
                .order_by()
                .values_list("pk", flat=True)
            ]
        if not below:
            return None, False
        if len(below) <= FOLLOW_IDS:
            return Q(pk__in=sorted(below)), True
        deep = Q(supervisor_id=user.pk)
        for depth in range(1, 6):
            deep |= Q(**{"__".join(["parent"] * depth) + "__supervisor_id": user.pk})
        return deep, False

    def for_table(self, *, with_ledger: bool = True, people: bool = False):
        """With what an item table shows beside each item: its lead unit and ledger, and with
        `people` the names of its co-units and owners (`co_unit_names`, `owner_names`). The
        table of one ledger leaves the ledger out."""
        related = ("lead_unit", "ledger") if with_ledger else ("lead_unit",)
        queryset = self.select_related(*related)
        return queryset.with_lists("co_unit_names", "owner_names") if people else queryset

    def for_rows(self, *, with_ledger: bool = True, people: bool = False):
        """for_table() with only the columns `{% item_rows %}` writes out (ROW_FIELDS): the
        items query of a page was some 4,900 characters of SQL, past what psycopg keeps parsed
        (4,096), and read 32 item and 14 unit columns to show 9. Any other field of these
        items costs a query of its own when read: for the rows only."""
        fields = ROW_FIELDS + (("ledger__name",) if with_ledger else ())
        return self.for_table(with_ledger=with_ledger, people=people).only(*fields)

    def for_api(self):
        """With what the API shows of each item: its lead unit, the codes of its co-units, its
        owners' ids, its tags' names (`api_co_units`, `api_owners`, `api_tags`; ItemSerializer
        reads them)."""
        return self.select_related("lead_unit").with_lists("api_co_units", "api_owners", "api_tags")

    def with_lists(self, *names: str):
        """The items' co-units, owners or tags as lists of plain values, one query per list after
        the items are read (LISTS names them). Django's prefetch_related built a model instance
        per unit and person, and a manager and a queryset per item and relation: 2-4 ms of CPU
        of a page of 50 items, for a name or a code each."""
        unknown = set(names) - LISTS.keys()
        if unknown:
            raise ValueError(f"unknown lists: {sorted(unknown)}")
        clone = self._chain()
        clone._value_lists = tuple(dict.fromkeys(self._value_lists + names))
        return clone

    def _clone(self):
        clone = super()._clone()
        clone._value_lists = self._value_lists
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._value_lists and self._iterable_class is models.query.ModelIterable:
            attach_lists(self._result_cache, self._value_lists, self.db)

    def with_light(self, today: date | None = None):
        """Annotate `light` (and `report_late`) for every item in one query.

        red: past the deadline and not closed out; yellow: deadline within 3 working days, or the
        last completed reporting period has no report; green: otherwise; none: drafts and closed items.
        """
        today = today or date.today()
        return self.annotate(report_late=LightRule("report_late", today)).annotate(
            light=LightRule("light", today)
        )

    def with_last_percent(self):
        """Annotate `last_percent`: how far each item is, by its owners' last report (None
        before the first). The reports of an item one may see are seen with it."""
        from mofan.ledger.models import ProgressReport

        return self.annotate(
            last_percent=Subquery(
                ProgressReport.objects.filter(item=OuterRef("pk"))
                .order_by("-reported_at", "-id")
                .values("percent")[:1]
            )
        )

    def with_light_only(self, light: str, today: date | None = None):
        """Items of one light, filtered on the underlying columns, so that an index can serve the
        filter instead of computing every item's light first (same rule as `with_light`)."""
        today = today or date.today()
        if light == Light.RED:
            parts = deadline_parts(today)
            return self.filter(~parts["none"] & parts["red"])
        parts = light_parts(today)
        live = ~parts["none"]
        if light == Light.YELLOW:
            return self.filter(live & ~parts["red"] & (parts["soon"] | parts["late"]))
        if light == Light.GREEN:
            return self.filter(live & ~parts["red"] & ~parts["soon"] & ~parts["late"])
        return self.filter(parts["none"])


class LightRule(CompiledOnce):
    """`light` or `report_late` (its own missed report, not one below it) of each item, by the
    rule of `light_parts`. Five subqueries and their conditions, twice: building and compiling
    them took some 9 ms of CPU per item page, so they are built and compiled once a day per
    database (mofan/core/expressions.py)."""

    def __init__(self, name: str, today: date):
        field = models.BooleanField() if name == "report_late" else models.CharField()
        super().__init__(name, today, output_field=field)
        self.name, self.today = name, today

    def build(self):
        parts = light_parts(self.today)
        if self.name == "report_late":
            return Case(
                When(parts["own_late"], then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        return Case(
            When(parts["none"], then=Value(Light.NONE)),
            When(parts["red"], then=Value(Light.RED)),
            When(parts["soon"], then=Value(Light.YELLOW)),
            When(parts["late"], then=Value(Light.YELLOW)),
            default=Value(Light.GREEN),
            output_field=models.CharField(),
        )


# name: (relation, the columns read through it, ordering, the value made of a row)
LISTS = {
    "co_unit_names": (
        "co_units",
        ("unit__short_name", "unit__name"),
        "unit__path",
        lambda row: row[0] or row[1],
    ),
    "owner_names": ("owners", ("person__name",), "id", lambda row: row[0]),
    "api_co_units": ("co_units", ("unit__code",), "unit__path", lambda row: row[0]),
    "api_owners": ("owners", ("person_id",), "id", lambda row: row[0]),
    "api_tags": ("tags", ("tag__name",), "id", lambda row: row[0]),
}


def attach_lists(items: list, names: tuple[str, ...], using: str) -> None:
    """Set each list named (LISTS) on every item, read through the relation's own table: co-units
    in the order of the unit tree, owners and tags as they were given."""
    from mofan.ledger.models import Item

    by_id = {item.pk: item for item in items}
    for name in names:
        for item in items:
            setattr(item, name, [])
    if not by_id:
        return
    for name in names:
        relation, columns, ordering, value = LISTS[name]
        through = getattr(Item, relation).through
        rows = (
            through.objects.using(using)
            .filter(item_id__in=by_id)
            .order_by(ordering)
            .values_list("item_id", *columns)
        )
        for item_id, *rest in rows:
            getattr(by_id[item_id], name).append(value(rest))


def light_parts(today: date, *, rollup: bool = True) -> dict[str, Q]:
    """The conditions the status light is made of; `late` and the roll-up hold the subqueries."""
    late = _late(today)
    parts = deadline_parts(today, rollup=rollup)
    if not rollup:
        return {**parts, "late": late, "own_late": late}
    return {**parts, "late": late | Q(rollup_late=True), "own_late": late}


def deadline_parts(today: date, *, rollup: bool = True) -> dict[str, Q]:
    """`none`, `red` and `soon` of `light_parts`, without the subqueries of `late`: what a filter
    by the red light needs (building the subqueries cost it 2-3 ms of CPU per page)."""
    soon = workdays.add_workdays(today, 3)
    none = Q(state__in=(ItemState.DRAFT, ItemState.CLOSED))
    if not rollup:
        return {"none": none, "red": Q(deadline__lt=today), "soon": Q(deadline__lte=soon)}
    # Roll-up (层层分解): a parent is as red or yellow as the open items below it — sub-items at
    # any depth, the item a lower organisation took over — through what is kept on it: the
    # earliest deadline below (`rollup_deadline`, compared like its own) and whether a report was
    # missed below (`rollup_late`). Looking below every parent instead costed the board 7 s and
    # the lights of all items 0.75 s at national scale.
    return {
        "none": none,
        "red": Q(deadline__lt=today) | Q(rollup_deadline__lt=today),
        "soon": Q(deadline__lte=soon) | Q(rollup_deadline__lte=soon),
    }


def _late(today: date) -> Q:
    """An item's own missed report. Built anew for each query: a query resolves the subqueries'
    outer references in place, so these objects cannot be shared between queries."""
    from mofan.ledger.models import ProgressReport, ReportDate

    late = Q(pk__in=[])
    for cycle in (ReportCycle.WEEKLY, ReportCycle.MONTHLY, ReportCycle.QUARTERLY):
        key, ended = periods.last_completed(cycle, today)
        reported = ProgressReport.objects.filter(item=OuterRef("pk"), period=key)
        late |= Q(report_cycle=cycle, state__in=REPORTING_STATES, assigned_on__lte=ended) & ~Exists(
            reported
        )
    # Items reporting on given dates: late when a passed date (since assignment) has no report.
    missed = (
        ReportDate.objects.filter(
            item=OuterRef("pk"), due_on__lt=today, due_on__gte=OuterRef("assigned_on")
        )
        .annotate(key=Cast("due_on", output_field=models.CharField()))
        .filter(
            ~Exists(ProgressReport.objects.filter(item=OuterRef("item"), period=OuterRef("key")))
        )
    )
    return late | (Q(report_cycle=ReportCycle.DATES, state__in=REPORTING_STATES) & Exists(missed))
