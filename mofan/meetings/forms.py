from datetime import datetime, time

from django import forms
from django.utils import timezone

from mofan.access.scoping import Action
from mofan.core.forms import StyledFormMixin
from mofan.meetings.choices import AttendanceStatus, MeetingKind, Period, Rating
from mofan.meetings.services import KIND_ORG_KINDS, MAX_AGENDA_ITEMS
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import Person
from mofan.orgs.pickers import PickerField

AGENDA_ROWS = MAX_AGENDA_ITEMS  # the page offers as many rows as a meeting may have


def _people_choices(people) -> list[tuple]:
    return [("", "（未指定）")] + [(p.pk, p.name) for p in people]


class MeetingForm(StyledFormMixin, forms.Form):
    """Plan a meeting: kind, time and place, people, and up to five agenda items."""

    kind = forms.ChoiceField(label="会议类型")
    title = forms.CharField(label="会议名称", max_length=200)
    day = forms.DateField(label="日期", widget=forms.DateInput)
    start = forms.TimeField(label="开始时间", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label="结束时间", widget=forms.TimeInput(attrs={"type": "time"}))
    place = forms.CharField(label="地点", max_length=200, required=False)
    host = forms.TypedChoiceField(label="主持人", required=False, coerce=int, empty_value=None)
    recorder = forms.TypedChoiceField(label="记录人", required=False, coerce=int, empty_value=None)
    lecturer = forms.TypedChoiceField(
        label="授课人（党课）", required=False, coerce=int, empty_value=None
    )
    topic = forms.TypedChoiceField(
        label="学习专题（中心组学习）", required=False, coerce=int, empty_value=None
    )
    report_due_on = forms.DateField(
        label="学习报告提交期限（一学一报）",
        required=False,
        widget=forms.DateInput,
        help_text="中心组学习填写：会后每名成员在此日期前提交学习报告。",
    )

    def __init__(self, *args, org, people, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.topics = {t.pk: t for t in topics}
        if self.topics:
            self.fields["topic"].choices = [("", "（不选）")] + [
                (t.pk, f"{t.order}. {t.title}") for t in topics
            ]
        else:
            del self.fields["topic"], self.fields["report_due_on"]
        kinds = [k for k in MeetingKind if org.kind in KIND_ORG_KINDS[k]]
        if not org.has_committee:
            kinds = [k for k in kinds if k != MeetingKind.BRANCH_COMMITTEE]
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]
        self.people = {p.pk: p for p in people}
        for name in ("host", "recorder", "lecturer"):
            self.fields[name].choices = _people_choices(people)
        for row in range(1, AGENDA_ROWS + 1):
            self.fields[f"agenda_{row}_title"] = forms.CharField(
                label=f"议题{row}", max_length=300, required=False
            )
            self.fields[f"agenda_{row}_first"] = forms.BooleanField(
                label="第一议题", required=False
            )
            self.fields[f"agenda_{row}_materials"] = forms.CharField(
                label="学习材料", required=False, max_length=2000
            )
            self.fields[f"agenda_{row}_presenter"] = forms.TypedChoiceField(
                label="汇报人", required=False, coerce=int, empty_value=None,
                choices=_people_choices(people),
            )  # fmt: skip
        self.agenda_rows = [
            (
                self[f"agenda_{row}_title"],
                self[f"agenda_{row}_first"],
                self[f"agenda_{row}_materials"],
                self[f"agenda_{row}_presenter"],
            )
            for row in range(1, AGENDA_ROWS + 1)
        ]

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("start") and data.get("end"):
            tz = timezone.get_current_timezone()
            data["starts_at"] = datetime.combine(data["day"], data["start"], tzinfo=tz)
            data["ends_at"] = datetime.combine(data["day"], data["end"], tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end", "结束时间须晚于开始时间。")
        for name in ("host", "recorder", "lecturer"):
            value = data.get(name)
            data[name] = self.people.get(value) if value else None
        data["topic"] = self.topics.get(data.get("topic")) if data.get("topic") else None
        data.setdefault("report_due_on", None)
        data["agenda"] = [
            {
                "title": data.get(f"agenda_{row}_title", ""),
                "is_first_topic": data.get(f"agenda_{row}_first", False),
                "materials": data.get(f"agenda_{row}_materials", ""),
                "presenter": self.people.get(data.get(f"agenda_{row}_presenter")),
            }
            for row in range(1, AGENDA_ROWS + 1)
            if (data.get(f"agenda_{row}_title") or "").strip()
        ]
        if data.get("kind") == MeetingKind.COMMITTEE_MEETING and data["agenda"]:
            if not data["agenda"][0]["is_first_topic"]:
                self.add_error(
                    "agenda_1_first",
                    "党委（党组）会议的第一个议题应为学习习近平总书记最新重要讲话和重要指示批示精神"
                    "（第一议题），请勾选或调整议题顺序。",
                )
        return data


class MinutesForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    host = forms.TypedChoiceField(label="主持人", required=False, coerce=int, empty_value=None)
    recorder = forms.TypedChoiceField(label="记录人", required=False, coerce=int, empty_value=None)
    lecturer = forms.TypedChoiceField(label="授课人", required=False, coerce=int, empty_value=None)
    place = forms.CharField(label="地点", max_length=200, required=False)
    study_hours = forms.DecimalField(
        label="计入学时", min_value=0, max_value=24, decimal_places=1, required=False
    )
    summary = forms.CharField(label="会议情况", widget=forms.Textarea(attrs={"rows": 5}))
    reason = forms.CharField(
        label="修改原因",
        max_length=300,
        required=False,
        help_text="会议记录满48小时后锁定，修改须填写原因，原记录将保留并可查看。",
    )

    def __init__(self, *args, meeting, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.people = {p.pk: p for p in people}
        for name in ("host", "recorder", "lecturer"):
            self.fields[name].choices = _people_choices(people)
        self.agenda = list(meeting.agenda.all())
        for item in self.agenda:
            self.fields[f"agenda_{item.pk}_discussion"] = forms.CharField(
                label=f"{item.order}. {item.title} · 讨论情况",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
            )
            self.fields[f"agenda_{item.pk}_decision"] = forms.CharField(
                label="议定事项", widget=forms.Textarea(attrs={"rows": 2}), required=False
            )

    def clean(self):
        data = super().clean()
        for name in ("host", "recorder", "lecturer"):
            value = data.get(name)
            data[name] = self.people.get(value) if value else None
        data["agenda"] = {
            item.pk: {
                "discussion": data.get(f"agenda_{item.pk}_discussion", ""),
                "decision": data.get(f"agenda_{item.pk}_decision", ""),
            }
            for item in self.agenda
        }
        return data


class MarkForm(forms.Form):
    person = forms.IntegerField()
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    reason = forms.CharField(max_length=200, required=False)


class LeaveForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="请假事由", max_length=200)


class CancelForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="取消原因", max_length=200)


class PlanForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    content = forms.CharField(label="计划内容", widget=forms.Textarea(attrs={"rows": 10}))


class RuleForm(StyledFormMixin, forms.Form):
    """A stricter local rule for an organisation's subtree."""

    kind = forms.ChoiceField(label="会议类型", choices=MeetingKind.choices)
    org_kinds = forms.MultipleChoiceField(
        label="适用组织类别",
        choices=OrgKind.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    period = forms.ChoiceField(label="周期", choices=Period.choices)
    minimum = forms.IntegerField(label="至少次数", min_value=1, max_value=31)
    needs_committee = forms.BooleanField(label="仅限设委员会的组织", required=False)
    quorum = forms.BooleanField(label="须过半数应到党员出席方有效", required=False)
    article = forms.CharField(label="依据", max_length=300)
    effective_from = forms.DateField(label="施行日期", widget=forms.DateInput)


def default_day() -> datetime:
    return datetime.combine(timezone.localdate(), time(9, 0))


def people_of(org) -> list[Person]:
    from mofan.meetings.services import eligible_people

    return eligible_people(org, MeetingKind.BRANCH_ASSEMBLY, timezone.localdate())


class TaskForm(forms.Form):
    """An agenda item's decision made a ledger item: which ledger, what, who leads, by when."""

    agenda_item = forms.IntegerField()
    ledger = forms.IntegerField()
    content = forms.CharField(label="任务内容", max_length=2000)
    lead_unit = PickerField(kind="units", label="牵头单位", required=False)
    deadline = forms.DateField(label="完成时限", required=False)
    ongoing = forms.BooleanField(label="长期坚持", required=False)

    def __init__(self, *args, user, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.meeting = user, meeting
        self.fields["lead_unit"].bind(user)

    def clean_agenda_item(self):
        item = self.meeting.agenda.filter(pk=self.cleaned_data["agenda_item"]).first()
        if item is None:
            raise forms.ValidationError("议题不属于本次会议。")
        return item

    def clean_ledger(self):
        from mofan.ledger.models import Ledger

        ledger = (
            Ledger.objects.restrict(self.user, Action.SUPERVISE)
            .filter(pk=self.cleaned_data["ledger"])
            .first()
        )
        if ledger is None:
            raise forms.ValidationError("请选择您督办的台账。")
        return ledger

    def clean(self):
        data = super().clean()
        if data.get("ongoing") and data.get("deadline"):
            raise forms.ValidationError("“长期坚持”的事项不设完成时限，二者只能选一。")
        return data


class TopicsForm(StyledFormMixin, forms.Form):
    topics = forms.CharField(
        label="年度学习专题",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="每行一个专题；可在行首写计划月份，如“3月：学习贯彻全会精神”。",
    )


class SitInForm(StyledFormMixin, forms.Form):
    attended = forms.BooleanField(label="中心组成员按时到会、会风良好", required=False)
    rating = forms.ChoiceField(label="评价", choices=Rating.choices)
    comment = forms.CharField(label="意见建议", widget=forms.Textarea(attrs={"rows": 3}))


class StudyReportForm(StyledFormMixin, forms.Form):
    text = forms.CharField(label="学习报告", widget=forms.Textarea(attrs={"rows": 6}))


class GuestForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="列席人员姓名", max_length=50)
