from rest_framework import serializers

from mofan.core.api import ID_BOUNDS
from mofan.orgs.choices import Gender
from mofan.recruitment.choices import DocumentKind, Outcome, Recommendation, Stage, StepKind
from mofan.recruitment.models import Applicant, Document, Step


class ApplicantSerializer(serializers.ModelSerializer):
    person = serializers.IntegerField(
        source="person_id",
        required=False,
        help_text="人员ID（已登记且在您范围内的人员）",
        **ID_BOUNDS,
    )
    person_name = serializers.CharField(source="person.name", read_only=True)
    # Or the applicant as the application names them: found by the ID number, or registered.
    name = serializers.CharField(write_only=True, required=False, max_length=50)
    gender = serializers.ChoiceField(choices=Gender.choices, write_only=True, required=False)
    ethnicity = serializers.CharField(write_only=True, required=False, max_length=10)
    birth_date = serializers.DateField(write_only=True, required=False)
    id_number = serializers.CharField(write_only=True, required=False, max_length=18)
    unit = serializers.IntegerField(
        write_only=True, required=False, help_text="单位ID", **ID_BOUNDS
    )
    org = serializers.IntegerField(source="org_id", help_text="党支部ID", **ID_BOUNDS)
    stage = serializers.ChoiceField(choices=Stage.choices, read_only=True)
    next_due_kind = serializers.CharField(read_only=True, help_text="下一项有期限的事项")

    class Meta:
        model = Applicant
        fields = ["id", "person", "person_name", "name", "gender", "ethnicity", "birth_date",
                  "id_number", "unit", "org", "stage", "applied_on", "activist_on",
                  "nominee_on", "admitted_on", "approved_on", "probation_ends_on", "extended",
                  "next_due_on", "next_due_kind", "front_line", "note", "version"]  # fmt: skip
        read_only_fields = ["id", "activist_on", "nominee_on", "admitted_on", "approved_on",
                            "probation_ends_on", "extended", "next_due_on", "version"]  # fmt: skip


class StepSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=StepKind.choices)
    version = serializers.IntegerField(write_only=True, help_text="读取档案时的版本号")
    meeting = serializers.IntegerField(
        source="meeting_id",
        required=False,
        allow_null=True,
        help_text="支部党员大会ID",
        **ID_BOUNDS,
    )
    person_a = serializers.IntegerField(
        source="person_a_id", required=False, allow_null=True,
        help_text="谈话人、培养联系人或入党介绍人（人员ID）", **ID_BOUNDS,
    )  # fmt: skip
    person_b = serializers.IntegerField(
        source="person_b_id", required=False, allow_null=True,
        help_text="第二名培养联系人或入党介绍人（人员ID）", **ID_BOUNDS,
    )  # fmt: skip
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, required=False, allow_blank=True
    )
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False, allow_blank=True)
    present = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100000
    )
    votes_for = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100000
    )
    votes_against = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100000
    )
    votes_abstain = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, max_value=100000
    )
    days = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=365)
    extension_months = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=12
    )

    class Meta:
        model = Step
        fields = ["id", "kind", "done_on", "version", "meeting", "person_a", "person_b",
                  "recommendation", "ends_on", "days", "hours", "entitled", "present",
                  "votes_for", "votes_against", "votes_abstain", "passed", "outcome",
                  "extension_months", "agenda_item", "note"]  # fmt: skip
        read_only_fields = ["id", "entitled", "passed", "agenda_item"]
        extra_kwargs = {"hours": {"min_value": 0, "max_value": 999}}


class DocumentSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(write_only=True, help_text="文件（扫描件或电子文档）")

    class Meta:
        model = Document
        fields = ["id", "kind", "name", "size", "uploaded_at", "file"]
        read_only_fields = ["id", "name", "size", "uploaded_at"]
