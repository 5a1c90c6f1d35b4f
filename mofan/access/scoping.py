"""The one gate for who may see what: a user's roles resolved to tree paths.

Querysets of organisational data call `scope_for(user)` and filter by path prefix; nothing else
decides visibility. A user with no matching role sees nothing.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from mofan.access.roles import ADMIN_ROLES, ROLE_ACTIONS, Role


def _minimal(paths: set[str]) -> tuple[str, ...]:
    """Drop paths that lie inside another path of the set (their subtree is already covered)."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(parent) for parent in kept):
            kept.append(path)
    return tuple(kept)


@dataclass(frozen=True)
class Scope:
    user_id: int | None = None
    person_id: int | None = None
    roles: frozenset[str] = frozenset()
    org_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    unit_paths: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # The organisations whose structure (not people) a user may browse: own branch for members.
    tree_org_paths: tuple[str, ...] = ()
    tree_unit_paths: tuple[str, ...] = ()
    sees_all_structure: bool = False
    # (role, name of its org or unit or "") for display in the page shell.
    assignments: tuple[tuple[str, str], ...] = ()

    @property
    def admin_role(self) -> str | None:
        held = self.roles & ADMIN_ROLES
        return next(iter(held)) if held else None

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    def org_q(self, action: str, field_name: str) -> Q:
        return prefix_q(field_name, self.org_paths.get(action, ()))

    def unit_q(self, action: str, field_name: str) -> Q:
        return prefix_q(field_name, self.unit_paths.get(action, ()))

    def can_anywhere(self, action: str) -> bool:
        return bool(self.org_paths.get(action) or self.unit_paths.get(action))


NOTHING = Q(pk__in=[])


def prefix_q(field_name: str, paths: tuple[str, ...]) -> Q:
    if not paths:
        return NOTHING
    query = Q()
    for path in paths:
        query |= Q(**{f"{field_name}__startswith": path})
    return query


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (one query)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_mofan_scope", None)
    if cached is not None:
        return cached

    from mofan.access.models import RoleAssignment

    org_paths: dict[str, set[str]] = {}
    unit_paths: dict[str, set[str]] = {}
    tree_orgs: set[str] = set()
    tree_units: set[str] = set()
    roles: set[str] = set()
    assignments: list[tuple[str, str]] = []
    rows = RoleAssignment.objects.filter(user=user).values_list(
        "role", "org__path", "unit__path", "org__name", "unit__name"
    )
    for role, org_path, unit_path, org_name, unit_name in rows:
        roles.add(role)
        assignments.append((role, org_name or unit_name or ""))
        for action in ROLE_ACTIONS.get(role, ()):
            if org_path:
                org_paths.setdefault(action, set()).add(org_path)
            if unit_path:
                unit_paths.setdefault(action, set()).add(unit_path)
        if org_path:
            tree_orgs.add(org_path)
        if unit_path:
            tree_units.add(unit_path)
    scope = Scope(
        user_id=user.pk,
        person_id=user.person_id,
        roles=frozenset(roles),
        org_paths={action: _minimal(paths) for action, paths in org_paths.items()},
        unit_paths={action: _minimal(paths) for action, paths in unit_paths.items()},
        tree_org_paths=_minimal(tree_orgs),
        tree_unit_paths=_minimal(tree_units),
        sees_all_structure=Role.SECADMIN in roles,
        assignments=tuple(assignments),
    )
    user._mofan_scope = scope
    return scope


def forget(user) -> None:
    """Drop the cached scope after the user's roles changed."""
    if hasattr(user, "_mofan_scope"):
        del user._mofan_scope
