from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mofan.assessment.choices import AwardKind, CheckKind, IndicatorKind, Mark
from mofan.assessment.models import (
    AnnualReport,
    Award,
    Candidate,
    CheckCap,
    CheckEntry,
    Correction,
    Debrief,
    Debriefer,
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


class CorrectionSerializer(serializers.ModelSerializer):
    by = serializers.CharField(source="by.__str__", read_only=True, help_text="更正人")

    class Meta:
        model = Correction
        fields = ["id", "points_before", "vetoed_before", "comment_before", "points_after",
                  "vetoed_after", "comment_after", "total_before", "total_after", "grade_before",
                  "grade_after", "reason", "by", "at"]  # fmt: skip
        read_only_fields = fields


class ScoreSerializer(serializers.ModelSerializer):
    target = serializers.IntegerField(source="target_id", read_only=True)
    indicator = IndicatorSerializer(read_only=True)
    points = serializers.SerializerMethodField()
    comment = serializers.SerializerMethodField()
    vetoed = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()
    to_rectify = serializers.SerializerMethodField(help_text="列入整改（公布前仅考核方可见）")
    finding = serializers.IntegerField(source="finding_id", read_only=True, allow_null=True,
                                       help_text="移交后在整改台账中的问题ID")  # fmt: skip
    corrections = CorrectionSerializer(
        many=True, read_only=True, help_text="公布后的结果更正（原得分、理由），按时间先后"
    )

    class Meta:
        model = Score
        fields = ["id", "target", "indicator", "points", "vetoed", "detail", "explanation",
                  "self_text", "comment", "evidence", "to_rectify", "finding", "corrections",
                  "version"]  # fmt: skip
        read_only_fields = fields

    def _hidden(self, score) -> bool:
        return self.context["hides"](score)

    def get_to_rectify(self, score) -> bool | None:
        return None if self.context["held_back"](score) else score.to_rectify

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


class CorrectSerializer(TeamScoreSerializer):
    reason = serializers.CharField(max_length=2000, help_text="更正理由（不少于5字）")


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


class DebrieferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    org = serializers.IntegerField(source="org_id")
    org_name = serializers.CharField(source="org.name")
    person = serializers.IntegerField(source="person_id")
    person_name = serializers.CharField(source="person.name")
    post = serializers.CharField()


class DebriefLineSerializer(serializers.Serializer):
    """One who reported with the counts and the composite (shown once the vote is closed, to
    the organiser; once published, to those who may read the line)."""

    debriefer = DebrieferSerializer()
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="各等次票数")
    graded = serializers.IntegerField(help_text="作出评价的票数（不含不了解）")
    composite = serializers.DecimalField(allow_null=True, **POINTS)
    approval = serializers.DecimalField(allow_null=True, help_text="好和较好占比（%）", **POINTS)
    grade = serializers.CharField()
    poor_pct = serializers.DecimalField(allow_null=True, help_text="“差”票占比（%）", **POINTS)
    flagged = serializers.BooleanField(help_text="“差”票占比超过约谈线，列为约谈对象")


class DebriefSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", help_text="组织单位ID", **ID_BOUNDS)
    state = serializers.CharField(read_only=True)
    reporters = serializers.ListField(
        child=serializers.IntegerField(**ID_BOUNDS), write_only=True, required=False,
        help_text="述职人所在组织ID（各取其现任书记，无书记时为副书记或委员）",
    )  # fmt: skip
    debriefers = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField()
    cast = serializers.SerializerMethodField(help_text="已投票数（仅组织者可见）")

    class Meta:
        model = Debrief
        fields = ["id", "org", "year", "kind", "title", "held_on", "voters", "poor_share",
                  "closes_at", "state", "opened_at", "closed_at", "published_at", "version",
                  "reporters", "debriefers", "cast", "results"]  # fmt: skip
        read_only_fields = ["id", "state", "opened_at", "closed_at", "published_at", "version"]

    def _runs(self, debrief) -> bool:
        return self.context["runs"](debrief)

    @extend_schema_field(DebrieferSerializer(many=True))
    def get_debriefers(self, debrief):
        seen = self.context["seen"](debrief)
        return DebrieferSerializer(seen, many=True).data

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_cast(self, debrief):
        from mofan.assessment import debriefs

        if not self._runs(debrief) or debrief.state == "draft":
            return None
        return debriefs.cast_count(debrief)

    @extend_schema_field(DebriefLineSerializer(many=True))
    def get_results(self, debrief):
        from mofan.assessment import debriefs

        if not debriefs.shows_tally(debrief):
            return []
        if not self._runs(debrief) and debrief.state != "published":
            return []
        lines = [debriefs.line_of(d, debrief.poor_share) for d in self.context["seen"](debrief)]
        return DebriefLineSerializer(lines, many=True).data


class BallotSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="评议票上的票码")
    marks = serializers.DictField(
        child=serializers.ChoiceField(choices=Mark.choices),
        help_text="述职人ID → 等次（good 好、fair_good 较好、fair 一般、poor 差、unknown 不了解），每位述职人一项",
    )  # fmt: skip
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=300), required=False,
        help_text="述职人ID → 意见建议（可不填，每条不超过300字；不记名，与选票分开保存）",
    )  # fmt: skip


class RectifySerializer(serializers.Serializer):
    to_rectify = serializers.BooleanField(help_text="true 列入整改，false 取消")


class FindingsSerializer(serializers.Serializer):
    ledger = serializers.IntegerField(help_text="整改台账ID", **ID_BOUNDS)
    opened = serializers.IntegerField(read_only=True, help_text="登记的问题数")


class CheckTargetSerializer(serializers.Serializer):
    """An organisation a 督查检查考核 is aimed at, with what it received in the entry's year."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    received = serializers.IntegerField(help_text="该年度已接受（含待审批占用）的次数")
    cap = serializers.IntegerField(allow_null=True, help_text="年度总量（上级未设定时为空）")


class CheckEntrySerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", read_only=True, help_text="组织实施单位ID")
    org_name = serializers.CharField(source="org.name", read_only=True)
    targets = serializers.SerializerMethodField()
    approver = serializers.IntegerField(source="approver_id", read_only=True, allow_null=True,
                                        help_text="审批组织ID（超出年度总量时）")  # fmt: skip
    approver_name = serializers.SerializerMethodField()
    decided_by = serializers.StringRelatedField(allow_null=True, help_text="审批人")
    to_decide = serializers.SerializerMethodField(help_text="是否等待本人审批")

    class Meta:
        model = CheckEntry
        fields = ["id", "org", "org_name", "year", "title", "kind", "starts_on", "ends_on",
                  "targets", "state", "reason", "approver", "approver_name", "decided_by",
                  "decided_at", "decision_note", "to_decide", "created_at"]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(CheckTargetSerializer(many=True))
    def get_targets(self, entry):
        figures = self.context["figures"]
        return [
            {"id": t.pk, "name": t.name, **figures[(entry.year, t.pk)]}
            for t in sorted(entry.targets.all(), key=lambda t: t.path)
        ]

    def get_approver_name(self, entry) -> str:
        return entry.approver.name if entry.approver_id else ""

    def get_to_decide(self, entry) -> bool:
        return entry.pk in self.context["to_decide"]


class CheckRegisterSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="组织实施单位ID（本人管理的党组织）", **ID_BOUNDS)
    title = serializers.CharField(max_length=200, help_text="名称")
    kind = serializers.ChoiceField(choices=CheckKind.choices, help_text="类别")
    starts_on = serializers.DateField(help_text="开始日期（其年份即登记年度）")
    ends_on = serializers.DateField(help_text="结束日期")
    targets = serializers.ListField(
        child=serializers.IntegerField(**ID_BOUNDS), max_length=1000,
        help_text="对象：组织实施单位的下级党组织ID",
    )  # fmt: skip
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=2000,
        help_text="超出对象年度总量的理由（超出时必填，登记后待设定总量的组织审批）",
    )  # fmt: skip


class CheckDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=500,
                                 help_text="审批意见（不批准时必填）")  # fmt: skip


class CheckReceivedSerializer(serializers.Serializer):
    org = serializers.IntegerField(help_text="党组织ID")
    org_name = serializers.CharField()
    received = serializers.IntegerField(help_text="该年度已接受（含待审批占用）的次数")
    cap = serializers.IntegerField(allow_null=True, help_text="年度总量（上级未设定时为空）")
    cap_org = serializers.IntegerField(allow_null=True, help_text="设定总量的组织ID")
    cap_org_name = serializers.CharField(allow_null=True)


class CheckCapSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(
        source="org_id", help_text="设定组织ID：总量适用于其下级组织", **ID_BOUNDS
    )
    org_name = serializers.CharField(source="org.name", read_only=True)
    year = serializers.IntegerField(help_text="年度（去年、今年或明年）")
    cap = serializers.IntegerField(
        help_text="每个下级组织全年接受督查检查考核不超过的次数（1至100）"
    )

    class Meta:
        model = CheckCap
        fields = ["id", "org", "org_name", "year", "cap", "set_at"]
        read_only_fields = ["id", "set_at"]
        # A second cap for the same organisation and year replaces the first (registry.set_cap).
        validators = []


# -- 年度党建工作报告 and 创建 evaluations -------------------------------------------------------------


VERSION = {"help_text": "阅读时的版本号", "min_value": 1, "max_value": 2**31 - 1}


class DebriefReportSerializer(serializers.ModelSerializer):
    """A 述职报告: who reports, in which 述职评议, and what they submitted."""

    debrief_title = serializers.CharField(source="debrief.title", read_only=True)
    debrief_state = serializers.CharField(source="debrief.state", read_only=True)
    org_name = serializers.CharField(source="org.name", read_only=True)
    person_name = serializers.CharField(source="person.name", read_only=True)
    text = serializers.CharField(source="report_text", read_only=True)
    file_name = serializers.CharField(
        source="report_name", read_only=True, help_text="述职报告文件名（下载：file）"
    )
    version = serializers.SerializerMethodField(
        help_text="提交时带回的版本号（尚未提交为 0）：他人其间提交过，则拒绝覆盖"
    )

    class Meta:
        model = Debriefer
        fields = ["id", "debrief", "debrief_title", "debrief_state", "org", "org_name", "person",
                  "person_name", "post", "text", "file_name", "reported_at", "version"]  # fmt: skip
        read_only_fields = fields

    def get_version(self, debriefer) -> int:
        from mofan.assessment.debriefs import report_token

        return report_token(debriefer)


class DebriefReportSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, max_value=2**63 - 1, help_text="读取时的版本号（尚未提交为 0）"
    )
    text = serializers.CharField(allow_blank=True, required=False, max_length=20000,
                                 help_text="述职报告正文")  # fmt: skip
    file = serializers.FileField(
        required=False,
        help_text="述职报告文件（multipart/form-data 上传；可不传，保留已上传的文件）",
    )


class AnnualReportSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="org_id", help_text="报告组织ID", **ID_BOUNDS)
    to_org = serializers.IntegerField(source="to_org_id", read_only=True, help_text="报送组织ID")
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReport
        fields = ["id", "org", "to_org", "year", "title", "text", "has_file", "state",
                  "submitted_at", "review", "reviewed_at", "version"]  # fmt: skip
        read_only_fields = ["id", "to_org", "title", "text", "state", "submitted_at", "review",
                            "reviewed_at", "version"]  # fmt: skip

    def get_has_file(self, report) -> bool:
        return bool(report.file)


class AnnualSaveSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    title = serializers.CharField(max_length=200)
    text = serializers.CharField(allow_blank=True, max_length=50000)
    file = serializers.FileField(
        required=False, help_text="报告文件（multipart/form-data 上传；可不传，保留已上传的文件）"
    )


class AnnualReviewSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    accept = serializers.BooleanField(help_text="true 审阅通过，false 退回修改")
    review = serializers.CharField(allow_blank=True, required=False, max_length=2000,
                                   help_text="审阅意见（退回修改时必填）")  # fmt: skip


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)


class CandidateSerializer(serializers.ModelSerializer):
    org_name = serializers.CharField(source="org.name", read_only=True)
    total = serializers.DecimalField(source="target.total", read_only=True, **POINTS)
    grade = serializers.CharField(source="target.grade", read_only=True)
    rank = serializers.IntegerField(source="target.rank", read_only=True, allow_null=True)
    statement = serializers.SerializerMethodField(help_text="申报材料（仅评选组织和本组织可见）")
    file_name = serializers.SerializerMethodField(
        help_text="申报材料附件的文件名（仅评选组织和本组织可见；下载：file）"
    )

    class Meta:
        model = Candidate
        fields = ["id", "award", "org", "org_name", "position", "total", "grade", "rank",
                  "statement", "file_name", "applied_at", "decision", "decision_note",
                  "decided_at", "version"]  # fmt: skip
        read_only_fields = fields

    def get_statement(self, candidate) -> str:
        # The material is the evaluating organisation's and the applicant's, not the others'.
        return candidate.statement if self.context["material"](candidate) else ""

    def get_file_name(self, candidate) -> str:
        return candidate.file_name if self.context["material"](candidate) else ""


class AwardSerializer(serializers.ModelSerializer):
    round = serializers.IntegerField(
        source="round_id", help_text="评选依据：已公布的考核ID", **ID_BOUNDS
    )
    kind = serializers.ChoiceField(choices=AwardKind.choices)
    min_total = serializers.DecimalField(help_text="推荐条件：考核总分不低于", **POINTS)
    places = serializers.IntegerField(min_value=1, max_value=1000, help_text="名额")
    candidates = serializers.SerializerMethodField()

    class Meta:
        model = Award
        fields = ["id", "org", "year", "kind", "title", "round", "places", "min_total",
                  "apply_due_on", "basis", "state", "published_at", "version", "candidates"]  # fmt: skip
        read_only_fields = ["id", "org", "year", "state", "published_at", "version"]

    @extend_schema_field(CandidateSerializer(many=True))
    def get_candidates(self, award):
        return CandidateSerializer(
            self.context["seen"](award), many=True, context=self.context
        ).data


class ApplySerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    statement = serializers.CharField(max_length=10000, help_text="申报材料（不少于10字）")
    file = serializers.FileField(
        required=False,
        help_text="申报材料附件（multipart/form-data 上传；可不传，保留已上传的文件）",
    )


class DecideSerializer(serializers.Serializer):
    version = serializers.IntegerField(**VERSION)
    approve = serializers.BooleanField(help_text="true 评审通过，false 不通过")
    note = serializers.CharField(allow_blank=True, required=False, max_length=500,
                                 help_text="评审意见（不通过时必填）")  # fmt: skip
