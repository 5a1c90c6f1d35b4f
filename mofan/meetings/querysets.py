"""Who sees which meetings: those whose scope covers the organisation (its secretary, org admins,
leaders above it), and every attendee. Recording needs the "record" action on the organisation."""

from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from mofan.access.scoping import NOTHING, Action, check_action, prefix_q, scope_for

MEETING_ACTIONS = frozenset({Action.VIEW, Action.RECORD})


class MeetingQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, MEETING_ACTIONS, "Meeting")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        in_scope = prefix_q("org__path", scope.org_paths.get(action, ()))
        if action != Action.VIEW:
            return self.filter(in_scope)
        return self.filter(in_scope | self._attended_by(scope.person_id))

    def of_subtree(self, org):
        return self.filter(org__path__startswith=org.path)

    @staticmethod
    def _attended_by(person_id) -> Q:
        if not person_id:
            return NOTHING
        from mofan.meetings.models import Attendance

        return Q(Exists(Attendance.objects.filter(meeting=OuterRef("pk"), person_id=person_id)))

    def with_minutes_access(self, user):
        """Each meeting with `minutes_readable`: a leading group's minutes (discussion, decisions,
        summary, files) are for its members (the attendees) and those granted; other meetings'
        minutes for whoever sees the meeting. One rule for pages, API, exports; no query per row."""
        from mofan.meetings.choices import LEADING_GROUP_KINDS
        from mofan.meetings.models import MinutesGrant

        scope = scope_for(user)
        readable = ~Q(kind__in=LEADING_GROUP_KINDS) | self._attended_by(scope.person_id)
        if scope.user_id:
            readable |= Q(
                Exists(MinutesGrant.objects.filter(org=OuterRef("org"), user_id=scope.user_id))
            )
        return self.annotate(
            minutes_readable=ExpressionWrapper(readable, output_field=BooleanField())
        )

    def held(self):
        from mofan.meetings.choices import MeetingState

        return self.filter(state=MeetingState.HELD)


def reads_minutes(user, meeting) -> bool:
    """Whether `user` may read `meeting`'s minutes: the annotation of `with_minutes_access` when
    the meeting came with it, else one query of the same rule."""
    readable = getattr(meeting, "minutes_readable", None)
    if readable is None:
        readable = (
            type(meeting)
            .objects.filter(pk=meeting.pk)
            .with_minutes_access(user)
            .values_list("minutes_readable", flat=True)
            .get()
        )
    return bool(readable)


class PlanQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, MEETING_ACTIONS, "MeetingPlan")
        scope = scope_for(user)
        paths = scope.org_paths.get(action, ())
        if action == Action.VIEW:
            paths = paths + scope.tree_org_paths  # members read their own branch's plan
        return self.filter(prefix_q("org__path", paths))


class RuleQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        """Every signed-in user reads the rules (they are published regulations); an org admin
        changes the local rules of the organisations in their scope."""
        check_action(action, frozenset({Action.VIEW, Action.CHANGE}), "MeetingRule")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        if action == Action.VIEW:
            return self
        return self.filter(prefix_q("org__path", scope.org_paths.get(Action.CHANGE, ())))

    def in_force(self, start, end):
        """Rules that apply to some day between `start` and `end`."""
        return self.filter(
            Q(effective_from__lte=end), Q(effective_to__isnull=True) | Q(effective_to__gte=start)
        )
