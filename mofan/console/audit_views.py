"""The auditor's pages: search and export the trail, and check the chain. Nobody else gets in."""

from django.http import FileResponse
from django.shortcuts import render
from django.views import View

from mofan.access.roles import Role
from mofan.access.views_base import RoleRequiredMixin
from mofan.audit import services
from mofan.audit.filters import AuditEventFilter
from mofan.audit.models import AuditEvent
from mofan.core.excel import write_table
from mofan.core.views_base import paginate


class AuditorOnlyMixin(RoleRequiredMixin):
    role = Role.AUDITOR


def _filtered(request) -> AuditEventFilter:
    filterset = AuditEventFilter(
        request.GET or None, queryset=AuditEvent.objects.select_related("link")
    )
    for field in filterset.form.fields.values():
        css = "form-control"
        field.widget.attrs["class"] = css
        if field.__class__.__name__ == "DateField":
            field.widget.input_type = "date"
    return filterset


def _link(event):
    # A record written a moment ago may not be chained yet.
    try:
        return event.link
    except AuditEvent.link.RelatedObjectDoesNotExist:
        return None


class AuditListView(AuditorOnlyMixin, View):
    def get(self, request):
        filterset = _filtered(request)
        page = paginate(request, filterset.qs.order_by("-id"))
        verification = services.verify() if request.GET.get("verify") == "1" else None
        if verification is not None:
            services.record(
                request.user,
                "audit.chain.verified",
                payload={"ok": verification.ok, "checked": verification.checked},
            )
        return render(
            request,
            "console/audit.html",
            {
                "filter": filterset,
                "page": page,
                "verification": verification,
                "breadcrumbs": [{"label": "审计日志", "url": ""}],
            },
        )


class AuditExportView(AuditorOnlyMixin, View):
    def get(self, request):
        filterset = _filtered(request)
        rows = (
            [
                e.pk,
                _link(e).seq if _link(e) else "",
                e.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_name,
                e.source_address,
                e.action,
                e.object_type,
                e.object_id,
                e.object_repr,
                str(e.changes or ""),
                str(e.payload or ""),
                e.alg,
                e.seal,
                _link(e).mac if _link(e) else "",
            ]
            for e in filterset.qs.order_by("id").iterator(chunk_size=2000)
        )
        path, count = write_table(
            "审计日志",
            [
                "编号",
                "链序号",
                "时间",
                "操作人",
                "来源地址",
                "事件",
                "对象类型",
                "对象ID",
                "对象",
                "变更",
                "详情",
                "算法",
                "记录认证码",
                "链接认证码",
            ],
            rows,
            widths=[8, 8, 20, 14, 16, 28, 16, 10, 24, 40, 40, 10, 30, 30],
        )
        services.record(
            request.user, "audit.exported", payload={"filters": request.GET.dict(), "rows": count}
        )
        return FileResponse(open(path, "rb"), as_attachment=True, filename="审计日志.xlsx")  # noqa: SIM115
