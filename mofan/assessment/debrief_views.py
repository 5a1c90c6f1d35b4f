"""Pages of 述职评议: the organiser's page (who reports, the slips to print, open and close the
vote, the tally, publish), the printable sheet of slips, and the ballot a voter's phone opens
from a slip's QR code — without an account, since the slip is the right to vote."""

from datetime import datetime

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, can_anywhere
from mofan.access.views_base import ScopedMixin
from mofan.assessment import debriefs
from mofan.assessment.choices import DebriefKind, DebriefState, Mark
from mofan.assessment.models import Debrief, Debriefer
from mofan.core.errors import InvalidInput, UserFacingError
from mofan.core.forms import date_or_none, int_or_none
from mofan.meetings.models import Meeting
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg

HOME = {"label": "考核评价", "url": reverse_lazy("assessment:home")}


def _moment(value):
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return timezone.make_aware(datetime.strptime(text, "%Y-%m-%dT%H:%M"))
    except ValueError as exc:
        raise InvalidInput("投票截止时间格式有误。") from exc


class DebriefNewView(LoginRequiredMixin, View):
    def _render(self, request, status=200, error=""):
        today = timezone.localdate()
        return render(request, "assessment/debrief_new.html", {
            "orgs": PartyOrg.objects.restrict(request.user, Action.ASSESS)
            .exclude(kind=OrgKind.GROUP).order_by("path")[:300],
            "years": [today.year - 1, today.year, today.year + 1], "today": today,
            "data": request.POST, "error": error, "kinds": DebriefKind.choices,
            "breadcrumbs": [HOME, {"label": "新建述职评议", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        if not can_anywhere(request.user, Action.ASSESS):
            raise Http404("未找到该记录。")
        return self._render(request)

    def post(self, request):
        data = request.POST
        org_id = data.get("org", "")
        org = PartyOrg.objects.restrict(request.user, Action.ASSESS).filter(
            pk=int(org_id) if org_id.isdecimal() else None
        ).first()  # fmt: skip
        if org is None:
            return self._render(request, status=400, error="请选择组织单位。")
        try:
            debrief = debriefs.create_debrief(
                actor=request.user, org=org, year=int_or_none(data.get("year")), title=data.get("title"),
                held_on=date_or_none(data.get("held_on")), voters=data.get("voters"),
                closes_at=_moment(data.get("closes_at")), kind=data.get("kind"),
                poor_share=data.get("poor_share"),
            )  # fmt: skip
        except UserFacingError as error:
            return self._render(request, status=error.status_code, error=error.message)
        messages.success(request, "已新建述职评议，请添加述职人并打印评议票。")
        return redirect(reverse("assessment:debrief", args=[debrief.pk]))


class DebriefView(ScopedMixin, View):
    """The organiser sees and runs it all; after publication, a reader of the organiser's records
    sees every line, one who reported (and their organisation's readers) their own line."""

    model = Debrief

    def _context(self, request, debrief, error=""):
        runs = self.allows(debrief, Action.ASSESS)
        seen = Debriefer.objects.restrict(request.user, Action.VIEW).filter(debrief=debrief)
        lines = (
            [debriefs.line_of(d, debrief.poor_share) for d in seen.select_related("person", "org")]
            if debriefs.shows_tally(debrief) and (runs or debrief.state == DebriefState.PUBLISHED)
            else []
        )
        candidates, meetings = [], []
        if runs and debrief.state == DebriefState.DRAFT:
            taken = set(debrief.debriefers.values_list("org_id", flat=True))
            candidates = [
                org for org in debriefs.reporting_orgs(debrief, PartyOrg.objects.restrict(
                    request.user, Action.ASSESS).subtree(debrief.org)).order_by("path")[:300]
                if org.pk not in taken
            ]  # fmt: skip
            meetings = (
                Meeting.objects.restrict(request.user, Action.VIEW)
                .filter(org=debrief.org, starts_at__year=debrief.year)
                .order_by("-starts_at")[:100]
            )
        return {
            "debrief": debrief, "runs": runs, "lines": lines, "error": error,
            "people": debrief.debriefers.select_related("person", "org") if runs else [],
            "reported": debrief.debriefers.filter(reported_at__isnull=False).count() if runs else 0,
            "candidates": candidates, "marks": Mark.choices, "meetings": meetings,
            "comments": debriefs.comments_of([line.debriefer for line in lines]) if lines else {},
            "flagged": [line for line in lines if line.flagged],
            "cast": debriefs.cast_count(debrief) if runs and debrief.state != DebriefState.DRAFT else None,
            "closes_passed": debrief.closes_at is not None and debrief.closes_at <= timezone.now(),
            "breadcrumbs": [HOME, {"label": debrief.title, "url": ""}],
        }  # fmt: skip

    def get(self, request, pk):
        debrief = self.get_scoped_object(pk, Action.VIEW, Debrief.objects.restrict(
            request.user, Action.VIEW).select_related("org"))  # fmt: skip
        context = self._context(request, debrief)
        if request.htmx and request.GET.get("part") == "count":
            return render(request, "assessment/_debrief_count.html", context)
        return render(request, "assessment/debrief.html", context)

    def post(self, request, pk):
        debrief = self.get_scoped_object(pk, Action.ASSESS, Debrief.objects.restrict(
            request.user, Action.ASSESS).select_related("org"))  # fmt: skip
        data, user = request.POST, request.user
        op = data.get("op")
        version = data.get("version")
        try:
            if op == "add":
                org = PartyOrg.objects.restrict(user, Action.ASSESS).filter(
                    pk=int(data.get("org")) if str(data.get("org", "")).isdecimal() else None
                ).first()  # fmt: skip
                if org is None:
                    raise InvalidInput("请选择述职人所在组织。")
                first = debriefs.reporters(org, debrief.held_on).first()
                if first is None:
                    raise InvalidInput(
                        f"{org.name}在{debrief.held_on:%Y年%m月%d日}没有在任的书记或委员，请先在组织信息中登记任职。"
                    )
                debriefs.add_debriefer(debrief, actor=user, org=org, person=first.person,
                                       version=version)  # fmt: skip
                done = (
                    f"已添加述职人：{first.person.name}（{org.name}{first.get_title_display()}）。"
                )
            elif op == "remove":
                debriefs.remove_debriefer(debrief, actor=user, version=version,
                                          debriefer_id=int_or_none(data.get("debriefer")))  # fmt: skip
                done = "已移除述职人。"
            elif op == "change":
                debriefs.change(
                    debrief, actor=user, version=version, title=data.get("title"),
                    held_on=date_or_none(data.get("held_on")), voters=data.get("voters"),
                    closes_at=_moment(data.get("closes_at")), poor_share=data.get("poor_share"),
                    meeting=Meeting.objects.restrict(user, Action.VIEW).filter(
                        pk=int_or_none(data.get("meeting"))).first(),
                )  # fmt: skip
                done = "已保存。评议人数有变化时，请重新打印评议票。"
            elif op == "open":
                debriefs.open_vote(debrief, actor=user, version=version)
                done = "投票已开始，请分发评议票。"
            elif op == "close":
                debriefs.close_vote(debrief, actor=user)
                done = "投票已结束，计票结果如下。"
            elif op == "publish":
                debriefs.publish(debrief, actor=user)
                done = "评议结果已公布，述职人已收到通知。"
            elif op == "delete":
                debriefs.delete_debrief(debrief, actor=user)
                messages.success(request, "已删除该述职评议。")
                return redirect(reverse("assessment:home"))
            else:
                raise InvalidInput("无法识别的操作。")
        except UserFacingError as error:
            debrief.refresh_from_db()
            context = self._context(request, debrief, error=error.message)
            return render(request, "assessment/debrief.html", context, status=error.status_code)
        messages.success(request, done)
        return redirect(reverse("assessment:debrief", args=[debrief.pk]))


class SlipsView(ScopedMixin, View):
    """One page of slips to print and cut: each with its QR code and its code in letters."""

    model = Debrief
    action = Action.ASSESS

    def get(self, request, pk):
        debrief = self.get_scoped_object(pk)
        try:
            codes = debriefs.slip_codes(debrief)
        except UserFacingError as error:
            messages.error(request, error.message)
            return redirect(reverse("assessment:debrief", args=[debrief.pk]))
        base = request.build_absolute_uri("/v/")
        slips = [
            {"code": debriefs.grouped(code),
             "qr": segno.make(f"{base}{code}/", error="m").svg_inline(scale=3, border=1, omitsize=True)}
            for code in codes
        ]  # fmt: skip
        from mofan.audit import services as audit

        audit.record(request.user, "assessment.debrief.slips_printed", debrief,
                     payload={"count": len(slips)})  # fmt: skip
        return render(request, "assessment/debrief_slips.html", {
            "debrief": debrief, "slips": slips, "vote_url": base,
            "breadcrumbs": [HOME, {"label": debrief.title,
                                   "url": reverse("assessment:debrief", args=[debrief.pk])},
                            {"label": "评议票", "url": ""}],
        })  # fmt: skip


class BallotEntryView(View):
    """For a voter who cannot scan: type the slip's code, and go to its ballot."""

    def get(self, request):
        typed = request.GET.get("code")
        if typed is None:
            return render(request, "assessment/ballot.html", {"entry": True})
        code = debriefs.normalised(typed)
        if len(code) != debriefs.CODE_LENGTH or not code.isalnum() or not code.isascii():
            return render(request, "assessment/ballot.html", {
                "entry": True, "typed": typed[:40],
                "problem": f"票码为{debriefs.CODE_LENGTH}位字母和数字，请核对评议票后重新输入。",
            }, status=400)  # fmt: skip
        return redirect(reverse("ballot", args=[code]))


class BallotView(View):
    """What a voter's phone opens from a slip: no account — the slip is the right to vote. No
    result is shown here, before or after the vote closes."""

    template = "assessment/ballot.html"

    def _render(self, request, context, status=200):
        return render(request, self.template, context, status=status)

    def get(self, request, code):
        try:
            ballot = debriefs.ballot_for(code)
        except UserFacingError as error:
            return self._render(request, {"error": error.message}, status=error.status_code)
        return self._render(request, {"ballot": ballot, "code": code, "marks": Mark.choices})

    def post(self, request, code):
        marks = {
            key.removeprefix("m"): value for key, value in request.POST.items()
            if key.startswith("m") and key[1:].isdecimal()
        }  # fmt: skip
        comments = {
            key.removeprefix("c"): value for key, value in request.POST.items()
            if key.startswith("c") and key[1:].isdecimal()
        }  # fmt: skip
        try:
            debriefs.cast(code, marks, comments)
        except UserFacingError as error:
            chosen = {int(key): value for key, value in marks.items()}
            context = {"error": error.message, "code": code, "marks": Mark.choices,
                       "chosen": chosen,
                       "remarks": {int(k): v for k, v in comments.items()}}  # fmt: skip
            if error.status_code == 400:  # a ballot left incomplete: the form again, as filled
                try:
                    context["ballot"] = debriefs.ballot_for(code)
                    context["problem"], context["error"] = error.message, ""
                except UserFacingError:
                    pass
            return self._render(request, context, status=error.status_code)
        return self._render(request, {"done": True})
