"""Pages of the 督查检查考核 registry: what an organisation registered and received this year, the
caps it sets, a new registration (refused beyond a cap without the reason, else waiting for the
cap's organisation), one entry with its approval and the data sheet of each organisation."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, can_anywhere
from mofan.access.views_base import ScopedMixin
from mofan.assessment import downloads, registry
from mofan.assessment.choices import CheckKind
from mofan.assessment.models import CheckCap, CheckEntry
from mofan.core.errors import UserFacingError
from mofan.core.forms import date_or_none, int_or_none
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg

HOME = {"label": "考核评价", "url": reverse_lazy("assessment:home")}
CHECKS = {"label": "督查检查考核", "url": reverse_lazy("assessment:checks")}


class ChecksView(LoginRequiredMixin, View):
    def _render(self, request, status=200, error=""):
        user, today = request.user, timezone.localdate()
        year = int_or_none(request.GET.get("year")) or today.year
        seen = CheckEntry.objects.restrict(user, Action.VIEW).filter(year=year)
        received_orgs = PartyOrg.objects.restrict(user, Action.VIEW).filter(
            pk__in=CheckEntry.targets.through.objects.filter(
                checkentry__year=year, checkentry__in=seen
            ).values("partyorg_id")
        ).order_by("path")[:200]  # fmt: skip
        return render(request, "assessment/checks.html", {
            "year": year, "years": [today.year - 1, today.year, today.year + 1], "error": error,
            "registered": CheckEntry.objects.restrict(user, Action.ASSESS).filter(year=year)
            .select_related("org").prefetch_related("targets")[:200],
            "to_decide": CheckEntry.objects.restrict(user, Action.VIEW).to_decide(user).select_related("org", "approver"),
            "received": registry.year_counts(received_orgs, year),
            "kinds": registry.counts_by_kind(seen),
            "caps": CheckCap.objects.restrict(user, Action.ASSESS).filter(year=year)
            .select_related("org"),
            "cap_orgs": PartyOrg.objects.restrict(user, Action.ASSESS)
            .exclude(kind=OrgKind.GROUP).order_by("path")[:300],
            "may_register": can_anywhere(user, Action.ASSESS),
            "breadcrumbs": [HOME, {"label": "督查检查考核", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        return self._render(request)

    def post(self, request):
        """Set a yearly cap (the organisation's admins)."""
        org = PartyOrg.objects.restrict(request.user, Action.ASSESS).filter(
            pk=int_or_none(request.POST.get("org"))
        ).first()  # fmt: skip
        if org is None:
            raise Http404("未找到该记录。")
        try:
            registry.set_cap(org, actor=request.user, year=int_or_none(request.POST.get("year")),
                             cap=request.POST.get("cap", ""))  # fmt: skip
        except UserFacingError as error:
            return self._render(request, status=error.status_code, error=error.message)
        messages.success(request, f"已设定{org.name}下级组织的年度总量。")
        return redirect(reverse("assessment:checks"))


class CheckNewView(LoginRequiredMixin, View):
    """Choose the organisation that runs it, then the title, kind, dates and the organisations
    below it that it is aimed at."""

    def _org(self, request):
        org_id = int_or_none(request.GET.get("org") or request.POST.get("org"))
        orgs = PartyOrg.objects.restrict(request.user, Action.ASSESS)
        return orgs.filter(pk=org_id).first() if org_id else None

    def _render(self, request, org, status=200, error=""):
        today = timezone.localdate()
        candidates = []
        if org is not None:
            candidates = list(
                PartyOrg.objects.restrict(request.user, Action.ASSESS).subtree(org)
                .exclude(pk=org.pk).exclude(kind=OrgKind.GROUP).active().order_by("path")[:300]
            )  # fmt: skip
            for found in registry.year_counts(candidates, today.year):
                found["org"].received, found["org"].cap = found["received"], found["cap"]
        return render(request, "assessment/check_new.html", {
            "org": org, "error": error, "kinds": CheckKind.choices, "today": today,
            "orgs": PartyOrg.objects.restrict(request.user, Action.ASSESS)
            .exclude(kind=OrgKind.GROUP).order_by("path")[:300],
            "candidates": candidates, "data": request.POST,
            "chosen": set(request.POST.getlist("targets")),
            "breadcrumbs": [HOME, CHECKS, {"label": "登记", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        if not can_anywhere(request.user, Action.ASSESS):
            raise Http404("未找到该记录。")
        return self._render(request, self._org(request))

    def post(self, request):
        org = self._org(request)
        if org is None:
            raise Http404("未找到该记录。")
        data = request.POST
        wanted = {int_or_none(v) for v in data.getlist("targets")} - {None}
        targets = list(PartyOrg.objects.restrict(request.user, Action.ASSESS).filter(pk__in=wanted))
        try:
            if len(targets) != len(wanted):
                raise UserFacingError("所选对象不存在，或不在您的管理范围内。")
            starts_on = date_or_none(data.get("starts_on"))
            entry = registry.register(
                org, actor=request.user, year=starts_on.year if starts_on else None,
                title=data.get("title"), kind=data.get("kind"), starts_on=starts_on,
                ends_on=date_or_none(data.get("ends_on")), targets=targets, reason=data.get("reason", ""),
            )  # fmt: skip
        except UserFacingError as error:
            return self._render(request, org, status=error.status_code, error=error.message)
        messages.success(request, "已登记。" if entry.state == "registered"
                         else f"已登记，超出年度总量，待{entry.approver.name}审批。")  # fmt: skip
        return redirect(reverse("assessment:check", args=[entry.pk]))


class CheckView(ScopedMixin, View):
    model = CheckEntry

    def _context(self, request, entry, error=""):
        user = request.user
        targets = list(entry.targets.order_by("path"))
        readable = set(
            PartyOrg.objects.restrict(user, Action.VIEW).filter(pk__in=[t.pk for t in targets])
            .values_list("pk", flat=True)
        )  # fmt: skip
        runs = self.allows(entry, Action.ASSESS)
        counts = registry.year_counts(targets, entry.year)
        for found in counts:
            found["sheet"] = runs or found["org"].pk in readable
        return {
            "entry": entry, "targets": counts, "runs": runs, "error": error,
            "decides": CheckEntry.objects.restrict(user, Action.VIEW).to_decide(user).filter(pk=entry.pk).exists(),
            "breadcrumbs": [HOME, CHECKS, {"label": entry.title, "url": ""}],
        }  # fmt: skip

    def get(self, request, pk):
        entry = self.get_scoped_object(pk, Action.VIEW, CheckEntry.objects.restrict(
            request.user, Action.VIEW).select_related("org", "approver", "decided_by"))  # fmt: skip
        return render(request, "assessment/check.html", self._context(request, entry))

    def post(self, request, pk):
        entry = self.get_scoped_object(
            pk,
            queryset=CheckEntry.objects.restrict(request.user, Action.VIEW).to_decide(request.user),
        )
        try:
            registry.decide(entry, actor=request.user, approve=request.POST.get("op") == "approve",
                            note=request.POST.get("note", ""))  # fmt: skip
        except UserFacingError as error:
            entry.refresh_from_db()
            context = self._context(request, entry, error=error.message)
            return render(request, "assessment/check.html", context, status=error.status_code)
        messages.success(request, "已审批。")
        return redirect(reverse("assessment:check", args=[entry.pk]))


class SheetView(ScopedMixin, View):
    """The data sheet of one organisation an entry is aimed at: its runners, and the readers of
    that organisation."""

    model = CheckEntry

    def get(self, request, pk, org_pk):
        entry = self.get_scoped_object(pk, Action.VIEW)
        org = entry.targets.filter(pk=org_pk).first()
        if org is None or not (
            self.allows(entry, Action.ASSESS) or self.allows(org, Action.VIEW)
        ):  # fmt: skip
            raise Http404("未找到该记录。")
        return downloads.check_sheet(request.user, entry, org)
