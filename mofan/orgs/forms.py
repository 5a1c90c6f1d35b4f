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
