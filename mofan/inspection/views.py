"""巡视巡察's pages. Every page reads through querysets.py (404 outside one's reach) and every
read of a plan, a round or a target is audited, as every change is (services.py)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.audit import services as audit
from mofan.core import excel, word
from mofan.core.errors import InvalidInput, UserFacingError
from mofan.core.files import stored_file_response
from mofan.core.forms import date_or_none, int_or_none, version_read
from mofan.core.views_base import paginate, refused
from mofan.inspection import documents, rectify, services
from mofan.inspection.choices import (
    STAGES,
    Channel,
    Coverage,
    DisclosureState,
    FindingCategory,
    LetterKind,
    Rating,
    RectificationPaper,
    RoundKind,
    Stage,
    TeamRole,
)
from mofan.inspection.models import (
    Evidence,
    Finding,
    Interview,
    Letter,
    Plan,
    Rectification,
    Round,
    Target,
)
from mofan.orgs.models import PartyOrg, Person

HOME = {"label": "巡视巡察", "url": reverse_lazy("inspection:home")}
NOT_FOUND = "未找到该记录。"


def _day(iso: str | None) -> date | None:
    return date.fromisoformat(iso) if iso else None


class HomeView(LoginRequiredMixin, View):
    def _render(self, request, status=200):
        user, year = request.user, timezone.localdate().year
        return render(request, "inspection/home.html", {
            "plans": Plan.objects.restrict(user, Action.VIEW).select_related("org")[:100],
            "rounds": Round.objects.restrict(user, Action.VIEW).select_related("org")[:200],
            "orgs": services.inspecting_orgs(user), "kinds": RoundKind.choices,
            "year": year, "data": request.POST,
            "breadcrumbs": [{"label": "巡视巡察", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request):
        return self._render(request)

    def post(self, request):
        data, user = request.POST, request.user
        org = services.inspecting_orgs(user).filter(pk=int_or_none(data.get("org"))).first()
        try:
            if org is None:
                raise InvalidInput("请选择巡察组织（您担任纪检干部的党委、党组或机关党委）。")
            if data.get("op") not in ("plan", "round"):
                raise InvalidInput("未知的操作。")
            if data.get("op") == "plan":
                plan = services.create_plan(
                    org, actor=user, title=data.get("title"), first_year=int_or_none(data.get("first_year")),
                    last_year=int_or_none(data.get("last_year")),
                )  # fmt: skip
                messages.success(request, "已建立巡察规划，请将下属组织列入各年度计划。")
                return redirect(reverse("inspection:plan", args=[plan.pk]))
            plan = (
                Plan.objects.restrict(user, Action.CHANGE)
                .filter(pk=int_or_none(data.get("plan")))
                .first()
            )
            if data.get("plan") and plan is None:
                raise InvalidInput("所选规划不存在，或不在您的管理范围内。")
            round_ = services.create_round(
                org, actor=user, kind=data.get("kind"), title=data.get("title"),
                year=int_or_none(data.get("year")), plan=plan,
            )  # fmt: skip
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request))
        messages.success(request, "已建立巡察轮次，请组建巡察组并确定巡察对象。")
        return redirect(reverse("inspection:round", args=[round_.pk]))


class PlanView(ScopedMixin, View):
    """The coverage map of a term: the figures, a row per year, and the organisations with their
    status (filtered, a page at a time)."""

    model = Plan

    def _render(self, request, plan, status=200):
        found = services.coverage(plan)
        shown = request.GET.get("status", "")
        rows = (
            [r for r in found.rows if r.status == shown] if shown in Coverage.values else found.rows
        )
        audit.record(request.user, "inspection.plan.viewed", plan)
        return render(request, "inspection/plan.html", {
            "plan": plan, "map": found, "page": paginate(request, rows, 100),
            "term": rectify.term_figures(plan),
            "statuses": Coverage.choices, "shown": shown,
            "years": range(plan.first_year, plan.last_year + 1),
            "writes": self.allows(plan, Action.CHANGE),
            "breadcrumbs": [HOME, {"label": plan.title, "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self.get_scoped_object(pk, queryset=self._plans(request)))

    def _plans(self, request, action=Action.VIEW):
        return Plan.objects.restrict(request.user, action).select_related("org")

    def post(self, request, pk):
        plan = self.get_scoped_object(pk, queryset=self._plans(request, Action.CHANGE))
        ids = [i for i in (int_or_none(v) for v in request.POST.getlist("orgs")) if i]
        orgs = list(PartyOrg.objects.restrict(request.user, Action.VIEW).filter(pk__in=ids))
        try:
            if len(orgs) != len(set(ids)):
                raise InvalidInput("所选组织不存在，或不在您可查看的范围内。")
            n = services.plan_orgs(plan, actor=request.user, orgs=orgs,
                                   year=int_or_none(request.POST.get("year")),
                                   version=version_read(request.POST))  # fmt: skip
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request, plan))
        messages.success(request, f"已将{n}个组织列入计划。")
        return redirect(reverse("inspection:plan", args=[plan.pk]))


class RoundView(ScopedMixin, View):
    """A round: its stage and dates, its teams with their members, the targets with their team
    and the number of findings. Its keepers add teams, members and targets while preparing, and
    move it on; a team member reads it and opens their own targets."""

    model = Round

    def _round(self, request, pk, action=Action.VIEW):
        return self.get_scoped_object(
            pk, queryset=Round.objects.restrict(request.user, action).select_related("org", "plan")
        )

    def _render(self, request, round_, status=200):
        user = request.user
        writes = self.allows(round_, Action.CHANGE)
        teams = list(round_.teams.prefetch_related("members__person", "members__home_unit"))
        if not writes:  # a team member sees their own team and its targets, not the others'
            teams = [
                t for t in teams if any(m.person_id == user.person_id for m in t.members.all())
            ]
        targets = list(
            Target.objects.restrict(user, Action.VIEW).filter(round=round_)
            .select_related("org", "team")
            .annotate(n_findings=Count("findings", distinct=True),
                      n_interviews=Count("interviews", distinct=True))
            .order_by("org__path")
        )  # fmt: skip
        at = STAGES.index(round_.stage)
        fed_back = at >= STAGES.index(Stage.FEEDBACK)
        rectifications = {
            r.target_id: r
            for r in Rectification.objects.restrict(user, Action.VIEW).filter(target__round=round_)
        }
        for target in targets:
            target.rect = rectifications.get(target.pk)
        audit.record(user, "inspection.round.viewed", round_)
        return render(request, "inspection/round.html", {
            "round": round_, "teams": teams, "targets": targets, "writes": writes,
            "fed_back": fed_back, "figures": rectify.round_figures(round_) if writes and fed_back else None,
            "may_hand_over": writes and round_.stage == Stage.FEEDBACK and not rectifications,
            "late": rectify.late_papers(round_) if writes and rectifications else [],
            "preparing": round_.stage == Stage.PREPARING,
            "stages": [(value, label, _day(round_.stage_dates.get(value)), i <= at)
                       for i, (value, label) in enumerate(Stage.choices)],
            "next_stage": Stage(STAGES[at + 1]).label if at + 1 < len(STAGES) else "",
            "roles": TeamRole.choices, "data": request.POST,
            "breadcrumbs": [HOME, {"label": round_.title, "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self._round(request, pk))

    def post(self, request, pk):
        round_ = self._round(request, pk, Action.CHANGE)
        data, user, op = request.POST, request.user, request.POST.get("op")
        try:
            if op == "team":
                services.add_team(round_, actor=user, name=data.get("name"),
                                  phone=data.get("phone", ""), mailbox=data.get("mailbox", ""))  # fmt: skip
                done = "已组建巡察组。"
            elif op in ("member", "target"):
                team = round_.teams.filter(pk=int_or_none(data.get("team"))).first()
                if team is None:
                    raise InvalidInput("请选择巡察组。")
                if op == "member":
                    person = Person.objects.restrict(user, Action.VIEW).select_related("unit").filter(
                        pk=int_or_none(data.get("person"))).first()  # fmt: skip
                    if person is None:
                        raise InvalidInput("所选人员不存在，或不在您可查看的范围内。")
                    services.add_member(team, actor=user, person=person, role=data.get("role"))
                    done = f"已将{person.name}编入{team.name}。"
                else:
                    org = PartyOrg.objects.restrict(user, Action.VIEW).select_related("unit").filter(
                        pk=int_or_none(data.get("org"))).first()  # fmt: skip
                    if org is None:
                        raise InvalidInput("所选组织不存在，或不在您可查看的范围内。")
                    services.add_target(round_, actor=user, org=org, team=team)
                    done = f"已将{org.name}列为巡察对象。"
            elif op == "advance":
                round_ = services.advance(round_, actor=user, version=version_read(data))
                done = f"已进入{round_.get_stage_display()}阶段。"
            elif op == "handover":
                made = rectify.hand_over(round_, actor=user)
                done = f"已为{len(made)}个被巡察组织生成整改台账，并通知其负责整改的人员。"
            elif op == "remove":
                member = round_.members().select_related("person", "team").filter(
                    pk=int_or_none(data.get("member"))).first()  # fmt: skip
                if member is None:
                    raise InvalidInput("所选成员不在本轮的巡察组中。")
                services.remove_member(member, actor=user)
                done = f"已将{member.person.name}移出{member.team.name}。"
            else:
                raise InvalidInput("未知的操作。")
        except UserFacingError as error:
            round_.refresh_from_db()
            return refused(request, error, lambda: self._render(request, round_))
        messages.success(request, done)
        return redirect(reverse("inspection:round", args=[round_.pk]))


class TargetView(ScopedMixin, View):
    """One target: its team and the findings recorded, each in full (the facts decrypted for
    those who may read them); the team and the round's keepers record and revise findings from
    进驻 until the feedback."""

    model = Target

    def _target(self, request, pk):
        return self.get_scoped_object(pk, queryset=Target.objects.restrict(
            request.user, Action.VIEW).select_related("round__org", "org", "team"))  # fmt: skip

    def _render(self, request, target, status=200):
        findings = list(
            Finding.objects.restrict(request.user, Action.VIEW).filter(target=target)
            .select_related("created_by", "ledger_finding", "rated_by")
            .prefetch_related("leads", "evidence")
        )  # fmt: skip
        interviews = list(
            Interview.objects.restrict(request.user, Action.VIEW).filter(target=target)
            .select_related("created_by")
        )  # fmt: skip
        letters = list(
            Letter.objects.restrict(request.user, Action.VIEW).filter(target=target, handed_at__isnull=False)
        )  # fmt: skip
        audit.record(request.user, "inspection.target.viewed", target)
        # Who read a finding, a talk or a letter is asked of each one.
        for rows, what in ((findings, "finding"), (interviews, "interview"), (letters, "letter")):
            audit.record_reads(request.user, f"inspection.{what}.viewed", rows)
        rect = (
            Rectification.objects.restrict(request.user, Action.VIEW).filter(target=target).first()
        )
        return render(request, "inspection/target.html", {
            "target": target, "round": target.round, "findings": findings, "rect": rect,
            "rates": target.round.stage == Stage.EVALUATING and self.allows(target.round, Action.CHANGE),
            "writes": self.allows(target.round, Action.CHANGE),
            "ratings": Rating.choices,
            "fed_back": STAGES.index(target.round.stage) >= STAGES.index(Stage.FEEDBACK),
            "interviews": interviews, "letters": letters, "today": timezone.localdate(),
            "records": target.round.stage in services.FINDING_STAGES,
            "categories": FindingCategory.choices, "data": request.POST,
            "breadcrumbs": [HOME, {"label": target.round.title,
                                   "url": reverse("inspection:round", args=[target.round_id])},
                            {"label": target.org.name, "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self._target(request, pk))

    def post(self, request, pk):
        target, data, user = self._target(request, pk), request.POST, request.user
        try:
            if data.get("op") == "interview":
                services.add_interview(
                    target, actor=user, held_on=date_or_none(data.get("held_on")),
                    interviewee=data.get("interviewee"), post=data.get("post", ""),
                    summary=data.get("summary"),
                )  # fmt: skip
                done = "已记录个别谈话。"
            elif data.get("op") == "evidence":
                finding = Finding.objects.restrict(user, Action.CHANGE).filter(
                    target=target, pk=int_or_none(data.get("finding"))).first()  # fmt: skip
                if finding is None:
                    raise Http404(NOT_FOUND)
                services.add_evidence(finding, actor=user, upload=request.FILES.get("file"))
                done = f"已为问题{finding.number}添加证据材料。"
            elif data.get("op") == "rate":
                if not self.allows(target.round, Action.CHANGE):
                    raise Http404(NOT_FOUND)
                finding = Finding.objects.restrict(user, Action.CHANGE).filter(
                    target=target, pk=int_or_none(data.get("finding"))).first()  # fmt: skip
                if finding is None:
                    raise Http404(NOT_FOUND)
                finding = rectify.rate(finding, actor=user, rating=data.get("rating", ""),
                                       evidence=data.get("evidence"), version=version_read(data))  # fmt: skip
                done = f"已评定问题{finding.number}：{finding.get_rating_display()}。"
            elif data.get("finding"):
                finding = Finding.objects.restrict(user, Action.CHANGE).filter(
                    target=target, pk=int_or_none(data.get("finding"))).first()  # fmt: skip
                if finding is None:
                    raise Http404(NOT_FOUND)
                services.update_finding(finding, actor=user, version=version_read(data),
                                        category=data.get("category"), title=data.get("title"),
                                        facts=data.get("facts"))  # fmt: skip
                done = "已修改问题。"
            else:
                services.add_finding(target, actor=user, category=data.get("category"),
                                     title=data.get("title"), facts=data.get("facts"))  # fmt: skip
                done = "已登记问题。"
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request, target))
        messages.success(request, done)
        return redirect(reverse("inspection:target", args=[target.pk]))


class AnnouncementView(TargetView):
    """The team's 进驻公告 at this target, in Word (audited)."""

    http_method_names = ["get"]

    def get(self, request, pk):
        target = self._target(request, pk)
        if target.team is None:
            raise Http404(NOT_FOUND)
        path = documents.announcement(target)
        audit.record(request.user, "inspection.announcement.exported", target)
        return word.download(path, f"{target.team.name}进驻{target.org.name}公告.docx")


class LettersView(ScopedMixin, View):
    """A round's 来信来访: the keepers register each one and classify it, handing it to the team
    of the target it concerns; a team reads those handed to it."""

    model = Round

    def _render(self, request, round_, status=200):
        user = request.user
        letters = list(
            Letter.objects.restrict(user, Action.VIEW).filter(round=round_)
            .select_related("target__org", "target__team")
        )  # fmt: skip
        audit.record(user, "inspection.letters.viewed", round_)
        audit.record_reads(user, "inspection.letter.viewed", letters)
        return render(request, "inspection/letters.html", {
            "round": round_, "letters": letters, "writes": self.allows(round_, Action.CHANGE),
            "open": round_.stage in services.FINDING_STAGES,
            "targets": round_.targets.select_related("org", "team"),
            "channels": Channel.choices, "kinds": LetterKind.choices[1:], "data": request.POST,
            "today": timezone.localdate(),
            "breadcrumbs": [HOME, {"label": round_.title,
                                   "url": reverse("inspection:round", args=[round_.pk])},
                            {"label": "来信来访", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        round_ = self.get_scoped_object(
            pk, queryset=Round.objects.restrict(request.user, Action.VIEW).select_related("org")
        )
        return self._render(request, round_)

    def post(self, request, pk):
        round_ = self.get_scoped_object(
            pk, queryset=Round.objects.restrict(request.user, Action.CHANGE).select_related("org")
        )
        data, user = request.POST, request.user
        try:
            if data.get("letter"):
                letter = Letter.objects.restrict(user, Action.CHANGE).filter(
                    round=round_, pk=int_or_none(data.get("letter"))).first()  # fmt: skip
                if letter is None:
                    raise Http404(NOT_FOUND)
                target = None
                if data.get("target"):
                    target = round_.targets.filter(pk=int_or_none(data.get("target"))).first()
                    if target is None:
                        raise InvalidInput("所选巡察对象不属于本轮。")
                services.classify_letter(letter, actor=user, version=version_read(data),
                                         kind=data.get("kind", ""), target=target)  # fmt: skip
                done = f"已分类第{letter.number}号来信来访。"
            else:
                letter = services.register_letter(
                    round_, actor=user, channel=data.get("channel"),
                    received_on=date_or_none(data.get("received_on")),
                    sender=data.get("sender", ""), content=data.get("content"),
                )  # fmt: skip
                done = f"已登记第{letter.number}号来信来访。"
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request, round_))
        messages.success(request, done)
        return redirect(reverse("inspection:letters", args=[round_.pk]))


class FeedbackView(TargetView):
    """The team's 反馈意见 to this target, in Word, watermarked with the reader and the time
    (audited): from 反馈 on, for the round's keepers and the team."""

    http_method_names = ["get"]

    def get(self, request, pk):
        target = self._target(request, pk)
        if target.team is None or STAGES.index(target.round.stage) < STAGES.index(Stage.FEEDBACK):
            raise Http404(NOT_FOUND)
        path = documents.feedback(target, word.viewer_mark(request.user))
        audit.record(request.user, "inspection.feedback.exported", target)
        return word.download(path, f"{target.team.name}关于巡察{target.org.name}的反馈意见.docx")


class FindingsSheetView(ScopedMixin, View):
    """The round's findings with their rectification and rating, in Excel, watermarked and
    audited (the round's keepers)."""

    model = Round

    def get(self, request, pk):
        round_ = self.get_scoped_object(
            pk, queryset=Round.objects.restrict(request.user, Action.CHANGE)
        )
        findings = (
            Finding.objects.restrict(request.user, Action.VIEW).filter(target__round=round_)
            .select_related("target__org", "ledger_finding").order_by("target__org__path", "number")
        )  # fmt: skip
        rows = (
            (f.target.org.name, f.number, f.get_category_display(), f.title, f.facts,
             f.ledger_finding.get_state_display() if f.ledger_finding else "未移交",
             f.get_rating_display() or "", f.rating_evidence)
            for f in findings.iterator(chunk_size=500)
        )  # fmt: skip
        path, count = excel.write_table(
            f"{round_.title}发现问题及整改情况",
            ["被巡察组织", "序号", "问题类别", "问题概要", "问题事实", "整改状态", "整改评估", "评估依据"],
            rows, widths=(22, 6, 12, 30, 50, 14, 10, 30), watermark=word.viewer_mark(request.user),
        )  # fmt: skip
        audit.record(request.user, "inspection.findings.exported", round_, payload={"rows": count})
        return word.download(path, f"{round_.title}发现问题及整改情况.xlsx")


class RectificationView(ScopedMixin, View):
    """One target's rectification: the ledger made from the feedback, the papers' days and the
    papers sent, the findings' state in the ledger, and the 整改进展公开. The target's people
    (the ledger's supervisors) send the papers; the round's keepers draft and publish the
    disclosure."""

    model = Rectification

    def _rect(self, request, pk, action=Action.VIEW):
        return self.get_scoped_object(pk, queryset=Rectification.objects.restrict(
            request.user, action).select_related("target__round__org", "target__org", "target__team",
                                                 "ledger"))  # fmt: skip

    def _render(self, request, rect, status=200):
        user = request.user
        keeps = self.allows(rect, Action.CHANGE)
        sends = self.allows(rect, Action.HANDLE)
        problems = list(rect.ledger.findings.order_by("number").prefetch_related("measures"))
        disclosures = list(rect.target.disclosures.select_related("published_by"))
        if not keeps:  # the target reads what was published, not the drafts under review
            disclosures = [d for d in disclosures if d.state == DisclosureState.PUBLISHED]
        audit.record(user, "inspection.rectification.viewed", rect)
        today = timezone.localdate()
        papers = [
            {"value": p.value, "label": p.label, "due": getattr(rect, f"{p.value}_due_on"),
             "sent": getattr(rect, f"{p.value}_sent_at"), "name": getattr(rect, f"{p.value}_file_name"),
             "late": (today - getattr(rect, f"{p.value}_due_on")).days}
            for p in RectificationPaper
        ]  # fmt: skip
        return render(request, "inspection/rectification.html", {
            "rect": rect, "target": rect.target, "round": rect.target.round, "problems": problems,
            "papers": papers, "keeps": keeps, "sends": sends and rect.target.round.stage != Stage.CLOSED, "supervises": sends,
            "disclosures": disclosures, "today": today,
            "breadcrumbs": [HOME] + ([{"label": rect.target.round.title,
                                       "url": reverse("inspection:round", args=[rect.target.round_id])}]
                                     if keeps else []) + [{"label": f"{rect.target.org.name}整改", "url": ""}],
        }, status=status)  # fmt: skip

    def get(self, request, pk):
        return self._render(request, self._rect(request, pk))

    def post(self, request, pk):
        rect, data, user = self._rect(request, pk), request.POST, request.user
        op = data.get("op")
        try:
            if op == "paper":
                if not self.allows(rect, Action.HANDLE):
                    raise Http404(NOT_FOUND)
                paper = data.get("paper", "")
                rectify.send_paper(rect, actor=user, paper=paper, upload=request.FILES.get("file"))
                done = f"已报送{RectificationPaper(paper).label}。"
            elif op in ("draft", "publish"):
                if not self.allows(rect, Action.CHANGE):
                    raise Http404(NOT_FOUND)
                if op == "draft":
                    rectify.draft_disclosure(rect, actor=user)
                    done = "已根据整改台账生成整改进展公开内容，请审核后公开。"
                else:
                    disclosure = rect.target.disclosures.filter(
                        pk=int_or_none(data.get("disclosure"))
                    ).first()
                    if disclosure is None:
                        raise InvalidInput("所选公开内容不存在。")
                    rectify.publish_disclosure(disclosure, actor=user, version=version_read(data))
                    done = "已公开整改进展情况。"
            else:
                raise InvalidInput("未知的操作。")
        except UserFacingError as error:
            return refused(request, error, lambda: self._render(request, rect))
        messages.success(request, done)
        return redirect(reverse("inspection:rectification", args=[rect.pk]))


class PaperView(RectificationView):
    """A paper the target sent, for the round's keepers and the target's people (audited)."""

    http_method_names = ["get"]

    def get(self, request, pk, paper):
        rect = self._rect(request, pk)
        if paper not in RectificationPaper.values or not getattr(rect, f"{paper}_file_name"):
            raise Http404(NOT_FOUND)
        audit.record(request.user, f"inspection.{paper}.downloaded", rect)
        return stored_file_response(
            request, getattr(rect, f"{paper}_file"), filename=getattr(rect, f"{paper}_file_name")
        )


class DisclosureDocumentView(RectificationView):
    """The 整改进展公开 in Word, watermarked (audited); a draft only for the round's keepers."""

    http_method_names = ["get"]

    def get(self, request, pk, disclosure):
        rect = self._rect(request, pk)
        found = rect.target.disclosures.filter(pk=disclosure).first()
        if found is None or (
            found.state != DisclosureState.PUBLISHED and not self.allows(rect, Action.CHANGE)
        ):
            raise Http404(NOT_FOUND)
        path = documents.disclosure(found, word.viewer_mark(request.user))
        audit.record(request.user, "inspection.disclosure.exported", found)
        return word.download(path, f"{rect.target.org.name}巡察整改进展情况.docx")


class EvidenceView(ScopedMixin, View):
    """A finding's evidence file, for those who read the finding (audited)."""

    model = Evidence
    http_method_names = ["get"]

    def get(self, request, pk):
        evidence = self.get_scoped_object(
            pk, queryset=Evidence.objects.restrict(request.user, Action.VIEW)
        )
        audit.record(request.user, "inspection.evidence.downloaded", evidence.finding,
                     payload={"evidence": evidence.pk})  # fmt: skip
        return stored_file_response(request, evidence.file, filename=evidence.file_name)
