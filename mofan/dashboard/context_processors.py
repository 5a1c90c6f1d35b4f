"""The page shell: navigation for the user's roles and the scope indicator."""

from django.urls import reverse

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
from mofan.notify.models import Notification


def _nav(request) -> list[dict]:
    user = request.user
    roles, person, admin = roles_of(user), person_of(user), admin_role_of(user)
    sees_records = can_anywhere(user, Action.VIEW)
    items = [("dashboard:home", "首页", None)]
    if roles - {Role.SYSADMIN, Role.AUDITOR}:
        items.append(("orgs:tree", "组织架构", None))
    if person:
        items.append(("ledger:mine", "我的任务", None))
    if not admin:
        items.append(("meetings:home", "组织生活", None))
        items.append(("ledger:list", "督办台账", None))
    if roles & {Role.SUPERVISOR, Role.LEADER}:
        items.append(("ledger:board", "督办看板", None))
    if sees_records or person:
        items.append(("orgs:roster", "党员名册", None))
    if sees_records:
        items.append(("orgs:people", "人员", None))
    if browses_units(user):
        items.append(("orgs:unit_tree", "单位", None))
    if Role.SYSADMIN in roles:
        items.append(("console:accounts", "账户管理", None))
        items.append(("notify:webhooks", "通知渠道", None))
    if Role.SECADMIN in roles:
        items.append(("console:roles", "角色授权", None))
    if Role.AUDITOR in roles:
        items.append(("console:audit", "审计日志", None))
    items.append(("api-docs", "接口文档", None))
    current = request.path
    urls = [reverse(name) for name, _, _ in items]
    # The active entry is the longest URL the current path starts with ("/" only on the home page).
    matches = [url for url in urls if (current == url if url == "/" else current.startswith(url))]
    active = max(matches, key=len) if matches else None
    return [
        {"url": url, "label": label, "active": url == active}
        for url, (_, label, _) in zip(urls, items, strict=True)
    ]


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
            # Counted up to 100 ("99+"): a user with thousands unread costs no more than one with few.
            "unread": Notification.objects.restrict(user, Action.VIEW)
            .filter(read_at__isnull=True)
            .values("pk")[:100]
            .count(),
        }
    }
