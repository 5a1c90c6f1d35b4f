"""Querysets of the ledger. Who sees an item: the ledger's supervisors, the lead or a co-unit (and
units above them, through unit-scoped roles), and the item's owners. Status lights are computed
by one set-based expression."""

from datetime import date

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Cast

from mofan.access.scoping import NOTHING, Action, check_action, scope_for
from mofan.ledger import periods, workdays
from mofan.ledger.choices import ItemState, Light, ReportCycle

OPEN_STATES = (ItemState.ASSIGNED, ItemState.ACCEPTED, ItemState.IN_PROGRESS, ItemState.DONE)
REPORTING_STATES = (ItemState.ASSIGNED, ItemState.ACCEPTED, ItemState.IN_PROGRESS)


class LedgerQuerySet(models.QuerySet):
    ACTIONS = frozenset({Action.VIEW, Action.SUPERVISE})

    def restrict(self, user, action: Action):
        check_action(action, self.ACTIONS, "Ledger")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        supervised = Q(supervisors=user)
        if action == Action.SUPERVISE:
            return self.filter(supervised)
        from mofan.ledger.models import Item

        return self.filter(
            supervised | Q(pk__in=Item.objects.restrict(user, Action.VIEW).values("ledger_id"))
        ).distinct()


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


class ItemQuerySet(models.QuerySet):
    ACTIONS = frozenset({Action.VIEW, Action.SUPERVISE, Action.HANDLE, Action.RECEIVE})

    def restrict(self, user, action: Action):
        check_action(action, self.ACTIONS, "Item")
        from mofan.ledger.models import Item, Ledger

        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        supervised = Q(
            ledger_id__in=Ledger.supervisors.through.objects.filter(user_id=user.pk).values(
                "ledger_id"
            )
        )
        owned = (
            Q(
                pk__in=Item.owners.through.objects.filter(person_id=scope.person_id).values(
                    "item_id"
                )
            )
            if scope.person_id
            else NOTHING
        )
        if action == Action.SUPERVISE:
            return self.filter(supervised)
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
        return self.filter(supervised | owned | by_unit)

    def with_light(self, today: date | None = None):
        """Annotate `light` (and `report_late`) for every item in one query.

        red: past the deadline and not closed out; yellow: deadline within 3 working days, or the
        last completed reporting period has no report; green: otherwise; none: drafts and closed items.
        """
        parts = light_parts(today or date.today())
        queryset = self.annotate(
            report_late=Case(
                When(parts["late"], then=Value(True)),
                default=Value(False),
                output_field=models.BooleanField(),
            )
        )
        return queryset.annotate(
            light=Case(
                When(parts["none"], then=Value(Light.NONE)),
                When(parts["red"], then=Value(Light.RED)),
                When(parts["soon"], then=Value(Light.YELLOW)),
                When(parts["late"], then=Value(Light.YELLOW)),
                default=Value(Light.GREEN),
                output_field=models.CharField(),
            )
        )

    def with_light_only(self, light: str, today: date | None = None):
        """Items of one light, filtered on the underlying columns, so that an index can serve the
        filter instead of computing every item's light first (same rule as `with_light`)."""
        parts = light_parts(today or date.today())
        live = ~parts["none"]
        if light == Light.RED:
            return self.filter(live & parts["red"])
        if light == Light.YELLOW:
            return self.filter(live & ~parts["red"] & (parts["soon"] | parts["late"]))
        if light == Light.GREEN:
            return self.filter(live & ~parts["red"] & ~parts["soon"] & ~parts["late"])
        return self.filter(parts["none"])


def light_parts(today: date) -> dict[str, Q]:
    """The conditions the status light is made of; `late` holds the only subqueries."""
    from mofan.ledger.models import ProgressReport

    late = Q(pk__in=[])
    for cycle in (ReportCycle.WEEKLY, ReportCycle.MONTHLY, ReportCycle.QUARTERLY):
        key, ended = periods.last_completed(cycle, today)
        reported = ProgressReport.objects.filter(item=OuterRef("pk"), period=key)
        late |= Q(report_cycle=cycle, state__in=REPORTING_STATES, assigned_on__lte=ended) & ~Exists(
            reported
        )
    # Items reporting on given dates: late when a passed date (since assignment) has no report.
    from mofan.ledger.models import ReportDate

    missed = (
        ReportDate.objects.filter(
            item=OuterRef("pk"), due_on__lt=today, due_on__gte=OuterRef("assigned_on")
        )
        .annotate(key=Cast("due_on", output_field=models.CharField()))
        .filter(
            ~Exists(ProgressReport.objects.filter(item=OuterRef("item"), period=OuterRef("key")))
        )
    )
    late |= Q(report_cycle=ReportCycle.DATES, state__in=REPORTING_STATES) & Exists(missed)
    return {
        "none": Q(state__in=(ItemState.DRAFT, ItemState.CLOSED)),
        "red": Q(deadline__lt=today),
        "soon": Q(deadline__lte=workdays.add_workdays(today, 3)),
        "late": late,
    }
