"""Who reads 巡视巡察 (need-to-know, the strictest in the system): the discipline officers (纪检干部)
of the organisation that holds a record — that organisation's own, not those above or below it —
and, for a round, the members of its teams, who read the round and the targets and findings of
their own team. Action.VIEW reads; Action.CHANGE keeps (the holding organisation's officers;
a team also records its targets' findings). Anyone else finds nothing (404)."""

from django.db import models
from django.db.models import Q

from mofan.access.scoping import Action, check_action, scope_for

ACTIONS = frozenset({Action.VIEW, Action.CHANGE})


def holding_orgs(user_id: int):
    """The organisations whose discipline officer the user is (the role held on that very
    organisation): the ids, as a subquery."""
    from mofan.access.models import RoleAssignment
    from mofan.access.roles import Role

    return RoleAssignment.objects.filter(
        user_id=user_id, role=Role.DISCIPLINE_OFFICER, org__isnull=False
    ).values("org_id")


def below(org):
    """The organisations a plan or a round of `org` may name: below it, not 党小组."""
    from mofan.orgs.choices import OrgKind
    from mofan.orgs.models import PartyOrg

    return PartyOrg.objects.filter(path__startswith=org.path, depth__gt=org.depth).exclude(
        kind=OrgKind.GROUP
    )


def _team_ids(person_id):
    from mofan.inspection.models import TeamMember

    return TeamMember.objects.filter(person_id=person_id).values("team_id")


class PlanQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Plan")
        scope = scope_for(user)
        return self.filter(org_id__in=holding_orgs(scope.user_id)) if scope.user_id else self.none()


class RoundQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Round")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = Q(org_id__in=holding_orgs(scope.user_id))
        if action == Action.VIEW and scope.person_id:
            query |= Q(teams__in=_team_ids(scope.person_id))
        return self.filter(query).distinct() if action == Action.VIEW else self.filter(query)


class TargetQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Target")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = Q(round__org_id__in=holding_orgs(scope.user_id))
        if action == Action.VIEW and scope.person_id:
            query |= Q(team_id__in=_team_ids(scope.person_id))
        return self.filter(query)


class FindingQuerySet(models.QuerySet):
    """A team records and reads the findings (and 个别谈话) of its own targets."""

    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, type(self).__name__)
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = Q(target__round__org_id__in=holding_orgs(scope.user_id))
        if scope.person_id:
            query |= Q(target__team_id__in=_team_ids(scope.person_id))
        return self.filter(query)


class EvidenceQuerySet(models.QuerySet):
    """A finding's evidence: read and added by those who read and record the finding."""

    def restrict(self, user, action: Action):
        from mofan.inspection.models import Finding

        check_action(action, ACTIONS, "Evidence")
        return self.filter(finding__in=Finding.objects.restrict(user, action).values("pk"))


class InterviewQuerySet(FindingQuerySet):
    """The same reach as the findings: the holding organisation's officers and the team."""


class LetterQuerySet(models.QuerySet):
    """The holding organisation's officers register and classify every 来信来访 of a round; a team
    reads those handed to it (the ones concerning its targets)."""

    def restrict(self, user, action: Action):
        check_action(action, ACTIONS, "Letter")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = Q(round__org_id__in=holding_orgs(scope.user_id))
        if action == Action.VIEW and scope.person_id:
            query |= Q(target__team_id__in=_team_ids(scope.person_id), handed_at__isnull=False)
        return self.filter(query)


class RectificationQuerySet(models.QuerySet):
    """A target's rectification: the round's keepers (VIEW and CHANGE — the feedback, the
    evaluation) and the supervisors of its ledger, who send the 整改方案 and the 整改情况报告
    (VIEW and HANDLE); not the inspection team, whose work ends with the feedback."""

    ACTIONS = frozenset({Action.VIEW, Action.CHANGE, Action.HANDLE})

    def restrict(self, user, action: Action):
        check_action(action, self.ACTIONS, "Rectification")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        keepers = Q(target__round__org_id__in=holding_orgs(scope.user_id))
        from mofan.ledger.models import Ledger

        supervised = Q(
            ledger_id__in=Ledger.supervisors.through.objects.filter(user_id=scope.user_id).values(
                "ledger_id"
            )
        )
        if action == Action.CHANGE:
            return self.filter(keepers)
        if action == Action.HANDLE:
            return self.filter(supervised)
        return self.filter(keepers | supervised)
