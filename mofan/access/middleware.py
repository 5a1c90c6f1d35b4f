"""Enforce the login policy on every request: expired or initial password, and second factor for admins."""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from mofan.access import services

_OPEN_PREFIXES = ("/static/", "/accounts/logout/", "/accounts/password/", "/accounts/otp/")


class LoginPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            refusal = services.login_policy_refusal(user, second_factor_verified=user.is_verified())
            if refusal is not None:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": refusal.message}, status=403)
                return redirect(reverse(refusal.target))
        return self.get_response(request)
