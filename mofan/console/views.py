"""Pages of the separated admin roles: accounts for the system admin, roles and scopes for the
security admin. Neither shows business data."""

import secrets
import string

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from mofan.access import services
from mofan.access.forms import NewAccountForm
from mofan.access.models import RoleAssignment, User
from mofan.access.roles import Role
from mofan.access.scoping import Action
from mofan.access.views_base import RoleRequiredMixin
from mofan.console.forms import GrantRoleForm
from mofan.core.errors import UserFacingError
from mofan.core.views_base import paginate
from mofan.orgs import services as orgs_services


def temporary_password() -> str:
    """A one-time password meeting the policy; the user must change it at first login."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _ in range(10))
        if (
            any(c.isupper() for c in body)
            and any(c.islower() for c in body)
            and any(c.isdecimal() for c in body)
        ):
            return body + secrets.choice("@#%&*!")


def _users(request):
    return paginate(request, services.accounts(request.user, request.GET.get("q", "")))


class AccountsView(RoleRequiredMixin, View):
    role = Role.SYSADMIN

    def _render(self, request, form, status=200, created=None):
        context = {
            "page": _users(request),
            "form": form,
            "created": created,
            "breadcrumbs": [{"label": "账户管理", "url": ""}],
        }
        return render(request, "console/accounts.html", context, status=status)

    def get(self, request):
        return self._render(request, NewAccountForm())

    def post(self, request):
        action = request.POST.get("action", "create")
        if action in ("activate", "deactivate", "reset", "reset_otp"):
            user = (
                User.objects.restrict(request.user, Action.ADMINISTER)
                .filter(pk=request.POST.get("user"))
                .first()
            )
            if user is None:
                raise Http404("未找到该记录。")
            try:
                if action == "reset_otp":
                    services.remove_second_factor(user, actor=request.user)
                    messages.success(
                        request, f"已重置 {user.username} 的动态口令，下次登录时须重新绑定。"
                    )
                elif action == "reset":
                    password = temporary_password()
                    services.reset_password(user, actor=request.user, new_password=password)
                    messages.success(
                        request,
                        f"已重置 {user.username} 的密码。临时密码：{password}（仅显示一次，首次登录须修改）",
                    )
                else:
                    services.set_active(user, actor=request.user, active=action == "activate")
                    messages.success(
                        request,
                        f"已{'启用' if action == 'activate' else '停用'}账户 {user.username}。",
                    )
            except UserFacingError as error:
                messages.error(request, error.message)
            return redirect("console:accounts")
        form = NewAccountForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        person = None
        id_number = form.cleaned_data["id_number"].strip().upper()
        if id_number:
            # Matched by the number alone: the system admin sees no personal data.
            person = orgs_services.person_by_id_number(id_number)
            if person is None:
                form.add_error("id_number", "未找到该公民身份号码对应的人员。")
                return self._render(request, form, status=400)
        password = temporary_password()
        try:
            user = services.create_user(
                actor=request.user,
                username=form.cleaned_data["username"],
                display_name=form.cleaned_data["display_name"],
                password=password,
                person=person,
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, form, status=error.status_code)
        return self._render(request, NewAccountForm(), created={"user": user, "password": password})


class RolesView(RoleRequiredMixin, View):
    role = Role.SECADMIN

    def _render(self, request, form, status=200, error=None):
        context = {
            "page": _users(request),
            "form": form,
            "error_message": error.message if error is not None else "",
            "breadcrumbs": [{"label": "角色授权", "url": ""}],
        }
        return render(request, "console/roles.html", context, status=status)

    def get(self, request):
        return self._render(request, GrantRoleForm(user=request.user))

    def post(self, request):

        if request.POST.get("action") == "revoke":
            assignment = (
                RoleAssignment.objects.restrict(request.user, Action.ADMINISTER)
                .select_related("user")
                .filter(pk=request.POST.get("assignment"))
                .first()
            )
            if assignment is None:
                raise Http404("未找到该记录。")
            try:
                services.revoke_role(assignment, actor=request.user)
            except UserFacingError as error:
                return self._render(
                    request, GrantRoleForm(user=request.user), status=error.status_code, error=error
                )
            messages.success(request, f"已撤销 {assignment.user.username} 的{assignment}。")
            return redirect("console:roles")
        form = GrantRoleForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        user = (
            User.objects.restrict(request.user, Action.ADMINISTER)
            .filter(username=form.cleaned_data["username"])
            .first()
        )
        if user is None:
            form.add_error("username", "该用户不存在。")
            return self._render(request, form, status=400)
        try:
            assignment = services.grant_role(
                user,
                actor=request.user,
                role=form.cleaned_data["role"],
                org=form.cleaned_data["org"],
                unit=form.cleaned_data["unit"],
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, form, status=error.status_code)
        messages.success(request, f"已授予 {user.username}：{assignment}。")
        return redirect("console:roles")
