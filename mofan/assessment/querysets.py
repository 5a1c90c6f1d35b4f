"""Who sees what of 考核评价: the assessing organisation's admins (Action.ASSESS) keep its schemes
and rounds and see every target; a round's assessment team sees and scores that round; the
assessed organisation's secretary and admins (Action.RECORD on it) write its self-assessment; its
readers (Action.VIEW) see its own scores — the pages hold back the team's scores and the totals
until the round is published."""

from django.db import models
from django.db.models import Q

from mofan.access.scoping import Action, check_action, prefix_q, scope_for

TARGET_ACTIONS = frozenset({Action.VIEW, Action.RECORD, Action.ASSESS})


def _team_rounds(user_id):
    from mofan.assessment.models import Round

    return Round.team.through.objects.filter(user_id=user_id).values("round_id")


class SchemeQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.ASSESS}), "Scheme")
        scope = scope_for(user)
        return (
            self.filter(scope.org_q(Action.ASSESS, "org__path")) if scope.user_id else self.none()
        )


class RoundQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.ASSESS}), "Round")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = scope.org_q(Action.ASSESS, "scheme__org__path") | Q(
            pk__in=_team_rounds(scope.user_id)
        )
        if action == Action.VIEW:
            from mofan.assessment.models import Target

            seen = Target.objects.filter(
                prefix_q("org__path", scope.org_paths.get(Action.VIEW, ()))
            )
            query |= Q(pk__in=seen.values("round_id"))
        return self.filter(query)


class TargetQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, TARGET_ACTIONS, "Target")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        assessing = scope.org_q(Action.ASSESS, "round__scheme__org__path") | Q(
            round_id__in=_team_rounds(scope.user_id)
        )
        if action == Action.ASSESS:
            return self.filter(assessing)
        own = prefix_q("org__path", scope.org_paths.get(action, ()))
        return self.filter(own if action == Action.RECORD else own | assessing)


class _ThroughTarget(models.QuerySet):
    target_field = "target"

    def restrict(self, user, action: Action):
        from mofan.assessment.models import Target

        check_action(action, TARGET_ACTIONS, self.model.__name__)
        return self.filter(
            **{f"{self.target_field}__in": Target.objects.restrict(user, action).values("pk")}
        )


class ScoreQuerySet(_ThroughTarget):
    pass


class EvidenceQuerySet(_ThroughTarget):
    target_field = "score__target"


class DutyListQuerySet(models.QuerySet):
    """A responsibility list is kept by the organisation's admins (Action.CHANGE) and read by
    those who read the organisation's records and by the person responsible; a template by the
    issuing organisation's admins, and read by those who keep lists below it."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.CHANGE}), "DutyList")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = scope.org_q(action, "org__path")
        if action == Action.VIEW and scope.person_id:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)


class DebriefQuerySet(models.QuerySet):
    """A 述职评议 is kept by the organiser's admins (Action.ASSESS); once published, it is read by
    those who read the organiser's records, and by each one who reported and the readers of
    their organisation (who see their own line — DebrieferQuerySet)."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.ASSESS}), "Debrief")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = scope.org_q(Action.ASSESS, "org__path")
        if action == Action.VIEW:
            from mofan.assessment.models import Debriefer

            seen = Debriefer.objects.restrict(user, Action.VIEW)
            query |= Q(pk__in=seen.values("debrief_id"))
        return self.filter(query)


class DebrieferQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.ASSESS}), "Debriefer")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = scope.org_q(Action.ASSESS, "debrief__org__path")
        if action == Action.VIEW:
            from mofan.assessment.choices import DebriefState

            readers = scope.org_q(Action.VIEW, "org__path") | scope.org_q(
                Action.VIEW, "debrief__org__path"
            )
            if scope.person_id:
                readers |= Q(person_id=scope.person_id)
            query |= Q(debrief__state=DebriefState.PUBLISHED) & readers
        return self.filter(query)


class CheckCapQuerySet(models.QuerySet):
    """A yearly cap is kept by the admins of the organisation that sets it."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.ASSESS}), "CheckCap")
        scope = scope_for(user)
        return (
            self.filter(scope.org_q(Action.ASSESS, "org__path")) if scope.user_id else self.none()
        )


class CheckEntryQuerySet(models.QuerySet):
    """A 督查检查考核 is kept by the admins of the organisation that runs it (Action.ASSESS); read
    too by those who approve going beyond a cap (the cap's organisation) and by the readers of
    each organisation it is aimed at."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.ASSESS}), "CheckEntry")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = scope.org_q(Action.ASSESS, "org__path")
        if action == Action.VIEW:
            from mofan.assessment.models import CheckEntry

            aimed = CheckEntry.targets.through.objects.filter(
                scope.org_q(Action.VIEW, "partyorg__path")
            )
            query |= scope.org_q(Action.ASSESS, "approver__path") | Q(
                pk__in=aimed.values("checkentry_id")
            )
        return self.filter(query)

    def approvable_by(self, user):
        """Registrations beyond a cap the user's organisation set, waiting or decided: the user is
        their approver (so a decided one answers that it is decided, not that it is missing)."""
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        return self.filter(scope.org_q(Action.ASSESS, "approver__path"))

    def to_decide(self, user):
        """Waiting for the user's decision: beyond a cap their organisation set."""
        from mofan.assessment.choices import CheckState

        return self.approvable_by(user).filter(state=CheckState.PENDING)
