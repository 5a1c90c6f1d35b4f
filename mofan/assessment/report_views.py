"""Pages of the 三项制度's documents and of 创建 evaluations: the 述职报告 of one who reports with
their generated data sheet; a 党委（党组）'s annual report on 党建 with its generated appendix,
sent up and reviewed; and a 创建 evaluation from its recommendation list to its published list."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, can_anywhere
from mofan.assessment import annual, awards, datasheet, debriefs, downloads
from mofan.assessment.choices import (
    AwardKind,
    AwardState,
    DebriefState,
    Decision,
    ReportState,
    RoundState,
)
from mofan.assessment.models import AnnualReport, Award, Candidate, Debriefer, Round
from mofan.core.errors import InvalidInput, UserFacingError
from mofan.core.files import stored_file_response
from mofan.core.forms import date_or_none, int_or_none

HOME = {"label": "考核评价", "url": reverse_lazy("assessment:home")}
NOT_FOUND = "未找到该记录。"


def _one(queryset, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


# -- 述职报告 -----------------------------------------------------------------------------------


class ReportView(LoginRequiredMixin, View):
    """One who reports (or their organisation's secretary and admins) writes the 述职报告 and
    downloads the data sheet; the organiser reads both. The tally is never shown here."""

    def _debriefer(self, request, pk, debriefer_pk) -> tuple[Debriefer, bool]:
        lookup = {"pk": debriefer_pk, "debrief_id": pk}
        related = ("debrief__org", "org", "person")
        writer = (
            Debriefer.objects.restrict(request.user, Action.RECORD)
            .select_related(*related).filter(**lookup).first()
        )  # fmt: skip
        if writer is not None:
            return writer, True
        return _one(
            Debriefer.objects.restrict(request.user, Action.ASSESS).select_related(*related),
            **lookup,
        ), False  # fmt: skip

    def _render(self, request, debriefer, writes, error="", status=200):
        debrief = debriefer.debrief
        return render(request, "assessment/debrief_report.html", {
            "debriefer": debriefer, "debrief": debrief, "writes": writes, "error": error,
            "token": debriefs.report_token(debriefer),
            "open": debrief.state in (DebriefState.DRAFT, DebriefState.OPEN),
            "data": request.POST, "figures": datasheet.figures(
                debriefer.org, debrief.year, min(timezone.localdate(), debrief.held_on)),
            "breadcrumbs": [HOME, {"label": debrief.title, "url": ""}, {"label": "述职报告", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk, debriefer_pk):
        debriefer, writes = self._debriefer(request, pk, debriefer_pk)
        return self._render(request, debriefer, writes)

    def post(self, request, pk, debriefer_pk):
        debriefer, writes = self._debriefer(request, pk, debriefer_pk)
        if not writes:
            raise Http404(NOT_FOUND)
        try:
            debriefs.submit_report(
                debriefer, actor=request.user, text=request.POST.get("text", ""),
                upload=request.FILES.get("file"), version=request.POST.get("version"),
            )  # fmt: skip
        except UserFacingError as error:
            debriefer.debrief.refresh_from_db()
            debriefer.refresh_from_db(
                fields=["report_text", "report_name", "report_file", "reported_at"]
            )
            return self._render(request, debriefer, True, error.message, error.status_code)
        messages.success(request, "述职报告已提交，投票结束前可以修改。")
        return redirect(reverse("assessment:debrief_report", args=[pk, debriefer_pk]))


class ReportFileView(ReportView):
    http_method_names = ["get"]

    def get(self, request, pk, debriefer_pk):
        debriefer, _ = self._debriefer(request, pk, debriefer_pk)
        if not debriefer.report_file:
            raise Http404(NOT_FOUND)
        return stored_file_response(request, debriefer.report_file, filename=debriefer.report_name)


class ReportSheetView(ReportView):
    """The 述职 data sheet in Word, generated from the records on the day."""

    http_method_names = ["get"]

    def get(self, request, pk, debriefer_pk):
        debriefer, _ = self._debriefer(request, pk, debriefer_pk)
        return downloads.debrief_sheet(request.user, debriefer)


# -- 年度党建工作报告 -----------------------------------------------------------------------------


class AnnualListView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        today = timezone.localdate()
        may_start = annual.reporting_orgs(user).order_by("path")[:100]
        return render(request, "assessment/annuals.html", {
            "mine": AnnualReport.objects.restrict(user, Action.VIEW)
            .select_related("org", "to_org")[:200],
            "to_review": AnnualReport.objects.restrict(user, Action.ASSESS)
            .filter(state=ReportState.SUBMITTED).select_related("org")[:200],
            "may_start": may_start, "years": [today.year, today.year - 1],
            "breadcrumbs": [HOME, {"label": "年度党建工作报告", "url": ""}],
        })  # fmt: skip

    def post(self, request):
        org = annual.reporting_orgs(request.user).filter(
            pk=int_or_none(request.POST.get("org"))).first()  # fmt: skip
        try:
            if org is None:
                raise InvalidInput("请选择报告组织。")
            report = annual.start_report(
                org, actor=request.user, year=int_or_none(request.POST.get("year"))
            )
        except UserFacingError as error:
            messages.error(request, error.message)
            return redirect(reverse("assessment:annuals"))
        messages.success(request, "已起草年度党建工作报告，请填写正文或上传报告文件。")
        return redirect(reverse("assessment:annual", args=[report.pk]))


class AnnualView(LoginRequiredMixin, View):
    model = AnnualReport

    def _report(self, request, pk, action=Action.VIEW) -> AnnualReport:
        return _one(
            AnnualReport.objects.restrict(request.user, action).select_related("org", "to_org"),
            pk=pk,
        )

    def _render(self, request, report, error="", status=200):
        user = request.user
        writes = AnnualReport.objects.restrict(user, Action.CHANGE).filter(pk=report.pk).exists()
        reviews = AnnualReport.objects.restrict(user, Action.ASSESS).filter(pk=report.pk).exists()
        return render(request, "assessment/annual.html", {
            "report": report, "error": error, "data": request.POST,
            "writes": writes and report.state in annual.EDITABLE,
            "reviews": reviews and report.state == ReportState.SUBMITTED,
            "breadcrumbs": [HOME, {"label": "年度党建工作报告", "url": reverse("assessment:annuals")},
                            {"label": report.title, "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self._report(request, pk))

    def post(self, request, pk):
        data, user = request.POST, request.user
        op = data.get("op")
        report = self._report(request, pk, Action.ASSESS if op == "review" else Action.CHANGE)
        try:
            if op in ("save", "send"):  # sending keeps what was typed, in the same step
                step = annual.save_and_send if op == "send" else annual.save_report
                step(report, actor=user, version=data.get("version"), title=data.get("title"),
                     text=data.get("text"), upload=request.FILES.get("file"))  # fmt: skip
                done = f"已报送{report.to_org.name}。" if op == "send" else "已保存。"
            elif op == "review":
                accept = data.get("decision") == "accept"
                annual.review_report(report, actor=user, version=data.get("version"),
                                     accept=accept, review=data.get("review"))  # fmt: skip
                done = "已审阅。" if accept else "已退回修改。"
            else:
                raise InvalidInput("无法识别的操作。")
        except UserFacingError as error:
            report.refresh_from_db()
            return self._render(request, report, error.message, error.status_code)
        messages.success(request, done)
        return redirect(reverse("assessment:annual", args=[report.pk]))


class AnnualFileView(AnnualView):
    http_method_names = ["get"]

    def get(self, request, pk):
        report = self._report(request, pk)
        if not report.file:
            raise Http404(NOT_FOUND)
        return stored_file_response(request, report.file, filename=report.file_name)


class AnnualAppendixView(AnnualView):
    """The data appendix in Word, generated from the records of the report's year."""

    http_method_names = ["get"]

    def get(self, request, pk):
        report = self._report(request, pk)
        return downloads.annual_appendix(request.user, report)


# -- 创建 evaluations ----------------------------------------------------------------------------


class AwardNewView(LoginRequiredMixin, View):
    def _render(self, request, error="", status=200):
        rounds = (
            Round.objects.restrict(request.user, Action.ASSESS)
            .filter(state=RoundState.PUBLISHED).select_related("scheme__org")
            .order_by("-published_at")[:100]
        )  # fmt: skip
        return render(request, "assessment/award_new.html", {
            "rounds": rounds, "kinds": AwardKind.choices, "data": request.POST, "error": error,
            "breadcrumbs": [HOME, {"label": "新建创建评选", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        if not can_anywhere(request.user, Action.ASSESS):
            raise Http404(NOT_FOUND)
        return self._render(request)

    def post(self, request):
        if not can_anywhere(request.user, Action.ASSESS):
            raise Http404(NOT_FOUND)
        data = request.POST
        round_ = (
            Round.objects.restrict(request.user, Action.ASSESS)
            .select_related("scheme__org").filter(pk=int_or_none(data.get("round"))).first()
        )  # fmt: skip
        try:
            if round_ is None:
                raise InvalidInput("请选择本组织已公布结果的考核作为评选依据。")
            award = awards.create_award(
                round_.scheme.org, actor=request.user, kind=data.get("kind"),
                title=data.get("title"), round_=round_, places=data.get("places"),
                min_total=data.get("min_total", ""), basis=data.get("basis", ""),
                apply_due_on=date_or_none(data.get("apply_due_on")),
            )  # fmt: skip
        except UserFacingError as error:
            return self._render(request, error.message, error.status_code)
        messages.success(
            request, f"已生成推荐名单（{award.candidates.count()}个组织），并通知其申报。"
        )
        return redirect(reverse("assessment:award", args=[award.pk]))


class AwardView(LoginRequiredMixin, View):
    model = Award

    def _award(self, request, pk, action=Action.VIEW) -> Award:
        return _one(
            Award.objects.restrict(request.user, action).select_related("org", "round"), pk=pk
        )

    def _render(self, request, award, error="", status=200):
        user = request.user
        runs = Award.objects.restrict(user, Action.ASSESS).filter(pk=award.pk).exists()
        seen = (
            Candidate.objects.restrict(user, Action.VIEW).filter(award=award)
            .select_related("org", "target")
        )  # fmt: skip
        own = set(
            Candidate.objects.restrict(user, Action.RECORD).filter(award=award)
            .values_list("pk", flat=True)
        )  # fmt: skip
        return render(request, "assessment/award.html", {
            "award": award, "runs": runs, "candidates": seen, "own": own, "error": error,
            "applying": award.state == AwardState.APPLYING
            and timezone.localdate() <= award.apply_due_on,
            "approved": seen.filter(decision=Decision.APPROVED).count(),
            "breadcrumbs": [HOME, {"label": award.title, "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self._award(request, pk))

    def post(self, request, pk):
        data, user = request.POST, request.user
        op = data.get("op")
        award = self._award(request, pk)
        try:
            if op == "apply":
                candidate = _one(Candidate.objects.restrict(user, Action.RECORD), award=award,
                                 pk=int_or_none(data.get("candidate")))  # fmt: skip
                awards.apply(candidate, actor=user, version=data.get("version"),
                             statement=data.get("statement"), upload=request.FILES.get("file"))  # fmt: skip
                done = "申报材料已提交，截止前可以修改。"
            else:
                award = self._award(request, pk, Action.ASSESS)
                if op == "close":
                    awards.close_applications(award, actor=user, version=data.get("version"))
                    done = "申报已截止，请逐一评审。"
                elif op in ("approve", "reject"):
                    candidate = _one(Candidate.objects.restrict(user, Action.ASSESS), award=award,
                                     pk=int_or_none(data.get("candidate")))  # fmt: skip
                    awards.decide(candidate, actor=user, version=data.get("version"),
                                  approve=op == "approve", note=data.get("note"))  # fmt: skip
                    done = f"已评审：{candidate.org.name}。"
                elif op == "publish":
                    awards.publish_award(award, actor=user, version=data.get("version"))
                    done = "评选结果已公布，推荐对象已收到通知。"
                else:
                    raise InvalidInput("无法识别的操作。")
        except UserFacingError as error:
            award.refresh_from_db()
            return self._render(request, award, error.message, error.status_code)
        messages.success(request, done)
        return redirect(reverse("assessment:award", args=[award.pk]))


class AwardDecisionView(AwardView):
    """The 命名决定 of a published evaluation in Word (those who run it; audited)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        award = self._award(request, pk, Action.ASSESS)
        if award.state != AwardState.PUBLISHED:
            messages.error(request, "评选结果公布后才能生成命名决定。")
            return redirect(reverse("assessment:award", args=[award.pk]))
        return downloads.award_decision(request.user, award)


class CandidateFileView(LoginRequiredMixin, View):
    model = Candidate

    def get(self, request, pk):
        candidate = _one(awards.material_readable(request.user), pk=pk)
        if not candidate.file:
            raise Http404(NOT_FOUND)
        return stored_file_response(request, candidate.file, filename=candidate.file_name)
