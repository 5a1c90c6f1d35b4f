import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django_otp import login as otp_login

from mofan.access import services
from mofan.access.forms import ChangePasswordForm, LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request, credentials, *args, **kwargs):
    """AXES_LOCKOUT_CALLABLE: the login page again, with the lockout explained."""
    form = LoginForm(request, data=request.POST or None)
    form.errors.clear()
    return render(
        request,
        "access/login.html",
        {"form": form, "locked": True},
        status=429,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "access/password_change.html"
    form_class = ChangePasswordForm
    success_url = reverse_lazy("dashboard:home")

    def form_valid(self, form):
        services.change_password(
            self.request.user,
            actor=self.request.user,
            new_password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, self.request.user)
        messages.success(self.request, "密码已修改。")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["forced"] = services.password_expired(self.request.user)
        return context


@login_required
def otp(request):
    """Enrol a TOTP device on first use, then verify a token on every login of an admin account."""
    user = request.user
    device, enrolling = services.second_factor_device(user, actor=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified = services.verify_second_factor(user, actor=user, token=form.cleaned_data["token"])
        if verified is not None:
            otp_login(request, verified)
            return redirect("dashboard:home")
        form.add_error("token", "动态口令不正确或已过期。")
    context = {"form": form, "enrolling": enrolling}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = device.config_url.split("secret=")[1].split("&")[0]
    return render(request, "access/otp.html", context, status=200 if not form.errors else 400)


@login_required
def api_token(request):
    """The user's own API token: issue (shown once), replace or revoke."""
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.revoke_api_token(request.user, actor=request.user)
            messages.success(request, "接口令牌已撤销。")
            return redirect("access:api_token")
        new_key = services.issue_api_token(request.user, actor=request.user)
    token = services.current_token(request.user)
    return render(
        request,
        "access/api_token.html",
        {"token": token, "new_key": new_key, "breadcrumbs": [{"label": "接口令牌", "url": ""}]},
    )
