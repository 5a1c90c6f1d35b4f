"""Pages of 考核评价: the schemes an organisation keeps, a round over the organisations it
assesses, and one organisation's score page with the records behind each point. Reads go through
the scoping layer, changes through `services`; an object out of reach is a 404."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, can_anywhere
from mofan.access.views_base import ScopedMixin
from mofan.assessment import annual, bulletin, exports, forms, formulas, rectify, rules, services
from mofan.assessment.choices import TEAM_KINDS, DebriefState, Grade, IndicatorKind, RoundState
from mofan.assessment.models import (
    Award,
    Debrief,
    Debriefer,
    Evidence,
    Round,
    Scheme,
    Score,
    Target,
)
from mofan.audit import services as audit
from mofan.core import word
from mofan.core.errors import UserFacingError
from mofan.core.files import stored_file_response
from mofan.core.markup import quoted
from mofan.core.views_base import paginate, refused
from mofan.meetings.models import Meeting
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg

HOME = {"label": "考核评价", "url": reverse_lazy("assessment:home")}


class HomeView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        assessing = Round.objects.restrict(user, Action.ASSESS)
        mine = (
            Target.objects.restrict(user, Action.VIEW)
            .exclude(round__in=assessing)
            .select_related("round__scheme__org", "org")
            .order_by("-round__created_at", "org__path")[:50]
        )
        return render(request, "assessment/home.html", {
            "schemes": Scheme.objects.restrict(user, Action.ASSESS).select_related("org")[:100],
            "rounds": assessing.select_related("scheme__org")
            .annotate(n=Count("targets"))[:100],
            "mine": mine, "may_create": can_anywhere(user, Action.ASSESS),
            "debriefs": Debrief.objects.restrict(user, Action.VIEW).select_related("org")[:50],
            "reporting": Debriefer.objects.restrict(user, Action.RECORD)
            .filter(debrief__state__in=[DebriefState.DRAFT, DebriefState.OPEN])
            .select_related("debrief", "person", "org").order_by("-debrief__held_on")[:50],
            "awards": Award.objects.restrict(user, Action.VIEW).select_related("org")[:50],
            "annual_reports": annual.has_reports(user),
            "breadcrumbs": [{"label": "考核评价", "url": ""}],
        })  # fmt: skip


class SchemeNewView(LoginRequiredMixin, View):
    def _render(self, request, form, status=200):
        return render(request, "form_page.html", {
            "form": form, "title": "新建考核指标体系", "cancel_url": reverse("assessment:home"),
            "note": "新建后默认包含政治、思想、组织、作风、纪律、制度建设六个维度，可再增减指标。",
            "breadcrumbs": [HOME, {"label": "新建指标体系", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        if not can_anywhere(request.user, Action.ASSESS):
            raise Http404("未找到该记录。")
        return self._render(request, forms.SchemeForm(user=request.user))

    def post(self, request):
        if not can_anywhere(request.user, Action.ASSESS):
            raise Http404("未找到该记录。")
        form = forms.SchemeForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, form, status=400)
        data = form.cleaned_data
        try:
            scheme = services.create_scheme(
                actor=request.user, org=data["org"], year=data["year"], name=data["name"],
                total=data["total"], target_kinds=data["target_kinds"],
            )  # fmt: skip
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, form, status=error.status_code)
        messages.success(request, "已新建指标体系，请添加指标。")
        return redirect(reverse("assessment:scheme", args=[scheme.pk]))


class SchemeView(ScopedMixin, View):
    """The scheme's dimensions and indicators with their points and scoring; while a draft, the
    forms to add to it; the problems that keep it from use; copy; start a round."""

    model = Scheme
    action = Action.ASSESS

    def _context(self, request, scheme, form=None):
        dimensions = list(scheme.dimensions.prefetch_related("indicators"))
        for dimension in dimensions:
            dimension.shown = list(dimension.indicators.all())
            dimension.base = sum(
                (i.points for i in dimension.shown if i.kind in (IndicatorKind.RECORD,
                                                                IndicatorKind.JUDGEMENT)), 0)  # fmt: skip
            for indicator in dimension.shown:
                formula = formulas.FORMULAS.get(indicator.formula)
                indicator.formula_label = formula.label if formula else ""
                indicator.param_words = "；".join(
                    f"{p.label}{rules.figure(indicator.params.get(p.name, p.default))}"
                    for p in (formula.params if formula else ())
                )
        return {
            "scheme": scheme, "dimensions": dimensions, "problems": services.problems_of(scheme),
            "form": form or forms.IndicatorForm(scheme=scheme, initial={"version": scheme.version}),
            "copy_form": forms.CopyForm(initial={"year": scheme.year + 1, "name": scheme.name}),
            "rounds": scheme.rounds.all(),
            "kinds": [OrgKind(k).label for k in scheme.target_kinds],
            "bands": [(Grade(b["grade"]).label, b["low"]) for b in scheme.bands],
            "breadcrumbs": [HOME, {"label": str(scheme), "url": ""}],
        }  # fmt: skip

    def get(self, request, pk):
        scheme = self.get_scoped_object(pk)
        return render(request, "assessment/scheme.html", self._context(request, scheme))

    def post(self, request, pk):
        scheme = self.get_scoped_object(pk)
        try:
            if request.POST.get("op") == "dimension":
                services.add_dimension(scheme, actor=request.user, name=request.POST.get("name"))
                messages.success(request, "已添加维度。")
                return redirect(reverse("assessment:scheme", args=[scheme.pk]))
            form = forms.IndicatorForm(request.POST, scheme=scheme)
            if not form.is_valid():
                context = self._context(request, scheme, form)
                return render(request, "assessment/scheme.html", context, status=400)
            data = form.cleaned_data
            services.save_indicator(
                scheme, actor=request.user, dimension=scheme.dimensions.get(pk=data["dimension"]),
                name=data["name"], kind=data["kind"], points=data["points"],
                formula=data["formula"], params=form.params(), guidance=data["guidance"],
                version=data["version"],
            )  # fmt: skip
        except UserFacingError as error:
            return refused(request, error, lambda: render(
                request, "assessment/scheme.html", self._context(request, scheme)))  # fmt: skip
        messages.success(request, "已添加指标。")
        return redirect(reverse("assessment:scheme", args=[scheme.pk]))


class IndicatorView(SchemeView):
    """Change or delete one indicator of a draft scheme."""

    def _indicator(self, scheme, indicator_pk):
        found = scheme.indicators.filter(pk=indicator_pk).first()
        if found is None:
            raise Http404("未找到该记录。")
        return found

    def get(self, request, pk, indicator_pk):
        scheme = self.get_scoped_object(pk)
        indicator = self._indicator(scheme, indicator_pk)
        initial = {"version": scheme.version, "dimension": indicator.dimension_id,
                   "name": indicator.name, "kind": indicator.kind, "points": indicator.points,
                   "formula": indicator.formula, "guidance": indicator.guidance,
                   **{f"p_{indicator.formula}_{k}": v for k, v in indicator.params.items()}}  # fmt: skip
        return self._page(request, scheme, forms.IndicatorForm(scheme=scheme, initial=initial))

    def _page(self, request, scheme, form, status=200):
        return render(request, "form_page.html", {
            "form": form, "title": "修改指标", "note": "",
            "cancel_url": reverse("assessment:scheme", args=[scheme.pk]),
            "breadcrumbs": [HOME, {"label": str(scheme),
                                   "url": reverse("assessment:scheme", args=[scheme.pk])},
                            {"label": "修改指标", "url": ""}],
        }, status=status)  # fmt: skip

    def post(self, request, pk, indicator_pk):
        scheme = self.get_scoped_object(pk)
        indicator = self._indicator(scheme, indicator_pk)
        form = forms.IndicatorForm(request.POST, scheme=scheme)
        try:
            if request.POST.get("op") == "delete":
                services.delete_indicator(indicator, actor=request.user)
                messages.success(request, "已删除指标。")
                return redirect(reverse("assessment:scheme", args=[scheme.pk]))
            if not form.is_valid():
                return self._page(request, scheme, form, status=400)
            data = form.cleaned_data
            services.save_indicator(
                scheme, actor=request.user, dimension=scheme.dimensions.get(pk=data["dimension"]),
                name=data["name"], kind=data["kind"], points=data["points"],
                formula=data["formula"], params=form.params(), guidance=data["guidance"],
                indicator=indicator, version=data["version"],
            )  # fmt: skip
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._page(request, scheme, form, status=error.status_code)
        messages.success(request, "已保存指标。")
        return redirect(reverse("assessment:scheme", args=[scheme.pk]))


class CopyView(ScopedMixin, View):
    model = Scheme
    action = Action.ASSESS
    http_method_names = ["post"]

    def post(self, request, pk):
        scheme = self.get_scoped_object(pk)
        form = forms.CopyForm(request.POST)
        try:
            if not form.is_valid():
                raise UserFacingError("请填写复制到的年度和名称。")
            copy = services.copy_scheme(
                scheme, actor=request.user, year=form.cleaned_data["year"],
                name=form.cleaned_data["name"],
            )  # fmt: skip
        except UserFacingError as error:
            return refused(request, error, lambda: SchemeView.as_view()(request, pk=pk))
        messages.success(request, f"已复制为{copy}，可修改后启用。")
        return redirect(reverse("assessment:scheme", args=[copy.pk]))


class StartView(ScopedMixin, View):
    """Start a round on the scheme: the organisations assessed, the self-assessment's last day,
    the assessment team."""

    model = Scheme
    action = Action.ASSESS

    def _form(self, request, scheme, data=None):
        eligible = services.eligible_targets(
            scheme, PartyOrg.objects.restrict(request.user, Action.ASSESS)
        )
        initial = {"title": f"{scheme.year}年度{scheme.name}",
                   "self_due_on": timezone.localdate() + timedelta(days=14)}  # fmt: skip
        return forms.RoundForm(data, user=request.user, eligible=eligible, initial=initial)

    def _render(self, request, scheme, form, status=200):
        problems = services.problems_of(scheme)
        return render(request, "form_page.html", {
            "form": form, "title": f"启用考核：{scheme}",
            "note": ("指标体系尚不能启用：" + "；".join(problems)) if problems
            else "启用后该指标体系即锁定，不能再修改；如需调整，可复制为新版本。",
            "cancel_url": reverse("assessment:scheme", args=[scheme.pk]),
            "breadcrumbs": [HOME, {"label": str(scheme),
                                   "url": reverse("assessment:scheme", args=[scheme.pk])},
                            {"label": "启用考核", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        scheme = self.get_scoped_object(pk)
        return self._render(request, scheme, self._form(request, scheme))

    def post(self, request, pk):
        scheme = self.get_scoped_object(pk)
        form = self._form(request, scheme, request.POST)
        if not form.is_valid():
            return self._render(request, scheme, form, status=400)
        team = [p.user for p in form.cleaned_data["team"] if hasattr(p, "user")]
        try:
            round_ = services.start_round(
                scheme, actor=request.user, title=form.cleaned_data["title"],
                self_due_on=form.cleaned_data["self_due_on"], targets=form.chosen(), team=team,
            )  # fmt: skip
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, scheme, form, status=error.status_code)
        messages.success(
            request, f"已启用考核，共{round_.targets.count()}个组织，已按记录自动计分。"
        )
        return redirect(reverse("assessment:round", args=[round_.pk]))


class RoundView(ScopedMixin, View):
    """The round for those who assess: each organisation's self-assessment, base, deductions,
    bonuses, total, grade and rank among its peers; compute again, move to scoring, publish."""

    model = Round
    action = Action.ASSESS

    def _render(self, request, round_, status=200):
        targets = round_.targets.select_related("org").order_by("rank", "org__path")
        grade = request.GET.get("grade", "")
        if grade:
            targets = targets.filter(grade=grade)
        counts = round_.targets.aggregate(
            n=Count("id"), done=Count("id", filter=Q(self_done_at__isnull=False)),
            open=Count("id", filter=Q(unscored__gt=0)),
        )  # fmt: skip
        marked = (
            Score.objects.restrict(request.user, Action.ASSESS).filter(
                target__round=round_, to_rectify=True
            )
        ).aggregate(n=Count("id"), moved=Count("id", filter=Q(finding__isnull=False)))
        return render(request, "assessment/round.html", {
            "round": round_, "scheme": round_.scheme, "page": paginate(request, targets),
            "counts": counts, "grade": grade, "runs": services.runs(request.user, round_),
            "marked": marked,
            "rectify_ledgers": rectify.ledgers_for(request.user).order_by("-year", "name")[:100]
            if round_.state == RoundState.PUBLISHED else [],
            "grades": [
                (g, Grade(g).label, n)
                for g, n in round_.targets.values_list("grade").annotate(n=Count("id")).order_by()
                if g
            ],
            "breadcrumbs": [HOME, {"label": round_.title, "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        round_ = self.get_scoped_object(pk)
        return self._render(request, round_)

    def post(self, request, pk):
        round_ = self.get_scoped_object(pk)
        op = request.POST.get("op")
        # The team may hand its marked points to a ledger it supervises; the rest is the runners'.
        if op != "findings" and not services.runs(request.user, round_):
            raise Http404("未找到该记录。")
        try:
            if op == "compute":
                count = services.compute_round(round_, actor=request.user)
                messages.success(request, f"已按记录重新计分（{count}项）。")
            elif op == "scoring":
                services.start_scoring(round_, actor=request.user)
                messages.success(request, "已结束自评，进入评审。")
            elif op == "publish":
                services.publish(round_, actor=request.user)
                messages.success(request, "考核结果已公布。")
            elif op == "findings":
                ledger = rectify.ledgers_for(request.user).filter(
                    pk=request.POST.get("ledger") if request.POST.get("ledger", "").isdecimal() else None
                ).first()  # fmt: skip
                if ledger is None:
                    raise UserFacingError("请选择您督办的整改台账。")
                count = rectify.open_findings(round_, actor=request.user, ledger=ledger)
                messages.success(
                    request, f"已将{count}个失分项移交“{ledger.name}”，请在台账中制定整改措施。"
                )
            else:
                raise UserFacingError("操作无效。")
        except UserFacingError as error:
            round_.refresh_from_db()
            return refused(request, error, lambda: self._render(request, round_))
        return redirect(reverse("assessment:round", args=[round_.pk]))


class TargetView(ScopedMixin, View):
    """One organisation's scores: each indicator with its points and how they were reached, the
    records behind a record-based one (drill-down), the self-assessment and its evidence, the
    team's score and reason. Before publication the assessed see the record-based figures and
    their own self-assessment, not the team's scores or the total. Constant queries."""

    model = Target

    def load(self, pk):
        return self.get_scoped_object(
            pk, queryset=Target.objects.restrict(self.request.user, Action.VIEW).select_related(
                "round__scheme__org", "org"
            ),
        )  # fmt: skip

    def context(self, request, target):
        user, round_ = request.user, target.round
        assessing = Target.objects.restrict(user, Action.ASSESS).filter(pk=target.pk).exists()
        recording = Target.objects.restrict(user, Action.RECORD).filter(pk=target.pk).exists()
        published = round_.state == RoundState.PUBLISHED
        files = {}
        for item in Evidence.objects.restrict(user, Action.VIEW).filter(score__target=target):
            files.setdefault(item.score_id, []).append(item)
        groups = {}
        scores = target.scores.select_related("indicator__dimension").prefetch_related(
            "corrections__by"
        )
        for score in scores:
            score.files = files.get(score.pk, [])
            score.team_kind = score.indicator.kind in TEAM_KINDS
            score.hidden = score.team_kind and not (assessing or published)
            score.lost = rectify.lost(score) if assessing else ""
            groups.setdefault(score.indicator.dimension, []).append(score)
        meetings = (
            Meeting.objects.restrict(user, Action.VIEW)
            .filter(org=target.org, starts_at__year=round_.scheme.year)
            .order_by("-starts_at")[:200]
            if round_.state != RoundState.PUBLISHED else []
        )  # fmt: skip
        return {
            "target": target, "round": round_, "groups": list(groups.items()),
            "assessing": assessing, "recording": recording, "published": published,
            "shows_total": assessing or published, "meetings": meetings,
            # Those who assess do not write the self-assessment of those they assess.
            "may_self": recording and not assessing and round_.state == RoundState.SELF,
            "may_score": assessing and round_.state == RoundState.SCORING,
            "may_rectify": assessing and round_.state != RoundState.SELF,
            # After publication a score changes only by a correction with its reason.
            "may_correct": published and services.runs(user, round_),
            "breadcrumbs": [HOME, *([{"label": round_.title,
                                      "url": reverse("assessment:round", args=[round_.pk])}]
                                    if assessing else []),
                            {"label": target.org.display_name, "url": ""}],
        }  # fmt: skip

    def get(self, request, pk):
        target = self.load(pk)
        return render(request, "assessment/target.html", self.context(request, target))


class ScoreActionView(TargetView):
    """POST on one score: the self-assessment (the assessed), the team's score, or a piece of
    evidence (a file or a meeting). Refused: the target page again with the reason, 4xx."""

    http_method_names = ["post"]
    ACTIONS = {"self": Action.RECORD, "score": Action.ASSESS, "evidence": Action.VIEW,
               "rectify": Action.ASSESS, "correct": Action.ASSESS}  # fmt: skip

    def post(self, request, pk, op):
        if op not in self.ACTIONS:
            raise Http404("未找到该记录。")
        score = (
            Score.objects.restrict(request.user, self.ACTIONS[op])
            .select_related("target", "indicator").filter(pk=pk).first()
        )  # fmt: skip
        if score is None:
            raise Http404("未找到该记录。")
        target = self.load(score.target_id)
        try:
            self._do(request, score, op)
        except UserFacingError as error:
            # The form that failed comes back open, with what was typed in it.
            return refused(request, error, lambda: render(
                request, "assessment/target.html",
                {**self.context(request, target), "failed": score.pk, "typed": request.POST}))  # fmt: skip
        return redirect(reverse("assessment:target", args=[target.pk]) + f"#s{score.pk}")

    def _do(self, request, score, op):
        user, data = request.user, request.POST
        version = int(data["version"]) if data.get("version", "").isdecimal() else None
        if op == "self":
            services.save_self_assessment(score, actor=user, text=data.get("text", ""),
                                          version=version)  # fmt: skip
            messages.success(request, "已保存自评。")
        elif op == "score":
            services.score_indicator(
                score, actor=user, points=data.get("points") or "0",
                vetoed=data.get("vetoed") == "1", comment=data.get("comment", ""), version=version,
            )  # fmt: skip
            messages.success(request, "已保存评分。")
        elif op == "correct":
            if not services.runs(user, score.target.round):  # the team does not correct
                raise Http404("未找到该记录。")
            correction = services.correct_score(
                score, actor=user, points=data.get("points"),
                vetoed=data.get("vetoed") == "1", comment=data.get("comment", ""),
                reason=data.get("reason", ""), version=version,
            )  # fmt: skip
            messages.success(request, "已更正，原得分和更正理由已留存。")
            for title in correction.open_awards:
                messages.warning(request, f"本轮结果正用于创建评选{quoted(title)}，其推荐名单按更正前的"
                                          "结果生成，请评选组织核对。")  # fmt: skip
        elif op == "rectify":
            on = data.get("on") == "1"
            rectify.mark(score, actor=user, on=on)
            messages.success(request, "已列入整改。" if on else "已取消列入整改。")
        else:
            assessing = Target.objects.restrict(user, Action.ASSESS).filter(pk=score.target_id)
            by_team = assessing.exists()
            if not by_team and not Target.objects.restrict(user, Action.RECORD).filter(
                pk=score.target_id
            ).exists():  # fmt: skip
                raise Http404("未找到该记录。")
            meeting = None
            if data.get("meeting"):
                meeting = (
                    Meeting.objects.restrict(user, Action.VIEW)
                    .filter(pk=data["meeting"] if data["meeting"].isdecimal() else None).first()
                )  # fmt: skip
                if meeting is None:
                    raise UserFacingError("所选会议不存在，或不在您可查看的范围内。")
            services.add_evidence(score, actor=user, upload=request.FILES.get("file"),
                                  record=meeting, by_team=by_team)  # fmt: skip
            messages.success(request, "已添加佐证材料。")


class SubmitView(TargetView):
    http_method_names = ["post"]

    def post(self, request, pk):
        target = Target.objects.restrict(request.user, Action.RECORD).filter(pk=pk).first()
        if target is None:
            raise Http404("未找到该记录。")
        try:
            services.submit_self_assessment(target, actor=request.user)
        except UserFacingError as error:
            target = self.load(pk)
            return refused(request, error, lambda: render(
                request, "assessment/target.html", self.context(request, target)))  # fmt: skip
        messages.success(request, "已提交自评。")
        return redirect(reverse("assessment:target", args=[pk]))


class DrillView(LoginRequiredMixin, View):
    """The records behind one record-based score (htmx partial): the months, meetings, files or
    organisation facts the formula counted, each linked to its page."""

    def get(self, request, pk):
        score = (
            Score.objects.restrict(request.user, Action.VIEW)
            .select_related("target__round__scheme", "target__org", "indicator")
            .filter(pk=pk).first()
        )  # fmt: skip
        if score is None or score.indicator.kind != IndicatorKind.RECORD:
            raise Http404("未找到该记录。")
        round_ = score.target.round
        formula = formulas.FORMULAS[score.indicator.formula]
        upto = round_.computed_upto or services.upto_for(round_)
        rows = formula.evidence(request.user, score.target.org, round_.scheme.year, upto,
                                score.detail)  # fmt: skip
        return render(request, "assessment/_drill.html", {"score": score, "rows": rows,
                                                          "upto": upto})  # fmt: skip


class EvidenceFileView(LoginRequiredMixin, View):
    def get(self, request, pk):
        evidence = (
            Evidence.objects.restrict(request.user, Action.VIEW)
            .select_related("score__target__round")
            .filter(pk=pk)
            .first()
        )
        if evidence is None or not evidence.file:
            raise Http404("未找到该记录。")
        target = evidence.score.target
        if (
            evidence.by_team
            and target.round.state != RoundState.PUBLISHED
            and not Target.objects.restrict(request.user, Action.ASSESS)
            .filter(pk=target.pk)
            .exists()
        ):  # the team's material is the assessed organisation's after publication, like its scores
            raise Http404("未找到该记录。")
        return stored_file_response(request, evidence.file, filename=evidence.name)


class ResultsExportView(RoundView):
    """The round's results as Excel (those who assess; audited)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        round_ = self.get_scoped_object(pk)
        path, count = exports.results_xlsx(round_)
        audit.record(request.user, "assessment.exported", round_, payload={"rows": count})
        return FileResponse(open(path, "rb"), as_attachment=True,  # noqa: SIM115
                            filename=f"{round_.title}结果.xlsx")  # fmt: skip


class BulletinView(RoundView):
    """The 考核结果通报 of a published round, in Word (its runners; audited)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        round_ = self.get_scoped_object(pk)
        if not services.runs(request.user, round_):
            raise Http404("未找到该记录。")
        if round_.state != RoundState.PUBLISHED:
            messages.error(request, "考核结果公布后才能生成通报。")
            return redirect(reverse("assessment:round", args=[round_.pk]))
        path = bulletin.docx(round_, today=timezone.localdate())
        audit.record(request.user, "assessment.bulletin.exported", round_)
        return word.download(path, f"关于{round_.title}结果的通报.docx")
