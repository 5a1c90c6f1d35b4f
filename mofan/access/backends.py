"""Login by username or by the phone number on the person's record (matched by keyed hash)."""

import re

from django.contrib.auth.backends import ModelBackend

from mofan.access.crypto import keyed_hashes
from mofan.access.models import User

_PHONE = re.compile(r"^1\d{10}$")


def resolve_username(identifier: str) -> str:
    """The account name an identifier stands for, so lockout counts one account, however named."""
    identifier = (identifier or "").strip()
    if _PHONE.match(identifier):
        found = (
            User.objects.filter(person__phone_hash__in=keyed_hashes(identifier))
            .values_list("username", flat=True)
            .first()
        )
        if found:
            return found
    return identifier


class UsernameOrPhoneBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        return super().authenticate(
            request, username=resolve_username(username), password=password, **kwargs
        )

    def user_can_authenticate(self, user):
        return user.is_active


def axes_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: lock the account, whether it was tried by name or by phone."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return resolve_username(raw)
