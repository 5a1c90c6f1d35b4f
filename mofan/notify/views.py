from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from mofan.access.admin_views import RoleRequiredMixin
from mofan.access.roles import Role
from mofan.audit import services as audit
from mofan.core.forms import StyledFormMixin
from mofan.core.views_base import paginate
from mofan.notify.models import Notification, Webhook
from mofan.orgs.models import Unit


@login_required
def inbox(request):
    """The user's own notices; opening one marks it read."""
    mine = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        if request.POST.get("all") == "1":
            mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        else:
            notice = mine.filter(pk=request.POST.get("id")).first()
            if notice is not None:
                if notice.read_at is None:
                    notice.read_at = timezone.now()
                    notice.save(update_fields=["read_at"])
                if notice.url:
                    return redirect(notice.url)
        return redirect("notify:inbox")
    return render(
        request,
        "notify/inbox.html",
        {"page": paginate(request, mine), "breadcrumbs": [{"label": "通知", "url": ""}]},
    )


class WebhookForm(StyledFormMixin, forms.ModelForm):
    url = forms.URLField(label="机器人地址（内网）", assume_scheme="http", max_length=500)
    unit_code = forms.CharField(
        label="单位编码", max_length=32, help_text="该单位及其下级单位的督办提醒发往此机器人。"
    )

    class Meta:
        model = Webhook
        fields = ["name", "kind", "url"]
        labels = {"url": "机器人地址（内网）"}

    def clean_unit_code(self):
        unit = Unit.objects.filter(code=self.cleaned_data["unit_code"].strip()).first()
        if unit is None:
            raise forms.ValidationError("单位编码不存在。")
        self.instance.unit = unit
        return self.cleaned_data["unit_code"]


class WebhooksView(RoleRequiredMixin, View):
    """Group robots are settings: the system administrator keeps them."""

    role = Role.SYSADMIN

    def _render(self, request, form, status=200):
        context = {
            "hooks": Webhook.objects.select_related("unit"),
            "form": form,
            "breadcrumbs": [{"label": "通知渠道", "url": ""}],
        }
        return render(request, "notify/webhooks.html", context, status=status)

    def get(self, request):
        return self._render(request, WebhookForm())

    def post(self, request):
        if request.POST.get("action") in ("toggle", "delete"):
            hook = Webhook.objects.filter(pk=request.POST.get("hook")).first()
            if hook is None:
                raise Http404("未找到该记录。")
            if request.POST["action"] == "delete":
                hook.delete()
                audit.record(request.user, "notify.webhook.deleted", payload={"name": hook.name})
            else:
                hook.active = not hook.active
                hook.save(update_fields=["active"])
                audit.record(
                    request.user, "notify.webhook.toggled", hook, payload={"active": hook.active}
                )
            return redirect("notify:webhooks")
        form = WebhookForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        hook = form.save()
        audit.record(
            request.user,
            "notify.webhook.created",
            hook,
            payload={"name": hook.name, "unit": hook.unit.code},
        )
        messages.success(request, f"已添加“{hook.name}”。")
        return redirect("notify:webhooks")
