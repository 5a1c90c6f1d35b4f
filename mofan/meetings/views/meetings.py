"""Pages of organisational life: one's own meetings, an organisation's meetings and plans, planning
a meeting, the meeting page (agenda, attendance, minutes), and what the recorder does there."""

from datetime import timedelta
from decimal import Decimal

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from mofan.access.scoping import Action, person_of
from mofan.core.errors import UserFacingError
from mofan.core.files import stored_file_response
from mofan.core.views_base import paginate
from mofan.ledger.models import Item, Ledger
from mofan.meetings import compliance, services
from mofan.meetings.choices import AttendanceStatus, MeetingKind, MeetingState
from mofan.meetings.forms import (
    CancelForm,
    GuestForm,
    LeaveForm,
    MarkForm,
    MeetingForm,
    MinutesForm,
    PlanForm,
    SitInForm,
    StudyReportForm,
    TaskForm,
    TopicsForm,
    people_of,
)
from mofan.meetings.models import Attendance, Meeting, MeetingPlan, StudyTopic
from mofan.meetings.querysets import reads_minutes
from mofan.meetings.views.base import (
    MeetingMixin,
    OrgMixin,
    may_record,
    meeting_crumbs,
    org_crumbs,
    render_org_form,
)
from mofan.orgs.models import PartyOrg, Person


class HomeView(MeetingMixin, View):
    """My meetings, the organisations I keep the records of, my study hours."""

    def get(self, request):
        person_id = person_of(request.user)
        now = timezone.now()
        mine = (
            Attendance.objects.restrict(request.user, Action.VIEW)
            .filter(person_id=person_id, meeting__starts_at__gte=now - timedelta(days=30))
            .exclude(meeting__state=MeetingState.CANCELLED)
            .select_related("meeting", "meeting__org")
            .order_by("meeting__starts_at", "meeting_id")[:50]
            if person_id
            else []
        )
        recording = PartyOrg.objects.restrict(request.user, Action.RECORD).active()
        today = timezone.localdate()
        context = {
            "mine": mine,
            "now": now,
            "recording": recording.order_by("path")[:30],
            "recording_count": recording.count(),
            "hours": services.study_hours(person_id, today.year) if person_id else None,
            "hours_floor": 32,
            "year": today.year,
            "breadcrumbs": [{"label": "组织生活", "url": ""}],
        }
        return render(request, "meetings/home.html", context)


class OrgView(OrgMixin, View):
    """An organisation's checklist, plans and meetings."""

    def get(self, request, pk):
        org = self.get_org(pk)
        today = timezone.localdate()
        meetings = (
            Meeting.objects.restrict(request.user, Action.VIEW)
            .filter(org=org)
            .select_related("org")
            .order_by("-starts_at", "-pk")
        )
        kind = request.GET.get("kind", "")
        if kind:
            meetings = meetings.filter(kind=kind)
        recorder = services.may_record(request.user, org)
        in_data_scope = self.allows(org, Action.VIEW)
        plans = MeetingPlan.objects.restrict(request.user, Action.VIEW).filter(
            Q(month__isnull=True) | Q(month=today.month), org=org, year=today.year
        )
        central = org.kind in services.KIND_ORG_KINDS[MeetingKind.CENTRAL_GROUP_STUDY]
        checks = compliance.checklist(org, today)
        context = {
            "org": org,
            "central": central,
            "topics": StudyTopic.objects.restrict(request.user, Action.BROWSE)
            .filter(org=org, year=today.year)
            .annotate(held=Count("meetings", filter=Q(meetings__state=MeetingState.HELD)))
            if central
            else [],
            "page": paginate(request, meetings, per_page=20),
            "checks": checks,
            "talks_left": compliance.talks_left(org, today, checks),
            "plans": {plan.month or 0: plan for plan in plans},
            "year": today.year,
            "month": today.month,
            "may_record": recorder,
            "may_export": in_data_scope,
            "kind": kind,
            "kinds": Meeting._meta.get_field("kind").choices,
            "breadcrumbs": [
                {"label": "组织生活", "url": reverse("meetings:home")},
                {"label": org.display_name, "url": ""},
            ],
        }
        return render(request, "meetings/org.html", context)


class PlanView(OrgMixin, View):
    """The annual plan (month 0) or a month's plan of an organisation."""

    def _render(self, request, org, year, month, form, status=200):
        title = f"{year}年{f'{month}月' if month else '度'}组织生活计划"
        return render_org_form(request, org, form, title=title, step="计划", status=status)

    def _plan(self, org, year, month):
        if not 2000 <= year <= 2100 or not 0 <= month <= 12:
            raise Http404("未找到该记录。")
        return (
            MeetingPlan.objects.restrict(self.request.user, Action.RECORD)
            .filter(org=org, year=year, month=month or None)
            .first()
        )

    def get(self, request, pk, year, month):
        org = self.get_org(pk, action=Action.RECORD)
        plan = self._plan(org, year, month)
        form = PlanForm(initial={"content": plan.content, "version": plan.version} if plan else {})
        return self._render(request, org, year, month, form)

    def post(self, request, pk, year, month):
        org = self.get_org(pk, action=Action.RECORD)
        self._plan(org, year, month)
        form = PlanForm(request.POST)
        if not form.is_valid():
            return self._render(request, org, year, month, form, status=400)
        try:
            services.save_plan(
                org,
                actor=request.user,
                year=year,
                month=month or None,
                content=form.cleaned_data["content"],
                version=form.cleaned_data.get("version"),
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, org, year, month, form, status=error.status_code)
        messages.success(request, "计划已保存。")
        return redirect("meetings:org", pk=org.pk)


class NewMeetingView(OrgMixin, View):
    def _render(self, request, org, form, status=200):
        context = {
            "org": org,
            "form": form,
            "breadcrumbs": org_crumbs(org, {"label": "安排会议", "url": ""}),
        }
        return render(request, "meetings/meeting_form.html", context, status=status)

    def _topics(self, org):
        topics = StudyTopic.objects.restrict(self.request.user, Action.RECORD)
        return list(topics.filter(org=org, year=timezone.localdate().year))

    def get(self, request, pk):
        org = self.get_org(pk, action=Action.RECORD)
        form = MeetingForm(
            org=org,
            people=people_of(org),
            topics=self._topics(org),
            initial={
                "day": timezone.localdate() + timedelta(days=7),
                "start": "14:30",
                "end": "16:30",
            },
        )
        return self._render(request, org, form)

    def post(self, request, pk):
        org = self.get_org(pk, action=Action.RECORD)
        form = MeetingForm(request.POST, org=org, people=people_of(org), topics=self._topics(org))
        if not form.is_valid():
            return self._render(request, org, form, status=400)
        data = form.cleaned_data
        try:
            meeting = services.plan_meeting(
                org,
                actor=request.user,
                kind=data["kind"],
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                agenda=data["agenda"],
                host=data["host"],
                recorder=data["recorder"],
                lecturer=data["lecturer"],
                topic=data["topic"],
                report_due_on=data["report_due_on"],
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, org, form, status=error.status_code)
        messages.success(request, "会议已安排。可发送会议通知，会议开始前30分钟起可扫码签到。")
        return redirect("meetings:meeting", pk=meeting.pk)


class MeetingView(MeetingMixin, View):
    """The meeting: time and place, agenda, who is expected and who came, minutes."""

    def render_page(self, request, meeting, status=200, **forms):
        recorder = may_record(request.user, meeting)
        person_id = person_of(request.user)
        attendance = list(
            meeting.attendance.select_related("person").order_by("role", "person__name_stroke_key")
        )
        mine = next((a for a in attendance if a.person_id == person_id), None)
        now = timezone.now()
        agenda = list(meeting.agenda.select_related("presenter"))
        tasks: dict[int, list] = {}
        for item in (
            Item.objects.restrict(request.user, Action.VIEW)
            .filter(agenda_item__meeting=meeting)
            .select_related("ledger")
            .order_by("ledger_id", "sort_key")
        ):
            tasks.setdefault(item.agenda_item_id, []).append(item)
        for entry in agenda:
            entry.tasks = tasks.get(entry.pk, [])
        ledgers = (
            list(Ledger.objects.restrict(request.user, Action.SUPERVISE).filter(archived=False))
            if meeting.state == MeetingState.HELD
            else []
        )
        context = {
            "meeting": meeting,
            "agenda": agenda,
            "ledgers": ledgers,
            "task_form": forms.get("task_form"),
            "attendance": attendance,
            "mine": mine,
            "may_record": recorder,
            "reads_minutes": reads_minutes(request.user, meeting),
            "sign_in_open": services.sign_in_open(meeting, now),
            "first_topic_missing": services.first_topic_missing(meeting),
            "materials_late": services.materials_late(meeting),
            "revisions": meeting.revisions.select_related("changed_by") if recorder else [],
            "leave_form": forms.get("leave_form") or LeaveForm(),
            "cancel_form": forms.get("cancel_form") or CancelForm(),
            "guest_form": forms.get("guest_form") or GuestForm(),
            "can_leave": mine is not None
            and meeting.state == MeetingState.PLANNED
            and now <= meeting.ends_at
            and mine.status != AttendanceStatus.PRESENT,
            "started": meeting.starts_at <= now,
            "files": list(meeting.files.all()) if reads_minutes(request.user, meeting) else [],
            "study_reports": services.study_report_status(meeting)
            if meeting.report_due_on and (recorder or mine)
            else [],
            "report_form": forms.get("report_form") or StudyReportForm(),
            "sit_in": getattr(meeting, "sit_in", None)
            if meeting.kind == MeetingKind.CENTRAL_GROUP_STUDY
            else None,
            "may_sit_in": meeting.kind == MeetingKind.CENTRAL_GROUP_STUDY
            and services._observes_from_above(request.user, meeting.org)
            and meeting.starts_at <= now,
            "sit_in_form": forms.get("sit_in_form") or SitInForm(initial={"attended": True}),
            "statuses": AttendanceStatus.choices,
            "breadcrumbs": meeting_crumbs(meeting)[:-1] + [{"label": meeting.title, "url": ""}],
        }
        return render(request, "meetings/meeting.html", context, status=status)

    def get(self, request, pk):
        return self.render_page(request, self.get_meeting(pk))


class MeetingActionView(MeetingMixin, View):
    """notify · mark (roster) · leave · cancel, each through its service."""

    def post(self, request, pk, action):
        meeting = self.get_meeting(pk)
        page = MeetingView()
        page.request = request
        try:
            if action == "notify":
                reach = services.notify_attendees(meeting, actor=request.user)
                (messages.warning if reach.missed else messages.success)(request, reach.message())
            elif action in ("roster", "all_present"):
                # The whole list in one go: everyone not yet marked as present, or every row
                # as the recorder set it (status_<person id>, reason_<person id>).
                if action == "all_present":
                    marks = {
                        person_id: (AttendanceStatus.PRESENT, "")
                        for person_id in meeting.attendance.filter(
                            status=AttendanceStatus.EXPECTED
                        ).values_list("person_id", flat=True)
                    }
                else:
                    marks = {
                        int(key[len("status_") :]): (
                            value,
                            request.POST.get(f"reason_{key[len('status_') :]}", ""),
                        )
                        for key, value in request.POST.items()
                        if key.startswith("status_") and key[len("status_") :].isdecimal()
                    }
                changed = services.mark_roster(meeting, marks, actor=request.user)
                messages.success(request, f"出席名单已保存（{changed} 人有变动）。")
            elif action == "mark":
                form = MarkForm(request.POST)
                if not form.is_valid():
                    raise UserFacingError("请选择出席情况。")
                person = (
                    Person.objects.restrict(request.user, Action.VIEW)
                    .filter(pk=form.cleaned_data["person"])
                    .first()
                )
                if person is None:
                    raise Http404("未找到该记录。")
                services.mark(
                    meeting,
                    person,
                    actor=request.user,
                    status=form.cleaned_data["status"],
                    reason=form.cleaned_data["reason"],
                )
                if request.htmx:
                    return HttpResponse(status=204, headers={"HX-Refresh": "true"})
                messages.success(request, f"已更新{person.name}的出席情况。")
            elif action == "leave":
                form = LeaveForm(request.POST)
                if not form.is_valid():
                    return page.render_page(request, meeting, status=400, leave_form=form)
                services.request_leave(
                    meeting, user=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, "已请假。")
            elif action == "task":
                form = TaskForm(request.POST, user=request.user, meeting=meeting)
                if not form.is_valid():
                    messages.error(request, "；".join(e for es in form.errors.values() for e in es))
                    return page.render_page(request, meeting, status=400, task_form=form)
                data = form.cleaned_data
                item = services.create_ledger_item(
                    data["agenda_item"],
                    actor=request.user,
                    ledger=data["ledger"],
                    content=data["content"],
                    lead_unit=data["lead_unit"],
                    deadline=data["deadline"],
                    ongoing=data["ongoing"],
                )
                messages.success(
                    request,
                    f"已在“{item.ledger.name}”生成督办事项 {item.number}（草稿），核对后即可交办。",
                )
            elif action == "report":
                form = StudyReportForm(request.POST)
                if not form.is_valid():
                    return page.render_page(request, meeting, status=400, report_form=form)
                services.submit_study_report(
                    meeting, user=request.user, text=form.cleaned_data["text"]
                )
                messages.success(request, "学习报告已提交。")
            elif action == "sitin":
                form = SitInForm(request.POST)
                if not form.is_valid():
                    return page.render_page(request, meeting, status=400, sit_in_form=form)
                services.record_sit_in(meeting, actor=request.user, **form.cleaned_data)
                messages.success(request, "巡听旁听情况已记录。")
            elif action == "guest":
                form = GuestForm(request.POST)
                if not form.is_valid():
                    return page.render_page(request, meeting, status=400, guest_form=form)
                person = _one_person(request.user, form.cleaned_data["name"])
                services.add_guest(meeting, person, actor=request.user)
                messages.success(request, f"已增加列席人员{person.name}。")
            elif action == "file":
                upload = request.FILES.get("file")
                if upload is None:
                    raise UserFacingError("请选择要上传的照片或文件。")
                services.attach_file(meeting, actor=request.user, upload=upload)
                messages.success(request, "已上传。")
            elif action == "cancel":
                form = CancelForm(request.POST)
                if not form.is_valid():
                    return page.render_page(request, meeting, status=400, cancel_form=form)
                services.cancel(meeting, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, "会议已取消。")
            else:
                raise Http404("未找到该记录。")
        except UserFacingError as error:
            messages.error(request, error.message)
            return page.render_page(request, meeting, status=error.status_code)
        return redirect("meetings:meeting", pk=meeting.pk)


class MinutesView(MeetingMixin, View):
    def _render(self, request, meeting, form, status=200):
        context = {
            "meeting": meeting,
            "form": form,
            "locked": meeting.locked,
            "breadcrumbs": meeting_crumbs(meeting, {"label": "会议记录", "url": ""}),
        }
        return render(request, "meetings/minutes_form.html", context, status=status)

    def _form(self, request, meeting, data=None):
        people = [a.person for a in meeting.attendance.select_related("person")]
        initial = {
            "version": meeting.version,
            "host": meeting.host_id,
            "recorder": meeting.recorder_id,
            "lecturer": meeting.lecturer_id,
            "place": meeting.place,
            "study_hours": meeting.study_hours,
            "summary": meeting.summary,
        }
        for item in meeting.agenda.all():
            initial[f"agenda_{item.pk}_discussion"] = item.discussion
            initial[f"agenda_{item.pk}_decision"] = item.decision
        return MinutesForm(data, meeting=meeting, people=people, initial=initial)

    def get(self, request, pk):
        meeting = self.get_meeting(pk, action=Action.RECORD)
        return self._render(request, meeting, self._form(request, meeting))

    def post(self, request, pk):
        meeting = self.get_meeting(pk, action=Action.RECORD)
        form = self._form(request, meeting, request.POST)
        if not form.is_valid():
            return self._render(request, meeting, form, status=400)
        data = form.cleaned_data
        try:
            services.record_minutes(
                meeting,
                actor=request.user,
                version=data["version"],
                summary=data["summary"],
                agenda=data["agenda"],
                host=data["host"],
                recorder=data["recorder"],
                lecturer=data["lecturer"],
                place=data["place"],
                study_hours=data["study_hours"],
                reason=data["reason"],
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, meeting, form, status=error.status_code)
        messages.success(request, "会议记录已保存。")
        return redirect("meetings:meeting", pk=meeting.pk)


class TopicsView(OrgMixin, View):
    """The annual study plan's topics of a 党委（党组）理论学习中心组."""

    def _render(self, request, org, year, form, status=200):
        title = f"{year}年理论学习中心组学习专题"
        return render_org_form(request, org, form, title=title, step="学习专题", status=status)

    def get(self, request, pk, year):
        org = self.get_org(pk, action=Action.RECORD)
        topics = StudyTopic.objects.restrict(request.user, Action.RECORD).filter(org=org, year=year)
        text = "\n".join(
            (f"{t.planned_month}月：" if t.planned_month else "") + t.title for t in topics
        )
        return self._render(request, org, year, TopicsForm(initial={"topics": text}))

    def post(self, request, pk, year):
        org = self.get_org(pk, action=Action.RECORD)
        form = TopicsForm(request.POST)
        if not form.is_valid():
            return self._render(request, org, year, form, status=400)
        try:
            services.save_topics(
                org, actor=request.user, year=year, text=form.cleaned_data["topics"]
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, org, year, form, status=error.status_code)
        messages.success(request, "学习专题已保存。")
        return redirect("meetings:org", pk=org.pk)


class FileView(MeetingMixin, View):
    """A meeting's photo, thumbnail or file, to those who may read the meeting's minutes."""

    def get(self, request, pk, file_pk, variant):
        meeting = self.get_meeting(pk)
        stored = meeting.files.filter(pk=file_pk).first()
        if stored is None or not reads_minutes(request.user, meeting):
            raise Http404("未找到该记录。")
        if variant == "thumb" and stored.thumbnail:
            return stored_file_response(
                request, stored.thumbnail, inline=True, content_type="image/jpeg"
            )
        inline = stored.is_photo and variant == "view"
        return stored_file_response(request, stored.file, filename=stored.name, inline=inline)


class HoursView(MeetingMixin, View):
    """My concentrated study hours of a year and the meetings they come from. Shown, not ranked."""

    def get(self, request):
        person_id = person_of(request.user)
        today = timezone.localdate()
        year = _year(request, today)
        rows = (
            Attendance.objects.restrict(request.user, Action.VIEW)
            .filter(
                person_id=person_id,
                status=AttendanceStatus.PRESENT,
                meeting__state=MeetingState.HELD,
                meeting__month_index__range=(year * 12, year * 12 + 11),
                meeting__study_hours__gt=0,
            )
            .select_related("meeting", "meeting__org")
            .order_by("-meeting__starts_at", "-meeting_id")
            if person_id
            else Attendance.objects.none()
        )
        context = {
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "hours": services.study_hours(person_id, year) if person_id else Decimal("0"),
            "page": paginate(request, rows, per_page=30),
            "floor": 32,
            "breadcrumbs": [
                {"label": "组织生活", "url": reverse("meetings:home")},
                {"label": "我的学时", "url": ""},
            ],
        }
        return render(request, "meetings/hours.html", context)


class OrgHoursView(OrgMixin, View):
    """The members of an organisation with their hours of the year, in name order (never ranked)."""

    def get(self, request, pk):
        org = self.get_org(pk, action=Action.VIEW)
        today = timezone.localdate()
        year = _year(request, today)
        members = (
            Person.objects.restrict(request.user, Action.VIEW)
            .members_of_subtree(org)
            .annotate(
                hours=Sum(
                    "meeting_attendance__meeting__study_hours",
                    filter=Q(
                        meeting_attendance__status=AttendanceStatus.PRESENT,
                        meeting_attendance__meeting__state=MeetingState.HELD,
                        meeting_attendance__meeting__month_index__range=(year * 12, year * 12 + 11),
                    ),
                )
            )
            .select_related("membership__org")
            .order_by("name_stroke_key", "pk")
        )
        context = {
            "org": org,
            "year": year,
            "years": range(today.year, today.year - 5, -1),
            "page": paginate(request, members, per_page=50),
            "floor": 32,
            "breadcrumbs": org_crumbs(org, {"label": "党员学时", "url": ""}),
        }
        return render(request, "meetings/org_hours.html", context)


def _year(request, today) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdecimal() and 2000 <= int(value) <= today.year else today.year


class CalendarView(MeetingMixin, View):
    """A month of the meetings one sees (of one organisation with ?org=), as a calendar."""

    def get(self, request):
        import calendar as months

        today = timezone.localdate()
        value = request.GET.get("month", "")
        try:
            year, month = (
                (int(part) for part in value.split("-")) if value else (today.year, today.month)
            )
            if not 2000 <= year <= 2100:  # the years the app keeps (as the compliance views)
                raise ValueError(year)
            first = today.replace(year=year, month=month, day=1)
        except ValueError:
            messages.warning(request, "月份无效（应为 2000—2100 年间的“年-月”），已显示本月。")
            year, month = today.year, today.month
            first = today.replace(day=1)
        meetings = (
            Meeting.objects.restrict(request.user, Action.VIEW)
            .filter(month_index=year * 12 + month - 1)
            .exclude(state=MeetingState.CANCELLED)
            .select_related("org")
            .order_by("starts_at", "pk")
        )
        org = None
        if request.GET.get("org", "").isdecimal():
            org = (
                PartyOrg.objects.restrict(request.user, Action.BROWSE)
                .filter(pk=request.GET["org"])
                .first()
            )
            if org is not None:
                meetings = meetings.of_subtree(org)
        by_day: dict[int, list] = {}
        for meeting in meetings[:500]:
            by_day.setdefault(timezone.localtime(meeting.starts_at).day, []).append(meeting)
        weeks = [
            [
                {
                    "day": day,
                    "meetings": by_day.get(day, []),
                    "today": first.replace(day=day) == today,
                }
                if day
                else None
                for day in week
            ]
            for week in months.Calendar(firstweekday=0).monthdayscalendar(year, month)
        ]
        previous = (first - timedelta(days=1)).replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        context = {
            "weeks": weeks,
            "year": year,
            "month": month,
            "org": org,
            "previous": f"{previous.year}-{previous.month}",
            "following": f"{following.year}-{following.month}",
            "breadcrumbs": [
                {"label": "组织生活", "url": reverse("meetings:home")},
                {"label": "会议日历", "url": ""},
            ],
        }
        return render(request, "meetings/calendar.html", context)


def _one_person(user, name: str) -> Person:
    """The one person of that name among those the user may see; a Chinese refusal otherwise."""
    people = Person.objects.restrict(user, Action.VIEW)
    found = list(people.filter(name=name.strip()).select_related("unit")[:6])
    if not found:
        raise UserFacingError(f"在您的管辖范围内没有找到“{name.strip()}”。")
    if len(found) > 1:
        units = "、".join(p.unit.display_name for p in found[:5])
        raise UserFacingError(f"有{len(found)}位“{name.strip()}”（{units}），无法确定是哪一位。")
    return found[0]
