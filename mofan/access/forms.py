from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from mofan.core.forms import StyledFormMixin


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="用户名或手机号", max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": "用户名（手机号）或密码错误。连续失败 5 次将锁定 15 分钟。",
        "inactive": "该账户已停用。",
    }


class ChangePasswordForm(StyledFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "当前密码不正确。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and self.user.check_password(password):
            self.add_error("new_password1", "新密码不能与当前密码相同。")
        return cleaned


class TokenForm(StyledFormMixin, forms.Form):
    token = forms.RegexField(
        label="动态口令",
        regex=r"^\d{6}$",
        error_messages={"invalid": "请输入 6 位数字动态口令。", "required": "请输入动态口令。"},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}
        ),
    )
