"""Roles and what each may do. A business role applies to a scope (a subtree); admin roles to none."""

from django.db import models


class Role(models.TextChoices):
    MEMBER = "member", "党员"
    BRANCH_SECRETARY = "branch_secretary", "支部书记"
    ORG_ADMIN = "org_admin", "党建管理员"
    SUPERVISOR = "supervisor", "督办员"
    LEADER = "leader", "领导"
    DISCIPLINE_OFFICER = "discipline_officer", "纪检干部"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全保密管理员"
    AUDITOR = "auditor", "安全审计员"


# 等级保护 三权分立: these three never share an account, and carry no business role.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)

# Which roles may read or change organisational data inside their scope. "record": plan and
# record the meetings of the organisations in scope (组织生活).
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.MEMBER: frozenset(),
    Role.BRANCH_SECRETARY: frozenset({"view", "record"}),
    Role.ORG_ADMIN: frozenset({"view", "change", "view_pii", "record"}),
    Role.SUPERVISOR: frozenset({"view"}),
    Role.LEADER: frozenset({"view"}),
    Role.DISCIPLINE_OFFICER: frozenset({"view"}),
}
