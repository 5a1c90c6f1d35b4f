"""Who reads 监督执纪 (need-to-know): the discipline officers (纪检干部) of the organisation that
holds a record — that organisation's own, not those above or below — and, for a lead, the
handlers assigned to it. A person never sees a lead about themselves, whatever their role, nor
a check of their own report. A cadre reads and fills in their own personal-matters report.
Anyone else finds nothing (404). Leaders read the statistics, not the records (statistics.py)."""

from django.db import models
from django.db.models import Q

from mofan.access.scoping import Action, check_action, scope_for
from mofan.inspection.querysets import holding_orgs

ACTIONS = frozenset({Action.VIEW, Action.CHANGE})


class LeadQuerySet(models.QuerySet):
    """VIEW and CHANGE (recording the steps): the holding organisation's officers and the
    lead's handlers, never the person concerned."""

    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Lead")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        from mofan.discipline.models import Lead

        handled = Lead.handlers.through.objects.filter(user_id=scope.user_id).values("lead_id")
        found = self.filter(Q(org_id__in=holding_orgs(scope.user_id)) | Q(pk__in=handled))
        if scope.person_id:
            found = found.exclude(subject_id=scope.person_id)
        return found


class RecordQuerySet(models.QuerySet):
    """Talks, 述责述廉 reports and report rounds: the holding organisation's officers."""

    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, self.model.__name__)
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        return self.filter(org_id__in=holding_orgs(scope.user_id))


class ReportQuerySet(models.QuerySet):
    """A personal-matters report: the round's officers read (VIEW) every one; the cadre reads
    and fills in (CHANGE) their own."""

    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "PersonalReport")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        own = Q(person_id=scope.person_id) if scope.person_id else Q(pk__in=[])
        if action == Action.CHANGE:
            return self.filter(own)
        return self.filter(own | Q(round__org_id__in=holding_orgs(scope.user_id)))


class DrawQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Draw")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        return self.filter(round__org_id__in=holding_orgs(scope.user_id))


class CheckQuerySet(models.QuerySet):
    """The round's officers, not on their own report."""

    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Check")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        found = self.filter(report__round__org_id__in=holding_orgs(scope.user_id))
        if scope.person_id:
            found = found.exclude(report__person_id=scope.person_id)
        return found


def in_tree(org):
    """The organisation and all below it (ids, as a subquery)."""
    from mofan.orgs.models import PartyOrg

    return PartyOrg.objects.filter(path__startswith=org.path).values("pk")
