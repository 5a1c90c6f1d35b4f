"""The page shell: navigation for the user's roles and the scope indicator."""

from django.urls import reverse

from mofan.access.roles import Role
from mofan.access.scoping import scope_for
from mofan.notify.models import Notification


def _nav(request, scope) -> list[dict]:
    items = [("dashboard:home", "首页", None)]
    if scope.roles - {Role.SYSADMIN, Role.AUDITOR}:
        items.append(("orgs:tree", "组织架构", None))
    if scope.person_id:
        items.append(("ledger:mine", "我的任务", None))
    if not scope.admin_role:
        items.append(("meetings:home", "组织生活", None))
        items.append(("ledger:list", "督办台账", None))
    if scope.has_role(Role.SUPERVISOR, Role.LEADER):
        items.append(("ledger:board", "督办看板", None))
    if scope.can_anywhere("view") or scope.person_id:
        items.append(("orgs:roster", "党员名册", None))
    if scope.can_anywhere("view"):
        items.append(("orgs:people", "人员", None))
    if scope.tree_unit_paths or scope.sees_all_structure:
        items.append(("orgs:unit_tree", "单位", None))
    if scope.has_role(Role.SYSADMIN):
        items.append(("console:accounts", "账户管理", None))
        items.append(("notify:webhooks", "通知渠道", None))
    if scope.has_role(Role.SECADMIN):
        items.append(("console:roles", "角色授权", None))
    if scope.has_role(Role.AUDITOR):
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
    scope = scope_for(user)
    scopes = sorted({name for _, name in scope.assignments if name})
    if scope.admin_role:
        scope_label = "管理员（不含业务数据）"
    elif scopes:
        scope_label = "、".join(scopes[:2]) + (
            f" 等 {len(scopes)} 个范围" if len(scopes) > 2 else ""
        )
    else:
        scope_label = "仅本人"
    roles_label = "、".join(sorted({Role(role).label for role, _ in scope.assignments})) or "无角色"
    return {
        "shell": {
            "nav": _nav(request, scope),
            "scope_label": scope_label,
            "roles_label": roles_label,
            # Counted up to 100 ("99+"): a user with thousands unread costs no more than one with few.
            "unread": Notification.objects.filter(user=user, read_at__isnull=True)
            .values("pk")[:100]
            .count(),
        }
    }
