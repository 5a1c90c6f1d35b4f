"""The one gate for who may see what: a user's roles resolved to tree paths.

Querysets of organisational data (`<app>/querysets.py`) call `scope_for(user)` in their
`restrict(user, action)` and filter by path prefix; nothing else decides visibility (a test forbids
`scope_for`, `prefix_q` and path-prefix filters anywhere else). Actions are an enum, so a typo
fails at once instead of returning nothing, and "may browse the structure" (BROWSE) is a different
question from "may see the records" (VIEW). A user with no matching role sees nothing.

Views ask about a user's roles through the questions at the end of this module, which reveal no
paths.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db import models
from django.db.models import Q

from mofan.access.roles import ADMIN_ROLES, ROLE_ACTIONS, Action, Role


def check_action(action, allowed: frozenset[Action], model_name: str) -> Action:
    """The action, if the model answers it; a string or another action is a programming error."""
    if not isinstance(action, Action):
        raise TypeError(f"restrict() takes an Action, not {action!r}")
    if action not in allowed:
        raise ValueError(f"{model_name} has no action {action.name}")
    return action


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
    org_paths: dict[Action, tuple[str, ...]] = field(default_factory=dict)
    unit_paths: dict[Action, tuple[str, ...]] = field(default_factory=dict)
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

    def org_q(self, action: Action, field_name: str) -> Q:
        return prefix_q(field_name, self.org_paths.get(action, ()))

    def unit_q(self, action: Action, field_name: str) -> Q:
        return prefix_q(field_name, self.unit_paths.get(action, ()))

    def can_anywhere(self, action: Action) -> bool:
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
    """The user's scope, computed once per user object (one query). For querysets modules only."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached = getattr(user, "_mofan_scope", None)
    if cached is not None:
        return cached

    from mofan.access.models import RoleAssignment

    org_paths: dict[Action, set[str]] = {}
    unit_paths: dict[Action, set[str]] = {}
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


# --- questions about a user's roles, for views and services (no paths) -----------------------


def has_role(user, *roles: str) -> bool:
    return scope_for(user).has_role(*roles)


def roles_of(user) -> frozenset[str]:
    return scope_for(user).roles


def person_of(user) -> int | None:
    """The person (花名册) the account belongs to, if any."""
    return scope_for(user).person_id


def admin_role_of(user) -> str | None:
    return scope_for(user).admin_role


def can_anywhere(user, action: Action) -> bool:
    """Whether the user may take the action on some organisation or unit."""
    return scope_for(user).can_anywhere(action)


def browses_units(user) -> bool:
    scope = scope_for(user)
    return bool(scope.tree_unit_paths or scope.sees_all_structure)


def assignments_of(user) -> tuple[tuple[str, str], ...]:
    return scope_for(user).assignments


# --- querysets whose records are seen as another record is ----------------------------------


class SeenThroughQuerySet(models.QuerySet):
    """Records that belong to one parent record (a meeting's attendance, an organisation's study
    topics, a ledger's sources) are seen, and changed, exactly as their parent is."""

    parent_field: str = ""
    parent_model: str = ""  # "app_label.ModelName"
    actions: frozenset[Action] = frozenset({Action.VIEW})

    def restrict(self, user, action: Action):
        check_action(action, self.actions, self.model.__name__)
        parent = apps.get_model(self.parent_model)
        return self.filter(**{f"{self.parent_field}__in": parent.objects.restrict(user, action)})


def seen_through(field_name: str, model: str, *actions: Action) -> type[SeenThroughQuerySet]:
    return type(
        f"SeenThrough{field_name.title()}QuerySet",
        (SeenThroughQuerySet,),
        {"parent_field": field_name, "parent_model": model, "actions": frozenset(actions)},
    )


class AdministeredQuerySet(models.QuerySet):
    """The records of an admin console (accounts, roles, group robots, the audit trail): all of
    them for the admin roles named, nothing for anyone else."""

    administered_by: frozenset[str] = frozenset()

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.ADMINISTER}), self.model.__name__)
        if scope_for(user).roles & self.administered_by:
            return self
        return self.none()


def administered_by(*roles: str) -> type[AdministeredQuerySet]:
    return type(
        "AdministeredQuerySet", (AdministeredQuerySet,), {"administered_by": frozenset(roles)}
    )


class OwnQuerySet(models.QuerySet):
    """Records that belong to one account (its notices): its owner's only."""

    owner_field: str = "user"

    def restrict(self, user, action: Action):
        check_action(action, frozenset({Action.VIEW, Action.CHANGE}), self.model.__name__)
        scope = scope_for(user)
        if not scope.user_id:
            return self.none()
        return self.filter(**{f"{self.owner_field}_id": scope.user_id})
