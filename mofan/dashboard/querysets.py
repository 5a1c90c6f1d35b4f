"""Who reads which kept figures of the leader's dashboard: an organisation's rows by those who read
its records (Action.VIEW on the organisation tree), a unit's rows by those who read its ledger
items (Action.VIEW on the unit tree) — the same reach as the records they count."""

from django.db import models

from mofan.access.scoping import Action, check_action, scope_for


class SnapshotQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW}), "Snapshot")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        return self.filter(
            (models.Q(kind="org") & scope.org_q(Action.VIEW, "path"))
            | (models.Q(kind="unit") & scope.unit_q(Action.VIEW, "path"))
        )
