"""监督执纪 over REST: the same querysets (404 outside one's reach), the same services, and every
read audited like the pages'."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from mofan.access.scoping import Action
from mofan.audit import services as audit
from mofan.audit.reads import AuditedReads
from mofan.core.errors import InvalidInput
from mofan.discipline import records, reports, services, statistics
from mofan.discipline.api.serializers import (
    DisciplineAssignSerializer,
    DisciplineCheckResultSerializer,
    DisciplineCheckSerializer,
    DisciplineConcludeSerializer,
    DisciplineDrawRequestSerializer,
    DisciplineDrawSerializer,
    DisciplineDutyReportSerializer,
    DisciplineKeyCheckSerializer,
    DisciplineLeadSerializer,
    DisciplinePersonalReportSerializer,
    DisciplineReportRoundSerializer,
    DisciplineReviewSerializer,
    DisciplineRevisitSerializer,
    DisciplineStatisticsSerializer,
    DisciplineStepSerializer,
    DisciplineSubmitSerializer,
    DisciplineTalkSerializer,
)
from mofan.discipline.models import Check, Draw, DutyReport, Lead, PersonalReport, ReportRound, Talk
from mofan.discipline.views import filtered_leads
from mofan.inspection.models import Finding
from mofan.orgs.models import Person

LEAD_FILTERS = [
    OpenApiParameter("year", int, description="年度"),
    OpenApiParameter("source", str, description="来源"),
    OpenApiParameter("state", str, description="状态"),
    OpenApiParameter("disposition", str, description="处置方式"),
    OpenApiParameter("org", int, description="受理组织ID"),
    OpenApiParameter("name", str, description="被反映人姓名（全名精确匹配，按密钥哈希查找）"),
]


def _org(user, org_id):
    org = services.officer_orgs(user).filter(pk=org_id).first()
    if org is None:
        raise InvalidInput("请选择受理组织（您担任纪检干部的党组织）。")
    return org


def _people(user, ids) -> list[Person]:
    found = list(Person.objects.restrict(user, Action.VIEW).filter(pk__in=set(ids)))
    if len(found) != len(set(ids)):
        raise InvalidInput("所选人员不存在，或不在您可查看的范围内。")
    return found


class LeadViewSet(AuditedReads, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """问题线索（被反映人和反映内容加密存储）。本组织纪检干部登记、集体排查（review）、指定承办人（assign）；
    纪检干部和承办人登记办理环节（step）、办理结果（conclude，按四种形态归类）和回访（revisit）。被反映人本人
    始终不可见；每次查看记入审计日志。"""

    serializer_class = DisciplineLeadSerializer
    viewed = "discipline.lead.viewed"

    def get_queryset(self):
        return filtered_leads(self.request.user, self.request.query_params)

    @extend_schema(parameters=LEAD_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def create(self, request):
        values = self._valid(DisciplineLeadSerializer)
        user = request.user
        org = _org(user, values["org_id"])  # first: an outsider learns nothing of the people
        subject = _people(user, [values["subject_id"]])[0] if values.get("subject_id") else None
        finding = None
        if values.get("finding_id"):
            finding = (
                Finding.objects.restrict(user, Action.VIEW).filter(pk=values["finding_id"]).first()
            )
            if finding is None:
                raise InvalidInput("所选巡察问题不存在，或不在您可查看的范围内。")
        lead = services.register(
            org, actor=user, source=values["source"],
            received_on=values["received_on"], subject=subject,
            subject_name=values.get("subject_name", ""), subject_post=values.get("subject_post", ""),
            allegation=values["allegation"], finding=finding,
        )  # fmt: skip
        return Response(DisciplineLeadSerializer(lead).data, status=201)

    def _lead(self, pk) -> Lead:
        return get_object_or_404(Lead.objects.restrict(self.request.user, Action.CHANGE), pk=pk)

    def _out(self, lead):
        found = Lead.objects.restrict(self.request.user, Action.VIEW).get(pk=lead.pk)
        return Response(DisciplineLeadSerializer(found).data)

    @extend_schema(request=DisciplineReviewSerializer, responses={200: DisciplineLeadSerializer})
    @action(detail=True, methods=["post"], serializer_class=DisciplineReviewSerializer)
    def review(self, request, pk=None):
        """集体排查：谈话函询（谈话或函询）、初步核实（须定报告期限）、暂存待查（须定再次排查日期）、予以了结。"""
        lead = self._lead(pk)
        v = self._valid(DisciplineReviewSerializer)
        services.review(lead, actor=request.user, held_on=v["held_on"],
                        participants=_people(request.user, v["participants"]),
                        disposition=v["disposition"], talk_way=v.get("talk_way", ""),
                        reason=v["reason"], due_on=v.get("due_on"), version=v["version"])  # fmt: skip
        return self._out(lead)

    @extend_schema(request=DisciplineAssignSerializer, responses={200: DisciplineLeadSerializer})
    @action(detail=True, methods=["post"], serializer_class=DisciplineAssignSerializer)
    def assign(self, request, pk=None):
        """指定承办人（被反映人不能承办）。"""
        lead = self._lead(pk)
        v = self._valid(DisciplineAssignSerializer)
        handlers = services.accounts_of(_people(request.user, v["handlers"]))
        services.assign(lead, actor=request.user, handlers=handlers, version=v["version"])
        return self._out(lead)

    @extend_schema(request=DisciplineStepSerializer, responses={200: DisciplineLeadSerializer})
    @action(detail=True, methods=["post"], serializer_class=DisciplineStepSerializer)
    def step(self, request, pk=None):
        """登记办理环节：发出函询（回复期限为15个工作日）、收到回复、谈话、初步核实报告。"""
        lead = self._lead(pk)
        v = self._valid(DisciplineStepSerializer)
        services.record_step(lead, actor=request.user, kind=v["kind"], on=v["on"], text=v["text"],
                             version=v["version"])  # fmt: skip
        return self._out(lead)

    @extend_schema(request=DisciplineConcludeSerializer, responses={200: DisciplineLeadSerializer})
    @action(detail=True, methods=["post"], serializer_class=DisciplineConcludeSerializer)
    def conclude(self, request, pk=None):
        """办理结果（按四种形态归类；第二、三种形态须安排回访）。"""
        lead = self._lead(pk)
        v = self._valid(DisciplineConcludeSerializer)
        services.conclude(lead, actor=request.user, measure=v["measure"], result=v["result"],
                          on=v["on"], revisit_on=v.get("revisit_on"), version=v["version"])  # fmt: skip
        return self._out(lead)

    @extend_schema(request=DisciplineRevisitSerializer, responses={200: DisciplineLeadSerializer})
    @action(detail=True, methods=["post"], serializer_class=DisciplineRevisitSerializer)
    def revisit(self, request, pk=None):
        """登记回访情况。"""
        lead = self._lead(pk)
        v = self._valid(DisciplineRevisitSerializer)
        visit = lead.revisits.filter(pk=v["revisit"]).first()
        if visit is None:
            raise InvalidInput("所选回访不存在。")
        services.record_revisit(visit, actor=request.user, done_on=v["done_on"], record=v["record"])
        return self._out(lead)

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, description="组织ID（默认第一个可查看的）"),
            OpenApiParameter("year", int, description="年度（默认今年）"),
            OpenApiParameter("tree", bool, description="含下级组织"),
        ],  # fmt: skip
        responses={200: DisciplineStatisticsSerializer},
    )
    @action(detail=False, methods=["get"])
    def statistics(self, request):
        """统计（只含件数，不含姓名）：本组织纪检干部和本组织（单位）的领导可查看。"""
        orgs = statistics.visible_orgs(request.user)
        wanted = request.query_params.get("org")
        org = orgs.filter(pk=int(wanted)).first() if wanted and wanted.isdecimal() else (
            None if wanted else orgs.first())  # fmt: skip
        if org is None:
            raise Http404
        year = request.query_params.get("year", "")
        year = (
            int(year)
            if year.isdecimal() and 2000 <= int(year) <= 2100
            else timezone.localdate().year
        )
        tree = request.query_params.get("tree") in ("1", "true")
        audit.record(
            request.user, "discipline.statistics.viewed", org, payload={"year": year, "tree": tree}
        )
        return Response(
            DisciplineStatisticsSerializer(statistics.of_org(org, year, tree=tree)).data
        )


class TalkViewSet(AuditedReads, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """谈话记录（谈话提醒、廉政谈话）：本组织纪检干部登记和查看。"""

    serializer_class = DisciplineTalkSerializer
    viewed = "discipline.talk.viewed"

    def get_queryset(self):
        return Talk.objects.restrict(self.request.user, Action.VIEW)

    def create(self, request):
        v = self._valid(DisciplineTalkSerializer)
        org = _org(request.user, v["org_id"])  # first: an outsider learns nothing of the people
        person, talker = (_people(request.user, [v[k]])[0] for k in ("person_id", "talker_id"))
        talk = records.record_talk(org, actor=request.user, kind=v["kind"],
                                   person=person, talker=talker, held_on=v["held_on"],
                                   record=v["record"])  # fmt: skip
        return Response(DisciplineTalkSerializer(talk).data, status=201)


class DutyReportViewSet(AuditedReads, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """述责述廉报告：本组织纪检干部登记和查看。"""

    serializer_class = DisciplineDutyReportSerializer
    viewed = "discipline.duty_report.viewed"

    def get_queryset(self):
        return DutyReport.objects.restrict(self.request.user, Action.VIEW)

    def create(self, request):
        v = self._valid(DisciplineDutyReportSerializer)
        org = _org(request.user, v["org_id"])
        report = records.record_duty_report(
            org, actor=request.user,
            person=_people(request.user, [v["person_id"]])[0], year=v["year"], text=v["text"],
        )  # fmt: skip
        return Response(DisciplineDutyReportSerializer(report).data, status=201)


class ReportRoundViewSet(AuditedReads, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """个人有关事项报告年度：本组织纪检干部组织（须报告的职级）、随机抽查（draw，记录种子和名单，可重新抽取
    验证）、结束（close）。"""

    serializer_class = DisciplineReportRoundSerializer
    viewed = "discipline.report_round.viewed"

    def get_queryset(self):
        return ReportRound.objects.restrict(self.request.user, Action.VIEW)

    def create(self, request):
        v = self._valid(DisciplineReportRoundSerializer)
        round_ = reports.open_round(_org(request.user, v["org_id"]), actor=request.user,
                                    year=v["year"], ranks=v["ranks"])  # fmt: skip
        return Response(DisciplineReportRoundSerializer(round_).data, status=201)

    @extend_schema(
        request=DisciplineDrawRequestSerializer, responses={200: DisciplineDrawSerializer}
    )
    @action(detail=True, methods=["post"], serializer_class=DisciplineDrawRequestSerializer)
    def draw(self, request, pk=None):
        """随机抽查已报送且本年度未被抽查的报告。"""
        round_ = self.get_object()
        v = self._valid(DisciplineDrawRequestSerializer)
        made = reports.draw(round_, actor=request.user, share=v["share"], seed=v.get("seed", ""))
        return Response(DisciplineDrawSerializer(made).data)

    @extend_schema(responses={200: DisciplineDrawSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def draws(self, request, pk=None):
        """本年度的随机抽查，各附重新抽取的验证结果。"""
        round_ = self.get_object()
        found = Draw.objects.restrict(request.user, Action.VIEW).filter(round=round_)
        return Response(DisciplineDrawSerializer(found, many=True).data)

    @extend_schema(request=None, responses={200: DisciplineReportRoundSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """结束本年度报告（此后不能再报送或修改）。"""
        return Response(
            DisciplineReportRoundSerializer(
                reports.close_round(self.get_object(), actor=request.user)
            ).data
        )


class PersonalReportViewSet(AuditedReads, viewsets.ReadOnlyModelViewSet):
    """个人有关事项报告（加密存储）：本人填报（submit），本组织纪检干部查看；每次查看记入审计日志。"""

    serializer_class = DisciplinePersonalReportSerializer
    viewed = "discipline.report.viewed"

    def get_queryset(self):
        return PersonalReport.objects.restrict(self.request.user, Action.VIEW).order_by(
            "round_id", "id"
        )

    @extend_schema(
        request=DisciplineSubmitSerializer, responses={200: DisciplinePersonalReportSerializer}
    )
    @action(detail=True, methods=["post"], serializer_class=DisciplineSubmitSerializer)
    def submit(self, request, pk=None):
        """本人报送或修改（本年度报告结束前）。"""
        report = get_object_or_404(
            PersonalReport.objects.restrict(request.user, Action.CHANGE), pk=pk
        )
        v = self._valid(DisciplineSubmitSerializer)
        report = reports.submit(report, actor=request.user, items=v["items"], version=v["version"])
        return Response(DisciplinePersonalReportSerializer(report).data)


class CheckViewSet(AuditedReads, viewsets.ReadOnlyModelViewSet):
    """查核：随机抽查抽中的和重点查核（key），登记结果（conclude：如实报告、漏报、瞒报）。不能查核本人的报告。"""

    serializer_class = DisciplineCheckSerializer
    viewed = "discipline.check.viewed"

    def get_queryset(self):
        return Check.objects.restrict(self.request.user, Action.VIEW).order_by("id")

    @extend_schema(request=DisciplineKeyCheckSerializer, responses={201: DisciplineCheckSerializer})
    @action(detail=False, methods=["post"], serializer_class=DisciplineKeyCheckSerializer)
    def key(self, request):
        """重点查核一份报告（如拟提拔任用前）。"""
        v = self._valid(DisciplineKeyCheckSerializer)
        report = (
            PersonalReport.objects.restrict(request.user, Action.VIEW)
            .filter(round__org_id__in=services.officer_orgs(request.user).values("pk"), pk=v["report"])
            .exclude(person_id=request.user.person_id).first()
        )  # fmt: skip
        if report is None:
            raise Http404
        check = reports.key_check(report, actor=request.user, reason=v["reason"])
        return Response(DisciplineCheckSerializer(check).data, status=201)

    @extend_schema(
        request=DisciplineCheckResultSerializer, responses={200: DisciplineCheckSerializer}
    )
    @action(detail=True, methods=["post"], serializer_class=DisciplineCheckResultSerializer)
    def conclude(self, request, pk=None):
        """登记查核结果（漏报、瞒报须写明处理情况）。"""
        check = get_object_or_404(Check.objects.restrict(request.user, Action.CHANGE), pk=pk)
        v = self._valid(DisciplineCheckResultSerializer)
        check = reports.conclude_check(check, actor=request.user, outcome=v["outcome"],
                                       handling=v.get("handling", ""), on=v["on"])  # fmt: skip
        return Response(DisciplineCheckSerializer(check).data)
