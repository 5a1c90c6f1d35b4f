from rest_framework import serializers

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedPrimaryKeyRelatedField
from mofan.meetings.choices import AttendanceStatus, MeetingKind
from mofan.meetings.models import AgendaItem, Attendance, Meeting, MeetingPlan, MeetingRule
from mofan.meetings.querysets import reads_minutes
from mofan.orgs.models import PartyOrg, Person


class AgendaItemSerializer(serializers.ModelSerializer):
    presenter = ScopedPrimaryKeyRelatedField(
        model=Person, scope_action=Action.VIEW, required=False, allow_null=True
    )
    discussion = serializers.CharField(
        read_only=True, allow_null=True, help_text="领导班子会议：无权查阅记录者为 null"
    )
    decision = serializers.CharField(
        read_only=True, allow_null=True, help_text="领导班子会议：无权查阅记录者为 null"
    )

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "order",
            "title",
            "is_first_topic",
            "presenter",
            "materials",
            "discussion",
            "decision",
        ]
        read_only_fields = ["id", "order", "discussion", "decision"]


class MeetingSerializer(serializers.ModelSerializer):
    org = ScopedPrimaryKeyRelatedField(model=PartyOrg, scope_action=Action.RECORD)
    host = ScopedPrimaryKeyRelatedField(
        model=Person, scope_action=Action.VIEW, required=False, allow_null=True
    )
    recorder = ScopedPrimaryKeyRelatedField(
        model=Person, scope_action=Action.VIEW, required=False, allow_null=True
    )
    lecturer = ScopedPrimaryKeyRelatedField(
        model=Person, scope_action=Action.VIEW, required=False, allow_null=True
    )
    agenda = AgendaItemSerializer(many=True, required=False)
    back_filled = serializers.BooleanField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "org", "kind", "title", "starts_at", "ends_at", "place", "state", "host",
            "recorder", "lecturer", "study_hours", "expected_count", "present_count",
            "leave_count", "quorate", "by_secretary", "recorded_at", "back_filled", "version",
            "agenda",
        ]  # fmt: skip
        read_only_fields = [
            "state", "expected_count", "present_count", "leave_count", "quorate",
            "by_secretary", "recorded_at", "version",
        ]  # fmt: skip

    def to_representation(self, meeting):
        """A leading group's minutes only for those `reads_minutes` lets read them: the same rule
        as the pages, from the list's annotation (no query per row) or one query for a single
        meeting."""
        data = super().to_representation(meeting)
        request = self.context.get("request")
        if request is None or not reads_minutes(request.user, meeting):
            for item in data.get("agenda", []):
                item["discussion"] = item["decision"] = None
        return data


class MinutesSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    summary = serializers.CharField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    agenda = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)),
        required=False,
        help_text="{议程ID: {discussion, decision}}",
    )


class AttendanceSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["person", "person_name", "role", "status", "signed_at", "method", "leave_reason"]


class MarkSerializer(serializers.Serializer):
    person = ScopedPrimaryKeyRelatedField(model=Person, scope_action=Action.VIEW)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class SignInSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="签到二维码中的签到码")


class LeaveSerializer(serializers.Serializer):
    reason = serializers.CharField()


class PlanSerializer(serializers.ModelSerializer):
    org = ScopedPrimaryKeyRelatedField(model=PartyOrg, scope_action=Action.RECORD)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = MeetingPlan
        fields = ["id", "org", "year", "month", "content", "version", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {"month": {"min_value": 1, "max_value": 12}}
        validators = []  # one plan per period: saving again updates it (with the version)


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingRule
        fields = [
            "id", "kind", "org_kinds", "period", "minimum", "needs_committee", "by_secretary",
            "quorum", "article", "effective_from", "effective_to", "org", "is_floor",
        ]  # fmt: skip


class ComplianceCellSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["met", "unmet", "open", "none", "future"])
    required = serializers.IntegerField()
    met = serializers.IntegerField()
    back_filled = serializers.IntegerField()


class ComplianceRowSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    name = serializers.CharField()
    cells = ComplianceCellSerializer(many=True)


class ComplianceSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    count = serializers.IntegerField(help_text="所列组织总数（分页前）")
    next = serializers.CharField(allow_null=True, help_text="下一页地址")
    previous = serializers.CharField(allow_null=True, help_text="上一页地址")
    rows = ComplianceRowSerializer(many=True)


KINDS = MeetingKind
