"""The forms of transfers and standing decisions: shapes and choices only; every rule is the
service's, which answers in Chinese."""

from django import forms
from django.utils import timezone

from mofan.access.scoping import Action
from mofan.core.forms import StyledFormMixin
from mofan.meetings.choices import MeetingKind, MeetingState
from mofan.meetings.models import Meeting
from mofan.members import rules
from mofan.members.choices import TransferReason
from mofan.orgs.forms import NewMemberForm
from mofan.orgs.pickers import PickerField


class IssueForm(StyledFormMixin, forms.Form):
    to_org = PickerField(kind="receivers", label="接收党组织（本系统内）", required=False)
    other_org_name = forms.CharField(
        label="或：系统外接收党组织名称", max_length=200, required=False,
        help_text="转往本系统以外的党组织时填写，并填写纸质介绍信的编号。",
    )  # fmt: skip
    letter_number = forms.CharField(
        label="介绍信编号（转往系统外时填写）", max_length=40, required=False
    )
    reason = forms.ChoiceField(label="转接原因", choices=[("", "—"), *TransferReason.choices])
    issued_on = forms.DateField(label="开具日期", widget=forms.DateInput)
    valid_days = forms.IntegerField(
        label="有效期（天）", min_value=1, max_value=rules.MAX_VALID_DAYS,
        help_text="转往本系统内党组织时适用：接收党组织须在有效期内接收。",
    )  # fmt: skip
    note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].bind(user)
        self.fields["valid_days"].initial = rules.valid_days()


class VersionedForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class AcceptForm(VersionedForm):
    accepted_on = forms.DateField(label="接收日期", widget=forms.DateInput)


class ReasonForm(VersionedForm):
    reason = forms.CharField(label="原因", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReceiveForm(NewMemberForm):
    """A member arriving from outside the system: the person, the record and the letter."""

    other_org_name = forms.CharField(label="转出党组织（系统外）", max_length=200)
    letter_number = forms.CharField(label="介绍信编号", max_length=40)
    received_on = forms.DateField(label="接收日期", widget=forms.DateInput)
    reason = forms.ChoiceField(label="转接原因", choices=[("", "—"), *TransferReason.choices])
    transfer_note = forms.CharField(label="说明", max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].bind(self.user, action=Action.TRANSFER)
        self.fields["org"].label = "接收党组织"


class StandingForm(StyledFormMixin, forms.Form):
    """One decision or finding on a member's standing. The meeting is chosen among the held
    general meetings of the member's branch."""

    on = forms.DateField(label="日期", widget=forms.DateInput)
    meeting = forms.ModelChoiceField(
        label="支部党员大会", queryset=Meeting.objects.none(), required=False,
        error_messages={"invalid_choice": "请选择本支部已召开的支部党员大会。"},
    )  # fmt: skip
    approval = forms.CharField(label="上级党组织批准情况", max_length=200, required=False)
    note = forms.CharField(
        label="情况说明", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    LABELS = {
        "lost": "失去联系的日期",
        "found": "恢复联系的日期",
        "stopped": "决定日期",
        "restored": "决定日期",
        "removed": "决定日期",
    }

    def __init__(self, *args, kind: str, branch, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = self.LABELS[kind]
        if kind in ("lost", "found"):
            del self.fields["meeting"], self.fields["approval"]
        else:
            self.fields["meeting"].queryset = (
                Meeting.objects.restrict(user, Action.VIEW)
                .filter(org=branch, kind=MeetingKind.BRANCH_ASSEMBLY, state=MeetingState.HELD)
                .order_by("-starts_at")
            )
            self.fields["meeting"].label_from_instance = _meeting_label

    def decision(self) -> dict:
        data = self.cleaned_data
        return {"meeting": data.get("meeting"), "approval": data.get("approval", "")}


def _meeting_label(meeting: Meeting) -> str:
    return f"{rules.cn(timezone.localtime(meeting.starts_at).date())} {meeting.title}"
