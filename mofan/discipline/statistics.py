"""The figures of 监督执纪 for an organisation and year — counts only, never a name or an
allegation: leads by source and by disposition, the four forms and their shares (the seed's
"特别是第一种形态"), the measures, what is under way and late, the personal-matters checks.
Over one organisation or its whole tree; a handful of grouped queries whatever the size."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from mofan.discipline.choices import (
    CheckOutcome,
    Disposition,
    Form,
    LeadState,
    Measure,
    Source,
)
from mofan.discipline.models import Check, Lead


@dataclass
class Figures:
    leads: int = 0
    by_source: dict = field(default_factory=dict)
    by_disposition: dict = field(default_factory=dict)
    by_state: dict = field(default_factory=dict)
    forms: dict = field(default_factory=dict)  # label → n
    shares: dict = field(default_factory=dict)  # label → % of the forms applied
    measures: dict = field(default_factory=dict)
    late: int = 0
    checks: dict = field(default_factory=dict)


def _labelled(rows, choices) -> dict:
    labels = dict(choices)
    found = {label: 0 for _, label in choices}
    for key, n in rows:
        found[labels.get(key, str(key))] = found.get(labels.get(key, str(key)), 0) + n
    return found


def figures(leads, checks=None) -> Figures:
    """The figures of a set of leads (a queryset) and of the checks of the same reach."""
    today = timezone.localdate()
    found = Figures()
    counted = leads.order_by()
    found.by_source = _labelled(
        counted.values_list("source").annotate(n=Count("pk")), Source.choices
    )
    found.leads = sum(found.by_source.values())
    found.by_disposition = _labelled(
        counted.exclude(disposition="").values_list("disposition").annotate(n=Count("pk")),
        Disposition.choices,
    )
    found.by_state = _labelled(
        counted.values_list("state").annotate(n=Count("pk")), LeadState.choices
    )
    found.forms = _labelled(
        counted.filter(form__isnull=False).values_list("form").annotate(n=Count("pk")), Form.choices
    )
    applied = sum(found.forms.values())
    found.shares = {label: round(n * 100 / applied, 1) if applied else 0.0
                    for label, n in found.forms.items()}  # fmt: skip
    found.measures = {
        label: n
        for label, n in _labelled(
            counted.exclude(measure="").values_list("measure").annotate(n=Count("pk")),
            Measure.choices,
        ).items()
        if n
    }
    found.late = counted.filter(
        state__in=[LeadState.TALKING, LeadState.VERIFYING, LeadState.SHELVED], due_on__lt=today
    ).count()
    if checks is not None:
        found.checks = _labelled(
            checks.order_by().exclude(outcome="").values_list("outcome").annotate(n=Count("pk")),
            CheckOutcome.choices,
        )
    return found


def of_org(org, year: int, *, tree: bool = False) -> Figures:
    from mofan.discipline.querysets import in_tree

    orgs = in_tree(org) if tree else [org.pk]
    return figures(
        Lead.objects.filter(org_id__in=orgs, year=year),
        Check.objects.filter(report__round__org_id__in=orgs, report__round__year=year),
    )


def visible_orgs(user):
    """The organisations whose figures `user` reads: those they are the discipline officer of,
    and those they lead (领导 of the organisation or of the unit it is set up in) — the figures
    without names."""
    from django.db.models import Q

    from mofan.access.models import RoleAssignment
    from mofan.access.roles import Role
    from mofan.inspection.querysets import holding_orgs
    from mofan.orgs.models import PartyOrg

    led = RoleAssignment.objects.filter(user_id=user.pk, role=Role.LEADER)
    return PartyOrg.objects.filter(
        Q(pk__in=holding_orgs(user.pk))
        | Q(pk__in=led.filter(org__isnull=False).values("org_id"))
        | Q(unit_id__in=led.filter(unit__isnull=False).values("unit_id"))
    ).order_by("path")
