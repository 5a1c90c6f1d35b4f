"""The forms of 考核评价: shapes and choices only, the rules are the service's."""

from django import forms
from django.utils import timezone

from mofan.access.scoping import Action
from mofan.assessment import formulas
from mofan.assessment.choices import IndicatorKind
from mofan.core.forms import StyledFormMixin
from mofan.orgs.choices import OrgKind
from mofan.orgs.models import PartyOrg
from mofan.orgs.pickers import MultiplePickerField

TARGET_KINDS = [(k, label) for k, label in OrgKind.choices if k != OrgKind.GROUP]


class SchemeForm(StyledFormMixin, forms.Form):
    org = forms.ModelChoiceField(label="考核组织", queryset=PartyOrg.objects.none())
    year = forms.IntegerField(label="年度")
    name = forms.CharField(label="名称", max_length=200, initial="党建工作考核")
    total = forms.DecimalField(label="总分", max_digits=7, decimal_places=2, initial=100)
    target_kinds = forms.MultipleChoiceField(
        label="考核对象", choices=TARGET_KINDS, widget=forms.CheckboxSelectMultiple,
        initial=[OrgKind.BRANCH],
    )  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = PartyOrg.objects.restrict(user, Action.ASSESS).order_by(
            "path"
        )
        self.fields["year"].initial = timezone.localdate().year


def _param_field(formula, param) -> forms.DecimalField:
    return forms.DecimalField(
        label=f"{param.label}（{formula.label}）", required=False, max_digits=9, decimal_places=2,
        help_text=f"{param.low.normalize():f}至{param.high.normalize():f}，默认{param.default.normalize():f}",
    )  # fmt: skip


class IndicatorForm(StyledFormMixin, forms.Form):
    """An indicator; the parameters of every formula are listed, those of the chosen one read."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    dimension = forms.ChoiceField(label="维度")
    name = forms.CharField(label="指标", max_length=200)
    kind = forms.ChoiceField(label="计分方式", choices=IndicatorKind.choices)
    points = forms.DecimalField(
        label="分值", max_digits=7, decimal_places=2, min_value=0,
        help_text="扣分项为最多扣分，加分项为最多加分，一票否决项不设分值（填0）。",
    )  # fmt: skip
    formula = forms.ChoiceField(
        label="计分公式（按记录自动计分时选择）", required=False,
        choices=[("", "（不适用）")] + [(f.name, f"{f.label}：{f.reads}")
                                      for f in formulas.FORMULAS.values()],
    )  # fmt: skip
    guidance = forms.CharField(
        label="评分标准", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, scheme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [(d.pk, d.name) for d in scheme.dimensions.all()]
        for formula in formulas.FORMULAS.values():
            for param in formula.params:
                self.fields[f"p_{formula.name}_{param.name}"] = _param_field(formula, param)
                self.fields[f"p_{formula.name}_{param.name}"].widget.attrs["class"] = "form-control"

    def params(self) -> dict:
        chosen = self.cleaned_data.get("formula") or ""
        prefix = f"p_{chosen}_"
        return {
            name[len(prefix) :]: str(value)
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix) and value is not None
        }


class CopyForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label="复制到年度")
    name = forms.CharField(label="名称", max_length=200)


class RoundForm(StyledFormMixin, forms.Form):
    title = forms.CharField(label="考核名称", max_length=200)
    self_due_on = forms.DateField(label="自评截止日期", widget=forms.DateInput)
    everyone = forms.BooleanField(
        label="考核全部符合条件的组织", required=False, initial=True,
        help_text="不勾选时，只考核下面选中的组织。",
    )  # fmt: skip
    targets = forms.ModelMultipleChoiceField(
        label="被考核组织", queryset=PartyOrg.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    team = MultiplePickerField(
        kind="people", label="考核组成员", required=False,
        help_text="有账号的人员；考核组成员可查看本轮各组织的自评和材料，并评分。",
    )  # fmt: skip

    SHOWN = 300  # more eligible organisations than this: all of them, no list to tick

    def __init__(self, *args, user, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.eligible = eligible
        self.fields["targets"].queryset = eligible.order_by("path")
        self.fields["team"].bind(user, account=True)
        if eligible.count() > self.SHOWN:
            del self.fields["targets"]
            self.fields["everyone"].disabled = True

    def chosen(self):
        if self.cleaned_data.get("everyone") or "targets" not in self.fields:
            return list(self.eligible)
        return list(self.cleaned_data.get("targets") or [])
