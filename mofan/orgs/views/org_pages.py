"""Pages of one organisation or unit: detail, edit, structural changes, positions."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from mofan.access.scoping import Action, can_anywhere
from mofan.access.views_base import ScopedMixin
from mofan.core.errors import UserFacingError
from mofan.orgs import services, stats
from mofan.orgs.choices import PositionTitle
from mofan.orgs.forms import (
    AppointForm,
    ChildOrgForm,
    ChildUnitForm,
    DissolveForm,
    MergeForm,
    MoveForm,
    OrgForm,
    UnitForm,
)
from mofan.orgs.models import PartyOrg, Position, Unit
from mofan.orgs.views.base import ServiceFormView, org_crumbs


class OrgDetailView(ScopedMixin, View):
    model = PartyOrg
    action = Action.BROWSE

    def get(self, request, pk):
        org = self.get_scoped_object(
            pk, queryset=self.scoped_queryset().with_member_counts().select_related("unit")
        )
        positions = (
            Position.objects.restrict(request.user, Action.BROWSE)
            .filter(org=org, ended_on__isnull=True)
            .select_related("person")
            .order_by("title", "started_on")
        )
        can_change = self.allows(org, Action.CHANGE)
        context = {
            "org": org,
            "flags": stats.org_flags(org),
            "positions": positions,
            "history": org.history.all()[:20],
            "children": stats.with_level_counts(
                org.path,
                self.scoped_queryset().children_of(org).order_by("order", "path"),
            ),
            "can_change": can_change,
            "can_view_roster": can_anywhere(request.user, Action.VIEW),
            "breadcrumbs": org_crumbs(org, request.user),
        }
        return render(request, "orgs/org_detail.html", context)


class OrgEditView(ScopedMixin, View):
    model = PartyOrg
    action = Action.CHANGE

    def _units(self, request):
        return Unit.objects.restrict(request.user, Action.CHOOSE).order_by("path")

    def _render(self, request, org, form, status=200):
        return render(
            request,
            "orgs/org_form.html",
            {
                "org": org,
                "form": form,
                "breadcrumbs": [
                    *org_crumbs(org, request.user)[:-1],
                    {"label": org.display_name, "url": reverse("orgs:org_detail", args=[org.pk])},
                    {"label": "修改", "url": ""},
                ],
            },
            status=status,
        )

    def get(self, request, pk):
        org = self.get_scoped_object(pk)
        return self._render(request, org, OrgForm(instance=org, initial={"version": org.version},
                                                   units=self._units(request)))  # fmt: skip

    def post(self, request, pk):
        org = self.get_scoped_object(pk)
        # A fresh copy for the form to change, so `org` keeps the stored values if it is refused.
        form = OrgForm(
            request.POST, instance=self.get_scoped_object(pk), units=self._units(request)
        )
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


class OrgActionView(ScopedMixin, View):
    """Structural changes an org admin makes on one organisation: add a child, move, merge, dissolve."""

    model = PartyOrg
    action = Action.CHANGE
    titles = {
        "add_child": "新建下级组织",
        "move": "调整隶属关系",
        "merge": "合并",
        "dissolve": "撤销",
    }

    detail_url_name = "orgs:org_detail"
    picker_kind = "orgs"

    def _form(self, kind: str, org: PartyOrg, data=None):
        if kind == "add_child":
            return ChildOrgForm(data, parent_kind=org.kind)
        if kind == "dissolve":
            return DissolveForm(data)
        form = {"move": MoveForm, "merge": MergeForm}[kind]
        return form(data, kind=self.picker_kind, user=self.request.user)

    def create_child(self, parent, data):
        return services.create_org(actor=self.request.user, parent=parent, **data)

    def crumbs(self, org) -> list[dict]:
        return org_crumbs(org, self.request.user)[:-1]

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
                target = data["target"]  # the form chose it inside the user's change scope
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
    picker_kind = "units"

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
    action = Action.BROWSE

    def get(self, request, pk):
        unit = self.get_scoped_object(pk)
        children = list(self.scoped_queryset().children_of(unit).order_by("order", "path"))
        counts = stats.unit_level_people(unit.path, children)
        context = {
            "unit": unit,
            "people": stats.people_in_units(unit),
            "children": [(child, counts[child.path]) for child in children],
            "history": unit.history.all()[:20],
            "can_change": self.allows(unit, Action.CHANGE),
            "breadcrumbs": [
                {"label": "单位", "url": reverse("orgs:unit_tree")},
                {"label": unit.display_name, "url": ""},
            ],
        }
        return render(request, "orgs/unit_detail.html", context)


class AppointView(ServiceFormView):
    model = PartyOrg
    title = "任命职务"

    def make_form(self, org, data=None):
        return AppointForm(data, org=org, user=self.request.user)

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
    action = Action.CHANGE

    def post(self, request, pk, position_pk):
        org = self.get_scoped_object(pk)
        position = (
            Position.objects.restrict(request.user, Action.CHANGE)
            .filter(pk=position_pk, org=org, ended_on__isnull=True)
            .first()
        )
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
            data, instance=self.get_scoped_object(unit.pk), initial={"version": unit.version}
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
