"""Password policy of 等级保护: length (Django's validator), three of four character classes, not the username."""

import string

from django.core.exceptions import ValidationError


def character_classes(password: str) -> int:
    return sum(
        [
            any(c in string.ascii_uppercase for c in password),
            any(c in string.ascii_lowercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        ]
    )


class CharacterClassValidator:
    def validate(self, password, user=None):
        if character_classes(password) < 3:
            raise ValidationError(
                "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。",
                code="password_classes",
            )

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类。"


class NotUsernameValidator:
    def validate(self, password, user=None):
        username = getattr(user, "username", "") if user is not None else ""
        if username and username.lower() in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_is_username")

    def get_help_text(self):
        return "密码不能包含用户名。"
