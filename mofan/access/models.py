"""Accounts and the roles bound to scopes."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mofan.access.roles import ADMIN_ROLES, Role
from mofan.access.scoping import administered_by


class UserQuerySet(administered_by(Role.SYSADMIN, Role.SECADMIN)):
    """Accounts: the system admin keeps them, the security admin binds roles to them."""


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra):
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    username = models.CharField("用户名", max_length=150, unique=True)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    email = models.EmailField(
        "电子邮箱", blank=True, help_text="接收催办、提醒等通知（内网邮件）。"
    )
    person = models.OneToOneField(
        "orgs.Person",
        verbose_name="人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    is_active = models.BooleanField("启用", default=True)
    # None: the initial password set by an administrator, which must be changed at first login.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    date_joined = models.DateTimeField("创建时间", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def is_staff(self) -> bool:
        return False

    @property
    def is_superuser(self) -> bool:
        return False


class RoleAssignment(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField("角色", max_length=30, choices=Role.choices)
    org = models.ForeignKey(
        "orgs.PartyOrg", verbose_name="党组织范围", null=True, blank=True, on_delete=models.PROTECT
    )
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name="单位范围", null=True, blank=True, on_delete=models.PROTECT
    )
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by_id = models.BigIntegerField(null=True, blank=True)

    objects = administered_by(Role.SYSADMIN, Role.SECADMIN).as_manager()

    class Meta:
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"
        constraints = [
            # A business role has exactly one scope; an admin role has none.
            models.CheckConstraint(
                condition=(
                    Q(role__in=sorted(ADMIN_ROLES), org__isnull=True, unit__isnull=True)
                    | (~Q(role__in=sorted(ADMIN_ROLES)) & Q(org__isnull=False, unit__isnull=True))
                    | (~Q(role__in=sorted(ADMIN_ROLES)) & Q(org__isnull=True, unit__isnull=False))
                ),
                name="roleassignment_scope_matches_role",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "org", "unit"], name="roleassignment_unique"
            ),
        ]

    def __str__(self) -> str:
        scope = self.org or self.unit
        return f"{self.get_role_display()}（{scope}）" if scope else self.get_role_display()

    @property
    def scope_name(self) -> str:
        scope = self.org or self.unit
        return scope.name if scope else "全局"


class PasswordHistory(models.Model):
    """The hashes of the passwords an account has had (the current one among them), so that a
    change cannot go back to a recent one. Only the last settings.PASSWORD_HISTORY are kept."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField("密码摘要", max_length=128)
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-set_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.set_at:%Y-%m-%d}"
