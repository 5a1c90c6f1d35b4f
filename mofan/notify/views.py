from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views import View

from mofan.access.roles import Role
from mofan.access.scoping import Action
from mofan.access.views_base import RoleRequiredMixin
from mofan.core.errors import UserFacingError
from mofan.core.forms import StyledFormMixin
from mofan.core.views_base import paginate
from mofan.notify import services as notify
from mofan.notify.models import Notification, Webhook, WebhookKind
from mofan.orgs.pickers import PickerField


@login_required
def inbox(request):
    """The user's own notices; opening one marks it read."""
    mine = Notification.objects.restrict(request.user, Action.VIEW)
    if request.method == "POST":
        if request.POST.get("all") == "1":
            notify.mark_read(mine, actor=request.user)
        else:
            key = request.POST.get("id", "")
            notice = mine.filter(pk=key).first() if key.isdecimal() else None
            if notice is not None:
                notify.mark_read(mine.filter(pk=notice.pk), actor=request.user)
                if notice.url:
                    return redirect(notice.url)
        return redirect("notify:inbox")
    return render(
        request,
        "notify/inbox.html",
        {"page": paginate(request, mine), "breadcrumbs": [{"label": "通知", "url": ""}]},
    )


class WebhookForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=WebhookKind.choices)
    url = forms.URLField(label="机器人地址（内网）", assume_scheme="http", max_length=500)
    unit = PickerField(
        kind="units", label="单位", help_text="该单位及其下级单位的督办提醒发往此机器人。"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].bind(user)

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "url": data["url"],
            "unit": data["unit"],
        }

    @classmethod
    def of(cls, hook: Webhook, user) -> "WebhookForm":
        return cls(
            user=user,
            initial={
                "name": hook.name,
                "kind": hook.kind,
                "url": hook.url,
                "unit": hook.unit_id,
            },
        )


class WebhooksView(RoleRequiredMixin, View):
    """Group robots are settings: the system administrator keeps them."""

    role = Role.SYSADMIN

    def _render(self, request, form, status=200, editing=None):
        context = {
            "hooks": self._hooks().select_related("unit"),
            "form": form,
            "editing": editing,
            "failures": notify.failures(),
            "max_attempts": notify.MAX_ATTEMPTS,
            "breadcrumbs": [{"label": "通知渠道", "url": ""}],
        }
        return render(request, "notify/webhooks.html", context, status=status)

    def _hooks(self):
        return Webhook.objects.restrict(self.request.user, Action.ADMINISTER)

    def _hook(self, pk) -> Webhook:
        hook = self._hooks().select_related("unit").filter(pk=pk).first()
        if hook is None:
            raise Http404("未找到该记录。")
        return hook

    def get(self, request):
        if "edit" in request.GET:
            hook = self._hook(request.GET["edit"])
            return self._render(request, WebhookForm.of(hook, request.user), editing=hook)
        return self._render(request, WebhookForm(user=request.user))

    def post(self, request):
        action = request.POST.get("action", "create")
        hook = self._hook(request.POST.get("hook")) if action != "create" else None
        try:
            if action == "delete":
                notify.delete_webhook(hook, actor=request.user)
                messages.success(request, f"已删除“{hook.name}”。")
                return redirect("notify:webhooks")
            if action == "toggle":
                notify.update_webhook(hook, actor=request.user, active=not hook.active)
                return redirect("notify:webhooks")
            form = WebhookForm(request.POST, user=request.user)
            if not form.is_valid():
                return self._render(request, form, status=400, editing=hook)
            if action == "edit":
                hook = notify.update_webhook(hook, actor=request.user, **form.values())
                messages.success(request, f"已保存“{hook.name}”。")
            else:
                hook = notify.create_webhook(actor=request.user, **form.values())
                messages.success(request, f"已添加“{hook.name}”。")
        except UserFacingError as error:
            messages.error(request, error.message)
            return redirect("notify:webhooks")
        return redirect("notify:webhooks")
