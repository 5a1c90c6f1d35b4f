from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm

from mofan.access import services
from mofan.core.forms import StyledFormMixin


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="用户名或手机号", max_length=150, widget=forms.TextInput(attrs={"autofocus": True})
    )
    error_messages = {
        "invalid_login": "用户名（手机号）或密码错误。连续失败 5 次将锁定 15 分钟。",
        "inactive": "该账户已停用。",
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        from mofan.access import services
        from mofan.audit.context import client_address

        if not services.admin_terminal_allowed(user, client_address(self.request)):
            services.record_terminal_refused(user)
            raise forms.ValidationError("管理员账户只能从指定的管理终端地址登录。", code="terminal")


class ChangePasswordForm(StyledFormMixin, PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "当前密码不正确。",  # nosec B105
        "password_mismatch": "两次输入的新密码不一致。",  # nosec B105
    }

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and services.password_reused(self.user, password):
            self.add_error("new_password1", services.password_reused_message())
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


class NewAccountForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z][A-Za-z0-9_.-]{2,29}$",
        error_messages={"invalid": "用户名须以字母开头，3 至 30 位字母、数字、下划线、点或横线。"},
    )
    display_name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="关联人员的公民身份号码",
        required=False,
        help_text="填写后账户与花名册中的人员关联（系统按号码匹配，不显示人员信息）。管理员账户不填。",
    )
