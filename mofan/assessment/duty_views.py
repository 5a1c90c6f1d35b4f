"""Pages of 责任清单: the lists a user keeps or must sign, a new list (from a template issued
above, with local duties), one list with its versions, and the templates an organisation issues."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, can_anywhere, person_of
from mofan.access.views_base import ScopedMixin
from mofan.assessment import duties
from mofan.assessment.choices import DutyKind
from mofan.assessment.models import DutyList
from mofan.core.errors import UserFacingError
from mofan.core.forms import int_or_none
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg

HOME = {"label": "考核评价", "url": reverse_lazy("assessment:home")}
LISTS = {"label": "责任清单", "url": reverse_lazy("assessment:duties")}


class DutiesView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        kept = DutyList.objects.restrict(user, Action.CHANGE).select_related("org", "person")
        mine = (
            DutyList.objects.restrict(user, Action.VIEW)
            .filter(person_id=person_of(user), template=False)
            .select_related("org")
            if person_of(user)
            else []
        )
        return render(request, "assessment/duties.html", {
            "lists": kept.filter(template=False)[:200], "templates": kept.filter(template=True),
            "mine": mine, "may_keep": can_anywhere(user, Action.CHANGE),
            "breadcrumbs": [HOME, {"label": "责任清单", "url": ""}],
        })  # fmt: skip


class DutyNewView(LoginRequiredMixin, View):
    """A new list (or, with ?template=1, a template for the organisations below): the
    organisation first, then its people and the templates issued for it."""

    def _org(self, request):
        org_id = int_or_none(request.GET.get("org") or request.POST.get("org"))
        orgs = PartyOrg.objects.restrict(request.user, Action.CHANGE)
        return orgs.filter(pk=org_id).first() if org_id else None

    def _render(self, request, org, status=200, error=""):
        today = timezone.localdate()
        template = request.GET.get("template") == "1" or request.POST.get("template") == "1"
        return render(request, "assessment/duty_new.html", {
            "org": org, "template": template, "error": error, "today": today,
            "orgs": PartyOrg.objects.restrict(request.user, Action.CHANGE).order_by("path")[:300],
            "kinds": DutyKind.choices,
            "target_kinds": [(k, v) for k, v in OrgKind.choices if k != OrgKind.GROUP],
            "holders": duties.holders(org, today) if org else [],
            "templates": duties.templates_for(org) if org else [],
            "years": [today.year - 1, today.year, today.year + 1],
            "data": request.POST,
            "breadcrumbs": [HOME, LISTS, {"label": "新建", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        if not can_anywhere(request.user, Action.CHANGE):
            raise Http404("未找到该记录。")
        return self._render(request, self._org(request))

    def post(self, request):
        org = self._org(request)
        if org is None:
            raise Http404("未找到该记录。")
        data = request.POST
        try:
            if data.get("template") == "1":
                made = duties.issue_template(
                    org, actor=request.user, kind=data.get("kind", ""),
                    target_kind=data.get("target_kind", ""), title=data.get("title", ""),
                    text=data.get("text", ""), year=int_or_none(data.get("year")) or 0,
                )  # fmt: skip
            else:
                holder = duties.holders(org, timezone.localdate()).filter(
                    person_id=int_or_none(data.get("person"))
                ).first()  # fmt: skip
                template = (
                    duties.templates_for(org).filter(pk=int_or_none(data.get("from"))).first()
                )
                if data.get("from") and template is None:
                    raise UserFacingError("所选模板不适用于本组织。")
                made = duties.create_list(
                    org, actor=request.user, year=int_or_none(data.get("year")) or 0,
                    kind=data.get("kind", ""), person=holder.person if holder else None,
                    template=template, text=data.get("text", ""),
                )  # fmt: skip
        except UserFacingError as error:
            return self._render(request, org, status=error.status_code, error=error.message)
        messages.success(request, f"已建立：{made.title}。")
        return redirect(reverse("assessment:duty", args=[made.pk]))


class DutyView(ScopedMixin, View):
    """One list: its duties (the template's and the local ones, with the indicators that measure
    them), whether the current version is signed, its earlier versions. The keepers change the
    local duties; the person responsible signs."""

    model = DutyList

    def _context(self, request, duty_list, error=""):
        keeps = self.allows(duty_list, Action.CHANGE) and not duty_list.template
        return {
            "list": duty_list, "keeps": keeps, "error": error,
            "duties": duty_list.duties.prefetch_related("indicators"),
            "local_text": "\n".join(
                duty_list.duties.filter(local=True).values_list("text", flat=True)
            ),
            "may_sign": not duty_list.template and duty_list.person_id == person_of(request.user),
            "revisions": duty_list.revisions.select_related("changed_by")[:20],
            "indicators": duties.indicators_for(duty_list) if keeps else [],
            "breadcrumbs": [HOME, LISTS, {"label": duty_list.title, "url": ""}],
        }  # fmt: skip

    def get(self, request, pk):
        duty_list = self.get_scoped_object(pk)
        return render(request, "assessment/duty.html", self._context(request, duty_list))

    def post(self, request, pk):
        duty_list = self.get_scoped_object(pk)
        data, op = request.POST, request.POST.get("op")
        version = int_or_none(data.get("version"))
        try:
            if op == "sign":
                duties.sign(duty_list, actor=request.user, version=version or 0)
                messages.success(request, "已签认。")
            elif op in ("save", "link"):
                duty_list = self.get_scoped_object(pk, Action.CHANGE)
                if op == "save":
                    duties.save_local(duty_list, actor=request.user, text=data.get("text", ""),
                                      version=version)  # fmt: skip
                else:
                    duty = duty_list.duties.filter(pk=int_or_none(data.get("duty"))).first()
                    if duty is None:
                        raise Http404("未找到该记录。")
                    wanted = {int_or_none(v) for v in data.getlist("indicators")}
                    chosen = [i for i in duties.indicators_for(duty_list) if i.pk in wanted]
                    if len(chosen) != len(wanted):
                        raise UserFacingError("所选指标不属于本组织本年度适用的考核指标体系。")
                    duties.link_indicators(duty, actor=request.user, indicators=chosen,
                                           version=version)  # fmt: skip
                messages.success(request, "已保存，需责任人重新签认。")
            else:
                raise UserFacingError("操作无效。")
        except UserFacingError as error:
            duty_list.refresh_from_db()
            context = self._context(request, duty_list, error=error.message)
            return render(request, "assessment/duty.html", context, status=error.status_code)
        return redirect(reverse("assessment:duty", args=[duty_list.pk]))
