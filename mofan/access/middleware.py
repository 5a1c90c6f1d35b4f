"""Enforce the login policy on every request: the idle limit, the session's absolute limit,
expired or initial password, and second factor for admins."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from mofan.access import services
from mofan.audit.context import client_address

_OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/", "/accounts/otp/")


class LoginPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            # A ballot slip's page needs no account: the login policy has nothing to say there.
            or request.path.startswith(("/static/", "/accounts/logout/", "/v/"))
        ):
            return self.get_response(request)
        if not services.session_still_active(request.session):
            return self._ended(request, "长时间未操作，会话已结束，请重新登录。")
        if not request.path.startswith(_OPEN_PREFIXES):
            if services.session_too_old(request.session):
                return self._ended(request, "会话已超过最长时限，请重新登录。")
            if not services.admin_terminal_allowed(user, client_address(request)):
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "管理员账户只能从指定的管理终端地址登录。"}, status=403
                    )
                return redirect(reverse("access:login"))
            refusal = services.login_policy_refusal(user, second_factor_verified=user.is_verified())
            if refusal is not None:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": refusal.message}, status=403)
                return redirect(reverse(refusal.target))
        return self.get_response(request)

    @staticmethod
    def _ended(request, message: str):
        logout(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=401)
        messages.info(request, message)
        return redirect(f"{reverse('access:login')}?next={request.path}")
