"""Who sees dues: amounts are need-to-know. A member sees their own; the collector, the secretary
and the org admins of the organisation (Action.DUES) see and record those of its members.
Leaders, supervisors and discipline officers, who see other records, do not see these."""

from django.db import models
from django.db.models import Q

from mofan.access.scoping import Action, check_action, prefix_q, scope_for

DUES_ACTIONS = frozenset({Action.VIEW, Action.DUES})


def _collects(scope, field_name: str) -> Q:
    return prefix_q(field_name, scope.org_paths.get(Action.DUES, ()))


class DuesRecordQuerySet(models.QuerySet):
    """A member's bases and waivers: seen with the member's present organisation."""

    def restrict(self, user, action: Action):
        check_action(action, DUES_ACTIONS, self.model.__name__)
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = _collects(scope, "person__membership__org__path")
        if action == Action.VIEW and scope.person_id:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)


class PaymentQuerySet(models.QuerySet):
    """Payments: seen with the member's present organisation (the history follows a transferred
    member), and with the organisation that received them (its statements stay whole)."""

    def restrict(self, user, action: Action):
        check_action(action, DUES_ACTIONS, "DuesPayment")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = _collects(scope, "person__membership__org__path") | _collects(scope, "org__path")
        if action == Action.VIEW and scope.person_id:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)

    def of_org(self, org, month):
        return self.filter(org=org, month=month)


class RuleQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        """The brackets are a published regulation: every signed-in user reads them."""
        check_action(action, frozenset({Action.VIEW}), "DuesRule")
        return self if scope_for(user).user_id else self.none()

    def in_force(self, day):
        return self.filter(
            Q(effective_from__lte=day), Q(effective_to__isnull=True) | Q(effective_to__gte=day)
        )
