from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mofan.core.api import ID_BOUNDS
from mofan.dues.choices import DuesCategory, PaymentMethod, WaiverKind
from mofan.dues.models import DuesBase, DuesPayment, DuesRule, DuesWaiver


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-11"})
class DuesMonthField(serializers.Field):
    """A month as "2026-11" in and out; the first day of the month inside."""

    default_error_messages = {"invalid": "请按“年-月”填写，如 2026-11。"}

    def to_internal_value(self, data):
        from mofan.dues.forms import parse_month

        month = parse_month(data if isinstance(data, str) else "")
        if month is None:
            self.fail("invalid")
        return month

    def to_representation(self, value):
        return f"{value:%Y-%m}"


class DuesRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DuesRule
        fields = ["id", "category", "above", "up_to", "rate", "fixed_amount", "article",
                  "effective_from", "effective_to"]  # fmt: skip


class DuesBaseSerializer(serializers.ModelSerializer):
    starts_on = DuesMonthField(help_text="起始月份，如 2026-01")
    person = serializers.IntegerField(source="person_id", help_text="人员ID", **ID_BOUNDS)
    category = serializers.ChoiceField(choices=DuesCategory.choices)
    monthly_income = serializers.CharField(help_text="月计算基数（元，税后），最多两位小数")
    version = serializers.IntegerField(required=False, help_text="更正时须提供读取时的版本")

    class Meta:
        model = DuesBase
        fields = ["id", "person", "starts_on", "category", "monthly_income", "note", "version"]
        read_only_fields = ["id"]


class DuesPaymentSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", help_text="人员ID", **ID_BOUNDS)
    org = serializers.IntegerField(source="org_id", read_only=True, help_text="收缴党组织ID")
    month = DuesMonthField(help_text="所属月份，如 2026-11")
    amount = serializers.CharField(
        required=False, allow_blank=True, help_text="金额（元）；不填按核定金额"
    )
    method = serializers.ChoiceField(choices=PaymentMethod.choices)

    class Meta:
        model = DuesPayment
        fields = ["id", "person", "org", "month", "amount", "paid_on", "method", "note"]
        read_only_fields = ["id", "org"]


class DuesCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, help_text="撤销原因")


class DuesWaiverSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", read_only=True)
    kind = serializers.ChoiceField(choices=WaiverKind.choices)
    first_month = DuesMonthField()
    last_month = DuesMonthField()

    class Meta:
        model = DuesWaiver
        fields = ["id", "person", "kind", "first_month", "last_month", "reduced_amount", "reason",
                  "approved_on"]  # fmt: skip


class DuesMonthLineSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    name = serializers.CharField()
    here = serializers.BooleanField(help_text="仍在本组织（否：本月在此交纳后已转出）")
    income = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    basis = serializers.CharField()
    due = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    paid = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    paid_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    arrears = serializers.DecimalField(max_digits=12, decimal_places=2)
    unpaid_in_a_row = serializers.IntegerField()


class DuesStatementSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    month = serializers.CharField()
    due = serializers.DecimalField(max_digits=14, decimal_places=2)
    paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    rows = DuesMonthLineSerializer(many=True)
