"""Pages of the organisation domain. Thin: parse input, call the scoping layer or a service, render."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from mofan.access.scoping import scope_for
from mofan.audit import services as audit
from mofan.core.errors import StaleEdit, UserFacingError
from mofan.core.views_base import ScopedMixin, paginate
from mofan.orgs import exports, imports, services, stats
from mofan.orgs.choices import PositionTitle
from mofan.orgs.filters import PeopleFilter, RosterFilter
from mofan.orgs.forms import (
    AppointForm,
    ChildOrgForm,
    ChildUnitForm,
    DissolveForm,
    MembershipForm,
    MergeForm,
    MoveForm,
    NewMemberForm,
    OrgForm,
    PersonForm,
    TransferForm,
    UnitForm,
)
from mofan.orgs.models import Membership, PartyOrg, Person, Position, Unit


def _org_crumbs(org: PartyOrg, user) -> list[dict]:
    """Breadcrumbs along the ancestors the user may see (one query)."""
    crumbs = [{"label": "组织架构", "url": reverse("orgs:tree")}]
    ancestors = PartyOrg.objects.restrict(user, "view").filter(
        path__in=[
            org.path[:end] for end in range(PartyOrg.steplen, len(org.path), PartyOrg.steplen)
        ]
    )
    crumbs += [
        {"label": a.display_name, "url": reverse("orgs:org_detail", args=[a.pk])} for a in ancestors
    ]
    crumbs.append({"label": org.display_name, "url": ""})
    return crumbs


class TreeView(ScopedMixin, View):
    """The org tree, one level at a time: roots first, children fetched by htmx when opened."""

    model = PartyOrg

    def get(self, request):
        scope = scope_for(request.user)
        visible = self.scoped_queryset()
        parent_id = request.GET.get("parent")
        parent = None
        if parent_id:
            parent = self.get_scoped_object(parent_id)
            nodes = visible.filter(path__startswith=parent.path, depth=parent.depth + 1)
        elif scope.sees_all_structure:
            nodes = visible.filter(depth=1)
        else:
            # Roots of what the user may see: the tops of their scopes.
            nodes = visible.filter(path__in=scope.tree_org_paths)
        nodes = list(nodes.order_by("order", "path"))
        if parent is None:
            # Top nodes may sit at different depths: count each within its own subtree.
            rows = [row for node in nodes for row in stats.with_level_counts(node.path, [node])]
        else:
            rows = stats.with_level_counts(parent.path, nodes)
        template = "orgs/_tree_level.html" if request.htmx or parent_id else "orgs/tree.html"
        return render(
            request, template, {"rows": rows, "breadcrumbs": [{"label": "组织架构", "url": ""}]}
        )


class UnitTreeView(ScopedMixin, View):
    """The unit tree (单位/部门/处室), one level at a time, with the people in each subtree."""

    model = Unit

    def get(self, request):
        scope = scope_for(request.user)
        visible = self.scoped_queryset()
        parent_id = request.GET.get("parent")
        if parent_id:
            parent = self.get_scoped_object(parent_id)
            levels = [
                (parent.path, visible.filter(path__startswith=parent.path, depth=parent.depth + 1))
            ]
        elif scope.sees_all_structure:
            levels = [(u.path, [u]) for u in visible.filter(depth=1)]
        else:
            levels = [(u.path, [u]) for u in visible.filter(path__in=scope.tree_unit_paths)]
        rows = []
        for within, units in levels:
            units = list(units.order_by("order", "path")) if hasattr(units, "order_by") else units
            counts = stats.unit_level_people(within, units)
            rows += [(unit, counts[unit.path]) for unit in units]
        template = "orgs/_unit_level.html" if parent_id else "orgs/unit_tree.html"
        return render(
            request, template, {"rows": rows, "breadcrumbs": [{"label": "单位", "url": ""}]}
        )


class OrgDetailView(ScopedMixin, View):
    model = PartyOrg

    def get(self, request, pk):
        org = self.get_scoped_object(pk, queryset=self.scoped_queryset().with_member_counts())
        positions = (
            Position.objects.filter(org=org, ended_on__isnull=True)
            .select_related("person")
            .order_by("title", "started_on")
        )
        can_change = PartyOrg.objects.restrict(request.user, "change").filter(pk=org.pk).exists()
        context = {
            "org": org,
            "flags": stats.org_flags(org),
            "positions": positions,
            "history": org.history.all()[:20],
            "children": stats.with_level_counts(
                org.path,
                PartyOrg.objects.filter(path__startswith=org.path, depth=org.depth + 1).order_by(
                    "order", "path"
                ),
            ),
            "can_change": can_change,
            "can_view_roster": scope_for(request.user).can_anywhere("view"),
            "breadcrumbs": _org_crumbs(org, request.user),
        }
        return render(request, "orgs/org_detail.html", context)


class OrgEditView(ScopedMixin, View):
    model = PartyOrg
    action = "change"

    def _render(self, request, org, form, status=200):
        return render(
            request,
            "orgs/org_form.html",
            {
                "org": org,
                "form": form,
                "breadcrumbs": [
                    *_org_crumbs(org, request.user)[:-1],
                    {"label": org.display_name, "url": reverse("orgs:org_detail", args=[org.pk])},
                    {"label": "修改", "url": ""},
                ],
            },
            status=status,
        )

    def get(self, request, pk):
        org = self.get_scoped_object(pk)
        return self._render(request, org, OrgForm(instance=org, initial={"version": org.version}))

    def post(self, request, pk):
        org = self.get_scoped_object(pk)
        form = OrgForm(request.POST, instance=PartyOrg.objects.get(pk=org.pk))
        if not form.is_valid():
            return self._render(request, org, form, status=400)
        try:
            services.update_org(
                org,
                actor=request.user,
                version=form.cleaned_data["version"],
                **form.changed_fields(),
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            org.refresh_from_db()
            return self._render(request, org, form, status=error.status_code)
        messages.success(request, "已保存。")
        return redirect("orgs:org_detail", pk=org.pk)


def _roster_filter(request) -> RosterFilter:
    base = Membership.objects.visible_to(request.user).select_related(
        "person", "person__unit", "org"
    )
    filterset = RosterFilter(request.GET or None, queryset=base, user=request.user)
    return filterset


class RosterView(ScopedMixin, View):
    model = Membership

    def get(self, request):
        filterset = _roster_filter(request)
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
            "can_import": scope_for(request.user).can_anywhere("change"),
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
        filterset = _roster_filter(request)
        path, count = exports.roster_xlsx(filterset.qs)
        audit.record(
            request.user,
            "orgs.roster.exported",
            payload={"filters": request.GET.dict(), "rows": count},
        )
        return FileResponse(open(path, "rb"), as_attachment=True, filename="党员名册.xlsx")  # noqa: SIM115


class PeopleView(ScopedMixin, View):
    model = Person

    def get(self, request):
        base = (
            Person.objects.visible_to(request.user)
            .select_related("unit")
            .order_by("name_stroke_key", "pk")
        )
        filterset = PeopleFilter(request.GET or None, queryset=base, user=request.user)
        page = paginate(request, filterset.qs)
        return render(
            request,
            "orgs/people.html",
            {"filter": filterset, "page": page, "breadcrumbs": [{"label": "人员", "url": ""}]},
        )


class PersonDetailView(ScopedMixin, View):
    model = Person

    def get(self, request, pk):
        person = self.get_scoped_object(
            pk,
            queryset=self.scoped_queryset()
            .select_related("unit", "membership", "membership__org")
            .prefetch_related(
                Prefetch("positions", queryset=Position.objects.select_related("org"))
            ),
        )
        can_view_pii = (
            Person.objects.restrict(request.user, "view_pii").filter(pk=person.pk).exists()
            or person.pk == scope_for(request.user).person_id
        )
        pii = None
        if can_view_pii and request.GET.get("reveal") == "1":
            pii = services.view_pii(person, actor=request.user)
        membership = getattr(person, "membership", None)
        context = {
            "can_change": Person.objects.restrict(request.user, "change")
            .filter(pk=person.pk)
            .exists(),
            "person": person,
            "membership": membership,
            "transfers": membership.transfers.select_related("from_org", "to_org")
            if membership
            else [],
            "can_view_pii": can_view_pii,
            "pii": pii,
            "breadcrumbs": [
                {"label": "党员名册", "url": reverse("orgs:roster")},
                {"label": person.name, "url": ""},
            ],
        }
        return render(request, "orgs/person_detail.html", context)


class RosterImportView(ScopedMixin, View):
    """Upload a roster workbook; all rows are saved, or none and the user gets the marked errors."""

    model = PartyOrg
    action = "change"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).can_anywhere("change"):
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
        messages.success(request, f"已导入 {result.created} 名党员。")
        return redirect("orgs:roster")


class RosterImportTemplateView(RosterImportView):
    def get(self, request):
        path = imports.template_xlsx()
        return FileResponse(open(path, "rb"), as_attachment=True, filename="党员名册导入模板.xlsx")  # noqa: SIM115


class RosterImportErrorsView(RosterImportView):
    def get(self, request, name):
        # Only the importer's own folder, and only names this app wrote.
        folder = Path(settings.VAR_DIR) / "imports" / str(request.user.pk)
        path = folder / name
        if not re.fullmatch(r"errors-[\w]+\.xlsx", name) or not path.is_file():
            raise Http404("未找到该记录。")
        return FileResponse(open(path, "rb"), as_attachment=True, filename="导入错误标注.xlsx")  # noqa: SIM115


class OrgActionView(ScopedMixin, View):
    """Structural changes an org admin makes on one organisation: add a child, move, merge, dissolve."""

    model = PartyOrg
    action = "change"
    titles = {
        "add_child": "新建下级组织",
        "move": "调整隶属关系",
        "merge": "合并",
        "dissolve": "撤销",
    }

    detail_url_name = "orgs:org_detail"

    def _form(self, kind: str, org: PartyOrg, data=None):
        if kind == "add_child":
            return ChildOrgForm(data, parent_kind=org.kind)
        return {"move": MoveForm, "merge": MergeForm, "dissolve": DissolveForm}[kind](data)

    def create_child(self, parent, data):
        return services.create_org(actor=self.request.user, parent=parent, **data)

    def crumbs(self, org) -> list[dict]:
        return _org_crumbs(org, self.request.user)[:-1]

    def _render(self, request, org, kind, form, status=200):
        crumbs = [
            *self.crumbs(org),
            {"label": org.display_name, "url": reverse(self.detail_url_name, args=[org.pk])},
            {"label": self.titles[kind], "url": ""},
        ]
        context = {
            "org": org,
            "form": form,
            "title": self.titles[kind],
            "kind": kind,
            "breadcrumbs": crumbs,
            "cancel_url": reverse(self.detail_url_name, args=[org.pk]),
        }
        return render(request, "orgs/org_action.html", context, status=status)

    def get(self, request, pk, kind):
        if kind not in self.titles:
            raise Http404("未找到该记录。")
        org = self.get_scoped_object(pk)
        return self._render(request, org, kind, self._form(kind, org))

    def post(self, request, pk, kind):
        if kind not in self.titles:
            raise Http404("未找到该记录。")
        org = self.get_scoped_object(pk)
        form = self._form(kind, org, request.POST)
        if not form.is_valid():
            return self._render(request, org, kind, form, status=400)
        data = form.cleaned_data
        try:
            if kind == "add_child":
                child = self.create_child(org, data)
                messages.success(request, f"已新建“{child.name}”。")
                return redirect(self.detail_url_name, pk=child.pk)
            if kind == "dissolve":
                services.dissolve_node(org, actor=request.user, on=data["on"])
            else:
                # The target must be inside the user's own change scope, like the org itself.
                target = self.scoped_queryset().filter(code=data["target_code"].strip()).first()
                if target is None:
                    form.add_error("target_code", "未找到该编码的组织，或不在您的管辖范围内。")
                    return self._render(request, org, kind, form, status=400)
                if kind == "move":
                    services.move_node(org, actor=request.user, new_parent=target, on=data["on"])
                else:
                    services.merge_nodes(org, actor=request.user, target=target, on=data["on"])
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, org, kind, form, status=error.status_code)
        messages.success(request, f"已完成：{self.titles[kind]}“{org.name}”。")
        return redirect(self.detail_url_name, pk=org.pk)


class UnitActionView(OrgActionView):
    """The same structural changes on the unit tree, by an org admin whose scope is a unit."""

    model = Unit
    titles = {
        "add_child": "新建下级单位",
        "move": "调整隶属关系",
        "merge": "合并",
        "dissolve": "撤销",
    }
    detail_url_name = "orgs:unit_detail"

    def _form(self, kind: str, unit, data=None):
        if kind == "add_child":
            return ChildUnitForm(data)
        return super()._form(kind, unit, data)

    def create_child(self, parent, data):
        return services.create_unit(actor=self.request.user, parent=parent, **data)

    def crumbs(self, unit) -> list[dict]:
        return [{"label": "单位", "url": reverse("orgs:unit_tree")}]


class UnitDetailView(ScopedMixin, View):
    model = Unit

    def get(self, request, pk):
        unit = self.get_scoped_object(pk)
        children = list(
            Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1).order_by(
                "order", "path"
            )
        )
        counts = stats.unit_level_people(unit.path, children)
        context = {
            "unit": unit,
            "people": Person.objects.filter(unit__path__startswith=unit.path).count(),
            "children": [(child, counts[child.path]) for child in children],
            "history": unit.history.all()[:20],
            "can_change": Unit.objects.restrict(request.user, "change").filter(pk=unit.pk).exists(),
            "breadcrumbs": [
                {"label": "单位", "url": reverse("orgs:unit_tree")},
                {"label": unit.display_name, "url": ""},
            ],
        }
        return render(request, "orgs/unit_detail.html", context)


class ServiceFormView(ScopedMixin, View):
    """A form over one scoped object whose valid input goes to one service function.

    Bad input answers 400, a stale edit 409 (with the form reloaded from the current record),
    anything the service refuses its own status; nothing changes in any of these cases.
    Subclasses define make_form(obj, data=None), perform(obj, form) -> success message, and
    success_url(obj).
    """

    action = "change"
    title = ""
    template_name = "orgs/service_form.html"

    def get_object(self, pk):
        return self.get_scoped_object(pk)

    def crumbs(self, obj) -> list[dict]:
        return [{"label": str(obj), "url": self.success_url(obj)}, {"label": self.title, "url": ""}]

    def _render(self, request, obj, form, status=200, note=""):
        context = {
            "object": obj,
            "form": form,
            "title": self.title,
            "note": note,
            "cancel_url": self.success_url(obj),
            "breadcrumbs": self.crumbs(obj),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        obj = self.get_object(pk)
        return self._render(request, obj, self.make_form(obj))

    def post(self, request, pk):
        obj = self.get_object(pk)
        form = self.make_form(obj, request.POST)
        if not form.is_valid():
            return self._render(request, obj, form, status=400)
        try:
            message = self.perform(obj, form)
        except StaleEdit as error:
            fresh = self.get_object(pk)
            return self._render(
                request,
                fresh,
                self.make_form(fresh),
                status=409,
                note=f"{error.message}下方已是最新内容，您刚才的修改未保存。",
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, obj, form, status=error.status_code)
        messages.success(request, message)
        return redirect(self.success_url(obj))


class PersonEditView(ServiceFormView):
    model = Person
    title = "修改人员信息"

    def get(self, request, pk):
        # The form shows the full ID and phone numbers: that is a view of personal data, audited.
        services.view_pii(self.get_object(pk), actor=request.user)
        return super().get(request, pk)

    def make_form(self, person, data=None):
        return PersonForm(data, initial=PersonForm.initial_for(person))

    def perform(self, person, form):
        services.update_person(
            person,
            actor=self.request.user,
            version=form.cleaned_data["version"],
            **form.person_fields(),
        )
        return "人员信息已保存。"

    def success_url(self, person):
        return reverse("orgs:person_detail", args=[person.pk])


class MembershipEditView(ServiceFormView):
    model = Membership
    title = "修改党员信息"

    def get_object(self, pk):
        # Addressed by the person, like every page about a member.
        membership = self.scoped_queryset().filter(person_id=pk).select_related("person").first()
        if membership is None:
            raise Http404("未找到该记录。")
        return membership

    def make_form(self, membership, data=None):
        initial = {
            f: getattr(membership, f)
            for f in ("version", "kind", "joined_on", "confirmed_on", "status")
        }
        return MembershipForm(data, initial=initial)

    def perform(self, membership, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.update_membership(
            membership, actor=self.request.user, version=form.cleaned_data["version"], **data
        )
        return "党员信息已保存。"

    def success_url(self, membership):
        return reverse("orgs:person_detail", args=[membership.person_id])


class TransferView(MembershipEditView):
    title = "组织关系转接"

    def make_form(self, membership, data=None):
        return TransferForm(data)

    def perform(self, membership, form):
        data = form.cleaned_data
        to_org = None
        if data["to_org_code"].strip():
            # Transfers inside the system go to an organisation the admin may see.
            to_org = (
                PartyOrg.objects.restrict(self.request.user, "view")
                .filter(code=data["to_org_code"].strip())
                .first()
            )
            if to_org is None:
                raise UserFacingError("未找到该编码的党组织，或不在您的管辖范围内。")
        services.transfer(
            membership,
            actor=self.request.user,
            on=data["on"],
            to_org=to_org,
            other_org_name=data["other_org_name"].strip(),
            note=data["note"],
        )
        return "组织关系转接已登记。"


class AppointView(ServiceFormView):
    model = PartyOrg
    title = "任命职务"

    def make_form(self, org, data=None):
        return AppointForm(data, org=org)

    def perform(self, org, form):
        data = form.cleaned_data
        services.appoint(
            actor=self.request.user,
            person=data["person"],
            org=org,
            title=data["title"],
            started_on=data["started_on"],
        )
        return f"已任命 {data['person'].name} 为{org.display_name}{PositionTitle(data['title']).label}。"

    def success_url(self, org):
        return reverse("orgs:org_detail", args=[org.pk])


class EndPositionView(ScopedMixin, View):
    model = PartyOrg
    action = "change"

    def post(self, request, pk, position_pk):
        org = self.get_scoped_object(pk)
        position = Position.objects.filter(pk=position_pk, org=org, ended_on__isnull=True).first()
        if position is None:
            raise Http404("未找到该记录。")
        form = DissolveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请填写有效的离任日期。")
            return redirect("orgs:org_detail", pk=org.pk)
        try:
            services.end_position(position, actor=request.user, ended_on=form.cleaned_data["on"])
        except UserFacingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"{position.person.name} 已离任。")
        return redirect("orgs:org_detail", pk=org.pk)


class UnitEditView(ServiceFormView):
    model = Unit
    title = "修改单位信息"

    def make_form(self, unit, data=None):
        return UnitForm(
            data, instance=Unit.objects.get(pk=unit.pk), initial={"version": unit.version}
        )

    def perform(self, unit, form):
        services.update_unit(
            unit,
            actor=self.request.user,
            version=form.cleaned_data["version"],
            **form.changed_fields(),
        )
        return "单位信息已保存。"

    def success_url(self, unit):
        return reverse("orgs:unit_detail", args=[unit.pk])


class NewMemberView(ScopedMixin, View):
    """Enter one new party member by hand (many at once: the roster import)."""

    model = PartyOrg
    action = "change"

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
        if request.user.is_authenticated and not scope_for(request.user).can_anywhere("change"):
            raise Http404("未找到该记录。")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(
            request, NewMemberForm(orgs=self.scoped_queryset(), initial={"ethnicity": "汉族"})
        )

    def post(self, request):
        form = NewMemberForm(request.POST, orgs=self.scoped_queryset())
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
