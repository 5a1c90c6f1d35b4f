from rest_framework import serializers

from mofan.assessment.choices import IndicatorKind
from mofan.assessment.models import (
    DutyList,
    Evidence,
    Indicator,
    Round,
    Scheme,
    Score,
    Target,
)
from mofan.core.api import ID_BOUNDS
from mofan.orgs.choices import OrgKind

POINTS = {"max_digits": 7, "decimal_places": 2, "coerce_to_string": True}


class IndicatorSerializer(serializers.ModelSerializer):
    dimension = serializers.CharField(source="dimension.name", read_only=True)
    dimension_id = serializers.IntegerField(write_only=True, help_text="维度ID", **ID_BOUNDS)
    kind = serializers.ChoiceField(choices=IndicatorKind.choices)
    points = serializers.DecimalField(**POINTS)
    formula = serializers.CharField(required=False, allow_blank=True, max_length=40)
    params = serializers.DictField(
        child=serializers.CharField(max_length=20), required=False, help_text="公式参数"
    )

    class Meta:
        model = Indicator
        fields = ["id", "dimension", "dimension_id", "order", "name", "kind", "points", "formula",
                  "params", "guidance"]  # fmt: skip
        read_only_fields = ["id", "order"]


class DimensionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SchemeSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", help_text="考核组织ID", **ID_BOUNDS)
    total = serializers.DecimalField(**POINTS)
    target_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=OrgKind.choices), allow_empty=False
    )
    dimensions = DimensionSerializer(many=True, read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)
    frozen = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = ["id", "org", "year", "name", "total", "target_kinds", "bands", "frozen",
                  "version", "dimensions", "indicators"]  # fmt: skip
        read_only_fields = ["id", "bands", "version"]

    def get_frozen(self, scheme) -> bool:
        return scheme.frozen_at is not None


class RoundSerializer(serializers.ModelSerializer):
    scheme = serializers.IntegerField(source="scheme_id", read_only=True)

    class Meta:
        model = Round
        fields = ["id", "scheme", "title", "state", "self_due_on", "computed_at", "computed_upto",
                  "published_at", "version"]  # fmt: skip
        read_only_fields = fields


class TargetSerializer(serializers.ModelSerializer):
    """The totals are given to those who assess, and to the assessed once published."""

    org = serializers.IntegerField(source="org_id", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    round = serializers.IntegerField(source="round_id", read_only=True)
    result = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ["id", "round", "org", "org_name", "self_done_at", "result"]
        read_only_fields = fields

    def get_result(self, target) -> dict | None:
        if not self.context.get("shows_result", lambda t: False)(target):
            return None
        return {
            "base": str(target.base), "deducted": str(target.deducted), "added": str(target.added),
            "total": str(target.total), "vetoed": target.vetoed, "grade": target.grade,
            "rank": target.rank, "peers": target.peers, "unscored": target.unscored,
        }  # fmt: skip


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "name", "by_team", "record_kind", "record_id", "size", "added_at"]
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    target = serializers.IntegerField(source="target_id", read_only=True)
    indicator = IndicatorSerializer(read_only=True)
    points = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    vetoed = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Score
        fields = ["id", "target", "indicator", "points", "vetoed", "detail", "explanation",
                  "self_text", "comment", "evidence", "version"]  # fmt: skip
        read_only_fields = fields

    def _hidden(self, score) -> bool:
        return self.context["hides"](score)

    def get_points(self, score) -> str | None:
        return None if self._hidden(score) or score.points is None else str(score.points)

    def get_comment(self, score) -> str:
        return "" if self._hidden(score) else score.comment

    def get_vetoed(self, score) -> bool | None:
        return None if self._hidden(score) else score.vetoed

    def get_evidence(self, score) -> list[dict]:
        shown = [e for e in score.evidence.all() if not (e.by_team and self._hidden(score))]
        return EvidenceSerializer(shown, many=True).data


class SelfSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="读取时的版本号")
    text = serializers.CharField(max_length=5000, allow_blank=True)


class TeamScoreSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="读取时的版本号")
    points = serializers.DecimalField(max_digits=7, decimal_places=2, required=False,
                                      allow_null=True)  # fmt: skip
    vetoed = serializers.BooleanField(required=False, default=False)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class DutySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    local = serializers.BooleanField(help_text="本级增加（否则为上级模板所列）")
    indicators = serializers.ListField(child=serializers.IntegerField(), help_text="对应考核指标ID")


class DutyListSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True, allow_null=True)
    signed = serializers.BooleanField(read_only=True)
    duties = serializers.SerializerMethodField()

    class Meta:
        model = DutyList
        fields = ["id", "org", "year", "kind", "template", "target_kind", "person", "title",
                  "version", "signed", "signed_at", "duties"]  # fmt: skip
        read_only_fields = fields

    def get_duties(self, duty_list) -> list[dict]:
        return [
            {"id": d.pk, "text": d.text, "local": d.local,
             "indicators": [i.pk for i in d.indicators.all()]}
            for d in duty_list.duties.all()
        ]  # fmt: skip


class SignSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="阅读时的版本号")


class RoundStartSerializer(serializers.Serializer):
    scheme = serializers.IntegerField(help_text="指标体系ID", **ID_BOUNDS)
    title = serializers.CharField(max_length=200)
    self_due_on = serializers.DateField(help_text="自评截止日期")
    targets = serializers.ListField(
        child=serializers.IntegerField(**ID_BOUNDS), required=False, max_length=20000,
        help_text="被考核组织ID；不给出时为该体系可考核的全部组织",
    )  # fmt: skip
    team = serializers.ListField(
        child=serializers.IntegerField(**ID_BOUNDS), required=False, max_length=200,
        help_text="考核组成员（人员ID，须有账号）",
    )  # fmt: skip
