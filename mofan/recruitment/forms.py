"""The forms of 发展党员: shapes and choices only, the rules are the service's. A step's form has
the fields that step records, labelled as the 发展党员 forms label them."""

from django import forms
from django.utils import timezone

from mofan.access.scoping import Action
from mofan.core.forms import StyledFormMixin
from mofan.meetings.choices import MeetingKind, MeetingState
from mofan.meetings.models import Meeting
from mofan.members.rules import cn
from mofan.members.services import branch_of
from mofan.orgs.forms import PersonForm
from mofan.orgs.pickers import PickerField
from mofan.recruitment import rules
from mofan.recruitment.choices import Outcome, Recommendation, StepKind


class OpenFileForm(PersonForm):
    """The applicant as the application names them (found by the ID number, or registered),
    and the day it was handed in."""

    applied_on = forms.DateField(label="递交入党申请书日期", widget=forms.DateInput)
    note = forms.CharField(label="备注", max_length=300, required=False)
    front_line = forms.BooleanField(
        label="生产、工作一线", required=False,
        help_text="在生产、工作一线岗位（非领导和管理岗位），计入年度发展党员统计",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]


DATE_LABELS = {
    StepKind.TALK: "谈话日期",
    StepKind.ACTIVIST: "支部委员会研究确定日期",
    StepKind.REVIEW: "考察日期",
    StepKind.NOMINEE: "支部委员会讨论同意日期",
    StepKind.POLITICAL: "政治审查结论日期",
    StepKind.TRAINING: "培训结业日期",
    StepKind.PUBLICITY: "公示开始日期",
    StepKind.PRE_REVIEW: "预审合格日期",
    StepKind.ADMISSION: "支部党员大会日期",
    StepKind.APPROVAL: "上级党委审批日期",
    StepKind.OATH: "宣誓日期",
    StepKind.CONFIRMATION: "支部党员大会日期",
    StepKind.CONFIRM_APPROVAL: "上级党委审批日期",
    StepKind.END: "终止日期",
}
NOTE_LABELS = {
    StepKind.TALK: ("谈话情况", True),
    StepKind.REVIEW: ("考察情况", True),
    StepKind.POLITICAL: ("政治审查结论", True),
    StepKind.END: ("终止原因", True),
}


def _meeting_label(meeting) -> str:
    return f"{cn(timezone.localtime(meeting.starts_at).date())} {meeting.title}"


class StepForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="日期", widget=forms.DateInput)

    def __init__(self, *args, kind: str, applicant, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["done_on"].label = DATE_LABELS[kind]
        people = {
            StepKind.TALK: [("person_a", "谈话人", True)],
            StepKind.ACTIVIST: [
                ("person_a", "培养联系人", True),
                ("person_b", "第二名培养联系人", False),
            ],
            StepKind.NOMINEE: [
                ("person_a", "入党介绍人", True),
                ("person_b", "第二名入党介绍人", True),
            ],
        }.get(kind, [])
        if kind == StepKind.ACTIVIST:
            self.fields["recommendation"] = forms.ChoiceField(
                label="推荐方式", choices=[("", "—"), *Recommendation.choices]
            )
        for name, label, required in people:
            self.fields[name] = PickerField(kind="people", label=label, required=required)
            self.fields[name].bind(user)
        if kind == StepKind.TRAINING:
            self.fields["days"] = forms.IntegerField(
                label="培训天数", min_value=0, max_value=365, required=False
            )
            self.fields["hours"] = forms.DecimalField(
                label="培训学时",
                min_value=0,
                max_value=999,
                decimal_places=1,
                required=False,
                help_text=f"一般不少于{rules.TRAINING_DAYS}天或{rules.TRAINING_HOURS}个学时",
            )
        if kind == StepKind.PUBLICITY:
            self.fields["ends_on"] = forms.DateField(
                label="公示截止日期",
                widget=forms.DateInput,
                help_text=f"公示期不少于{rules.PUBLICITY_WORKDAYS}个工作日",
            )
        if kind in (StepKind.ADMISSION, StepKind.CONFIRMATION):
            self.fields["meeting"] = forms.ModelChoiceField(
                label="支部党员大会",
                queryset=Meeting.objects.restrict(user, Action.VIEW)
                .filter(
                    org=branch_of(applicant.org),
                    kind=MeetingKind.BRANCH_ASSEMBLY,
                    state=MeetingState.HELD,
                )
                .order_by("-starts_at"),
                error_messages={"invalid_choice": "请选择本支部已召开的支部党员大会。"},
            )
            self.fields["meeting"].label_from_instance = _meeting_label
            self.fields["present"] = forms.IntegerField(
                label="实到会有表决权的正式党员（人）", min_value=0
            )
            self.fields["votes_for"] = forms.IntegerField(label="赞成（票）", min_value=0)
            self.fields["votes_against"] = forms.IntegerField(label="反对（票）", min_value=0)
            self.fields["votes_abstain"] = forms.IntegerField(label="弃权（票）", min_value=0)
        if kind == StepKind.CONFIRMATION:
            self.fields["outcome"] = forms.ChoiceField(
                label="讨论结果", choices=[("", "—"), *Outcome.choices]
            )
            self.fields["extension_months"] = forms.IntegerField(
                label="延长预备期（月，延长时填写）", min_value=1, max_value=12, required=False
            )
        label, required = NOTE_LABELS.get(kind, ("情况记录", False))
        self.fields["note"] = forms.CharField(
            label=label, max_length=500, required=required, widget=forms.Textarea(attrs={"rows": 3})
        )

    def step_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("version", "done_on")}
