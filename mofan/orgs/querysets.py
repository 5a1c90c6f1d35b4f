"""Querysets of the organisation domain. `restrict(user, action)` is the only way views read them.

Organisations and units answer two questions: BROWSE (the structure: the tree along the user's
own scopes, a member's own branch) and VIEW (the records of those in the user's data scope)."""

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length, Substr
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet

from mofan.access.roles import Role
from mofan.access.scoping import Action, check_action, prefix_q, scope_for
from mofan.orgs.choices import MembershipKind, MembershipStatus


class TreeManager(MP_NodeManager):
    def get_queryset(self):
        return self._queryset_class(self.model, using=self._db).order_by("path")


TREE_ACTIONS = frozenset(
    {
        Action.BROWSE,
        Action.VIEW,
        Action.CHANGE,
        Action.VIEW_PII,
        Action.RECORD,
        Action.DUES,
        Action.TRANSFER,
        Action.ADDRESS,
        Action.RECRUIT,
        Action.ASSESS,
    }
)
UNIT_ACTIONS = frozenset(
    {Action.BROWSE, Action.VIEW, Action.CHANGE, Action.CHOOSE, Action.DECOMPOSE}
)


class _TreeQuerySet(MP_NodeQuerySet):
    # The scope's attributes for this tree: the paths the user browses, and per action the paths
    # where the action is theirs.
    tree_paths_of = ""
    data_paths_of = ""

    def _paths(self, scope, action: Action) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(the paths the user browses, the paths where the action is theirs)"""
        return getattr(scope, self.tree_paths_of), getattr(scope, self.data_paths_of).get(
            action, ()
        )

    def restrict(self, user, action: Action):
        check_action(action, TREE_ACTIONS, self.model.__name__)
        scope = scope_for(user)
        if action == Action.ADDRESS:
            from mofan.orgs.choices import MEMBER_ORG_KINDS

            if not scope.can_anywhere(Action.TRANSFER):
                return self.none()
            above = self.model.objects.filter(
                path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - self.model.steplen)
            ).values("name")[:1]
            return self.filter(dissolved_on__isnull=True, kind__in=MEMBER_ORG_KINDS).annotate(
                parent_name=Subquery(above)
            )
        tree_paths, data_paths = self._paths(scope, action)
        if action == Action.BROWSE:
            if scope.sees_all_structure:
                return self
            # Structure is visible along the user's own trees: data roles' scopes and own branch.
            return self.filter(prefix_q("path", tree_paths))
        return self.filter(prefix_q("path", data_paths))

    def roots(self, user, action: Action = Action.BROWSE):
        """The top nodes of where the user may take the action: for BROWSE the whole tree's
        roots or the tops of their own trees, else the tops of their data scope."""
        check_action(action, TREE_ACTIONS | UNIT_ACTIONS, self.model.__name__)
        scope = scope_for(user)
        tree_paths, data_paths = self._paths(scope, action)
        if action == Action.BROWSE:
            return (
                self.filter(depth=1)
                if scope.sees_all_structure
                else self.filter(path__in=tree_paths)
            )
        return self.filter(path__in=data_paths)

    def subtree(self, node):
        return self.filter(path__startswith=node.path)

    def children_of(self, node):
        return self.filter(path__startswith=node.path, depth=node.depth + 1)

    def ancestors_of(self, node, *, including_self: bool = True):
        paths = [node.path[:end] for end in range(node.steplen, len(node.path) + 1, node.steplen)]
        return self.filter(path__in=paths if including_self else paths[:-1])


class PartyOrgQuerySet(_TreeQuerySet):
    tree_paths_of, data_paths_of = "tree_org_paths", "org_paths"

    def active(self):
        return self.filter(dissolved_on__isnull=True)

    def with_member_counts(self):
        """Annotate direct and subtree counts of members in good standing, each one subquery."""
        from mofan.orgs.models import Membership

        normal = Membership.objects.filter(status=MembershipStatus.NORMAL)
        direct = normal.filter(org=OuterRef("pk")).values("org").annotate(n=Count("pk")).values("n")
        direct_full = (
            normal.filter(org=OuterRef("pk"), kind=MembershipKind.FULL)
            .values("org")
            .annotate(n=Count("pk"))
            .values("n")
        )
        # Subtree: memberships whose org path starts with this org's path.
        subtree = (
            normal.filter(org__path__startswith=OuterRef("path"))
            .order_by()
            .values("status")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            member_count=Coalesce(Subquery(direct), 0),
            full_member_count=Coalesce(Subquery(direct_full), 0),
            subtree_member_count=Coalesce(Subquery(subtree), 0),
        )


class UnitQuerySet(_TreeQuerySet):
    tree_paths_of, data_paths_of = "tree_unit_paths", "unit_paths"

    def restrict(self, user, action: Action):
        if action == Action.CHOOSE:
            check_action(action, UNIT_ACTIONS, "Unit")
            scope = scope_for(user)
            # Business roles assign people and items to units; the system admin binds group
            # robots to them. The other admin roles choose none.
            if not (scope.roles - {Role.SECADMIN, Role.AUDITOR}):
                return self.none()
            return self.filter(dissolved_on__isnull=True)
        if action == Action.DECOMPOSE:
            # The units of the subtrees whose items one splits further (层层分解).
            paths = scope_for(user).unit_paths.get(action, ())
            return self.filter(prefix_q("path", paths), dissolved_on__isnull=True)
        return super().restrict(user, action)


# DECOMPOSE: the people of the units whose sub-items one hands out (层层分解), by their unit.
PERSON_ACTIONS = frozenset({Action.VIEW, Action.CHANGE, Action.VIEW_PII, Action.DECOMPOSE})


def _person_q(user, action: Action, prefix: str) -> Q:
    """People a user may see or change: by the party org of their record, by their unit, or self."""
    scope = scope_for(user)
    query = scope.org_q(action, f"{prefix}membership__org__path") | scope.unit_q(
        action, f"{prefix}unit__path"
    )
    if action == Action.VIEW and scope.person_id:
        query |= Q(**{f"{prefix}pk": scope.person_id})
    return query


class PersonQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, PERSON_ACTIONS, "Person")
        if not scope_for(user).user_id:
            return self.none()
        return self.filter(_person_q(user, action, ""))

    def in_units_of(self, unit):
        return self.filter(unit__path__startswith=unit.path)

    def members_of_subtree(self, org):
        return self.filter(
            membership__org__path__startswith=org.path,
            membership__status=MembershipStatus.NORMAL,
        )

    def search(self, text: str):
        """Chinese name, full pinyin or initials: "zs" and "zhangs" both find 张三."""
        text = (text or "").strip()
        if not text:
            return self
        if text.isascii():
            lowered = text.lower().replace(" ", "")
            return self.filter(
                Q(name_initials__startswith=lowered) | Q(name_pinyin__startswith=lowered)
            )
        return self.filter(name__contains=text)


class MembershipQuerySet(models.QuerySet):
    def restrict(self, user, action: Action):
        check_action(action, PERSON_ACTIONS | {Action.DUES, Action.TRANSFER}, "Membership")
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        if action in (Action.DUES, Action.TRANSFER):
            # 党费 and a member's party relationship are kept by the party organisation
            # (collector, secretary, its admins), never by a unit-scoped role.
            return self.filter(scope.org_q(action, "org__path"))
        query = scope.org_q(action, "org__path") | scope.unit_q(action, "person__unit__path")
        if action == Action.VIEW and scope.person_id:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)

    def in_good_standing(self):
        return self.filter(status=MembershipStatus.NORMAL)

    def in_subtree_on(self, org, day):
        """The members in good standing of the organisation's subtree on a past day, by the
        transfers since: one who has moved on counts where they were then, one who came later
        does not, one who left the system later still counts. (失联 and 停止党籍 are read as
        they stand today.)"""
        from mofan.orgs.choices import TransferDirection
        from mofan.orgs.models import MembershipTransfer

        later = MembershipTransfer.objects.filter(
            direction=TransferDirection.OUT, happened_on__gt=day
        )
        first_later = later.filter(membership=OuterRef("pk")).order_by("happened_on", "pk")
        left_since = later.filter(from_org__path__startswith=org.path).values("membership_id")
        return (
            self.filter(Q(org__path__startswith=org.path) | Q(pk__in=left_since))
            .filter(joined_on__lte=day)
            .annotate(
                path_then=Coalesce(
                    Subquery(first_later.values("from_org__path")[:1]), F("org__path")
                )
            )
            .filter(path_then__startswith=org.path)
            .filter(
                Q(status=MembershipStatus.NORMAL)
                | Q(
                    Exists(later.filter(membership=OuterRef("pk"), to_org__isnull=True)),
                    status=MembershipStatus.TRANSFERRED_OUT,
                )
            )
        )

    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        if text.isascii():
            lowered = text.lower().replace(" ", "")
            return self.filter(
                Q(person__name_initials__startswith=lowered)
                | Q(person__name_pinyin__startswith=lowered)
            )
        return self.filter(person__name__contains=text)


class PositionQuerySet(models.QuerySet):
    """Office holders are part of the structure: seen with the organisation, changed with it."""

    def restrict(self, user, action: Action):
        check_action(action, TREE_ACTIONS, "Position")
        from mofan.orgs.models import PartyOrg

        return self.filter(org__in=PartyOrg.objects.restrict(user, action))
