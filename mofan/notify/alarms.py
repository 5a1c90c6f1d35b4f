"""Security alarms (等保 8.1.4.4 f): the people who answer for security hear at once when the
audit trail fails its check or an account is locked after repeated failed logins."""

from django.utils import timezone

from mofan.access.models import User
from mofan.access.roles import Role
from mofan.audit import services as audit
from mofan.notify import services as notify


def _recipients(*roles: str) -> list[int]:
    return list(
        User.objects.filter(is_active=True, role_assignments__role__in=roles)
        .values_list("pk", flat=True)
        .distinct()
    )


def _alarm(roles: tuple[str, ...], *, kind: str, title: str, body: str, key: str) -> int:
    return notify.create(
        notify.Notice(
            user_id=uid, kind=kind, title=title, body=body, url="", dedupe_key=f"{key}:{uid}"
        )
        for uid in _recipients(*roles)
    )


def check_audit_trail() -> audit.VerifyResult:
    """Verify the whole chain; alarm the auditors and the security admins if it fails."""
    result = audit.verify()
    if not result.ok:
        today = timezone.localdate().isoformat()
        _alarm(
            (Role.AUDITOR, Role.SECADMIN),
            kind="security.audit_chain",
            title="安全告警：审计链校验失败",
            body=f"审计链校验失败：{result.reason}。请安全审计员立即核查，并从备份与库外检查点取证。",
            key=f"alarm:audit-chain:{today}:{result.broken_seq}",
        )
    return result


def account_locked(username: str, address: str) -> int:
    at = timezone.localtime()
    return _alarm(
        (Role.SECADMIN,),
        kind="security.lockout",
        title=f"安全告警：账户“{username}”因连续登录失败被锁定",
        body=f"{at:%Y年%m月%d日 %H:%M}，来源地址 {address or '未知'} 连续登录失败，账户“{username}”已被锁定。"
        "如非本人操作，请核查该地址。",
        key=f"alarm:lockout:{username}:{address}:{at:%Y%m%d%H}",
    )
