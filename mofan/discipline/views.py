"""监督执纪's pages. Every page reads through querysets.py (404 outside one's reach) and every
read of a lead, a talk, a report or a check is audited, as every change is."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.crypto import keyed_hashes
from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.audit import services as audit
from mofan.core import excel, word
from mofan.core.errors import InvalidInput, UserFacingError
from mofan.core.forms import date_or_none, int_or_none, version_read
from mofan.core.views_base import paginate, refused
from mofan.discipline import documents, records, reports, services, statistics
from mofan.discipline.choices import (
    REPORT_ITEMS,
    CheckOutcome,
    Disposition,
    LeadState,
    Measure,
    Source,
    StepKind,
    TalkKind,
    TalkWay,
)
from mofan.discipline.models import Check, Draw, DutyReport, Lead, PersonalReport, ReportRound, Talk
from mofan.inspection.models import Finding
from mofan.orgs.models import PartyOrg, Person

HOME = {"label": "监督执纪", "url": reverse_lazy("discipline:home")}
NOT_FOUND = "未找到该记录。"


def _people(user, ids) -> list[Person]:
    wanted = {i for i in (int_or_none(v) for v in ids) if i}
    found = list(Person.objects.restrict(user, Action.VIEW).filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise InvalidInput("所选人员不存在，或不在您可查看的范围内。")
    return found


def _person(user, value, label) -> Person:
    person = Person.objects.restrict(user, Action.VIEW).filter(pk=int_or_none(value)).first()
    if person is None:
        raise InvalidInput(f"请选择{label}。")
    return person


def _officer_org(user, value) -> PartyOrg:
    org = services.officer_orgs(user).filter(pk=int_or_none(value)).first()
    if org is None:
        raise InvalidInput("请选择受理组织（您担任纪检干部的党组织）。")
    return org


def filtered_leads(user, params):
    """The leads in reach, filtered by year, source, state, disposition and the exact name of
    the person concerned (matched by its keyed hash: nothing is decrypted to search)."""
    leads = Lead.objects.restrict(user, Action.VIEW).select_related("org")
    if int_or_none(params.get("year")):
        leads = leads.filter(year=int_or_none(params.get("year")))
    for name, choices in (("source", Source), ("state", LeadState), ("disposition", Disposition)):
        if params.get(name) in choices.values:
            leads = leads.filter(**{name: params.get(name)})
    if params.get("org") and int_or_none(params.get("org")):
        leads = leads.filter(org_id=int_or_none(params.get("org")))
    name = (params.get("name") or "").strip()
    if name:
        leads = leads.filter(subject_name_hash__in=keyed_hashes(name))
    return leads.order_by("-year", "-number")


class HomeView(LoginRequiredMixin, View):
    """The lead list of one's reach with its filters, and the register form (officers)."""

    def _render(self, request, status=200):
        user = request.user
        page = paginate(request, filtered_leads(user, request.GET), 50)
        page.object_list = list(page.object_list)  # read once: audited, then shown
        audit.record_reads(user, "discipline.lead.viewed", page.object_list)
        return render(request, "discipline/home.html", {
            "page": page, "orgs": services.officer_orgs(user), "params": request.GET,
            "sources": Source.choices, "states": LeadState.choices,
            "dispositions": Disposition.choices, "data": request.POST,
            "today": timezone.localdate(), "year": timezone.localdate().year,
            "breadcrumbs": [{"label": "监督执纪", "url": ""}],
        }, status=status)  # fmt: skip

    def dispatch(self, request, *args, **kwargs):
        # Only the officers and the handlers of some lead have a lead list at all.
        user = request.user
        if user.is_authenticated and not services.has_leads(user):
            raise Http404(NOT_FOUND)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request)

    def post(self, request):
        data, user = request.POST, request.user
        try:
            org = _officer_org(user, data.get("org"))
            subject = None
            if data.get("subject"):
                subject = _person(user, data.get("subject"), "被反映人")
            lead = services.register(
                org, actor=user, source=data.get("source"),
                received_on=date_or_none(data.get("received_on")), subject=subject,
                subject_name=data.get("subject_name", ""), subject_post=data.get("subject_post", ""),
                allegation=data.get("allegation"),
            )  # fmt: skip
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request))
        messages.success(request, f"已登记问题线索{lead.code}，请组织集体排查。")
        return redirect(reverse("discipline:lead", args=[lead.pk]))


class LeadsSheetView(LoginRequiredMixin, View):
    """The filtered leads in Excel, watermarked with the reader and the time, audited."""

    def get(self, request):
        user = request.user
        leads = filtered_leads(user, request.GET)
        if not services.officer_orgs(user).exists():
            raise Http404(NOT_FOUND)
        rows = (
            (lead.code, lead.org.name, lead.get_source_display(), lead.received_on,
             lead.subject_name, lead.subject_post, lead.allegation, lead.get_state_display(),
             lead.get_disposition_display(), lead.get_form_display() or "",
             lead.get_measure_display(), lead.concluded_on)
            for lead in leads.iterator(chunk_size=1000)
        )  # fmt: skip
        path, count = excel.write_table(
            "问题线索台账",
            ["编号", "受理组织", "来源", "受理日期", "被反映人", "职务", "反映的主要问题", "状态",
             "处置方式", "形态", "处理方式", "办结日期"],
            rows, widths=(11, 20, 10, 12, 10, 14, 40, 12, 10, 12, 16, 12),
            watermark=word.viewer_mark(user),
        )  # fmt: skip
        audit.record(user, "discipline.leads.exported", None,
                     payload={"rows": count, "filters": dict(request.GET.items())})  # fmt: skip
        return word.download(path, "问题线索台账.xlsx")


class LeadView(ScopedMixin, View):
    """One lead: its record, and the forms of the step it is at."""

    model = Lead

    def _lead(self, request, pk):
        return self.get_scoped_object(pk, queryset=Lead.objects.restrict(
            request.user, Action.VIEW).select_related("org", "subject__unit", "finding__target__org"))  # fmt: skip

    def _render(self, request, lead, status=200):
        user = request.user
        officer = services.is_officer(user, lead.org_id)
        audit.record(user, "discipline.lead.viewed", lead)
        key = (lead.state, lead.talk_way if lead.state == LeadState.TALKING else "")
        return render(request, "discipline/lead.html", {
            "lead": lead, "officer": officer, "data": request.POST,
            "reviews": documents.reviews(lead).select_related("created_by"),
            "steps": lead.steps.select_related("by"), "revisits": lead.revisits.select_related("by"),
            "handlers": lead.handlers.all(),
            "reviewable": sorted(services.REVIEWABLE.get(lead.state, set())),
            "disposition_labels": dict(Disposition.choices), "ways": TalkWay.choices,
            "steps_now": [(k, StepKind(k).label) for k in sorted(services.STEPS.get(key, set()))],
            "results": [(m, Measure(m).label) for m in Measure.values
                        if m in services.RESULTS.get(lead.state, set())],
            "today": timezone.localdate(),
            "breadcrumbs": [HOME, {"label": f"线索{lead.code}", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self._lead(request, pk))

    def post(self, request, pk):
        lead, data, user = self._lead(request, pk), request.POST, request.user
        op = data.get("op")
        try:
            if op == "review":
                services.review(
                    lead, actor=user, held_on=date_or_none(data.get("held_on")),
                    participants=_people(user, data.getlist("participants")),
                    disposition=data.get("disposition", ""), talk_way=data.get("talk_way", ""),
                    reason=data.get("reason"), due_on=date_or_none(data.get("due_on")),
                    version=version_read(data),
                )  # fmt: skip
                done = "已登记集体排查。"
            elif op == "assign":
                wanted = {i for i in (int_or_none(v) for v in data.getlist("handlers")) if i}
                people = _people(user, wanted)
                services.assign(lead, actor=user, handlers=services.accounts_of(people),
                                version=version_read(data))  # fmt: skip
                done = "已指定承办人。"
            elif op == "step":
                services.record_step(lead, actor=user, kind=data.get("kind", ""),
                                     on=date_or_none(data.get("on")), text=data.get("text"),
                                     version=version_read(data))  # fmt: skip
                done = "已登记办理环节。"
            elif op == "conclude":
                services.conclude(lead, actor=user, measure=data.get("measure", ""),
                                  result=data.get("result"), on=date_or_none(data.get("on")),
                                  revisit_on=date_or_none(data.get("revisit_on")),
                                  version=version_read(data))  # fmt: skip
                done = "已登记办理结果。"
            elif op == "revisit":
                visit = lead.revisits.filter(pk=int_or_none(data.get("revisit"))).first()
                if visit is None:
                    raise InvalidInput("所选回访不存在。")
                services.record_revisit(visit, actor=user, done_on=date_or_none(data.get("done_on")),
                                        record=data.get("record"))  # fmt: skip
                done = "已登记回访情况。"
            else:
                raise InvalidInput("未知的操作。")
        except UserFacingError as error:
            lead.refresh_from_db()
            return refused(request, error, lambda: self._render(request, lead))
        messages.success(request, done)
        return redirect(reverse("discipline:lead", args=[lead.pk]))


class StatisticsView(LoginRequiredMixin, View):
    """An organisation's (or its tree's) figures of a year, for its officers and its leaders:
    counts, never a name."""

    def get(self, request):
        user = request.user
        orgs = statistics.visible_orgs(user)
        wanted = request.GET.get("org")
        org = orgs.filter(pk=int_or_none(wanted)).first() if wanted else orgs.first()
        if org is None:
            raise Http404(NOT_FOUND)
        year = int_or_none(request.GET.get("year")) or timezone.localdate().year
        tree = request.GET.get("tree") == "1"
        found = statistics.of_org(org, year, tree=tree)
        audit.record(
            user, "discipline.statistics.viewed", org, payload={"year": year, "tree": tree}
        )
        return render(request, "discipline/statistics.html", {
            "org": org, "orgs": orgs, "year": year, "tree": tree, "f": found,
            "breadcrumbs": [HOME, {"label": "统计", "url": ""}],
        })  # fmt: skip


class TalksView(LoginRequiredMixin, View):
    """Leaders' discipline talks and 述责述廉 reports of the organisations one keeps."""

    def _render(self, request, status=200):
        user = request.user
        talks = list(
            Talk.objects.restrict(user, Action.VIEW).select_related("person", "talker", "org")[:200]
        )
        duty = list(
            DutyReport.objects.restrict(user, Action.VIEW).select_related("person", "org")[:200]
        )
        audit.record_reads(user, "discipline.talk.viewed", talks)
        audit.record_reads(user, "discipline.duty_report.viewed", duty)
        return render(request, "discipline/talks.html", {
            "talks": talks, "duty": duty, "orgs": services.officer_orgs(user),
            "kinds": TalkKind.choices, "data": request.POST, "today": timezone.localdate(),
            "year": timezone.localdate().year,
            "breadcrumbs": [HOME, {"label": "谈话与述责述廉", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        if not services.officer_orgs(request.user).exists():
            raise Http404(NOT_FOUND)
        return self._render(request)

    def post(self, request):
        data, user = request.POST, request.user
        try:
            org = _officer_org(user, data.get("org"))
            if data.get("op") == "talk":
                records.record_talk(org, actor=user, kind=data.get("kind", ""),
                                    person=_person(user, data.get("person"), "谈话对象"),
                                    talker=_person(user, data.get("talker"), "谈话人"),
                                    held_on=date_or_none(data.get("held_on")), record=data.get("record"))  # fmt: skip
                done = "已登记谈话记录。"
            elif data.get("op") == "duty":
                records.record_duty_report(org, actor=user, person=_person(user, data.get("person"), "述职人"),
                                           year=int_or_none(data.get("year")), text=data.get("text"))  # fmt: skip
                done = "已登记述责述廉报告。"
            else:
                raise InvalidInput("未知的操作。")
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request))
        messages.success(request, done)
        return redirect(reverse("discipline:talks"))


class ReportRoundsView(LoginRequiredMixin, View):
    """The personal-matters report rounds one keeps, and one's own reports to fill in."""

    def _render(self, request, status=200):
        user = request.user
        return render(request, "discipline/report_rounds.html", {
            "rounds": ReportRound.objects.restrict(user, Action.VIEW).select_related("org"),
            "mine": PersonalReport.objects.restrict(user, Action.CHANGE).select_related("round__org"),
            "orgs": services.officer_orgs(user), "data": request.POST,
            "year": timezone.localdate().year - (1 if timezone.localdate().month == 1 else 0),
            "breadcrumbs": [HOME, {"label": "个人有关事项报告", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        return self._render(request)

    def post(self, request):
        data, user = request.POST, request.user
        try:
            org = _officer_org(user, data.get("org"))
            ranks = [
                r.strip()
                for r in (data.get("ranks") or "").replace("，", ",").replace("、", ",").split(",")
                if r.strip()
            ]
            round_ = reports.open_round(
                org, actor=user, year=int_or_none(data.get("year")), ranks=ranks
            )
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request))
        messages.success(
            request,
            f"已组织{round_.year}年度个人有关事项报告，共{round_.reports.count()}人须报告。",
        )
        return redirect(reverse("discipline:report_round", args=[round_.pk]))


class ReportRoundView(ScopedMixin, View):
    """A round: who has reported, the late list, the random draws (each re-drawn to show it
    holds) and the checks with their outcomes."""

    model = ReportRound

    def _round(self, request, pk):
        return self.get_scoped_object(pk, queryset=ReportRound.objects.restrict(
            request.user, Action.VIEW).select_related("org"))  # fmt: skip

    def _render(self, request, round_, status=200):
        user = request.user
        page = paginate(request, PersonalReport.objects.restrict(user, Action.VIEW).filter(round=round_)
                        .select_related("person__unit"), 100)  # fmt: skip
        checks = list(Check.objects.restrict(user, Action.VIEW).filter(report__round=round_)
                      .select_related("report__person", "draw"))  # fmt: skip
        draws = [
            (d, reports.redo(d))
            for d in Draw.objects.restrict(user, Action.VIEW).filter(round=round_)
        ]
        audit.record(user, "discipline.report_round.viewed", round_)
        return render(request, "discipline/report_round.html", {
            "round": round_, "page": page, "checks": checks, "draws": draws,
            "late": list(reports.late(round_)[:200]), "outcomes": CheckOutcome.choices,
            "submitted": round_.reports.filter(submitted_at__isnull=False).count(),
            "total": round_.reports.count(), "data": request.POST, "today": timezone.localdate(),
            "breadcrumbs": [HOME, {"label": "个人有关事项报告", "url": reverse("discipline:report_rounds")},
                            {"label": f"{round_.year}年度", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self._round(request, pk))

    def post(self, request, pk):
        round_, data, user = self._round(request, pk), request.POST, request.user
        op = data.get("op")
        try:
            if op == "draw":
                made = reports.draw(round_, actor=user, share=int_or_none(data.get("share")),
                                    seed=data.get("seed", ""))  # fmt: skip
                done = f"已随机抽取{len(made.drawn)}份报告（种子 {made.seed}）。"
            elif op == "key":
                report = PersonalReport.objects.restrict(user, Action.VIEW).filter(
                    round=round_, pk=int_or_none(data.get("report"))).first()  # fmt: skip
                if report is None or report.person_id == user.person_id:
                    raise InvalidInput("所选报告不存在，或不能查核本人的报告。")
                reports.key_check(report, actor=user, reason=data.get("reason"))
                done = "已列入重点查核。"
            elif op == "conclude":
                check = Check.objects.restrict(user, Action.CHANGE).filter(
                    report__round=round_, pk=int_or_none(data.get("check"))).first()  # fmt: skip
                if check is None:
                    raise InvalidInput("所选查核不存在。")
                reports.conclude_check(check, actor=user, outcome=data.get("outcome", ""),
                                       handling=data.get("handling", ""), on=date_or_none(data.get("on")))  # fmt: skip
                done = "已登记查核结果。"
            elif op == "close":
                reports.close_round(round_, actor=user)
                done = "已结束本年度报告。"
            else:
                raise InvalidInput("未知的操作。")
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request, round_))
        messages.success(request, done)
        return redirect(reverse("discipline:report_round", args=[round_.pk]))


class ReportView(ScopedMixin, View):
    """One report: the cadre fills in their own; the round's officers read it (audited)."""

    model = PersonalReport

    def _report(self, request, pk):
        return self.get_scoped_object(pk, queryset=PersonalReport.objects.restrict(
            request.user, Action.VIEW).select_related("round__org", "person"))  # fmt: skip

    def _render(self, request, report, status=200):
        own = report.person_id == request.user.person_id
        audit.record(request.user, "discipline.report.viewed", report)
        return render(request, "discipline/report.html", {
            "report": report, "own": own and report.round.closed_at is None,
            "items": reports.items_of(report), "keys": REPORT_ITEMS, "data": request.POST,
            "breadcrumbs": [HOME, {"label": "个人有关事项报告", "url": reverse("discipline:report_rounds")},
                            {"label": f"{report.person.name} {report.round.year}年度", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self._report(request, pk))

    def post(self, request, pk):
        report = self._report(request, pk)
        if report.person_id != request.user.person_id:
            raise Http404(NOT_FOUND)
        data = request.POST
        try:
            reports.submit(report, actor=request.user, version=version_read(data),
                           items={key: data.get(key, "") for key, _ in REPORT_ITEMS})  # fmt: skip
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request, report))
        messages.success(request, "已报送个人有关事项报告。")
        return redirect(reverse("discipline:report", args=[report.pk]))


class MyReportView(LoginRequiredMixin, View):
    """From a reminder: the user's own report of a round."""

    def get(self, request, pk):
        report = (
            PersonalReport.objects.restrict(request.user, Action.CHANGE).filter(round_id=pk).first()
        )
        if report is None:
            raise Http404(NOT_FOUND)
        return redirect(reverse("discipline:report", args=[report.pk]))


class FromFindingView(LoginRequiredMixin, View):
    """An inspection finding handed to the discipline officers as a case lead (问题线索移交):
    the keepers of the round, who are the officers of the organisation that inspects."""

    http_method_names = ["post"]

    def post(self, request, pk):
        user, data = request.user, request.POST
        finding = (
            Finding.objects.restrict(user, Action.CHANGE)
            .select_related("target__round__org", "target__org").filter(pk=pk).first()
        )  # fmt: skip
        if finding is None or not services.is_officer(user, finding.target.round.org_id):
            raise Http404(NOT_FOUND)
        back = reverse("inspection:target", args=[finding.target_id])
        try:
            lead = services.register(
                finding.target.round.org, actor=user, source=Source.INSPECTION,
                received_on=timezone.localdate(), subject_name=data.get("subject_name", ""),
                subject_post=data.get("subject_post", ""), allegation=data.get("allegation"),
                finding=finding,
            )  # fmt: skip
        except UserFacingError as error:
            messages.error(request, error.message)
            return redirect(f"{back}#f{finding.pk}")
        messages.success(request, f"已将问题{finding.number}移交为问题线索{lead.code}。")
        return redirect(reverse("discipline:lead", args=[lead.pk]))


class LeadDocumentView(LeadView):
    """The lead's 处置情况表 in Word, watermarked and audited."""

    http_method_names = ["get"]

    def get(self, request, pk):
        lead = self._lead(request, pk)
        path = documents.lead_record(lead, word.viewer_mark(request.user))
        audit.record(request.user, "discipline.lead.exported", lead)
        return word.download(path, f"问题线索处置情况表{lead.code}.docx")
