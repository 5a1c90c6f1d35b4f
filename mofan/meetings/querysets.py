"""Who sees which meetings: those whose scope covers the organisation (its secretary, org admins,
leaders above it), and every attendee. Recording needs the "record" action on the organisation."""

from django.db import models
from django.db.models import Exists, OuterRef, Q

from mofan.access.scoping import NOTHING, prefix_q, scope_for


class MeetingQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        in_scope = prefix_q("org__path", scope.org_paths.get(action, ()))
        if action != "view":
            return self.filter(in_scope)
        return self.filter(in_scope | self._attended_by(scope.person_id))

    def visible_to(self, user):
        return self.restrict(user, "view")

    @staticmethod
    def _attended_by(person_id) -> Q:
        if not person_id:
            return NOTHING
        from mofan.meetings.models import Attendance

        return Q(Exists(Attendance.objects.filter(meeting=OuterRef("pk"), person_id=person_id)))

    def held(self):
        from mofan.meetings.choices import MeetingState

        return self.filter(state=MeetingState.HELD)


class PlanQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        scope = scope_for(user)
        paths = scope.org_paths.get(action, ())
        if action == "view":
            paths = paths + scope.tree_org_paths  # members read their own branch's plan
        return self.filter(prefix_q("org__path", paths))


class RuleQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Every signed-in user reads the rules (they are published regulations); an org admin
        changes the local rules of the organisations in their scope."""
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        if action == "view":
            return self
        return self.filter(prefix_q("org__path", scope.org_paths.get("change", ())))

    def in_force(self, start, end):
        """Rules that apply to some day between `start` and `end`."""
        return self.filter(
            Q(effective_from__lte=end), Q(effective_to__isnull=True) | Q(effective_to__gte=start)
        )
