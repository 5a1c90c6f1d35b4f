"""Console forms that name a scope: the party organisation or unit is picked by name (pickers of
the orgs app), never typed as a code."""

from django import forms

from mofan.access.roles import Role
from mofan.access.scoping import Action
from mofan.core.forms import StyledFormMixin
from mofan.orgs.pickers import PickerField


class GrantRoleForm(StyledFormMixin, forms.Form):
    username = forms.CharField(label="用户名")
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    org = PickerField(
        kind="orgs",
        label="管辖范围：党组织",
        required=False,
        help_text="按名称、简称或拼音首字母查找。书记、党建管理员等按党组织授权。",
    )
    unit = PickerField(
        kind="units",
        label="或：单位",
        required=False,
        help_text="领导、督办联络员等按单位授权。业务角色须选党组织或单位之一；三个管理员角色都不选。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].bind(user, action=Action.BROWSE)
        self.fields["unit"].bind(user, action=Action.BROWSE)

    def clean(self):
        data = super().clean()
        if data.get("org") and data.get("unit"):
            raise forms.ValidationError("管辖范围只能选一个：党组织或单位。")
        return data
