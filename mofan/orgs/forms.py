from django import forms

from mofan.core.forms import StyledFormMixin
from mofan.orgs.models import PartyOrg


class OrgForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = PartyOrg
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "order",
            "has_committee",
            "founded_on",
            "term_started_on",
        ]
        widgets = {"founded_on": forms.DateInput, "term_started_on": forms.DateInput}
        error_messages = {"code": {"unique": "该编码已被使用。"}}

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}

    def validate_unique(self):
        # Uniqueness is checked by the service, which also owns the versioned save.
        pass


class ChildOrgForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别")
    name = forms.CharField(label="全称", max_length=200)
    short_name = forms.CharField(label="简称", max_length=60, required=False)
    code = forms.CharField(label="编码", max_length=32)
    founded_on = forms.DateField(label="成立日期", widget=forms.DateInput)
    term_started_on = forms.DateField(label="本届任期开始", required=False, widget=forms.DateInput)
    has_committee = forms.BooleanField(label="设委员会", required=False)

    def __init__(self, *args, parent_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        from mofan.orgs.choices import ALLOWED_PARENT_KINDS, OrgKind

        self.fields["kind"].choices = [
            (kind.value, kind.label)
            for kind in OrgKind
            if parent_kind in ALLOWED_PARENT_KINDS[kind]
        ]


class MoveForm(StyledFormMixin, forms.Form):
    target_code = forms.CharField(label="新的上级党组织编码", max_length=32)
    on = forms.DateField(label="调整日期", widget=forms.DateInput)


class MergeForm(StyledFormMixin, forms.Form):
    target_code = forms.CharField(
        label="并入的党组织编码",
        max_length=32,
        help_text="本组织的党员和下级组织将转入该组织，本组织随之撤销。",
    )
    on = forms.DateField(label="合并日期", widget=forms.DateInput)


class DissolveForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="撤销日期", widget=forms.DateInput)
