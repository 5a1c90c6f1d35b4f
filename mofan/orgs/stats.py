"""Counts over organisation subtrees, each a constant number of set-based queries."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from mofan.access.scoping import Action
from mofan.orgs import rules
from mofan.orgs.choices import MembershipKind, MembershipStatus
from mofan.orgs.models import Membership, PartyOrg


def subtree_member_count(org: PartyOrg) -> int:
    return Membership.objects.in_subtree(org).in_good_standing().count()


@dataclass
class OrgCounts:
    members: int = 0
    full_members: int = 0
    subtree_members: int = 0


def counts_by_path(root_paths: tuple[str, ...] | None = None) -> dict[str, OrgCounts]:
    """Direct and subtree counts of members in good standing for every org, from one grouped query.

    Subtree totals are rolled up along the materialised path in Python: linear in the number of
    organisations, instead of one subtree query per organisation.
    """
    memberships = Membership.objects.filter(status=MembershipStatus.NORMAL)
    if root_paths is not None:
        query = Q(pk__in=[])
        for path in root_paths:
            query |= Q(org__path__startswith=path)
        memberships = memberships.filter(query)
    rows = memberships.values("org__path").annotate(
        n=Count("pk"), full=Count("pk", filter=Q(kind=MembershipKind.FULL))
    )
    counts: dict[str, OrgCounts] = {}
    step = PartyOrg.steplen
    for row in rows:
        path = row["org__path"]
        own = counts.setdefault(path, OrgCounts())
        own.members += row["n"]
        own.full_members += row["full"]
        for end in range(step, len(path) + 1, step):
            counts.setdefault(path[:end], OrgCounts()).subtree_members += row["n"]
    return counts


def level_counts(within_path: str, children) -> dict[str, OrgCounts]:
    """Counts for one level of the tree in two grouped queries, whatever the size of the subtree:
    subtree totals grouped by the children's path prefix, direct counts grouped by org."""
    children = list(children)
    if not children:
        return {}
    prefix_length = children[0].depth * PartyOrg.steplen
    normal = Membership.objects.filter(status=MembershipStatus.NORMAL)
    in_level = normal.filter(org__path__startswith=within_path)
    subtree = (
        in_level.annotate(prefix=Substr("org__path", 1, prefix_length))
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
    )
    counts = {child.path: OrgCounts() for child in children}
    for prefix, n in subtree:
        if prefix in counts:
            counts[prefix].subtree_members = n
    direct = (
        normal.filter(org__in=[c.pk for c in children])
        .values("org__path")
        .annotate(n=Count("pk"), full=Count("pk", filter=Q(kind=MembershipKind.FULL)))
        .values_list("org__path", "n", "full")
    )
    for path, n, full in direct:
        counts[path].members = n
        counts[path].full_members = full
    return counts


def with_level_counts(
    within_path: str, children
) -> list[tuple[PartyOrg, OrgCounts, list[rules.Flag]]]:
    """Orgs of one level (all under within_path) with their counts and flags."""
    children = list(children)
    counts = level_counts(within_path, children)
    return [(child, counts[child.path], org_flags(child, counts[child.path])) for child in children]


def org_flags(org, counts: OrgCounts | None = None) -> list[rules.Flag]:
    """Flags of an org, from given counts or from PartyOrgQuerySet.with_member_counts()."""
    if counts is None:
        counts = OrgCounts(org.member_count, org.full_member_count, org.subtree_member_count)
    return rules.flags(
        kind=org.kind,
        has_committee=org.has_committee,
        term_started_on=org.term_started_on,
        full_members=counts.full_members,
        subtree_members=counts.subtree_members,
        dissolved=not org.is_active,
    )


def overview(user, *, flagged_limit: int = 20) -> dict:
    memberships = Membership.objects.restrict(user, Action.VIEW).filter(
        status=MembershipStatus.NORMAL
    )
    totals = memberships.aggregate(
        members=Count("pk"), probationary=Count("pk", filter=Q(kind=MembershipKind.PROBATIONARY))
    )
    orgs = PartyOrg.objects.restrict(user, Action.VIEW).active()
    counts = counts_by_path()
    flagged = []
    flagged_count = 0
    org_count = 0
    for org in orgs.only(
        "pk", "path", "name", "kind", "has_committee", "term_started_on", "dissolved_on"
    ).iterator(chunk_size=2000):
        org_count += 1
        found = org_flags(org, counts.get(org.path, OrgCounts()))
        if found:
            flagged_count += 1
            if len(flagged) < flagged_limit:
                flagged.append((org, found))
    return {
        "org_count": org_count,
        "member_count": totals["members"],
        "probationary_count": totals["probationary"],
        "flagged": flagged,
        "flagged_count": flagged_count,
    }


def unit_level_people(within_path: str, units) -> dict[str, int]:
    """People in the subtree of each unit of one level, in one grouped query."""
    from mofan.orgs.models import Person

    units = list(units)
    if not units:
        return {}
    prefix_length = units[0].depth * units[0].steplen
    rows = (
        Person.objects.filter(unit__path__startswith=within_path)
        .annotate(prefix=Substr("unit__path", 1, prefix_length))
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
    )
    counts = dict.fromkeys((u.path for u in units), 0)
    for prefix, n in rows:
        if prefix in counts:
            counts[prefix] = n
    return counts


def people_in_units(unit) -> int:
    """How many people work in a unit and the units below it (a figure of the structure)."""
    from mofan.orgs.models import Person

    return Person.objects.in_units_of(unit).count()
