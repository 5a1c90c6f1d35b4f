from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mofan.core.api import ID_BOUNDS
from mofan.inspection.choices import (
    Channel,
    FindingCategory,
    LetterKind,
    Rating,
    RectificationPaper,
    RoundKind,
    TeamRole,
)
from mofan.inspection.models import (
    Disclosure,
    Evidence,
    Finding,
    Interview,
    Letter,
    Plan,
    Rectification,
    Round,
    Target,
    Team,
    TeamMember,
)

YEAR = {"min_value": 2000, "max_value": 2100}
VERSION = {"help_text": "阅读时的版本号", "min_value": 1, "max_value": 2**31 - 1}


class InspectionPlanSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", help_text="巡察组织ID", **ID_BOUNDS)
    first_year = serializers.IntegerField(**YEAR)
    last_year = serializers.IntegerField(**YEAR)

    class Meta:
        model = Plan
        fields = ["id", "org", "title", "first_year", "last_year", "created_at", "version"]
        read_only_fields = ["id", "created_at", "version"]


class InspectionPlanOrgsSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    orgs = serializers.ListField(child=serializers.IntegerField(**ID_BOUNDS), min_length=1,
                                 max_length=1000, help_text="列入计划的党组织ID")  # fmt: skip
    year = serializers.IntegerField(help_text="计划年度（规划期内）", **YEAR)


class InspectionCoverageRowSerializer(serializers.Serializer):
    org = serializers.IntegerField(source="org_id")
    name = serializers.CharField()
    status = serializers.CharField(
        help_text="inspected 已巡察、planned 已列入计划、uncovered 尚未覆盖、gone 已撤销（不计入）"
    )
    planned_year = serializers.IntegerField(allow_null=True)
    inspected_year = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()


class InspectionCoverageSerializer(serializers.Serializer):
    due = serializers.IntegerField(help_text="应覆盖的组织数")
    counts = serializers.DictField(child=serializers.IntegerField())
    rate = serializers.FloatField(allow_null=True, help_text="覆盖率（%）")
    by_year = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))
    rows = InspectionCoverageRowSerializer(many=True)


class InspectionMemberSerializer(serializers.ModelSerializer):
    person_name = serializers.CharField(source="person.name", read_only=True)
    home_unit_name = serializers.CharField(source="home_unit.name", read_only=True)

    class Meta:
        model = TeamMember
        fields = ["id", "person", "person_name", "role", "home_unit", "home_unit_name"]
        read_only_fields = fields


class InspectionTeamSerializer(serializers.ModelSerializer):
    members = InspectionMemberSerializer(
        many=True, read_only=True, source="ordered_members", help_text="组长、副组长、组员"
    )

    class Meta:
        model = Team
        fields = ["id", "name", "phone", "mailbox", "members"]
        read_only_fields = ["id", "members"]


class InspectionRoundSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", help_text="巡察组织ID", **ID_BOUNDS)
    plan = serializers.IntegerField(source="plan_id", required=False, allow_null=True,
                                    help_text="所属规划ID", **ID_BOUNDS)  # fmt: skip
    kind = serializers.ChoiceField(choices=RoundKind.choices)
    year = serializers.IntegerField(**YEAR)
    teams = serializers.SerializerMethodField(
        help_text="巡察组：本轮巡察组织的纪检干部可见全部，巡察组成员只见本组"
    )

    class Meta:
        model = Round
        fields = ["id", "org", "plan", "kind", "title", "year", "stage", "stage_dates", "teams",
                  "version"]  # fmt: skip
        read_only_fields = ["id", "stage", "stage_dates", "teams", "version"]

    @extend_schema_field(InspectionTeamSerializer(many=True))
    def get_teams(self, round_) -> list:
        sees = self.context.get("sees", lambda team: False)
        return InspectionTeamSerializer([t for t in round_.teams.all() if sees(t)], many=True).data


class InspectionMemberAddSerializer(serializers.Serializer):
    team = serializers.IntegerField(help_text="巡察组ID", **ID_BOUNDS)
    person = serializers.IntegerField(help_text="人员ID", **ID_BOUNDS)
    role = serializers.ChoiceField(choices=TeamRole.choices)


class InspectionMemberRemoveSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="巡察组成员ID", **ID_BOUNDS)


class InspectionTargetAddSerializer(serializers.Serializer):
    team = serializers.IntegerField(help_text="巡察组ID", **ID_BOUNDS)
    org = serializers.IntegerField(help_text="被巡察党组织ID", **ID_BOUNDS)


class InspectionVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)


class InspectionTargetSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True)

    class Meta:
        model = Target
        fields = ["id", "round", "org", "org_name", "team", "team_name"]
        read_only_fields = fields


class InspectionFindingSerializer(serializers.ModelSerializer):
    target = serializers.IntegerField(
        source="target_id", help_text="被巡察组织（巡察对象）ID", **ID_BOUNDS
    )
    category = serializers.ChoiceField(choices=FindingCategory.choices)
    title = serializers.CharField(max_length=200, help_text="问题概要（加密存储）")
    facts = serializers.CharField(max_length=20000, help_text="问题事实（加密存储，不少于10字）")
    version = serializers.IntegerField(required=False, help_text="修改时带回阅读时的版本号",
                                       min_value=1, max_value=2**31 - 1)  # fmt: skip

    class Meta:
        model = Finding
        fields = ["id", "target", "number", "category", "title", "facts", "created_at", "version"]
        read_only_fields = ["id", "number", "created_at"]


class InspectionInterviewSerializer(serializers.ModelSerializer):
    target = serializers.IntegerField(source="target_id", help_text="巡察对象ID", **ID_BOUNDS)
    interviewee = serializers.CharField(max_length=50, help_text="谈话对象（加密存储）")
    summary = serializers.CharField(max_length=20000, help_text="谈话要点（加密存储）")

    class Meta:
        model = Interview
        fields = ["id", "target", "held_on", "interviewee", "post", "summary", "created_at"]
        read_only_fields = ["id", "created_at"]


class InspectionLetterSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(source="round_id", help_text="巡察轮次ID", **ID_BOUNDS)
    channel = serializers.ChoiceField(choices=Channel.choices)
    sender = serializers.CharField(max_length=50, required=False, allow_blank=True,
                                   help_text="反映人（可不填；加密存储）")  # fmt: skip
    content = serializers.CharField(max_length=20000, help_text="反映内容（加密存储）")
    target = serializers.IntegerField(source="target_id", read_only=True, allow_null=True)

    class Meta:
        model = Letter
        fields = ["id", "round", "number", "channel", "received_on", "sender", "content", "kind",
                  "target", "handed_at", "version"]  # fmt: skip
        read_only_fields = ["id", "number", "kind", "target", "handed_at", "version"]


class InspectionClassifySerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    kind = serializers.ChoiceField(choices=LetterKind.choices, help_text="分类（不能为待分类）")
    target = serializers.IntegerField(required=False, allow_null=True, help_text="涉及的巡察对象ID（移交其巡察组）",
                                      **ID_BOUNDS)  # fmt: skip


class InspectionRateSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    rating = serializers.ChoiceField(choices=Rating.choices, help_text="整改评估结论")
    evidence = serializers.CharField(max_length=5000, help_text="评估依据（不少于5字；加密存储）")


class InspectionRatedFindingSerializer(InspectionFindingSerializer):
    ledger_finding = serializers.IntegerField(
        source="ledger_finding_id", read_only=True, allow_null=True, help_text="整改台账中的问题ID"
    )
    rating = serializers.CharField(
        read_only=True, help_text="整改评估：done 到位、mostly 基本到位、not_done 未到位"
    )
    rating_evidence = serializers.CharField(read_only=True)

    class Meta(InspectionFindingSerializer.Meta):
        fields = [*InspectionFindingSerializer.Meta.fields, "ledger_finding", "rating",
                  "rating_evidence", "rated_at"]  # fmt: skip
        read_only_fields = [*InspectionFindingSerializer.Meta.read_only_fields, "rated_at"]


class InspectionDisclosureSerializer(serializers.ModelSerializer):
    class Meta:
        model = Disclosure
        fields = ["id", "text", "figures", "state", "generated_at", "published_at", "version"]
        read_only_fields = fields


class InspectionRectificationSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="target.org_id", read_only=True)
    org_name = serializers.CharField(source="target.org.name", read_only=True)
    round = serializers.IntegerField(source="target.round_id", read_only=True)

    class Meta:
        model = Rectification
        fields = ["id", "target", "org", "org_name", "round", "ledger", "fed_back_on",
                  "plan_due_on", "plan_file_name", "plan_sent_at", "report_due_on",
                  "report_file_name", "report_sent_at"]  # fmt: skip
        read_only_fields = fields


class InspectionPaperSerializer(serializers.Serializer):
    paper = serializers.ChoiceField(choices=RectificationPaper.choices, help_text="报送的材料")
    file = serializers.FileField(help_text="材料文件（multipart/form-data 上传）")


class InspectionPublishSerializer(serializers.Serializer):
    disclosure = serializers.IntegerField(help_text="待审核的公开内容ID", **ID_BOUNDS)
    version = serializers.IntegerField(**VERSION)


class InspectionFiguresSerializer(serializers.Serializer):
    problems = serializers.IntegerField(help_text="发现问题")
    handed = serializers.IntegerField(help_text="移交整改")
    closed = serializers.IntegerField(help_text="整改销号")
    long_term = serializers.IntegerField(help_text="需长期坚持（未销号）")
    measures = serializers.IntegerField(help_text="整改措施")
    rate = serializers.FloatField(allow_null=True, help_text="整改完成率（%）")
    ratings = serializers.DictField(
        child=serializers.IntegerField(), help_text="整改评估结论的个数"
    )
    by_category = serializers.DictField(
        child=serializers.IntegerField(), help_text="问题类别的个数"
    )
    accountability = serializers.DictField(
        child=serializers.IntegerField(), help_text="问责人次（按方式）"
    )
    leads = serializers.IntegerField(help_text="移交的问题线索")


class InspectionEvidenceSerializer(serializers.ModelSerializer):
    file = serializers.FileField(
        write_only=True, help_text="证据材料文件（multipart/form-data 上传）"
    )

    class Meta:
        model = Evidence
        fields = ["id", "finding", "file", "file_name", "uploaded_at"]
        read_only_fields = ["id", "finding", "file_name", "uploaded_at"]
