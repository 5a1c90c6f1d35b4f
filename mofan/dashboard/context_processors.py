"""The page shell: navigation for the user's roles and the scope indicator."""

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from mofan.access.roles import Role
from mofan.access.scoping import (
    Action,
    admin_role_of,
    assignments_of,
    browses_units,
    can_anywhere,
    person_of,
    roles_of,
)
from mofan.core.links import link
from mofan.notify.models import Notification


def _nav(request) -> list[dict]:
    """The menu for the user's roles, grouped so that it fits on one line at 1366 px: entries
    of one domain share a dropdown. Each entry: label, url (or children), active."""
    user = request.user
    roles, person, admin = roles_of(user), person_of(user), admin_role_of(user)
    sees_records = can_anywhere(user, Action.VIEW)
    business = roles - {Role.SYSADMIN, Role.AUDITOR}
    groups: list[tuple[str, list[tuple[str, str]]]] = [("", [("dashboard:home", "首页")])]
    if not admin and roles & {Role.LEADER, Role.SUPERVISOR, Role.ORG_ADMIN} and sees_records:
        groups.append(("", [("dashboard:cockpit", "驾驶舱")]))
    work = []
    if person:
        work.append(("ledger:mine", "我的任务"))
    if not admin:
        work.append(("ledger:list", "督办台账"))
    if roles & {Role.SUPERVISOR, Role.LEADER}:
        work.append(("ledger:board", "督办看板"))
    if can_anywhere(user, Action.TAKE_OVER):
        work.append(("ledger:handovers", "上级交办"))
    if not admin and (sees_records or can_anywhere(user, Action.ASSESS)):
        work.append(("assessment:home", "考核评价"))
    if Role.DISCIPLINE_OFFICER in roles:
        work.append(("inspection:home", "巡视巡察"))
        work.append(("discipline:home", "监督执纪"))
    groups.append(("督办", work))
    if not admin:
        if person or can_anywhere(user, Action.DUES):
            groups.append(("组织生活", [("meetings:home", "会议与学习"), ("dues:mine", "党费")]))
        else:
            groups.append(("", [("meetings:home", "组织生活")]))
    structure = []
    if business:
        structure.append(("orgs:tree", "组织架构"))
    if sees_records or person:
        structure.append(("orgs:roster", "党员名册"))
    if sees_records:
        structure.append(("orgs:people", "人员"))
    if person or can_anywhere(user, Action.TRANSFER):
        structure.append(("members:home", "组织关系"))
    if person or can_anywhere(user, Action.RECRUIT):
        structure.append(("recruitment:home", "发展党员"))
    if browses_units(user):
        structure.append(("orgs:unit_tree", "单位"))
    groups.append(("组织", structure))
    console = []
    if Role.SYSADMIN in roles:
        console += [("console:accounts", "账户管理"), ("notify:webhooks", "通知渠道")]
    if Role.SECADMIN in roles:
        console.append(("console:roles", "角色授权"))
    if Role.AUDITOR in roles:
        console.append(("console:audit", "审计日志"))
    groups += [("", [entry]) for entry in console]

    current = request.path
    urls = [link(name) for _, entries in groups for name, _ in entries]
    # The active entry is the longest URL the current path starts with ("/" only on the home page).
    matches = [url for url in urls if (current == url if url == "/" else current.startswith(url))]
    active = max(matches, key=len) if matches else None
    menu = []
    for label, entries in groups:
        links = [
            {"url": link(name), "label": text, "active": link(name) == active}
            for name, text in entries
        ]
        if not links:
            continue
        if label and len(links) > 1:
            menu.append(
                {"label": label, "children": links, "active": any(x["active"] for x in links)}
            )
        else:
            menu += links
    return menu


def _help_template(request) -> str:
    """The page's 操作说明 (templates/help/<namespace>_<url name>.html), if it has one."""
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return ""
    name = f"help/{match.namespace or 'site'}_{match.url_name}.html"
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return ""
    return name


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    assignments = assignments_of(user)
    scopes = sorted({name for _, name in assignments if name})
    if admin_role_of(user):
        scope_label = "管理员（不含业务数据）"
    elif scopes:
        scope_label = "、".join(scopes[:2]) + (
            f" 等 {len(scopes)} 个范围" if len(scopes) > 2 else ""
        )
    else:
        scope_label = "仅本人"
    roles_label = "、".join(sorted({Role(role).label for role, _ in assignments})) or "无角色"
    return {
        "shell": {
            "nav": _nav(request),
            "scope_label": scope_label,
            "roles_label": roles_label,
            "role_codes": sorted({role for role, _ in assignments}),
            "help": _help_template(request),
            # Counted up to 100 ("99+"): a user with thousands unread costs no more than one with few
            # — unordered, or the database sorts all of them to find the first 100.
            "unread": Notification.objects.restrict(user, Action.VIEW)
            .filter(read_at__isnull=True)
            .order_by()
            .values("pk")[:100]
            .count(),
        }
    }
