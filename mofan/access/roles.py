"""Roles and what each may do. A business role applies to a scope (a subtree); admin roles to none."""

from enum import Enum

from django.db import models


class Role(models.TextChoices):
    MEMBER = "member", "党员"
    BRANCH_SECRETARY = "branch_secretary", "支部书记"
    ORG_ADMIN = "org_admin", "党建管理员"
    SUPERVISOR = "supervisor", "督办员"
    LEADER = "leader", "领导"
    DISCIPLINE_OFFICER = "discipline_officer", "纪检干部"
    # A unit's 督办联络员: receives the items handed to the unit without a named owner and names
    # them; sees the unit's items and people.
    LIAISON = "liaison", "督办联络员"
    # A branch's 党费收缴员: records the members' dues payments and sees their amounts.
    DUES_COLLECTOR = "dues_collector", "党费收缴员"
    SYSADMIN = "sysadmin", "系统管理员"
    SECADMIN = "secadmin", "安全保密管理员"
    AUDITOR = "auditor", "安全审计员"


# 等级保护 三权分立: these three never share an account, and carry no business role.
ADMIN_ROLES = frozenset({Role.SYSADMIN, Role.SECADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)


class Action(Enum):
    BROWSE = "browse"  # the structure: organisations and units (a member: their own branch)
    VIEW = "view"  # the records of the organisations and units in scope
    CHANGE = "change"  # change organisational data
    VIEW_PII = "view_pii"  # full personal numbers
    RECORD = "record"  # plan and record meetings
    SUPERVISE = "supervise"  # the ledgers one supervises and their items
    # The items one supervises and all split off below them (层层分解), followed read-only on
    # one's board and home page.
    FOLLOW = "follow"
    HANDLE = "handle"  # the items one owns
    RECEIVE = "receive"  # the items handed to one's unit: name their owners (督办联络员)
    # 层层分解: split an item led by one's unit into sub-items for the units and people of that
    # unit's subtree, and supervise those sub-items (the unit's leader, or its 督办联络员 whom
    # the leader delegates it to).
    DECOMPOSE = "decompose"
    # 签收 or 退回 an item an upper organisation hands to one's organisation, into a ledger one
    # supervises there (a 督办员 of the lower organisation).
    TAKE_OVER = "take_over"
    ADMINISTER = "administer"  # the admin consoles' records (accounts, roles, robots, the trail)
    # Pick as the value of a field (a person's unit, an item's lead unit, a robot's unit): the
    # organ's units are its administrative structure, open to every holder of a business role
    # and to the system admin.
    CHOOSE = "choose"
    # 党费: see the members' dues bases and amounts, record their payments (need-to-know: the
    # collector, the secretary and the organisation's admins; never leaders or supervisors).
    DUES = "dues"
    # 组织关系转接 and a member's standing (失联, 停止党籍): issue a transfer from an organisation
    # in scope, accept or return one addressed to it, record the branch's decisions on standing.
    TRANSFER = "transfer"
    # The organisations a transfer may be addressed to: every active 党支部 and 党小组 of the
    # system, for whoever may issue a transfer somewhere (the letter names its receiver).
    ADDRESS = "address"
    # 发展党员: keep the files of applicants of the organisations in scope and record their steps
    # (the branch's secretary and the higher committees' organisation staff).
    RECRUIT = "recruit"
    # 考核评价: keep the indicator systems of the organisations in scope, run their rounds over
    # the organisations below and score them (the organisations' admins; a round also names its
    # assessment team, who score that round only).
    ASSESS = "assess"


# Which roles may read or change organisational data inside their scope. "record": plan and
# record the meetings of the organisations in scope (组织生活).
ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.MEMBER: frozenset(),
    Role.BRANCH_SECRETARY: frozenset(
        {Action.VIEW, Action.RECORD, Action.DUES, Action.TRANSFER, Action.RECRUIT}
    ),
    Role.ORG_ADMIN: frozenset(
        {
            Action.VIEW,
            Action.CHANGE,
            Action.VIEW_PII,
            Action.RECORD,
            Action.DUES,
            Action.TRANSFER,
            Action.RECRUIT,
            Action.ASSESS,
        }
    ),
    Role.SUPERVISOR: frozenset({Action.VIEW, Action.TAKE_OVER}),
    Role.LEADER: frozenset({Action.VIEW, Action.DECOMPOSE}),
    Role.DISCIPLINE_OFFICER: frozenset({Action.VIEW}),
    Role.LIAISON: frozenset({Action.VIEW, Action.RECEIVE, Action.DECOMPOSE}),
    Role.DUES_COLLECTOR: frozenset({Action.DUES}),
}
