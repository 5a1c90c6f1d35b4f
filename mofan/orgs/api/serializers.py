from rest_framework import serializers

from mofan.orgs.models import Membership, PartyOrg, Person, Unit


class PartyOrgSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="所在单位ID"
    )

    class Meta:
        model = PartyOrg
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "order",
            "path",
            "depth",
            "numchild",
            "founded_on",
            "dissolved_on",
            "has_committee",
            "term_started_on",
            "unit",
        ]


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "code",
            "name",
            "short_name",
            "kind",
            "order",
            "depth",
            "numchild",
            "founded_on",
            "dissolved_on",
        ]


class PersonSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    phone = serializers.CharField(source="phone_masked", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "phone",
            "education",
            "unit",
            "job_title",
            "rank",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    person = PersonSerializer(read_only=True)
    org = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "person", "org", "kind", "joined_on", "confirmed_on", "status"]
