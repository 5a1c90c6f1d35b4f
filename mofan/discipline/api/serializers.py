from rest_framework import serializers

from mofan.core.api import ID_BOUNDS
from mofan.discipline.choices import (
    CheckOutcome,
    Disposition,
    Measure,
    Source,
    StepKind,
    TalkKind,
    TalkWay,
)
from mofan.discipline.models import Check, Draw, DutyReport, Lead, PersonalReport, ReportRound, Talk

VERSION = {"help_text": "阅读时的版本号", "min_value": 1, "max_value": 2**31 - 1}
YEAR = {"min_value": 2000, "max_value": 2100}


class DisciplineLeadSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", help_text="受理组织ID", **ID_BOUNDS)
    source = serializers.ChoiceField(choices=Source.choices)
    subject = serializers.IntegerField(source="subject_id", required=False, allow_null=True,
                                       help_text="被反映人（本系统人员ID）", **ID_BOUNDS)  # fmt: skip
    subject_name = serializers.CharField(max_length=50, required=False, allow_blank=True,
                                         help_text="被反映人姓名（加密存储）")  # fmt: skip
    allegation = serializers.CharField(max_length=20000, help_text="反映的主要问题（加密存储）")
    finding = serializers.IntegerField(source="finding_id", required=False, allow_null=True,
                                       help_text="来源巡察问题ID", **ID_BOUNDS)  # fmt: skip
    code = serializers.CharField(read_only=True)

    class Meta:
        model = Lead
        fields = ["id", "code", "org", "year", "number", "source", "received_on", "subject",
                  "subject_name", "subject_post", "allegation", "finding", "state", "disposition",
                  "talk_way", "due_on", "form", "measure", "result", "concluded_on", "version"]  # fmt: skip
        read_only_fields = ["id", "code", "year", "number", "state", "disposition", "talk_way",
                            "due_on", "form", "measure", "result", "concluded_on", "version"]  # fmt: skip


class DisciplineReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    held_on = serializers.DateField(help_text="排查日期")
    participants = serializers.ListField(child=serializers.IntegerField(**ID_BOUNDS), min_length=2,
                                         max_length=50, help_text="参加人员ID")  # fmt: skip
    disposition = serializers.ChoiceField(choices=Disposition.choices)
    talk_way = serializers.ChoiceField(choices=TalkWay.choices, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=5000, help_text="排查意见")
    due_on = serializers.DateField(required=False, allow_null=True,
                                   help_text="初步核实报告期限或再次排查日期")  # fmt: skip


class DisciplineAssignSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    handlers = serializers.ListField(child=serializers.IntegerField(**ID_BOUNDS), max_length=20,
                                     help_text="承办人（人员ID，须有系统账号）")  # fmt: skip


class DisciplineStepSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    kind = serializers.ChoiceField(choices=StepKind.choices)
    on = serializers.DateField()
    text = serializers.CharField(max_length=20000)


class DisciplineConcludeSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    measure = serializers.ChoiceField(choices=Measure.choices, help_text="处理方式（决定形态）")
    result = serializers.CharField(max_length=20000)
    on = serializers.DateField(help_text="办结日期")
    revisit_on = serializers.DateField(required=False, allow_null=True,
                                       help_text="回访日期（第二、三种形态必填）")  # fmt: skip


class DisciplineRevisitSerializer(serializers.Serializer):
    revisit = serializers.IntegerField(help_text="回访ID", **ID_BOUNDS)
    done_on = serializers.DateField()
    record = serializers.CharField(max_length=20000)


class DisciplineStatisticsSerializer(serializers.Serializer):
    leads = serializers.IntegerField()
    by_source = serializers.DictField(child=serializers.IntegerField())
    by_disposition = serializers.DictField(child=serializers.IntegerField())
    by_state = serializers.DictField(child=serializers.IntegerField())
    forms = serializers.DictField(child=serializers.IntegerField(), help_text="四种形态人次")
    shares = serializers.DictField(child=serializers.FloatField(), help_text="四种形态占比（%）")
    measures = serializers.DictField(child=serializers.IntegerField())
    late = serializers.IntegerField(help_text="逾期未办")
    checks = serializers.DictField(
        child=serializers.IntegerField(), help_text="个人有关事项查核结果"
    )


class DisciplineTalkSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", **ID_BOUNDS)
    kind = serializers.ChoiceField(choices=TalkKind.choices)
    person = serializers.IntegerField(source="person_id", help_text="谈话对象ID", **ID_BOUNDS)
    talker = serializers.IntegerField(source="talker_id", help_text="谈话人ID", **ID_BOUNDS)
    record = serializers.CharField(max_length=20000, help_text="谈话内容（加密存储）")

    class Meta:
        model = Talk
        fields = ["id", "org", "kind", "person", "talker", "held_on", "record", "created_at"]
        read_only_fields = ["id", "created_at"]


class DisciplineDutyReportSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", **ID_BOUNDS)
    person = serializers.IntegerField(source="person_id", help_text="述职人ID", **ID_BOUNDS)
    year = serializers.IntegerField(**YEAR)
    text = serializers.CharField(max_length=50000, help_text="述责述廉报告（加密存储）")

    class Meta:
        model = DutyReport
        fields = ["id", "org", "person", "year", "text", "created_at"]
        read_only_fields = ["id", "created_at"]


class DisciplineReportRoundSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", **ID_BOUNDS)
    year = serializers.IntegerField(**YEAR)
    ranks = serializers.ListField(child=serializers.CharField(max_length=30), min_length=1,
                                  max_length=50, help_text="须报告的职级")  # fmt: skip

    class Meta:
        model = ReportRound
        fields = ["id", "org", "year", "ranks", "due_on", "closed_at"]
        read_only_fields = ["id", "due_on", "closed_at"]


class DisciplinePersonalReportSerializer(serializers.ModelSerializer):
    items = serializers.SerializerMethodField(help_text="报告事项（加密存储）")

    class Meta:
        model = PersonalReport
        fields = ["id", "round", "person", "items", "submitted_at", "version"]
        read_only_fields = fields

    def get_items(self, report) -> dict:
        import json

        return json.loads(report.items) if report.items else {}


class DisciplineSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    items = serializers.DictField(child=serializers.CharField(max_length=5000, allow_blank=True),
                                  help_text="各报告事项（键见 REPORT_ITEMS；没有的填“无”）")  # fmt: skip


class DisciplineDrawSerializer(serializers.ModelSerializer):
    reproduced = serializers.SerializerMethodField(help_text="按种子和名单重新抽取是否得到同一结果")

    class Meta:
        model = Draw
        fields = ["id", "round", "share", "seed", "roster", "drawn", "reproduced", "created_at"]
        read_only_fields = fields

    def get_reproduced(self, draw) -> bool:
        from mofan.discipline.reports import redo

        return redo(draw)


class DisciplineDrawRequestSerializer(serializers.Serializer):
    share = serializers.IntegerField(min_value=1, max_value=100, help_text="抽查比例（%）")
    seed = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                 help_text="随机种子（不填则随机生成并记录）")  # fmt: skip


class DisciplineCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = Check
        fields = ["id", "report", "kind", "draw", "reason", "outcome", "handling", "checked_on"]
        read_only_fields = fields


class DisciplineKeyCheckSerializer(serializers.Serializer):
    report = serializers.IntegerField(help_text="报告ID", **ID_BOUNDS)
    reason = serializers.CharField(max_length=200, help_text="查核事由")


class DisciplineCheckResultSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=CheckOutcome.choices)
    handling = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    on = serializers.DateField(help_text="查核日期")
