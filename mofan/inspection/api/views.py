"""巡视巡察 over REST: the same querysets (404 outside one's reach), the same services, and every
read of a plan, a round, a target or a finding audited like the pages'."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from mofan.access.scoping import Action
from mofan.audit import services as audit
from mofan.audit.reads import AuditedReads
from mofan.core.api import (
    DOWNLOAD_RENDERERS,
    WITH_FILE,
    download_schema,
    file_body,
)
from mofan.core.errors import InvalidInput
from mofan.core.files import stored_file_api
from mofan.inspection import rectify, services
from mofan.inspection.api.serializers import (
    InspectionClassifySerializer,
    InspectionCoverageSerializer,
    InspectionDisclosureSerializer,
    InspectionEvidenceSerializer,
    InspectionFiguresSerializer,
    InspectionFindingSerializer,
    InspectionInterviewSerializer,
    InspectionLetterSerializer,
    InspectionMemberAddSerializer,
    InspectionMemberRemoveSerializer,
    InspectionPaperSerializer,
    InspectionPlanOrgsSerializer,
    InspectionPlanSerializer,
    InspectionPublishSerializer,
    InspectionRatedFindingSerializer,
    InspectionRateSerializer,
    InspectionRectificationSerializer,
    InspectionRoundSerializer,
    InspectionTargetAddSerializer,
    InspectionTargetSerializer,
    InspectionTeamSerializer,
    InspectionVersionSerializer,
)
from mofan.inspection.choices import DisclosureState
from mofan.inspection.models import (
    Finding,
    Interview,
    Letter,
    Plan,
    Rectification,
    Round,
    Target,
)
from mofan.inspection.querysets import holding_orgs
from mofan.orgs.models import PartyOrg, Person


def _inspecting(user, org_id) -> PartyOrg:
    org = services.inspecting_orgs(user).filter(pk=org_id).first()
    if org is None:
        raise InvalidInput("请选择巡察组织（您担任纪检干部的党委、党组或机关党委）。")
    return org


class PlanViewSet(AuditedReads, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """巡察规划（全覆盖规划）。本组织纪检干部新建、将下属组织列入年度计划（orgs），coverage 覆盖情况。"""

    serializer_class = InspectionPlanSerializer
    viewed = "inspection.plan.viewed"

    def get_queryset(self):
        return Plan.objects.restrict(self.request.user, Action.VIEW).order_by("-first_year", "-id")

    def create(self, request):
        values = self._valid(InspectionPlanSerializer)
        plan = services.create_plan(
            _inspecting(request.user, values["org_id"]), actor=request.user, title=values["title"],
            first_year=values["first_year"], last_year=values["last_year"],
        )  # fmt: skip
        return Response(InspectionPlanSerializer(plan).data, status=201)

    @extend_schema(request=InspectionPlanOrgsSerializer, responses={200: InspectionPlanSerializer})
    @action(detail=True, methods=["post"], serializer_class=InspectionPlanOrgsSerializer)
    def orgs(self, request, pk=None):
        """将下属党组织列入规划期内某一年度的计划（已列入的改为该年度）。"""
        plan = get_object_or_404(Plan.objects.restrict(request.user, Action.CHANGE), pk=pk)
        values = self._valid(InspectionPlanOrgsSerializer)
        wanted = set(values["orgs"])
        orgs = list(PartyOrg.objects.restrict(request.user, Action.VIEW).filter(pk__in=wanted))
        if len(orgs) != len(wanted):
            raise InvalidInput("所选组织不存在，或不在您可查看的范围内。")
        services.plan_orgs(plan, actor=request.user, orgs=orgs, year=values["year"],
                           version=values["version"])  # fmt: skip
        return Response(InspectionPlanSerializer(self.get_queryset().get(pk=plan.pk)).data)

    @extend_schema(responses={200: InspectionCoverageSerializer})
    @action(detail=True, methods=["get"])
    def coverage(self, request, pk=None):
        """本规划期的覆盖情况：应覆盖、已巡察、已列入计划、尚未覆盖，分年度和逐个组织。"""
        plan = self.get_object()
        audit.record(request.user, "inspection.plan.viewed", plan)
        return Response(InspectionCoverageSerializer(services.coverage(plan)).data)


class RoundViewSet(AuditedReads, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """巡察轮次。本组织纪检干部新建、组建巡察组（teams）、编入成员（members，须回避者拒绝并说明原因）、
    确定巡察对象（targets）、进入下一阶段（advance）；巡察组成员可查看所在轮次。"""

    serializer_class = InspectionRoundSerializer
    viewed = "inspection.round.viewed"

    def get_queryset(self):
        return (
            Round.objects.restrict(self.request.user, Action.VIEW)
            .prefetch_related("teams__members__person", "teams__members__home_unit")
            .order_by("-year", "-id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        keeps = set(Round.objects.restrict(user, Action.CHANGE).values_list("pk", flat=True))
        # A team member sees their own team, not the other teams' line-ups.
        context["sees"] = lambda team: (
            team.round_id in keeps or any(m.person_id == user.person_id for m in team.members.all())
        )
        return context

    def _keeps(self, pk) -> Round:
        return get_object_or_404(Round.objects.restrict(self.request.user, Action.CHANGE), pk=pk)

    def _out(self, round_):
        return Response(
            InspectionRoundSerializer(
                self.get_queryset().get(pk=round_.pk), context=self.get_serializer_context()
            ).data
        )

    def create(self, request):
        values = self._valid(InspectionRoundSerializer)
        plan = None
        if values.get("plan_id"):
            plan = (
                Plan.objects.restrict(request.user, Action.CHANGE)
                .filter(pk=values["plan_id"])
                .first()
            )
            if plan is None:
                raise InvalidInput("所选规划不存在，或不在您的管理范围内。")
        round_ = services.create_round(
            _inspecting(request.user, values["org_id"]), actor=request.user, kind=values["kind"],
            title=values["title"], year=values["year"], plan=plan,
        )  # fmt: skip
        return Response(
            InspectionRoundSerializer(
                self.get_queryset().get(pk=round_.pk), context=self.get_serializer_context()
            ).data,
            status=201,
        )

    @extend_schema(request=InspectionTeamSerializer, responses={200: InspectionRoundSerializer})
    @action(detail=True, methods=["post"], serializer_class=InspectionTeamSerializer)
    def teams(self, request, pk=None):
        """组建巡察组（准备阶段）。"""
        round_ = self._keeps(pk)
        values = self._valid(InspectionTeamSerializer)
        services.add_team(round_, actor=request.user, name=values["name"],
                          phone=values.get("phone", ""), mailbox=values.get("mailbox", ""))  # fmt: skip
        return self._out(round_)

    @extend_schema(
        request=InspectionMemberAddSerializer, responses={200: InspectionRoundSerializer}
    )
    @action(detail=True, methods=["post"], serializer_class=InspectionMemberAddSerializer)
    def members(self, request, pk=None):
        """编入巡察组成员（组长、副组长、组员；准备阶段；须回避的拒绝并说明原因）。"""
        round_ = self._keeps(pk)
        values = self._valid(InspectionMemberAddSerializer)
        team = round_.teams.filter(pk=values["team"]).first()
        person = (
            Person.objects.restrict(request.user, Action.VIEW).select_related("unit")
            .filter(pk=values["person"]).first()
        )  # fmt: skip
        if team is None or person is None:
            raise InvalidInput("巡察组或人员不存在，或不在您可查看的范围内。")
        services.add_member(team, actor=request.user, person=person, role=values["role"])
        return self._out(round_)

    @extend_schema(
        request=InspectionMemberRemoveSerializer, responses={200: InspectionRoundSerializer}
    )
    @action(detail=True, methods=["post"], url_path="remove-member",
            serializer_class=InspectionMemberRemoveSerializer)  # fmt: skip
    def remove_member(self, request, pk=None):
        """将成员移出巡察组（准备阶段）。"""
        round_ = self._keeps(pk)
        data = self._valid(InspectionMemberRemoveSerializer)
        member = round_.members().filter(pk=data["member"]).first()
        if member is None:
            raise InvalidInput("所选成员不在本轮的巡察组中。")
        services.remove_member(member, actor=request.user)
        return self._out(round_)

    @extend_schema(
        request=InspectionTargetAddSerializer, responses={200: InspectionTargetSerializer}
    )
    @action(detail=True, methods=["post"], serializer_class=InspectionTargetAddSerializer)
    def targets(self, request, pk=None):
        """确定巡察对象及负责的巡察组（准备阶段；组内有须回避者的拒绝）。"""
        round_ = self._keeps(pk)
        values = self._valid(InspectionTargetAddSerializer)
        team = round_.teams.filter(pk=values["team"]).first()
        org = (
            PartyOrg.objects.restrict(request.user, Action.VIEW).select_related("unit")
            .filter(pk=values["org"]).first()
        )  # fmt: skip
        if team is None or org is None:
            raise InvalidInput("巡察组或党组织不存在，或不在您可查看的范围内。")
        target = services.add_target(round_, actor=request.user, org=org, team=team)
        return Response(InspectionTargetSerializer(target).data)

    @extend_schema(request=InspectionVersionSerializer, responses={200: InspectionRoundSerializer})
    @action(detail=True, methods=["post"], serializer_class=InspectionVersionSerializer)
    def advance(self, request, pk=None):
        """进入下一阶段（准备→进驻→了解→报告→反馈→移交→整改→评估→结束）。"""
        data = self._valid(InspectionVersionSerializer)
        round_ = services.advance(self._keeps(pk), actor=request.user,
                                  version=data["version"])  # fmt: skip
        return self._out(round_)

    @extend_schema(request=None, responses={200: InspectionRectificationSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request, pk=None):
        """移交整改（反馈阶段）：为每个有问题的被巡察组织生成整改台账，计算整改方案和整改情况报告的期限。"""
        made = rectify.hand_over(self._keeps(pk), actor=request.user)
        return Response(InspectionRectificationSerializer(made, many=True).data)

    @extend_schema(responses={200: InspectionFiguresSerializer})
    @action(detail=True, methods=["get"])
    def figures(self, request, pk=None):
        """本轮统计：问题类别、移交整改、整改销号和完成率、整改评估、问责、移交问题线索。"""
        round_ = self._keeps(pk)
        audit.record(request.user, "inspection.round.viewed", round_)
        return Response(InspectionFiguresSerializer(rectify.round_figures(round_)).data)


class TargetViewSet(AuditedReads, viewsets.ReadOnlyModelViewSet):
    """巡察对象：本轮巡察组织的纪检干部可见全部，巡察组成员可见本组负责的对象。"""

    serializer_class = InspectionTargetSerializer
    viewed = "inspection.target.viewed"

    def get_queryset(self):
        return (
            Target.objects.restrict(self.request.user, Action.VIEW)
            .select_related("org", "team").order_by("round_id", "org__path")
        )  # fmt: skip


class FindingViewSet(AuditedReads, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                     viewsets.ReadOnlyModelViewSet):  # fmt: skip
    """巡察发现的问题（问题概要和事实加密存储）。本轮巡察组织的纪检干部和负责该对象的巡察组登记（进驻后、
    反馈前）和修改（带回版本号）；其他人不可见。"""

    serializer_class = InspectionFindingSerializer
    viewed = "inspection.finding.viewed"
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        return Finding.objects.restrict(self.request.user, Action.VIEW).order_by(
            "target_id", "number"
        )

    def create(self, request):
        values = self._valid(InspectionFindingSerializer)
        target = (
            Target.objects.restrict(request.user, Action.VIEW)
            .filter(pk=values["target_id"])
            .first()
        )
        if target is None:
            raise Http404
        finding = services.add_finding(target, actor=request.user, category=values["category"],
                                       title=values["title"], facts=values["facts"])  # fmt: skip
        return Response(InspectionFindingSerializer(finding).data, status=201)

    def update(self, request, pk=None):
        finding = get_object_or_404(Finding.objects.restrict(request.user, Action.CHANGE), pk=pk)
        values = self._valid(InspectionFindingSerializer)
        if values["target_id"] != finding.target_id:
            raise InvalidInput("问题不能改挂到其他巡察对象。")
        if "version" not in values:
            raise InvalidInput("请带回阅读时的版本号（version）。")
        finding = services.update_finding(finding, actor=request.user, version=values["version"],
                                          category=values["category"], title=values["title"],
                                          facts=values["facts"])  # fmt: skip
        return Response(InspectionFindingSerializer(finding).data)

    @extend_schema(request=file_body(InspectionEvidenceSerializer),
                   responses={201: InspectionEvidenceSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=WITH_FILE,
            serializer_class=InspectionEvidenceSerializer)  # fmt: skip
    def evidence(self, request, pk=None):
        """为问题添加证据材料（进驻后、反馈前）。"""
        finding = get_object_or_404(Finding.objects.restrict(request.user, Action.CHANGE), pk=pk)
        values = self._valid(InspectionEvidenceSerializer)
        made = services.add_evidence(finding, actor=request.user, upload=values["file"])
        return Response(InspectionEvidenceSerializer(made).data, status=201)

    @extend_schema(responses=download_schema())
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS,
            url_path=r"evidence/(?P<evidence_id>[0-9]+)")  # fmt: skip
    def evidence_file(self, request, pk=None, evidence_id=None):
        """下载问题的一份证据材料。"""
        finding = self.get_object()
        found = finding.evidence.filter(pk=evidence_id).first()
        if found is None:
            raise Http404
        audit.record(request.user, "inspection.evidence.downloaded", finding,
                     payload={"evidence": found.pk})  # fmt: skip
        return stored_file_api(found.file, filename=found.file_name)

    @extend_schema(
        request=InspectionRateSerializer, responses={200: InspectionRatedFindingSerializer}
    )
    @action(detail=True, methods=["post"], serializer_class=InspectionRateSerializer)
    def rate(self, request, pk=None):
        """整改评估（评估阶段，本轮巡察组织的纪检干部）：整改到位须已在台账销号；未到位的重新打开整改。"""
        finding = get_object_or_404(
            Finding.objects.restrict(request.user, Action.CHANGE).filter(
                target__round__org_id__in=holding_orgs(request.user.pk)), pk=pk)  # fmt: skip
        values = self._valid(InspectionRateSerializer)
        finding = rectify.rate(finding, actor=request.user, rating=values["rating"],
                               evidence=values["evidence"], version=values["version"])  # fmt: skip
        return Response(InspectionRatedFindingSerializer(finding).data)


class RectificationViewSet(AuditedReads, viewsets.ReadOnlyModelViewSet):
    """巡察整改：本轮巡察组织的纪检干部和被巡察组织负责整改的人员（整改台账的督办人）可见。后者报送整改方案和
    整改情况报告（paper）；前者生成（disclose）并审核公开（publish）整改进展公开内容。"""

    serializer_class = InspectionRectificationSerializer
    viewed = "inspection.rectification.viewed"

    def get_queryset(self):
        return (
            Rectification.objects.restrict(self.request.user, Action.VIEW)
            .select_related("target__org").order_by("target_id")
        )  # fmt: skip

    @extend_schema(request=file_body(InspectionPaperSerializer),
                   responses={200: InspectionRectificationSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=WITH_FILE,
            serializer_class=InspectionPaperSerializer)  # fmt: skip
    def paper(self, request, pk=None):
        """报送整改方案或整改情况报告（本轮结束前；再次报送替换前一份，审计日志保留每次报送）。"""
        rect = get_object_or_404(Rectification.objects.restrict(request.user, Action.HANDLE), pk=pk)
        values = self._valid(InspectionPaperSerializer)
        rect = rectify.send_paper(rect, actor=request.user, paper=values["paper"],
                                  upload=values["file"])  # fmt: skip
        return Response(InspectionRectificationSerializer(rect).data)

    @extend_schema(responses=download_schema())
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS,
            url_path=r"papers/(?P<paper>plan|report)")  # fmt: skip
    def paper_file(self, request, pk=None, paper=None):
        """下载报送的整改方案（plan）或整改情况报告（report）。"""
        rect = self.get_object()
        if not getattr(rect, f"{paper}_file_name"):
            raise Http404
        audit.record(request.user, f"inspection.{paper}.downloaded", rect)
        return stored_file_api(getattr(rect, f"{paper}_file"),
                               filename=getattr(rect, f"{paper}_file_name"))  # fmt: skip

    @extend_schema(responses={200: InspectionDisclosureSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def disclosures(self, request, pk=None):
        """整改进展公开：纪检干部见待审核稿和已公开的，被巡察组织只见已公开的。"""
        rect = self.get_object()
        found = rect.target.disclosures.all()
        if (
            not Rectification.objects.restrict(request.user, Action.CHANGE)
            .filter(pk=rect.pk)
            .exists()
        ):
            found = found.filter(state=DisclosureState.PUBLISHED)
        audit.record(request.user, "inspection.rectification.viewed", rect)
        return Response(InspectionDisclosureSerializer(found, many=True).data)

    @extend_schema(request=None, responses={200: InspectionDisclosureSerializer})
    @action(detail=True, methods=["post"])
    def disclose(self, request, pk=None):
        """根据整改台账生成整改进展公开内容（待审核；替换未公开的前稿）。"""
        rect = get_object_or_404(Rectification.objects.restrict(request.user, Action.CHANGE), pk=pk)
        return Response(
            InspectionDisclosureSerializer(rectify.draft_disclosure(rect, actor=request.user)).data
        )

    @extend_schema(
        request=InspectionPublishSerializer, responses={200: InspectionDisclosureSerializer}
    )
    @action(detail=True, methods=["post"], serializer_class=InspectionPublishSerializer)
    def publish(self, request, pk=None):
        """审核公开（公开后不能修改）。"""
        rect = get_object_or_404(Rectification.objects.restrict(request.user, Action.CHANGE), pk=pk)
        values = self._valid(InspectionPublishSerializer)
        disclosure = rect.target.disclosures.filter(pk=values["disclosure"]).first()
        if disclosure is None:
            raise InvalidInput("所选公开内容不存在。")
        published = rectify.publish_disclosure(
            disclosure, actor=request.user, version=values["version"]
        )
        return Response(InspectionDisclosureSerializer(published).data)


class InterviewViewSet(AuditedReads, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """个别谈话（谈话对象和要点加密存储）。本轮巡察组织的纪检干部和负责该对象的巡察组记录（进驻后、反馈前）。"""

    serializer_class = InspectionInterviewSerializer
    viewed = "inspection.interview.viewed"

    def get_queryset(self):
        return Interview.objects.restrict(self.request.user, Action.VIEW).order_by(
            "target_id", "held_on", "id"
        )

    def create(self, request):
        values = self._valid(InspectionInterviewSerializer)
        target = (
            Target.objects.restrict(request.user, Action.VIEW)
            .filter(pk=values["target_id"])
            .first()
        )
        if target is None:
            raise Http404
        interview = services.add_interview(
            target, actor=request.user, held_on=values["held_on"], interviewee=values["interviewee"],
            post=values.get("post", ""), summary=values["summary"],
        )  # fmt: skip
        return Response(InspectionInterviewSerializer(interview).data, status=201)


class LetterViewSet(AuditedReads, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """来信来访（反映人和内容加密存储）。本轮巡察组织的纪检干部登记、分类并移交巡察组（classify）；
    巡察组只见移交本组的。"""

    serializer_class = InspectionLetterSerializer
    viewed = "inspection.letter.viewed"

    def get_queryset(self):
        return Letter.objects.restrict(self.request.user, Action.VIEW).order_by(
            "round_id", "number"
        )

    def create(self, request):
        values = self._valid(InspectionLetterSerializer)
        round_ = get_object_or_404(
            Round.objects.restrict(request.user, Action.CHANGE), pk=values["round_id"]
        )
        letter = services.register_letter(
            round_, actor=request.user, channel=values["channel"], received_on=values["received_on"],
            sender=values.get("sender", ""), content=values["content"],
        )  # fmt: skip
        return Response(InspectionLetterSerializer(letter).data, status=201)

    @extend_schema(
        request=InspectionClassifySerializer, responses={200: InspectionLetterSerializer}
    )
    @action(detail=True, methods=["post"], serializer_class=InspectionClassifySerializer)
    def classify(self, request, pk=None):
        """分类，并移交涉及的巡察对象的巡察组（不涉及本轮对象的留存）。"""
        letter = get_object_or_404(Letter.objects.restrict(request.user, Action.CHANGE), pk=pk)
        values = self._valid(InspectionClassifySerializer)
        target = None
        if values.get("target"):
            target = letter.round.targets.filter(pk=values["target"]).first()
            if target is None:
                raise InvalidInput("所选巡察对象不属于本轮。")
        letter = services.classify_letter(letter, actor=request.user, version=values["version"],
                                          kind=values["kind"], target=target)  # fmt: skip
        return Response(InspectionLetterSerializer(letter).data)
