from rest_framework import serializers

from mofan.core.api import ID_BOUNDS
from mofan.members.choices import StandingKind, TransferKind, TransferReason, TransferState
from mofan.members.models import StandingChange, Transfer


class TransferSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", help_text="人员ID", **ID_BOUNDS)
    person_name = serializers.CharField(source="person.name", read_only=True)
    kind = serializers.ChoiceField(choices=TransferKind.choices, read_only=True)
    state = serializers.ChoiceField(choices=TransferState.choices, read_only=True)
    from_org = serializers.IntegerField(source="from_org_id", read_only=True, allow_null=True)
    to_org = serializers.IntegerField(
        source="to_org_id", required=False, allow_null=True, **ID_BOUNDS,
        help_text="接收党组织ID（本系统内的党支部或党小组）",
    )  # fmt: skip
    other_org_name = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="系统外接收党组织名称"
    )
    letter_number = serializers.CharField(
        required=False, allow_blank=True, max_length=40,
        help_text="介绍信编号：转往系统外时必填；系统内由本系统编号",
    )  # fmt: skip
    reason = serializers.ChoiceField(choices=TransferReason.choices)
    valid_days = serializers.IntegerField(
        write_only=True, required=False, min_value=1, max_value=90, help_text="有效期（天）"
    )

    class Meta:
        model = Transfer
        fields = ["id", "person", "person_name", "kind", "state", "from_org", "to_org",
                  "other_org_name", "letter_number", "reason", "issued_on", "valid_until",
                  "decided_on", "return_reason", "note", "valid_days", "version"]  # fmt: skip
        read_only_fields = ["id", "valid_until", "decided_on", "return_reason", "version"]


class AcceptSerializer(serializers.Serializer):
    accepted_on = serializers.DateField(help_text="接收日期")
    version = serializers.IntegerField(help_text="读取时的版本号")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="退回或撤回原因")
    version = serializers.IntegerField(help_text="读取时的版本号")


class StandingChangeSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(source="person_id", help_text="人员ID", **ID_BOUNDS)
    org = serializers.IntegerField(source="org_id", read_only=True)
    kind = serializers.ChoiceField(choices=StandingKind.choices)
    meeting = serializers.IntegerField(
        source="meeting_id", required=False, allow_null=True, **ID_BOUNDS,
        help_text="作出决定的支部党员大会ID（停止党籍、恢复党籍、除名时必填）",
    )  # fmt: skip
    approval = serializers.CharField(required=False, allow_blank=True, max_length=200)

    class Meta:
        model = StandingChange
        fields = ["id", "person", "org", "kind", "effective_on", "meeting", "approval", "note"]
        read_only_fields = ["id", "org"]
