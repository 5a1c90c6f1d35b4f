"""Pages of 发展党员: a branch's pipeline, an applicant's file with what the rules still require,
the form of each step. Reads go through the scoping layer; changes through `services`."""

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, can_anywhere, person_of
from mofan.access.views_base import ScopedMixin
from mofan.audit import services as audit
from mofan.core.errors import StaleEdit, UserFacingError
from mofan.core.files import stored_file_response
from mofan.core.views_base import paginate
from mofan.orgs.models import PartyOrg
from mofan.recruitment import documents, exports, forms, rules, services, stats
from mofan.recruitment.choices import DocumentKind, Stage, StepKind
from mofan.recruitment.models import Applicant, Document, Plan, Step

HOME = {"label": "发展党员", "url": reverse_lazy("recruitment:home")}


def headline(needs, today):
    """The one requirement a list shows: the first overdue, else the first that can be taken now
    and moves the file on (not the next half-year review), else the first."""
    for need in needs:
        if need.overdue(today):
            return need
    for need in needs:
        if not need.waiting(today) and need.kind != StepKind.REVIEW:
            return need
    return needs[0] if needs else None


class HomeView(ScopedMixin, View):
    """Those who keep files: the organisations they keep them for (one: straight to it). An
    applicant: their own file's stage and next step."""

    model = Applicant

    def get(self, request):
        user = request.user
        orgs = (
            list(PartyOrg.objects.roots(user, Action.RECRUIT))
            if can_anywhere(user, Action.RECRUIT)
            else []
        )
        if len(orgs) == 1:
            return redirect(reverse("recruitment:org", args=[orgs[0].pk]))
        mine = (
            Applicant.objects.restrict(user, Action.VIEW)
            .filter(person_id=person_of(user))
            .select_related("org")
            .order_by("-applied_on")
            if person_of(user)
            else []
        )
        return render(request, "recruitment/home.html", {
            "orgs": orgs, "mine": list(mine), "today": timezone.localdate(),
            "breadcrumbs": [{"label": "发展党员", "url": ""}],
        })  # fmt: skip


class OrgView(ScopedMixin, View):
    """The pipeline of an organisation's subtree: how many at each stage, and each file with
    the next thing the rules require and by when, the most urgent first. Constant queries."""

    model = PartyOrg
    action = Action.RECRUIT

    def get(self, request, pk):
        org = self.get_scoped_object(pk)
        today = timezone.localdate()
        files = Applicant.objects.restrict(request.user, Action.RECRUIT).in_subtree(org)
        counts = dict(files.values_list("stage").annotate(n=Count("id")).order_by())
        stage = request.GET.get("stage", "")
        shown = (
            files.filter(stage=stage)
            if stage in Stage.values
            else files.filter(stage__in=rules.LIVE)
        )
        page = paginate(
            request,
            shown.select_related("person", "org").order_by("next_due_on", "applied_on", "pk"),
        )
        rows = [{"file": f, "next": headline(f.requirements(), today)} for f in page.object_list]
        overdue = files.filter(stage__in=rules.LIVE, next_due_on__lt=today).count()
        return render(request, "recruitment/org.html", {
            "org": org, "page": page, "rows": rows, "today": today, "stage": stage,
            "stages": [(s, label, counts.get(s, 0)) for s, label in Stage.choices],
            "live": sum(counts.get(s, 0) for s in rules.LIVE), "overdue": overdue,
            "breadcrumbs": [HOME, {"label": org.display_name, "url": ""}],
        })  # fmt: skip


class NewFileView(ScopedMixin, View):
    model = PartyOrg
    action = Action.RECRUIT

    def _render(self, request, org, form, status=200):
        return render(request, "form_page.html", {
            "form": form, "title": f"登记入党申请：{org.name}", "note": "",
            "cancel_url": reverse("recruitment:org", args=[org.pk]),
            "breadcrumbs": [HOME, {"label": org.display_name,
                                   "url": reverse("recruitment:org", args=[org.pk])},
                            {"label": "登记入党申请", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        org = self.get_scoped_object(pk)
        form = forms.OpenFileForm(user=request.user, initial={"applied_on": timezone.localdate()})
        return self._render(request, org, form)

    def post(self, request, pk):
        org = self.get_scoped_object(pk)
        form = forms.OpenFileForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(request, org, form, status=400)
        data = form.cleaned_data
        try:
            applicant = services.open_file(
                actor=request.user, org=org, person_data=form.person_fields(),
                applied_on=data["applied_on"], note=data["note"], front_line=data["front_line"],
            )  # fmt: skip
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, org, form, status=error.status_code)
        messages.success(request, f"已登记{applicant.person.name}的入党申请。")
        return redirect(reverse("recruitment:file", args=[applicant.pk]))


class FileView(ScopedMixin, View):
    """One applicant's file: where it stands, what the rules still require and when, the steps
    taken. The applicant sees their own (without the forms)."""

    model = Applicant

    def load(self, pk, action=Action.VIEW):
        return self.get_scoped_object(
            pk,
            queryset=Applicant.objects.restrict(self.request.user, action).select_related(
                "person", "org"
            ),
        )

    def refused(self, request, pk, error):
        """The file page again with the reason, and the error's 4xx."""
        messages.error(request, error.message)
        response = FileView.get(self, request, pk)
        response.status_code = error.status_code
        return response

    def get(self, request, pk):
        applicant = self.load(pk)
        today = timezone.localdate()
        keeps = Applicant.objects.restrict(request.user, Action.RECRUIT).filter(pk=pk).exists()
        done = rules.done_from(applicant.facts())
        steps = list(
            Step.objects.restrict(request.user, Action.VIEW)
            .filter(applicant=applicant)
            .select_related("person_a", "person_b", "meeting", "agenda_item")
        )
        available = [
            kind for kind in StepKind.values
            if keeps and applicant.stage in rules.STEPS[kind].stages
            and all(k in done for k in rules.STEPS[kind].after)
            and (rules.STEPS[kind].repeatable or kind not in done)
        ]  # fmt: skip
        return render(request, "recruitment/file.html", {
            "applicant": applicant, "keeps": keeps, "steps": steps,
            "needs": applicant.requirements(), "today": today,
            "available": [(k, StepKind(k).label) for k in available],
            "source": rules.SOURCE,
            "confirmed_vote": any(s.kind == StepKind.CONFIRMATION and s.passed for s in steps),
            "documents": Document.objects.restrict(request.user, Action.VIEW)
            .filter(applicant=applicant),
            "document_kinds": DocumentKind.choices,
            "breadcrumbs": [HOME, *([{"label": applicant.org.display_name,
                                      "url": reverse("recruitment:org", args=[applicant.org_id])}]
                                    if keeps else []),
                            {"label": applicant.person.name, "url": ""}],
        })  # fmt: skip


class StepView(FileView):
    """The form of one step; refused with the rule's reason, nothing changed."""

    def _render(self, request, applicant, form, status=200, note=""):
        kind = StepKind(form.kind)
        return render(request, "recruitment/step.html", {
            "applicant": applicant, "form": form, "title": kind.label, "note": note,
            "article": f"{rules.SOURCE}{rules.STEPS[kind].article}",
            "cancel_url": reverse("recruitment:file", args=[applicant.pk]),
            "breadcrumbs": [HOME, {"label": applicant.person.name,
                                   "url": reverse("recruitment:file", args=[applicant.pk])},
                            {"label": kind.label, "url": ""}],
        }, status=status)  # fmt: skip

    def _form(self, request, applicant, kind, data=None):
        if kind not in rules.STEPS:
            raise Http404("未找到该记录。")
        return forms.StepForm(
            data, kind=kind, applicant=applicant, user=request.user,
            initial={"version": applicant.version, "done_on": timezone.localdate()},
        )  # fmt: skip

    def get(self, request, pk, kind):
        applicant = self.load(pk, Action.RECRUIT)
        return self._render(request, applicant, self._form(request, applicant, kind))

    def post(self, request, pk, kind):
        applicant = self.load(pk, Action.RECRUIT)
        form = self._form(request, applicant, kind, request.POST)
        if not form.is_valid():
            return self._render(request, applicant, form, status=400)
        data = form.cleaned_data
        try:
            services.record_step(
                applicant, actor=request.user, kind=kind, done_on=data["done_on"],
                version=data["version"], **form.step_fields(),
            )  # fmt: skip
        except StaleEdit as error:
            fresh = self.load(pk, Action.RECRUIT)
            return self._render(
                request, fresh, self._form(request, fresh, kind), status=error.status_code,
                note=f"{error.message}您刚才填写的内容未保存。",
            )  # fmt: skip
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, applicant, form, status=error.status_code)
        messages.success(request, f"已登记：{StepKind(kind).label}。")
        return redirect(reverse("recruitment:file", args=[applicant.pk]))


class YearView(ScopedMixin, View):
    """The year of 发展党员 of an organisation's subtree: generated figures, and the plan's
    quota of each branch (kept here by those who keep the files) beside what was done."""

    model = PartyOrg
    action = Action.RECRUIT

    def _context(self, request, org, year, errors=""):
        files = Applicant.objects.restrict(request.user, Action.RECRUIT).in_subtree(org)
        branches = list(stats.branches_of(org, request.user))
        plan = (
            Plan.objects.restrict(request.user, Action.RECRUIT).filter(org=org, year=year).first()
        )
        today = timezone.localdate()
        return {
            "org": org, "year": year, "plan": plan, "errors": errors,
            "figures": stats.year_figures(files, branches, year, plan),
            "years": range(today.year + 1, today.year - 4, -1),
            "editable": today.year - 1 <= year <= today.year + 1,
            "breadcrumbs": [HOME, {"label": org.display_name,
                                   "url": reverse("recruitment:org", args=[org.pk])},
                            {"label": f"{year}年度", "url": ""}],
        }  # fmt: skip

    def get(self, request, pk, year):
        org = self.get_scoped_object(pk)
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise Http404("未找到该记录。")
        return render(request, "recruitment/year.html", self._context(request, org, year))

    def post(self, request, pk, year):
        org = self.get_scoped_object(pk)
        branches = list(stats.branches_of(org, request.user))
        quotas, bad = {}, []
        for branch in branches:
            raw = request.POST.get(f"quota_{branch.pk}", "").strip()
            if raw == "":
                continue
            if not raw.isdecimal():
                bad.append(f"{branch.name}：计划人数须为0至{services.MAX_QUOTA}的整数。")
                continue
            quotas[branch.pk] = int(raw)
        version = request.POST.get("version", "")
        try:
            if bad:
                raise UserFacingError("；".join(bad))
            services.set_plan(
                org, actor=request.user, year=year, quotas=quotas, branches=branches,
                note=request.POST.get("note", ""),
                version=int(version) if version.isdecimal() else None,
            )  # fmt: skip
        except UserFacingError as error:
            context = self._context(request, org, year, errors=error.message)
            return render(request, "recruitment/year.html", context, status=error.status_code)
        messages.success(request, f"{year}年度发展党员计划已保存。")
        return redirect(reverse("recruitment:year", args=[org.pk, year]))


class YearExportView(YearView):
    def get(self, request, pk, year):
        org = self.get_scoped_object(pk)
        if not 2000 <= year <= timezone.localdate().year + 1:
            raise Http404("未找到该记录。")
        figures = self._context(request, org, year)["figures"]
        path, count = exports.year_table(org, figures)
        audit.record(
            request.user, "recruitment.exported", org, payload={"year": year, "rows": count}
        )
        return FileResponse(open(path, "rb"), as_attachment=True,  # noqa: SIM115
                            filename=f"{org.display_name}{year}年发展党员情况.xlsx")  # fmt: skip


class PublicityView(FileView):
    """The notice of a nominee's publicity (发展对象公示) as Word, from the recorded step."""

    def get(self, request, pk):
        applicant = self.load(pk, Action.RECRUIT)
        step = (
            Step.objects.restrict(request.user, Action.RECRUIT)
            .filter(applicant=applicant, kind=StepKind.PUBLICITY)
            .order_by("-done_on", "-pk")
            .first()
        )
        if step is None:
            raise Http404("未找到该记录。")
        path = documents.publicity_notice(applicant, step)
        audit.record(
            request.user, "recruitment.publicity_notice", applicant, payload={"step": step.pk}
        )
        return FileResponse(open(path, "rb"), as_attachment=True,  # noqa: SIM115
                            filename=f"{applicant.person.name}发展对象公示.docx")  # fmt: skip


class ApprovalFormView(FileView):
    """The 审批表 the branch sends up after a 支部党员大会 passed (接收预备党员 or 转正), as Word."""

    KINDS = {"admission": StepKind.ADMISSION, "confirmation": StepKind.CONFIRMATION}

    def get(self, request, pk, kind):
        applicant = self.load(pk, Action.RECRUIT)
        if kind not in self.KINDS:
            raise Http404("未找到该记录。")
        steps = list(
            Step.objects.restrict(request.user, Action.RECRUIT)
            .filter(applicant=applicant)
            .select_related("person_a", "person_b", "meeting")
        )
        if not any(s.kind == self.KINDS[kind] and s.passed for s in steps):
            raise Http404("未找到该记录。")
        path = documents.approval_form(applicant, steps, self.KINDS[kind])
        audit.record(request.user, "recruitment.approval_form", applicant, payload={"kind": kind})
        title = documents.APPROVAL_TITLES[self.KINDS[kind]]
        return FileResponse(open(path, "rb"), as_attachment=True,  # noqa: SIM115
                            filename=f"{applicant.person.name}{title}.docx")  # fmt: skip


class FrontLineView(FileView):
    """Correct the file's 生产、工作一线 mark (POST from the file page)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        applicant = self.load(pk, Action.RECRUIT)
        version = request.POST.get("version", "")
        try:
            services.set_front_line(
                applicant, actor=request.user, front_line=request.POST.get("front_line") == "1",
                version=int(version) if version.isdecimal() else -1,
            )  # fmt: skip
        except UserFacingError as error:
            return self.refused(request, pk, error)
        messages.success(request, "已更新“生产、工作一线”。")
        return redirect(reverse("recruitment:file", args=[applicant.pk]))


class DocumentsView(FileView):
    """Upload a paper to the file (POST, the keepers)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        applicant = self.load(pk, Action.RECRUIT)
        try:
            services.attach_document(
                applicant, actor=request.user, upload=request.FILES.get("file"),
                kind=request.POST.get("kind", ""),
            )  # fmt: skip
        except UserFacingError as error:
            return self.refused(request, pk, error)
        messages.success(request, "已上传材料。")
        return redirect(reverse("recruitment:file", args=[applicant.pk]))


class DocumentView(FileView):
    """One paper of the file, to its keepers and to the applicant."""

    http_method_names = ["get"]

    def get(self, request, pk, document_pk):
        applicant = self.load(pk)
        document = (
            Document.objects.restrict(request.user, Action.VIEW)
            .filter(applicant=applicant, pk=document_pk)
            .first()
        )
        if document is None:
            raise Http404("未找到该记录。")
        return stored_file_response(request, document.file, filename=document.name)
