"""Who sees transfers and standing decisions: the organisations at both ends of a transfer (their
secretaries and admins, Action.TRANSFER), and the member their own. Never unit-scoped roles:
a member's party relationship is kept by the party organisation."""

from django.db import models
from django.db.models import Q

from mofan.access.scoping import Action, check_action, prefix_q, scope_for

ACTIONS = frozenset({Action.VIEW, Action.TRANSFER})


def _keeps(scope, field_name: str) -> Q:
    return prefix_q(field_name, scope.org_paths.get(Action.TRANSFER, ()))


class TransferQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Transfer")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = _keeps(scope, "from_org__path") | _keeps(scope, "to_org__path")
        if action == Action.VIEW and scope.person_id:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)

    def addressed_to_user(self, user):
        """Letters addressed to an organisation whose records the user keeps."""
        return self.filter(_keeps(scope_for(user), "to_org__path"))

    def sent_by_user(self, user):
        """Letters sent from an organisation whose records the user keeps."""
        return self.filter(_keeps(scope_for(user), "from_org__path"))

    def to_subtree(self, org):
        """Letters addressed to the organisation's subtree."""
        return self.filter(to_org__path__startswith=org.path)

    def touching(self, org):
        """Letters to or from the organisation's subtree."""
        return self.filter(
            Q(from_org__path__startswith=org.path) | Q(to_org__path__startswith=org.path)
        )

    def pending(self):
        from mofan.members.choices import TransferState

        return self.filter(state=TransferState.PENDING)


class StandingQuerySet(models.QuerySet):
    """A decision on standing is seen where the member's record is kept, and by the member."""

    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "StandingChange")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = _keeps(scope, "org__path")
        if action == Action.VIEW and scope.person_id:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)
