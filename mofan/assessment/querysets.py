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
    """Action.RECORD: the one who reports, and the secretary and admins of their organisation,
    who write the 述职报告 and get the data sheet — at any stage, but never the tally."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.RECORD, Action.ASSESS}), "Debriefer")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        if action == Action.RECORD:
            query = scope.org_q(Action.RECORD, "org__path")
            if scope.person_id:
                query |= Q(person_id=scope.person_id)
            return self.filter(query)
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


class AnnualReportQuerySet(models.QuerySet):
    """A 党委（党组）'s annual report is written by its admins (Action.CHANGE) and read by its
    readers; once sent, the organisation above reads it and reviews it (Action.ASSESS)."""

    def restrict(self, user, action: Action):
        from mofan.assessment.choices import ReportState

        check_action(action, frozenset({Action.VIEW, Action.CHANGE, Action.ASSESS}), "AnnualReport")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        sent = ~Q(state=ReportState.DRAFT)
        if action == Action.CHANGE:
            return self.filter(scope.org_q(Action.CHANGE, "org__path"))
        if action == Action.ASSESS:
            return self.filter(scope.org_q(Action.ASSESS, "to_org__path") & sent)
        return self.filter(
            scope.org_q(Action.VIEW, "org__path")
            | (scope.org_q(Action.VIEW, "to_org__path") & sent)
        )


class AwardQuerySet(models.QuerySet):
    """A 创建 evaluation is run by the evaluating organisation's admins (Action.ASSESS); read by
    its readers and by the organisations it recommends."""

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.ASSESS}), "Award")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = scope.org_q(Action.ASSESS, "org__path")
        if action == Action.VIEW:
            from mofan.assessment.models import Candidate

            seen = Candidate.objects.filter(scope.org_q(Action.VIEW, "org__path"))
            query |= scope.org_q(Action.VIEW, "org__path") | Q(pk__in=seen.values("award_id"))
        return self.filter(query)


class CandidateQuerySet(models.QuerySet):
    """The evaluating organisation's admins see and decide every candidate; a recommended
    organisation's secretary and admins (Action.RECORD) apply for it and its readers follow it;
    after publication, all who read the evaluation see those approved."""

    def restrict(self, user, action: Action):
        from mofan.assessment.choices import AwardState, Decision

        check_action(action, frozenset({Action.VIEW, Action.RECORD, Action.ASSESS}), "Candidate")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        assessing = scope.org_q(Action.ASSESS, "award__org__path")
        if action == Action.ASSESS:
            return self.filter(assessing)
        if action == Action.RECORD:
            return self.filter(scope.org_q(Action.RECORD, "org__path"))
        own = scope.org_q(Action.VIEW, "org__path")
        # The published list is read by all who read the evaluation: its organisation's readers
        # and those of every organisation it recommended.
        published = Q(award__state=AwardState.PUBLISHED, decision=Decision.APPROVED) & (
            scope.org_q(Action.VIEW, "award__org__path")
            | Q(award_id__in=self.model.objects.filter(own).values("award_id"))
        )
        return self.filter(assessing | own | published)
