"""State changes of accounts and roles; each one audited in its own transaction."""

import hashlib
import logging
from datetime import timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from mofan.access import scoping
from mofan.access.models import PasswordHistory, RoleAssignment, User
from mofan.access.roles import ADMIN_ROLES, Role
from mofan.audit import services as audit
from mofan.core.errors import InvalidInput

log = logging.getLogger(__name__)


def record_login(user: User) -> None:
    audit.record(user, "access.login.succeeded", user)


def record_logout(user: User) -> None:
    audit.record(user, "access.logout", user)


def record_login_failed(identifier: str) -> None:
    audit.record(
        None,
        "access.login.failed",
        payload={"identifier": identifier[:150]},
        actor_name=identifier[:150],
    )


def record_lockout(identifier: str) -> None:
    audit.record(
        None,
        "access.login.locked",
        payload={"identifier": identifier[:150]},
        actor_name=identifier[:150],
    )


_LOGIN_AT = "mofan_login_at"
# When the session was last seen, as kept in the session itself: rewritten at most once every
# SEEN_WRITE_SECONDS, so that reading pages does not write the session row on every request.
_SEEN_AT = "mofan_seen_at"
SEEN_WRITE_SECONDS = 60


def start_session_clock(session) -> None:
    now = int(timezone.now().timestamp())
    session[_LOGIN_AT] = now
    session[_SEEN_AT] = now


def session_too_old(session) -> bool:
    """Past the absolute limit since login, however active."""
    started = session.get(_LOGIN_AT)
    if started is None:
        return False
    limit = settings.SESSION_MAX_HOURS * 3600
    return timezone.now().timestamp() - started > limit


def _seen_key(session_key: str) -> str:
    # The session key is a credential: the cache holds a digest of it, never the key itself.
    return "seen:" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def session_still_active(session) -> bool:
    """The idle limit (SESSION_IDLE_SECONDS since the last request), exact to the second, and
    the request noted as the latest.

    The exact time of the last request lives in the cache (Redis in production; one write to it
    per request, no database write). The session row keeps its own stamp, rewritten at most once
    a minute: when the cache has lost the time (Redis restarted) that stamp is used, and the
    session then ends at most a minute early, never late."""
    now = timezone.now().timestamp()
    stored = session.get(_SEEN_AT)
    key = session.session_key
    remembered = None
    if key:
        try:
            remembered = cache.get(_seen_key(key))
        except Exception:  # noqa: BLE001 — the stamp in the session is the fallback
            remembered = None
    seen = max((t for t in (stored, remembered) if t is not None), default=None)
    if seen is not None and now - seen > settings.SESSION_IDLE_SECONDS:
        return False
    if key:
        try:
            cache.set(_seen_key(key), now, timeout=settings.SESSION_IDLE_SECONDS + 60)
        except Exception as error:  # noqa: BLE001 — as above
            log.warning("缓存不可用，会话的最近访问时间只记在会话中：%s", error)
    if stored is None or now - stored >= SEEN_WRITE_SECONDS:
        session[_SEEN_AT] = int(now)  # marks the session modified: one write a minute at most
    return True


def password_expired(user: User) -> bool:
    if user.password_changed_at is None:
        return True
    return timezone.now() - user.password_changed_at > timedelta(
        days=settings.PASSWORD_MAX_AGE_DAYS
    )


def admin_terminal_allowed(user: User, address: str) -> bool:
    """Admin accounts work only from the management terminals' networks, when these are set."""
    import ipaddress

    if not settings.ADMIN_NETWORKS or scoping.admin_role_of(user) is None:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in settings.ADMIN_NETWORKS)


def record_terminal_refused(user: User) -> None:
    audit.record(user, "access.login.terminal_refused", user)


def requires_second_factor(user: User) -> bool:
    return scoping.admin_role_of(user) is not None


class PolicyRefusal(NamedTuple):
    """What a signed-in user must do before anything else: the page to go to, and why."""

    target: str
    message: str


def login_policy_refusal(user: User, *, second_factor_verified: bool) -> PolicyRefusal | None:
    """The login policy for every request, by session or by API token: an initial or expired
    password must be changed first, and an admin account needs its second factor."""
    if password_expired(user):
        return PolicyRefusal(
            "access:password_change", "请先修改密码（首次登录或密码已超过有效期）。"
        )
    if requires_second_factor(user) and not second_factor_verified:
        return PolicyRefusal("access:otp", "管理员账户须完成双因素认证。")
    return None


def password_reused_message() -> str:
    return f"新密码不能与最近 {settings.PASSWORD_HISTORY} 次使用过的密码相同。"


def password_reused(user: User, password: str) -> bool:
    """Whether `password` is the account's current one or one of those it had before it, within
    the last settings.PASSWORD_HISTORY."""
    if user.pk is None:
        return False
    if check_password(password, user.password):
        return True
    earlier = user.password_history.values_list("password", flat=True)[: settings.PASSWORD_HISTORY]
    return any(check_password(password, encoded) for encoded in earlier)


def _remember_password(user: User) -> None:
    """Keep the hash just set, and forget those older than the last settings.PASSWORD_HISTORY."""
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = user.password_history.values_list("pk", flat=True)[settings.PASSWORD_HISTORY :]
    PasswordHistory.objects.filter(pk__in=list(stale)).delete()


@transaction.atomic
def create_user(
    *,
    actor: User | None,
    username: str,
    password: str,
    display_name: str = "",
    person=None,
    temporary: bool = True,
) -> User:
    """A new account. A temporary password (the usual case) must be changed at first login."""
    if User.objects.filter(username=username).exists():
        raise InvalidInput(f"用户名“{username}”已存在。")
    if person is not None and User.objects.filter(person=person).exists():
        raise InvalidInput("该人员已有账户，一人只能有一个账户。")
    user = User(
        username=username,
        display_name=display_name or (person.name if person else ""),
        person=person,
    )
    validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = None if temporary else timezone.now()
    user.save()
    _remember_password(user)
    audit.record(
        actor, "access.user.created", user, payload={"username": username, "temporary": temporary}
    )
    return user


@transaction.atomic
def change_password(user: User, *, actor: User, new_password: str) -> User:
    validate_password(new_password, user)
    if password_reused(user, new_password):
        raise InvalidInput(password_reused_message())
    user.set_password(new_password)
    user.password_changed_at = timezone.now() if actor.pk == user.pk else None
    user.save(update_fields=["password", "password_changed_at"])
    _remember_password(user)
    action = "access.password.changed" if actor.pk == user.pk else "access.password.reset"
    audit.record(actor, action, user)
    return user


@transaction.atomic
def set_active(user: User, *, actor: User, active: bool) -> User:
    if user.pk == actor.pk and not active:
        raise InvalidInput("不能停用自己的账户。")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor, "access.user.activated" if active else "access.user.deactivated", user)
    return user


@transaction.atomic
def grant_role(user: User, *, actor: User | None, role: str, org=None, unit=None) -> RoleAssignment:
    """Bind a role to a scope. Admin roles (三权分立) stand alone: one per account, nothing else."""
    if role not in Role.values:
        raise InvalidInput("未知的角色。")
    if actor is not None and actor.pk == user.pk:
        raise InvalidInput("不能修改自己的角色。")
    held = set(user.role_assignments.values_list("role", flat=True))
    if role in ADMIN_ROLES:
        if org is not None or unit is not None:
            raise InvalidInput("管理员角色不绑定管辖范围。")
        if held - {role}:
            raise InvalidInput(
                "三权分立：系统管理员、安全保密管理员、安全审计员须使用独立账户，且不兼任业务角色。"
            )
    else:
        if (org is None) == (unit is None):
            raise InvalidInput("业务角色须指定一个管辖范围（党组织或单位）。")
        if held & ADMIN_ROLES:
            raise InvalidInput("三权分立：管理员账户不能兼任业务角色。")
        if role == Role.LIAISON and unit is None:
            raise InvalidInput("督办联络员须绑定单位（交办该单位的事项由其指定责任人）。")
        if role == Role.DUES_COLLECTOR and org is None:
            raise InvalidInput("党费收缴员须绑定党组织（收缴该组织党员的党费）。")
    if RoleAssignment.objects.filter(user=user, role=role, org=org, unit=unit).exists():
        raise InvalidInput("该用户已拥有此角色和范围。")
    assignment = RoleAssignment.objects.create(
        user=user, role=role, org=org, unit=unit, granted_by_id=actor.pk if actor else None
    )
    audit.record(
        actor,
        "access.role.granted",
        user,
        payload={
            "role": role,
            "org": org.code if org else None,
            "unit": unit.code if unit else None,
        },
    )
    scoping.forget(user)
    return assignment


@transaction.atomic
def revoke_role(assignment: RoleAssignment, *, actor: User) -> None:
    if actor.pk == assignment.user_id:
        raise InvalidInput("不能修改自己的角色。")
    payload = {
        "role": assignment.role,
        "org": assignment.org.code if assignment.org else None,
        "unit": assignment.unit.code if assignment.unit else None,
    }
    user = assignment.user
    assignment.delete()
    audit.record(actor, "access.role.revoked", user, payload=payload)
    scoping.forget(user)


# -- second factor (TOTP) for the admin roles ---------------------------------------------


@transaction.atomic
def second_factor_device(user: User, *, actor: User) -> tuple[TOTPDevice, bool]:
    """The user's confirmed authenticator, or the one being enrolled (its secret made at the
    first visit and kept until confirmed). Returns (device, enrolling)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=True).first()
    if device is not None:
        return device, False
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="动态口令", confirmed=False)
        audit.record(actor, "access.otp.enrolment_started", user)
    return device, True


@transaction.atomic
def verify_second_factor(user: User, *, actor: User, token: str) -> TOTPDevice | None:
    """Check a code from the user's authenticator; the first good code of an enrolment confirms
    it. Returns the device, or None for a wrong or expired code (audited either way)."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user)
        .order_by("-confirmed", "pk")  # the confirmed one, if there is one
        .first()
    )
    if device is None:
        raise InvalidInput("该账户尚未开始绑定动态口令。")
    if not device.verify_token(token):
        audit.record(actor, "access.otp.failed", user, payload={"enrolling": not device.confirmed})
        return None
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit.record(actor, "access.otp.enrolled", user)
    return device


@transaction.atomic
def remove_second_factor(user: User, *, actor: User) -> None:
    """The system administrator removes a lost authenticator; the user enrols a new one at the
    next login (sessions verified with the old one are no longer verified)."""
    if user.pk == actor.pk:
        raise InvalidInput("不能重置自己的动态口令，请由另一名系统管理员操作。")
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    if not removed:
        raise InvalidInput(f"{user.username} 尚未绑定动态口令。")
    audit.record(actor, "access.otp.removed", user)


@transaction.atomic
def reset_password(user: User, *, actor: User, new_password: str) -> User:
    """An administrator sets a temporary password, which the user must change at next login.
    Not checked against the user's earlier passwords: the answer would tell the administrator
    what they were."""
    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = None
    user.save(update_fields=["password", "password_changed_at"])
    _remember_password(user)
    audit.record(actor, "access.password.reset", user)
    return user


@transaction.atomic
def issue_api_token(user: User, *, actor: User) -> str:
    """A new API token for the user, replacing any earlier one; shown once to its owner."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit.record(actor, "access.token.issued", user)
    return token.key


@transaction.atomic
def revoke_api_token(user: User, *, actor: User) -> None:
    from rest_framework.authtoken.models import Token

    if Token.objects.filter(user=user).delete()[0]:
        audit.record(actor, "access.token.revoked", user)


def accounts(actor: User, query: str = ""):
    """The accounts an admin console lists, with their roles and whether a second factor is
    enrolled (one query each, whatever the page size)."""
    from django.db.models import Exists, OuterRef, Prefetch
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from mofan.access.scoping import Action

    queryset = (
        User.objects.restrict(actor, Action.ADMINISTER)
        .order_by("username")
        .prefetch_related(
            Prefetch(
                "role_assignments",
                queryset=RoleAssignment.objects.restrict(actor, Action.ADMINISTER).select_related(
                    "org", "unit"
                ),
            )
        )
        .annotate(has_totp=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"))))
    )
    query = query.strip()
    if query:
        queryset = queryset.filter(Q(username__icontains=query) | Q(display_name__icontains=query))
    return queryset


def current_token(user: User):
    """The user's own API token, if one was issued (its key is shown only when issued)."""
    from rest_framework.authtoken.models import Token

    return Token.objects.filter(user=user).first()
