"""The roster: list, export, import, and a new member by hand."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from mofan.access.scoping import Action, can_anywhere
from mofan.access.views_base import ScopedMixin
from mofan.audit import services as audit
from mofan.core.errors import UserFacingError
from mofan.core.views_base import import_errors_response, paginate
from mofan.orgs import exports, imports, services
from mofan.orgs.filters import RosterFilter
from mofan.orgs.forms import (
    NewMemberForm,
)
from mofan.orgs.models import Membership, PartyOrg


def roster_filter(request) -> RosterFilter:
    base = Membership.objects.restrict(request.user, Action.VIEW).select_related(
        "person", "person__unit", "org"
    )
    filterset = RosterFilter(request.GET or None, queryset=base, request=request)
    return filterset


class RosterView(ScopedMixin, View):
    model = Membership

    def get(self, request):
        filterset = roster_filter(request)
        page = paginate(request, filterset.qs)
        org = (
            filterset.form.cleaned_data.get("org")
            if filterset.is_bound and filterset.form.is_valid()
            else None
        )
        context = {
            "filter": filterset,
            "page": page,
            "org": org,
            "can_import": can_anywhere(request.user, Action.CHANGE),
            "breadcrumbs": [{"label": "党员名册", "url": ""}],
        }
        template = (
            "orgs/_roster_table.html"
            if request.htmx and request.htmx.target == "roster-table"
            else "orgs/roster.html"
        )
        return render(request, template, context)


class RosterExportView(ScopedMixin, View):
    model = Membership

    def get(self, request):
        filterset = roster_filter(request)
        path, count = exports.roster_xlsx(filterset.qs)
        audit.record(
            request.user,
            "orgs.roster.exported",
            payload={"filters": request.GET.dict(), "rows": count},
        )
        return FileResponse(open(path, "rb"), as_attachment=True, filename="党员名册.xlsx")  # noqa: SIM115


class RosterImportSheetView(ScopedMixin, View):
    """导出为导入表: the filtered members an admin may change, as the import template with full
    ID numbers, to edit and import back; audited with every person it names."""

    model = PartyOrg
    action = Action.CHANGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_anywhere(request.user, Action.CHANGE):
            raise Http404("未找到该记录。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        filterset = roster_filter(request)
        editable = Membership.objects.restrict(request.user, Action.CHANGE)
        members = filterset.qs.filter(pk__in=editable.values("pk"))
        path, person_ids = exports.roster_import_sheet(members)
        audit.record(
            request.user,
            "orgs.roster.exported_for_import",
            payload={
                "filters": request.GET.dict(),
                "rows": len(person_ids),
                "person_ids": person_ids,
            },
        )
        return FileResponse(
            open(path, "rb"), as_attachment=True, filename="党员名册（导入表）.xlsx"
        )  # noqa: SIM115


class RosterImportView(ScopedMixin, View):
    """Upload a roster workbook; all rows are saved, or none and the user gets the marked errors."""

    model = PartyOrg
    action = Action.CHANGE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_anywhere(request.user, Action.CHANGE):
            raise Http404("未找到该记录。")
        return super().dispatch(request, *args, **kwargs)

    def _render(self, request, context=None, status=200):
        crumbs = [
            {"label": "党员名册", "url": reverse("orgs:roster")},
            {"label": "导入名册", "url": ""},
        ]
        return render(
            request,
            "orgs/roster_import.html",
            {"breadcrumbs": crumbs, **(context or {})},
            status=status,
        )

    def get(self, request):
        return self._render(request)

    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return self._render(request, {"form_error": "请选择要导入的 Excel 文件。"}, status=400)
        try:
            result = imports.import_roster(upload, actor=request.user)
        except UserFacingError as error:
            return self._render(request, {"form_error": error.message}, status=error.status_code)
        if not result.ok:
            return self._render(
                request,
                {
                    "errors": result.errors[:500],
                    "error_count": len(result.errors),
                    "error_file": result.error_workbook.name,
                },
                status=400,
            )
        messages.success(
            request,
            f"已导入：新增 {result.created} 名，更新 {result.updated} 名，未变 {result.unchanged} 名。",
        )
        return redirect("orgs:roster")


class RosterImportTemplateView(RosterImportView):
    def get(self, request):
        path = imports.template_xlsx()
        return FileResponse(open(path, "rb"), as_attachment=True, filename="党员名册导入模板.xlsx")  # noqa: SIM115


class RosterImportErrorsView(RosterImportView):
    http_method_names = ["get", "head", "options"]  # not the upload's POST under this URL

    def get(self, request, name):
        return import_errors_response(request, name)


class NewMemberView(ScopedMixin, View):
    """Enter one new party member by hand (many at once: the roster import)."""

    model = PartyOrg
    action = Action.CHANGE

    def _render(self, request, form, status=200):
        crumbs = [
            {"label": "党员名册", "url": reverse("orgs:roster")},
            {"label": "新增党员", "url": ""},
        ]
        return render(
            request,
            "orgs/service_form.html",
            {
                "form": form,
                "title": "新增党员",
                "object": "",
                "cancel_url": reverse("orgs:roster"),
                "breadcrumbs": crumbs,
            },
            status=status,
        )

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_anywhere(request.user, Action.CHANGE):
            raise Http404("未找到该记录。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(
            request,
            NewMemberForm(user=request.user, initial={"ethnicity": "汉族"}),
        )

    def post(self, request):
        form = NewMemberForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            membership = services.register_member(
                actor=request.user,
                org=form.cleaned_data["org"],
                person_data=form.person_fields(),
                membership_data=form.membership_fields(),
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, form, status=error.status_code)
        messages.success(request, f"已新增党员 {membership.person.name}。")
        return redirect("orgs:person_detail", pk=membership.person_id)
