"""Compliance as a heat map (organisations × months, ECharts served by the app) with drill-down to
one organisation's month: what was due, what was held, what was back-filled; and the rules."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action
from mofan.audit import services as audit
from mofan.core.errors import UserFacingError
from mofan.meetings import compliance, exports, services
from mofan.meetings.forms import RuleForm
from mofan.meetings.models import Meeting, MeetingRule
from mofan.meetings.querysets import reads_minutes
from mofan.meetings.views.base import OrgMixin
from mofan.orgs.models import PartyOrg

ROWS_PER_PAGE = 60


def _roots(user):
    """The organisations a user's view scope starts at (their topmost ones)."""
    return PartyOrg.objects.roots(user, Action.VIEW).order_by("path")


class ComplianceView(OrgMixin, View):
    def get(self, request):
        today = timezone.localdate()
        roots = list(_roots(request.user))
        root_id = request.GET.get("org", "")
        root = self.get_org(root_id) if root_id else (roots[0] if roots else None)
        try:
            year = int(request.GET.get("year") or today.year)
        except ValueError:
            year = today.year
        year = min(max(year, 2018), today.year)
        context = {
            "roots": roots,
            "root": root,
            "year": year,
            "years": list(range(today.year, max(2018, today.year - 5) - 1, -1)),
            "labels": compliance.LABELS,
            "breadcrumbs": [
                {"label": "组织生活", "url": reverse("meetings:home")},
                {"label": "合规情况", "url": ""},
            ],
        }
        if root is not None:
            listed = compliance.listed_orgs(root, year, today)
            page = Paginator(listed, ROWS_PER_PAGE).get_page(request.GET.get("page"))
            rows = compliance.matrix(root, year, today, orgs=list(page.object_list)).rows
            notes = compliance.overlay_notes(
                request.user, [row.org.pk for row in rows], year, today
            )
            context |= {
                "page": page,
                "rows": rows,
                "totals": compliance.month_totals(root, year, today),
                "chart_height": len(rows) * 26 + 90,
                "chart": (
                    {
                        "orgs": [row.org.display_name for row in rows],
                        "ids": [row.org.pk for row in rows],
                        "cells": [
                            [month, index, cell["status"], cell["required"], cell["met"],
                             cell["back_filled"], notes.get((row.org.pk, month + 1), [])]
                            for index, row in enumerate(rows)
                            for month, cell in enumerate(row.cells)
                        ],
                        "labels": compliance.LABELS,
                        "year": year,
                        "cell_url": reverse("meetings:cell", args=[0, year, 1]),
                    }
                ),
            }  # fmt: skip
        return render(request, "meetings/compliance.html", context)


class CellView(OrgMixin, View):
    """One organisation, one month: the requirements due and the meetings held (htmx partial)."""

    def get(self, request, pk, year, month):
        org = self.get_org(pk)  # a member sees their own branch's month, like its page
        if not 1 <= month <= 12 or not 2000 <= year <= 2100:
            return render(request, "404.html", status=404)
        index = year * 12 + month - 1
        meetings = (
            Meeting.objects.restrict(request.user, Action.VIEW)
            .filter(org=org, month_index=index)
            .order_by("starts_at", "pk")
        )
        due = compliance.due_in_month(org, index)
        rules = compliance.applicable_rules(org, *compliance.month_bounds(index))
        meetings = list(meetings)
        for meeting in meetings:
            meeting.not_counted = compliance.why_not_counted(meeting, rules)
        others = compliance.overlay_items(request.user, org, year, month, timezone.localdate())
        context = {"org": org, "year": year, "month": month, "meetings": meetings, "due": due,
                   "others": others}  # fmt: skip
        return render(request, "meetings/_cell.html", context)


class RulesView(OrgMixin, View):
    """The rules in force: the national floor and the local rules; org admins add stricter ones."""

    def _render(self, request, form, status=200):
        admin_orgs = PartyOrg.objects.restrict(request.user, Action.CHANGE)
        context = {
            "rules": MeetingRule.objects.restrict(request.user, Action.VIEW).select_related("org"),
            "form": form,
            "admin_orgs": admin_orgs.order_by("path")[:200],
            "may_add": admin_orgs.exists(),
            "today": timezone.localdate(),
            "breadcrumbs": [
                {"label": "组织生活", "url": reverse("meetings:home")},
                {"label": "组织生活规定", "url": ""},
            ],
        }
        return render(request, "meetings/rules.html", context, status=status)

    def get(self, request):
        return self._render(request, RuleForm(initial={"effective_from": timezone.localdate()}))

    def post(self, request):
        if request.POST.get("end"):
            rule = (
                MeetingRule.objects.restrict(request.user, Action.CHANGE)
                .filter(pk=request.POST.get("end"))
                .first()
            )
            if rule is None:
                return render(request, "404.html", status=404)
            try:
                services.end_rule(rule, actor=request.user, on=timezone.localdate())
            except UserFacingError as error:
                messages.error(request, error.message)
                return self._render(request, RuleForm(), status=error.status_code)
            messages.success(request, "该本地规定已停止执行。")
            return redirect("meetings:rules")
        form = RuleForm(request.POST)
        org = (
            PartyOrg.objects.restrict(request.user, Action.CHANGE)
            .filter(
                Q(pk=request.POST.get("org"))
                if request.POST.get("org", "").isdecimal()
                else Q(pk=None)
            )
            .first()
        )
        if not form.is_valid() or org is None:
            if org is None:
                form.add_error(None, "请选择适用的组织（须在您的管辖范围内）。")
            return self._render(request, form, status=400)
        try:
            services.add_local_rule(org, actor=request.user, **form.cleaned_data)
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, form, status=error.status_code)
        messages.success(request, "本地规定已增加，合规情况将在一分钟内按新规定重新计算。")
        return redirect("meetings:rules")


class ExportView(OrgMixin, View):
    """会议记录本 (Word) of an organisation's year, compliance statistics (Excel) of a subtree."""

    def get(self, request, pk, year, fmt):
        today = timezone.localdate()
        org = self.get_org(pk, action=Action.VIEW)
        if not 2000 <= year <= today.year or fmt not in ("docx", "xlsx"):
            raise Http404("未找到该记录。")
        if fmt == "docx":
            meetings = list(exports.book_meetings(org, year).with_minutes_access(request.user))
            restricted = {m.pk for m in meetings if not reads_minutes(request.user, m)}
            path = exports.record_book(org, year, meetings, restricted=restricted)
            count, name = len(meetings), f"{org.display_name}{year}年度会议记录本.docx"
        else:
            path, count = exports.statistics(org, year, today)
            name = f"{org.display_name}{year}年组织生活合规情况.xlsx"
        audit.record(
            request.user,
            "meetings.exported",
            org,
            payload={"format": fmt, "year": year, "rows": count},
        )
        return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115
