"""Querysets of the organisation domain. `restrict(user, action)` is the only way views read them."""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from treebeard.mp_tree import MP_NodeManager, MP_NodeQuerySet

from mofan.access.scoping import prefix_q, scope_for
from mofan.orgs.choices import MembershipKind, MembershipStatus


class TreeManager(MP_NodeManager):
    def get_queryset(self):
        return self._queryset_class(self.model, using=self._db).order_by("path")


class PartyOrgQuerySet(MP_NodeQuerySet):
    def restrict(self, user, action: str = "view"):
        scope = scope_for(user)
        if action == "view":
            if scope.sees_all_structure:
                return self
            # Structure is visible along the user's own trees: data roles' scopes and own branch.
            return self.filter(prefix_q("path", scope.tree_org_paths))
        return self.filter(scope.org_q(action, "path"))

    def visible_to(self, user):
        return self.restrict(user, "view")

    def subtree(self, org):
        return self.filter(path__startswith=org.path)

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


class UnitQuerySet(MP_NodeQuerySet):
    def restrict(self, user, action: str = "view"):
        scope = scope_for(user)
        if action == "view":
            if scope.sees_all_structure:
                return self
            return self.filter(prefix_q("path", scope.tree_unit_paths))
        return self.filter(scope.unit_q(action, "path"))

    def visible_to(self, user):
        return self.restrict(user, "view")

    def subtree(self, unit):
        return self.filter(path__startswith=unit.path)


def _person_q(user, action: str, prefix: str) -> Q:
    """People a user may see or change: by the party org of their record, by their unit, or self."""
    scope = scope_for(user)
    query = scope.org_q(action, f"{prefix}membership__org__path") | scope.unit_q(
        action, f"{prefix}unit__path"
    )
    if action == "view" and scope.person_id:
        query |= Q(**{f"{prefix}pk": scope.person_id})
    return query


class PersonQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        if not scope_for(user).user_id:
            return self.none()
        return self.filter(_person_q(user, action, ""))

    def visible_to(self, user):
        return self.restrict(user, "view")

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
    def restrict(self, user, action: str = "view"):
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        query = scope.org_q(action, "org__path") | scope.unit_q(action, "person__unit__path")
        if action == "view" and scope.person_id:
            query |= Q(person_id=scope.person_id)
        return self.filter(query)

    def visible_to(self, user):
        return self.restrict(user, "view")

    def in_subtree(self, org):
        return self.filter(org__path__startswith=org.path)

    def in_good_standing(self):
        return self.filter(status=MembershipStatus.NORMAL)

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
