import re
from datetime import date

from django import forms
from django.utils import timezone

from mofan.core.forms import StyledFormMixin
from mofan.dues.choices import DuesCategory, PaymentMethod, WaiverKind

MONTH_RE = re.compile(r"(\d{4})-(\d{1,2})")


def parse_month(text: str | None) -> date | None:
    """'2026-11' → 2026-11-01; anything else → None."""
    match = MONTH_RE.fullmatch((text or "").strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError("请按“年-月”填写，如 2026-11。")
        return month


class PaymentForm(StyledFormMixin, forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    month = MonthField(label="所属月份")
    amount = forms.CharField(
        label="金额（元）", required=False, max_length=20, help_text="不填则按核定金额登记"
    )
    paid_on = forms.DateField(label="交纳日期", widget=forms.DateInput)
    method = forms.ChoiceField(label="方式", choices=PaymentMethod.choices)
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
    )
    note = forms.CharField(label="说明", required=False, max_length=200)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WaiverForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="类别", choices=WaiverKind.choices)
    first_month = MonthField(label="起始月份")
    last_month = MonthField(label="截止月份")
    reduced_amount = forms.CharField(label="少交后每月金额（元）", required=False, max_length=20)
    reason = forms.CharField(label="事由及批准情况", max_length=300)
    approved_on = forms.DateField(label="批准日期", widget=forms.DateInput)


class CancelPaymentForm(StyledFormMixin, forms.Form):
    payment = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="撤销原因", max_length=200)
