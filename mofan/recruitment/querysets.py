"""Who sees an applicant's file: the branch's committee and the higher committees' organisation
staff (Action.RECRUIT: the secretary and the org admins of the organisation); the applicant sees
their own (Action.VIEW: stage and next step)."""

from django.db import models
from django.db.models import Q

from mofan.access.scoping import Action, check_action, prefix_q, scope_for

ACTIONS = frozenset({Action.VIEW, Action.RECRUIT})


class ApplicantQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Applicant")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = prefix_q("org__path", scope.org_paths.get(Action.RECRUIT, ()))
        if action == Action.VIEW and scope.person_id:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)


class StepQuerySet(models.QuerySet):
    """A step or a document of a file is seen by whoever sees the file."""

    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, self.model.__name__)
        from mofan.recruitment.models import Applicant

        return self.filter(applicant__in=Applicant.objects.restrict(user, action))


DocumentQuerySet = StepQuerySet


class PlanQuerySet(models.QuerySet):
    """A plan is the planning committee's, kept with its files (Action.RECRUIT)."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.RECRUIT}), "Plan")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        return self.filter(prefix_q("org__path", scope.org_paths.get(Action.RECRUIT, ())))
