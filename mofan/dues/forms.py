import re
from datetime import date

from django import forms
from django.utils import timezone

from mofan.core.forms import StyledFormMixin
from mofan.dues.choices import DuesCategory, PaymentMethod, WaiverKind

MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")
FIRST_YEAR = 2000  # no organ keeps dues records from before this in the system


def parse_month(text: str | None) -> date | None:
    """'2026-11' → 2026-11-01; anything else → None."""
    match = MONTH_RE.fullmatch((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (FIRST_YEAR <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


class MonthField(forms.CharField):
    """A month typed or picked as 2026-11 (the page shows a Chinese month picker over it)."""

    widget = forms.TextInput(
        attrs={"data-month": "", "placeholder": "如 2026-11", "inputmode": "numeric"}
    )

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if not MONTH_RE.fullmatch(value.strip()):
            raise forms.ValidationError(f"{self.label}请按“年-月”填写，如 2026-11。")
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(f"{self.label}超出范围（{FIRST_YEAR}年以后的1至12月）。")
        return month


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=forms.DateInput,
        error_messages={
            "invalid": f"{label}不是有效的日期，请按 2026-11-05 的格式填写。",
            "required": f"请填写{label}。",
        },
    )


class PaymentForm(StyledFormMixin, forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    month = MonthField(label="所属月份")
    amount = forms.CharField(
        label="金额（元）", max_length=20, error_messages={"required": "请填写金额。"}
    )
    paid_on = _date("交纳日期")
    method = forms.ChoiceField(
        label="方式",
        choices=PaymentMethod.choices,
        error_messages={"required": "请选择交纳方式。", "invalid_choice": "请选择交纳方式。"},
    )
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()


class BaseForm(StyledFormMixin, forms.Form):
    starts_on = MonthField(label="起始月份")
    category = forms.ChoiceField(label="计算方式", choices=DuesCategory.choices)
    monthly_income = forms.CharField(
        label="月计算基数（元）",
        max_length=20,
        help_text="在职：每月工资总额中相对固定的、经常性的工资收入（税后）；离退休：离退休费或养老金总额；定额类填 0",
        error_messages={"required": "请填写月计算基数。"},
    )
    note = forms.CharField(label="说明", required=False, max_length=200)
    # The base the form was filled from: its version counts only for that month.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    version_month = forms.CharField(widget=forms.HiddenInput, required=False)

    def version_for(self, month: date) -> int | None:
        if parse_month(self.cleaned_data.get("version_month")) == month:
            return self.cleaned_data.get("version")
        return None


class WaiverForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=WaiverKind.choices)
    first_month = MonthField(label="起始月份")
    last_month = MonthField(label="截止月份")
    reduced_amount = forms.CharField(label="少交后每月金额（元）", required=False, max_length=20)
    reason = forms.CharField(label="事由及批准情况", max_length=300)
    approved_on = _date("批准日期")


class TakeBackForm(forms.Form):
    """Cancel a payment, a waiver, or remove a base: which one, and why."""

    target = forms.IntegerField()
    reason = forms.CharField(
        label="原因", max_length=200, error_messages={"required": "请填写原因（至少2个字）。"}
    )
