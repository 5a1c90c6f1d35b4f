from django import forms

from mofan.access.scoping import Action
from mofan.core.forms import StyledFormMixin
from mofan.orgs.choices import (
    ETHNICITY_CHOICES,
    Education,
    Gender,
    MembershipKind,
    PositionTitle,
    UnitKind,
)
from mofan.orgs.models import PartyOrg, Person, Unit
from mofan.orgs.pickers import PickerField
from mofan.orgs.services import PERSON_FIELDS


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
            "unit",
        ]
        widgets = {"founded_on": forms.DateInput, "term_started_on": forms.DateInput}
        error_messages = {"code": {"unique": "该编码已被使用。"}}
        help_texts = {
            "unit": "党组织设在哪个单位或部门：考核时按该单位牵头的督办事项和整改问题计分。"
        }

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the units the user may read can be chosen (the view passes them).
        self.fields["unit"].queryset = (
            units if units is not None else self.fields["unit"].queryset.none()
        )
        self.fields["unit"].empty_label = "（未指定）"

    def changed_fields(self) -> dict:
        fields = {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}
        if "unit" in fields:  # the service keeps the key, as the history and audit record it
            unit = fields.pop("unit")
            fields["unit_id"] = unit.pk if unit else None
        return fields

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


class UnitForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Unit
        fields = ["name", "short_name", "aliases", "code", "kind", "order", "founded_on"]
        widgets = {"founded_on": forms.DateInput}

    def changed_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.changed_data if name != "version"}

    def validate_unique(self):
        # Uniqueness is checked by the service, which also owns the versioned save.
        pass


class ChildUnitForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=UnitKind.choices)
    name = forms.CharField(label="全称", max_length=200)
    short_name = forms.CharField(label="简称", max_length=60, required=False)
    code = forms.CharField(label="编码", max_length=32)
    founded_on = forms.DateField(label="成立日期", widget=forms.DateInput)


class _TargetForm(StyledFormMixin, forms.Form):
    """Move or merge: the other organisation (or unit) is chosen by name, inside the user's own
    change scope like the one being changed."""

    def __init__(self, *args, kind: str, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].bind(user, kind=kind, action=Action.CHANGE)


class MoveForm(_TargetForm):
    target = PickerField(kind="orgs", label="新的上级")
    on = forms.DateField(label="调整日期", widget=forms.DateInput)


class MergeForm(_TargetForm):
    target = PickerField(
        kind="orgs",
        label="并入",
        help_text="本组织的党员（单位则为人员）和下级组织将转入该组织，本组织随之撤销。",
    )
    on = forms.DateField(label="合并日期", widget=forms.DateInput)


class DissolveForm(StyledFormMixin, forms.Form):
    on = forms.DateField(label="撤销日期", widget=forms.DateInput)


class PersonForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    ethnicity = forms.ChoiceField(label="民族", choices=ETHNICITY_CHOICES)
    birth_date = forms.DateField(label="出生日期", widget=forms.DateInput)
    id_number = forms.CharField(label="公民身份号码", max_length=18)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    education = forms.ChoiceField(
        label="学历", choices=[("", "—"), *Education.choices], required=False
    )
    unit = PickerField(kind="units", label="单位")
    job_title = forms.CharField(label="职务", max_length=60, required=False)
    rank = forms.CharField(label="职级", max_length=30, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["unit"].bind(user)  # among the units the user may choose

    # The person's own fields, as the service names them (the unit is chosen by the picker).
    OWN_FIELDS = tuple(f for f in PERSON_FIELDS if f != "unit_id")

    def person_fields(self) -> dict:
        return {
            **{f: self.cleaned_data[f] for f in self.OWN_FIELDS},
            "unit": self.cleaned_data["unit"],
        }

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {
            **{f: getattr(person, f) for f in cls.OWN_FIELDS},
            "version": person.version,
            "unit": person.unit_id,
        }


class MembershipForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label="党员类别", choices=MembershipKind.choices)
    joined_on = forms.DateField(label="入党日期", widget=forms.DateInput)
    confirmed_on = forms.DateField(label="转正日期", required=False, widget=forms.DateInput)
    # 党籍状态 is not edited here: it changes by a transfer or a recorded decision (members app).


class AppointForm(StyledFormMixin, forms.Form):
    person = forms.ModelChoiceField(label="人员", queryset=Person.objects.none())
    title = forms.ChoiceField(label="职务", choices=PositionTitle.choices)
    started_on = forms.DateField(label="任职日期", widget=forms.DateInput)

    def __init__(self, *args, org: PartyOrg, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Positions are held by members of the organisation's own subtree.
        self.fields["person"].queryset = (
            Person.objects.restrict(user, Action.VIEW)
            .members_of_subtree(org)
            .order_by("name_stroke_key")
        )
        self.fields["person"].error_messages["invalid_choice"] = "请选择本组织的党员。"


class NewMemberForm(PersonForm):
    """One new party member: the person and their party record, entered together."""

    org = PickerField(kind="orgs", label="所在党组织")
    kind = forms.ChoiceField(label="党员类别", choices=MembershipKind.choices)
    joined_on = forms.DateField(label="入党日期", widget=forms.DateInput)
    confirmed_on = forms.DateField(label="转正日期", required=False, widget=forms.DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].bind(self.user, action=Action.CHANGE)  # those the user may change
        del self.fields["version"]

    def membership_fields(self) -> dict:
        return {f: self.cleaned_data[f] for f in ("kind", "joined_on", "confirmed_on")}
