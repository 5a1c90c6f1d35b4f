"""考核评价 over REST: the same scoping and services as the pages. Schemes and rounds for those
who assess; a target's scores for them and for the assessed (the team's scores and the totals
held back until publication); the 督查检查考核 registry and its yearly caps."""

from collections import defaultdict

import django_filters
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from mofan.access.scoping import Action
from mofan.assessment import (
    annual,
    awards,
    debriefs,
    downloads,
    duties,
    rectify,
    registry,
    services,
)
from mofan.assessment.api.serializers import (
    AnnualReportSerializer,
    AnnualReviewSerializer,
    AnnualSaveSerializer,
    ApplySerializer,
    AwardSerializer,
    BallotSerializer,
    CandidateSerializer,
    CheckCapSerializer,
    CheckDecisionSerializer,
    CheckEntrySerializer,
    CheckReceivedSerializer,
    CheckRegisterSerializer,
    CorrectSerializer,
    DebrieferSerializer,
    DebriefReportSerializer,
    DebriefReportSubmitSerializer,
    DebriefSerializer,
    DecideSerializer,
    DutyListSerializer,
    FindingsSerializer,
    IndicatorSerializer,
    RectifySerializer,
    RoundSerializer,
    RoundStartSerializer,
    SchemeSerializer,
    ScoreSerializer,
    SelfSerializer,
    SignSerializer,
    TargetSerializer,
    TeamScoreSerializer,
    VersionSerializer,
)
from mofan.assessment.choices import TEAM_KINDS, AwardState, RoundState
from mofan.assessment.models import (
    AnnualReport,
    Award,
    Candidate,
    CheckCap,
    CheckEntry,
    Debrief,
    Debriefer,
    DutyList,
    Round,
    Scheme,
    Score,
    Target,
)
from mofan.core.api import (
    DOCX,
    DOWNLOAD_RENDERERS,
    ID_BOUNDS,
    WITH_FILE,
    XLSX,
    download_schema,
    file_body,
)
from mofan.core.errors import InvalidInput
from mofan.core.files import stored_file_api
from mofan.orgs.models import PartyOrg, Person


class SchemeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """考核指标体系（本组织考核下级组织用），含维度和指标。POST 新建草稿。"""

    serializer_class = SchemeSerializer

    def get_queryset(self):
        return (
            Scheme.objects.restrict(self.request.user, Action.ASSESS)
            .prefetch_related("dimensions", "indicators__dimension")
            .order_by("-year", "id")
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        org = PartyOrg.objects.restrict(self.request.user, Action.ASSESS).filter(
            pk=data["org_id"]
        ).first()  # fmt: skip
        if org is None:
            raise InvalidInput("考核组织不存在，或不在您的管理范围内。")
        serializer.instance = services.create_scheme(
            actor=self.request.user, org=org, year=data["year"], name=data["name"],
            total=data["total"], target_kinds=data["target_kinds"],
        )  # fmt: skip

    @extend_schema(request=IndicatorSerializer, responses={201: IndicatorSerializer})
    @action(detail=True, methods=["post"], serializer_class=IndicatorSerializer)
    def indicators(self, request, pk=None):
        """在草稿指标体系中添加指标（按记录自动计分的须给出公式及参数）。"""
        scheme = self.get_object()
        serializer = IndicatorSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dimension = scheme.dimensions.filter(pk=data["dimension_id"]).first()
        if dimension is None:
            raise InvalidInput("所选维度不属于该指标体系。")
        indicator = services.save_indicator(
            scheme, actor=request.user, dimension=dimension, name=data["name"],
            kind=data["kind"], points=data["points"], formula=data.get("formula", ""),
            params=data.get("params") or {}, guidance=data.get("guidance", ""),
        )  # fmt: skip
        return Response(IndicatorSerializer(indicator).data, status=201)


class RoundViewSet(viewsets.ReadOnlyModelViewSet):
    """考核轮次（考核组织和考核组成员可见）。POST 启用指标体系开始考核；compute 按记录重新计分，scoring 进入评审，publish 公布结果。"""

    serializer_class = RoundSerializer

    def get_queryset(self):
        return Round.objects.restrict(self.request.user, Action.ASSESS).order_by("-id")

    @extend_schema(request=RoundStartSerializer, responses={201: RoundSerializer})
    def create(self, request):
        data = RoundStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        user = request.user
        scheme = Scheme.objects.restrict(user, Action.ASSESS).filter(pk=values["scheme"]).first()
        if scheme is None:
            raise Http404
        eligible = services.eligible_targets(scheme, PartyOrg.objects.restrict(user, Action.ASSESS))
        if "targets" in values:
            wanted = set(values["targets"])
            targets = list(eligible.filter(pk__in=wanted))
            if len(targets) != len(wanted):
                raise InvalidInput("所列组织不存在，或不在本指标体系的考核范围内。")
        else:
            targets = list(eligible)
        people = Person.objects.restrict(user, Action.VIEW).filter(pk__in=values.get("team", []))
        team = [p.user for p in people.select_related("user") if hasattr(p, "user")]
        if len(team) != len(set(values.get("team", []))):
            raise InvalidInput("考核组成员须为您可查看且有账号的人员。")
        round_ = services.start_round(scheme, actor=user, title=values["title"],
                                      self_due_on=values["self_due_on"], targets=targets,
                                      team=team)  # fmt: skip
        return Response(RoundSerializer(round_).data, status=201)

    def _act(self, step):
        round_ = self.get_object()
        if not services.runs(
            self.request.user, round_
        ):  # the team scores; it does not run the round
            raise Http404
        step(round_, actor=self.request.user)
        round_.refresh_from_db()
        return Response(RoundSerializer(round_).data)

    @extend_schema(request=None, responses={200: RoundSerializer})
    @action(detail=True, methods=["post"])
    def compute(self, request, pk=None):
        """按系统中的记录重新计算自动计分指标。"""
        return self._act(services.compute_round)

    @extend_schema(request=None, responses={200: RoundSerializer})
    @action(detail=True, methods=["post"])
    def scoring(self, request, pk=None):
        """结束自评，进入评审。"""
        return self._act(services.start_scoring)

    @extend_schema(request=None, responses={200: RoundSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公布考核结果（评审计分指标须已全部评分）。"""
        return self._act(services.publish)

    @extend_schema(request=FindingsSerializer, responses={200: FindingsSerializer})
    @action(detail=True, methods=["post"], serializer_class=FindingsSerializer)
    def findings(self, request, pk=None):
        """结果公布后，将列入整改的失分项逐项登记为所选整改台账的问题（须为该台账的督办人）。"""
        round_ = self.get_object()
        data = FindingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ledger = rectify.ledgers_for(request.user).filter(pk=data.validated_data["ledger"]).first()
        if ledger is None:
            raise InvalidInput("请选择您督办的整改台账。")
        count = rectify.open_findings(round_, actor=request.user, ledger=ledger)
        return Response({"ledger": ledger.pk, "opened": count})


class TargetFilter(django_filters.FilterSet):
    round = django_filters.NumberFilter(field_name="round_id", label="考核轮次ID", **ID_BOUNDS)

    class Meta:
        model = Target
        fields = ["round"]


class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    """被考核组织：考核组织看全部，被考核组织看本组织；总分、等次在公布后向被考核组织显示。"""

    serializer_class = TargetSerializer
    filterset_class = TargetFilter

    def get_queryset(self):
        return (
            Target.objects.restrict(self.request.user, Action.VIEW)
            .select_related("org", "round")
            .order_by("round_id", "org__path")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user = self.request.user
        assessing = {}

        def shows_result(target) -> bool:
            if target.round.state == RoundState.PUBLISHED:
                return True
            if target.round_id not in assessing:
                assessing[target.round_id] = Round.objects.restrict(user, Action.ASSESS).filter(
                    pk=target.round_id
                ).exists()  # fmt: skip
            return assessing[target.round_id]

        context["shows_result"] = shows_result
        return context


class ScoreFilter(django_filters.FilterSet):
    target = django_filters.NumberFilter(field_name="target_id", label="被考核组织ID", **ID_BOUNDS)

    class Meta:
        model = Score
        fields = ["target"]


class ScoreViewSet(viewsets.ReadOnlyModelViewSet):
    """指标得分及计分依据、自评和佐证材料。POST self 保存自评（被考核组织），score 评分（考核组）。"""

    serializer_class = ScoreSerializer
    filterset_class = ScoreFilter

    def get_queryset(self):
        return (
            Score.objects.restrict(self.request.user, Action.VIEW)
            .select_related("indicator__dimension", "target__round")
            .prefetch_related("evidence", "corrections__by")
            .order_by("target_id", "indicator__dimension__order", "indicator__order")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        user, known = self.request.user, {}

        def held_back(score) -> bool:
            """The team's work, held back from the assessed until publication."""
            if score.target.round.state == RoundState.PUBLISHED:
                return False
            if score.target_id not in known:
                known[score.target_id] = (
                    Target.objects.restrict(user, Action.ASSESS).filter(pk=score.target_id).exists()
                )
            return not known[score.target_id]

        context["hides"] = lambda score: score.indicator.kind in TEAM_KINDS and held_back(score)
        context["held_back"] = held_back
        return context

    def _answer(self, score) -> Response:
        fresh = self.get_queryset().get(pk=score.pk)
        return Response(ScoreSerializer(fresh, context=self.get_serializer_context()).data)

    def _score(self, pk, action_: Action) -> Score:
        score = Score.objects.restrict(self.request.user, action_).filter(
            pk=pk if str(pk).isdecimal() else None
        ).first()  # fmt: skip
        if score is None:
            raise Http404
        return score

    @extend_schema(request=SelfSerializer, responses={200: ScoreSerializer})
    @action(detail=True, methods=["post"], serializer_class=SelfSerializer, url_path="self")
    def self_assessment(self, request, pk=None):
        """保存评审计分指标的自评情况（自评阶段、截止日期前）。"""
        score = self._score(pk, Action.RECORD)
        data = SelfSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.save_self_assessment(score, actor=request.user, text=data.validated_data["text"],
                                      version=data.validated_data["version"])  # fmt: skip
        return self._answer(score)

    @extend_schema(request=TeamScoreSerializer, responses={200: ScoreSerializer})
    @action(detail=True, methods=["post"], serializer_class=TeamScoreSerializer)
    def score(self, request, pk=None):
        """考核组评分：评审计分指标的得分，扣分、加分和一票否决须写明理由并附佐证材料。"""
        score = self._score(pk, Action.ASSESS)
        data = TeamScoreSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.score_indicator(
            score, actor=request.user, points=values.get("points") or 0,
            vetoed=values.get("vetoed", False), comment=values.get("comment", ""),
            version=values["version"],
        )  # fmt: skip
        return self._answer(score)

    @extend_schema(request=CorrectSerializer, responses={200: ScoreSerializer})
    @action(detail=True, methods=["post"], serializer_class=CorrectSerializer)
    def correct(self, request, pk=None):
        """结果更正（公布后，考核组织管理员）：须写明理由；原得分、总分和等次留存，被考核组织收到通知。"""
        score = self._score(pk, Action.ASSESS)
        if not services.runs(request.user, score.target.round):  # the team does not correct
            raise Http404
        data = CorrectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.correct_score(
            score, actor=request.user, points=values.get("points"),
            vetoed=values.get("vetoed", False), comment=values.get("comment", ""),
            reason=values["reason"], version=values["version"],
        )  # fmt: skip
        return self._answer(score)

    @extend_schema(request=RectifySerializer, responses={200: ScoreSerializer})
    @action(detail=True, methods=["post"], serializer_class=RectifySerializer)
    def rectify(self, request, pk=None):
        """结果运用：将失分项列入（或取消列入）整改（考核组织和考核组，评审开始后）。"""
        score = self._score(pk, Action.ASSESS)
        data = RectifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rectify.mark(score, actor=request.user, on=data.validated_data["to_rectify"])
        return self._answer(score)


class DutyListViewSet(viewsets.ReadOnlyModelViewSet):
    """责任清单：本组织管理的、本人作为责任人的（含上级下发的模板）。POST sign 由责任人签认所读版本。"""

    serializer_class = DutyListSerializer

    def get_queryset(self):
        return (
            DutyList.objects.restrict(self.request.user, Action.VIEW)
            .prefetch_related("duties__indicators")
            .order_by("-year", "id")
        )

    @extend_schema(request=SignSerializer, responses={200: DutyListSerializer})
    @action(detail=True, methods=["post"], serializer_class=SignSerializer)
    def sign(self, request, pk=None):
        """责任人签认（须为阅读时的版本）。"""
        duty_list = self.get_object()
        data = SignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        duties.sign(duty_list, actor=request.user, version=data.validated_data["version"])
        return Response(DutyListSerializer(self.get_queryset().get(pk=duty_list.pk)).data)


# The actions that take a file take JSON too, when there is none to send.
class DebriefReportViewSet(viewsets.ReadOnlyModelViewSet):
    """述职报告。述职人本人及其组织的书记、管理员提交和修改（submit，投票结束前），下载数据表
    （sheet）；述职评议的组织者阅读。计票结果不在此处。"""

    serializer_class = DebriefReportSerializer

    def get_queryset(self):
        user = self.request.user
        return (
            (Debriefer.objects.restrict(user, Action.RECORD)
             | Debriefer.objects.restrict(user, Action.ASSESS))
            .select_related("debrief", "org", "person").order_by("-debrief_id", "id")
        )  # fmt: skip

    @extend_schema(request=file_body(DebriefReportSubmitSerializer),
                   responses={200: DebriefReportSerializer})  # fmt: skip
    @action(detail=True, methods=["post"], parser_classes=WITH_FILE,
            serializer_class=DebriefReportSubmitSerializer)  # fmt: skip
    def submit(self, request, pk=None):
        """提交或修改述职报告（正文、文件或两者；投票结束前）。"""
        debriefer = get_object_or_404(
            Debriefer.objects.restrict(request.user, Action.RECORD), pk=pk
        )
        data = DebriefReportSubmitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        debriefs.submit_report(debriefer, actor=request.user, text=values.get("text", ""),
                               upload=values.get("file"), version=values["version"])  # fmt: skip
        return Response(DebriefReportSerializer(self.get_queryset().get(pk=debriefer.pk)).data)

    @extend_schema(responses=download_schema())
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def file(self, request, pk=None):
        """下载述职报告文件。"""
        debriefer = self.get_object()
        return stored_file_api(debriefer.report_file, filename=debriefer.report_name)

    @extend_schema(responses=download_schema(DOCX))
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def sheet(self, request, pk=None):
        """述职数据表（Word，依据系统记录生成）。"""
        return downloads.debrief_sheet(request.user, self.get_object())


class DebriefViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """述职评议。组织者（考核组织管理员）新建、开始投票（open）、结束投票（close）、公布（publish）；
    计票结果在结束投票后仅组织者可见，公布后述职人及其组织可见本人结果。"""

    serializer_class = DebriefSerializer

    def get_queryset(self):
        user = self.request.user
        seen = Debriefer.objects.restrict(user, Action.VIEW).select_related("person", "org")
        return (
            Debrief.objects.restrict(user, Action.VIEW)
            .prefetch_related(Prefetch("debriefers", queryset=seen, to_attr="seen"))
            .order_by("-id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        runs = set(
            Debrief.objects.restrict(self.request.user, Action.ASSESS).values_list("pk", flat=True)
        )
        context["runs"] = lambda debrief: debrief.pk in runs
        # What get_queryset prefetched: every line for the organiser, one's own for the rest.
        context["seen"] = lambda debrief: debrief.seen
        return context

    def create(self, request):
        serializer = DebriefSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data, user = serializer.validated_data, request.user
        orgs = PartyOrg.objects.restrict(user, Action.ASSESS)
        org = orgs.filter(pk=data["org_id"]).first()
        if org is None:
            raise InvalidInput("组织单位不存在，或不在您的管理范围内。")
        wanted = list(dict.fromkeys(data.get("reporters", [])))
        reporting = {o.pk: o for o in orgs.filter(pk__in=wanted)}
        if len(reporting) != len(wanted):
            raise InvalidInput("所列述职组织不存在，或不在您的管理范围内。")
        with transaction.atomic():
            debrief = debriefs.create_debrief(
                actor=user, org=org, year=data["year"], title=data["title"],
                held_on=data["held_on"], voters=data["voters"], closes_at=data.get("closes_at"),
                kind=data.get("kind"), poor_share=data.get("poor_share"),
            )  # fmt: skip
            for org_id in wanted:
                reporter = debriefs.reporters(reporting[org_id], debrief.held_on).first()
                if reporter is None:
                    raise InvalidInput(f"{reporting[org_id].name}没有在任的书记或委员。")
                debriefs.add_debriefer(debrief, actor=user, org=reporting[org_id],
                                       person=reporter.person)  # fmt: skip
        return Response(self._out(debrief.pk), status=201)

    def _out(self, pk):
        return DebriefSerializer(self.get_queryset().get(pk=pk),
                                 context=self.get_serializer_context()).data  # fmt: skip

    def _act(self, step):
        debrief = self.get_object()
        if not Debrief.objects.restrict(self.request.user, Action.ASSESS).filter(
            pk=debrief.pk
        ).exists():  # fmt: skip
            raise Http404
        step(debrief, actor=self.request.user)
        return Response(self._out(debrief.pk))

    @extend_schema(request=None, responses={200: DebriefSerializer})
    @action(detail=True, methods=["post"], url_path="open")
    def open_vote(self, request, pk=None):
        """开始投票（须已添加述职人）。"""
        return self._act(debriefs.open_vote)

    @extend_schema(request=None, responses={200: DebriefSerializer})
    @action(detail=True, methods=["post"], url_path="close")
    def close_vote(self, request, pk=None):
        """结束投票并计票。"""
        return self._act(debriefs.close_vote)

    @extend_schema(request=None, responses={200: DebriefSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        """公布评议结果（须已结束投票）。"""
        return self._act(debriefs.publish)


class BallotViewSet(viewsets.ViewSet):
    """述职评议投票：凭评议票上的票码，无需登录；每张票只能投一次，投票结束后不再接受。
    选票不记名、不单独保存，只计入各等次票数。"""

    authentication_classes = []  # the code is the right to vote; no account, no session
    permission_classes = [AllowAny]
    throttle_classes = []
    lookup_field = "code"

    @extend_schema(
        request=BallotSerializer, responses={201: OpenApiResponse(description="投票成功")}
    )
    def create(self, request):
        serializer = BallotSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        debriefs.cast(data["code"], data["marks"], data.get("comments"))
        return Response({"detail": "投票成功。"}, status=201)

    @extend_schema(
        operation_id="debrief_ballots_retrieve",
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="票码",
                pattern="^[A-Za-z0-9 -]{1,40}$",
            )
        ],  # fmt: skip
        responses={200: DebrieferSerializer(many=True)},
    )
    def retrieve(self, request, code=None):
        """票码对应的评议对象（投票页用）；无效、已投或投票未开放时返回4xx及原因。"""
        ballot = debriefs.ballot_for(code)
        return Response(DebrieferSerializer(ballot.debriefers, many=True).data)


# -- 督查检查考核 registry (the pages: check_views.py) -------------------------------------------

YEAR_BOUNDS = {"min_value": 2000, "max_value": 2100}


class CheckEntryFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度", **YEAR_BOUNDS)
    org = django_filters.NumberFilter(field_name="org_id", label="组织实施单位ID", **ID_BOUNDS)
    target = django_filters.NumberFilter(field_name="targets", label="对象党组织ID", **ID_BOUNDS)
    # true or false, nothing else: a misspelt value is refused, not read as "no filter".
    to_decide = django_filters.TypedChoiceFilter(
        choices=[("true", "是"), ("false", "否")], coerce=lambda v: v == "true",
        method="filter_to_decide", label="是否等待本人审批",
    )  # fmt: skip

    class Meta:
        model = CheckEntry
        fields = ["year", "state", "kind", "org", "target", "to_decide"]

    def filter_to_decide(self, queryset, name, value: bool):
        waiting = queryset.to_decide(self.request.user)
        return waiting if value else queryset.exclude(pk__in=waiting.values("pk"))


class CheckEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """督查检查考核登记：本人所管组织实施的、针对本人可查看的党组织的，以及超出年度总量待本人所在组织审批的；
    每个对象附其该年度已接受次数和年度总量。POST 登记（对象须为组织实施单位的下级组织；超出对象年度总量的须写明理由，
    登记后待设定该总量的组织审批）；approve 批准、refuse 不批准（设定该总量的组织的管理员）；received 各组织某年度接受次数。"""

    serializer_class = CheckEntrySerializer
    filterset_class = CheckEntryFilter

    def get_queryset(self):
        user = self.request.user
        entries = CheckEntry.objects.restrict(user, Action.VIEW)
        if self.action in ("approve", "refuse"):  # the cap's organisation decides, nobody else
            entries = entries.approvable_by(user)
        return (
            entries.select_related("org", "approver", "decided_by")
            .prefetch_related("targets")
            .order_by("-year", "-starts_on", "-id")
        )

    def _data(self, entries) -> list:
        """The entries with each target's figures for the entry's year (as the entry's page shows
        them): two queries per year on the page, whatever the number of entries."""
        user, entries, by_year = self.request.user, list(entries), defaultdict(dict)
        for entry in entries:
            for target in entry.targets.all():
                by_year[entry.year][target.pk] = target
        figures = {
            (year, row["org"].pk): {"received": row["received"], "cap": row["cap"]}
            for year, orgs in by_year.items()
            for row in registry.year_counts(orgs.values(), year)
        }
        waiting = CheckEntry.objects.restrict(user, Action.VIEW).to_decide(user)
        context = {
            **self.get_serializer_context(), "figures": figures,
            "to_decide": set(waiting.filter(pk__in=[e.pk for e in entries]).values_list("pk", flat=True)),
        }  # fmt: skip
        return CheckEntrySerializer(entries, many=True, context=context).data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._data(page))

    def retrieve(self, request, pk=None):
        return Response(self._data([self.get_object()])[0])

    @extend_schema(
        parameters=[OpenApiParameter("org_id", int, OpenApiParameter.PATH, description="对象党组织ID")],
        responses=download_schema(XLSX),
    )  # fmt: skip
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS,
            url_path=r"sheet/(?P<org_id>[0-9]{1,18})")  # fmt: skip
    def sheet(self, request, pk=None, org_id=None):
        """某一对象党组织的数据表（Excel，依据系统记录生成，无需重复填报）：组织实施单位，或该组织的可查看人员。"""
        entry = self.get_object()
        user = request.user
        org = entry.targets.filter(pk=org_id).first()
        if org is None or not (
            CheckEntry.objects.restrict(user, Action.ASSESS).filter(pk=entry.pk).exists()
            or PartyOrg.objects.restrict(user, Action.VIEW).filter(pk=org.pk).exists()
        ):  # fmt: skip
            raise Http404
        return downloads.check_sheet(user, entry, org)

    def _fresh(self, entry) -> dict:
        return self._data([self.get_queryset().get(pk=entry.pk)])[0]

    @extend_schema(request=CheckRegisterSerializer, responses={201: CheckEntrySerializer})
    def create(self, request):
        data = CheckRegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values, user = data.validated_data, request.user
        # As the registration page: the running organisation and its targets among those the
        # user assesses (register() checks that the targets are below the organisation).
        orgs = PartyOrg.objects.restrict(user, Action.ASSESS)
        org = orgs.filter(pk=values["org"]).first()
        if org is None:
            raise Http404
        wanted = set(values["targets"])
        targets = list(orgs.filter(pk__in=wanted))
        if len(targets) != len(wanted):
            raise InvalidInput("所选对象不存在，或不在您的管理范围内。")
        entry = registry.register(
            org, actor=user, year=values["starts_on"].year, title=values["title"],
            kind=values["kind"], starts_on=values["starts_on"], ends_on=values["ends_on"],
            targets=targets, reason=values.get("reason", ""),
        )  # fmt: skip
        return Response(self._fresh(entry), status=201)

    def _decide(self, *, approve: bool) -> Response:
        entry = self.get_object()
        data = CheckDecisionSerializer(data=self.request.data)
        data.is_valid(raise_exception=True)
        registry.decide(entry, actor=self.request.user, approve=approve,
                        note=data.validated_data.get("note", ""))  # fmt: skip
        return Response(self._fresh(entry))

    @extend_schema(request=CheckDecisionSerializer, responses={200: CheckEntrySerializer})
    @action(detail=True, methods=["post"], serializer_class=CheckDecisionSerializer)
    def approve(self, request, pk=None):
        """批准超出年度总量的登记（设定该总量的组织的管理员），可附审批意见；已审批的不能再审批。"""
        return self._decide(approve=True)

    @extend_schema(request=CheckDecisionSerializer, responses={200: CheckEntrySerializer})
    @action(detail=True, methods=["post"], serializer_class=CheckDecisionSerializer)
    def refuse(self, request, pk=None):
        """不批准超出年度总量的登记（须填写审批意见）；不批准的不计入对象的年度次数。"""
        return self._decide(approve=False)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False, description="年度，默认今年")],
        responses=CheckReceivedSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filter_backends=[],
            serializer_class=CheckReceivedSerializer)  # fmt: skip
    def received(self, request):
        """各党组织某年度接受督查检查考核的次数（已登记、待审批占用和已批准的）及适用的年度总量：
        本人可查看的、该年度有本人可查看的督查检查考核针对的党组织，按组织分页。"""
        today, text = timezone.localdate(), request.query_params.get("year", "")
        if text and not (
            text.isascii() and text.isdecimal() and 2000 <= int(text) <= today.year + 1
        ):
            raise InvalidInput(f"年度须为2000至{today.year + 1}年之间的年份。")
        year, user = int(text or today.year), request.user
        seen = CheckEntry.objects.restrict(user, Action.VIEW).filter(year=year)
        orgs = PartyOrg.objects.restrict(user, Action.VIEW).filter(pk__in=seen.values("targets"))
        page = self.paginate_queryset(orgs.order_by("path"))
        rows = [
            {"org": row["org"].pk, "org_name": row["org"].name, "received": row["received"],
             "cap": row["cap"], "cap_org": row["cap_org"].pk if row["cap_org"] else None,
             "cap_org_name": row["cap_org"].name if row["cap_org"] else None}
            for row in registry.year_counts(page, year)
        ]  # fmt: skip
        return self.get_paginated_response(CheckReceivedSerializer(rows, many=True).data)


class CheckCapFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label="年度", **YEAR_BOUNDS)
    org = django_filters.NumberFilter(field_name="org_id", label="设定组织ID", **ID_BOUNDS)

    class Meta:
        model = CheckCap
        fields = ["year", "org"]


class CheckCapViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """督查检查考核年度总量：本人管理的党组织为其下级组织设定的每年接受次数上限（对象适用最近的上级所设定的）。
    POST 设定（同一组织同一年度再次设定即修改，返回200）。"""

    serializer_class = CheckCapSerializer
    filterset_class = CheckCapFilter

    def get_queryset(self):
        return (
            CheckCap.objects.restrict(self.request.user, Action.ASSESS)
            .select_related("org")
            .order_by("-year", "org__path")
        )

    @extend_schema(request=CheckCapSerializer,
                   responses={201: CheckCapSerializer, 200: CheckCapSerializer})  # fmt: skip
    def create(self, request):
        data = CheckCapSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values, user = data.validated_data, request.user
        org = PartyOrg.objects.restrict(user, Action.ASSESS).filter(pk=values["org_id"]).first()
        if org is None:
            raise Http404
        known = self.get_queryset().filter(org=org, year=values["year"]).exists()
        cap = registry.set_cap(org, actor=user, year=values["year"], cap=values["cap"])
        return Response(CheckCapSerializer(self.get_queryset().get(pk=cap.pk)).data,
                        status=200 if known else 201)  # fmt: skip


class AnnualReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """党委（党组）年度党建工作报告。本组织管理员起草（POST，报告组织须为党委、党组或机关党委）、
    保存（save）、报送上级（send）；上级组织管理员审阅（review：通过或退回修改）。"""

    serializer_class = AnnualReportSerializer

    def get_queryset(self):
        return AnnualReport.objects.restrict(self.request.user, Action.VIEW).order_by("-year", "id")

    def _mine(self, pk, action: Action) -> AnnualReport:
        return get_object_or_404(AnnualReport.objects.restrict(self.request.user, action), pk=pk)

    def _out(self, report: AnnualReport, status=200):
        return Response(AnnualReportSerializer(self.get_queryset().get(pk=report.pk)).data,
                        status=status)  # fmt: skip

    def create(self, request):
        serializer = AnnualReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        org = (
            PartyOrg.objects.restrict(request.user, Action.CHANGE).filter(pk=data["org_id"]).first()
        )
        if org is None:
            raise InvalidInput("报告组织不存在，或不在您的管理范围内。")
        return self._out(annual.start_report(org, actor=request.user, year=data["year"]), 201)

    @extend_schema(request=file_body(AnnualSaveSerializer), responses={200: AnnualReportSerializer})
    @action(detail=True, methods=["post"], parser_classes=WITH_FILE,
            serializer_class=AnnualSaveSerializer)  # fmt: skip
    def save(self, request, pk=None):
        """保存标题、正文和报告文件（起草中或退回修改时）。"""
        report = self._mine(pk, Action.CHANGE)
        data = AnnualSaveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._out(annual.save_report(
            report, actor=request.user, version=values["version"], title=values["title"],
            text=values["text"], upload=values.get("file"),
        ))  # fmt: skip

    @extend_schema(responses=download_schema())
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def file(self, request, pk=None):
        """下载报告文件。"""
        report = self.get_object()
        return stored_file_api(report.file, filename=report.file_name)

    @extend_schema(responses=download_schema(DOCX))
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def appendix(self, request, pk=None):
        """报告的数据附件（Word，依据系统记录生成）。"""
        report = self.get_object()
        return downloads.annual_appendix(request.user, report)

    @extend_schema(request=VersionSerializer, responses={200: AnnualReportSerializer})
    @action(detail=True, methods=["post"], serializer_class=VersionSerializer)
    def send(self, request, pk=None):
        """报送上级组织。"""
        report = self._mine(pk, Action.CHANGE)
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._out(
            annual.send_report(report, actor=request.user, version=data.validated_data["version"])
        )

    @extend_schema(request=AnnualReviewSerializer, responses={200: AnnualReportSerializer})
    @action(detail=True, methods=["post"], serializer_class=AnnualReviewSerializer)
    def review(self, request, pk=None):
        """上级组织审阅：通过，或写明意见退回修改。"""
        report = self._mine(pk, Action.ASSESS)
        data = AnnualReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._out(annual.review_report(
            report, actor=request.user, version=values["version"], accept=values["accept"],
            review=values.get("review", ""),
        ))  # fmt: skip


class AwardViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """创建评选（“四强”党支部、模范机关标兵单位/先进单位）。评选组织管理员以本组织已公布的考核为依据
    新建（推荐名单由考核结果生成）、截止申报（close）、公布（publish）；推荐对象只见本组织一项，
    公布后可见评审通过的名单。"""

    serializer_class = AwardSerializer

    def get_queryset(self):
        user = self.request.user
        seen = Candidate.objects.restrict(user, Action.VIEW).select_related("org", "target")
        return (
            Award.objects.restrict(user, Action.VIEW)
            .prefetch_related(Prefetch("candidates", queryset=seen, to_attr="seen"))
            .order_by("-id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["seen"] = lambda award: award.seen
        context["material"] = material_reader(self.request.user)
        return context

    def _runs(self, pk) -> Award:
        return get_object_or_404(Award.objects.restrict(self.request.user, Action.ASSESS), pk=pk)

    def _out(self, award: Award, status=200):
        return Response(AwardSerializer(self.get_queryset().get(pk=award.pk),
                                        context=self.get_serializer_context()).data, status=status)  # fmt: skip

    def create(self, request):
        serializer = AwardSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        round_ = (
            Round.objects.restrict(request.user, Action.ASSESS)
            .select_related("scheme__org").filter(pk=data["round_id"]).first()
        )  # fmt: skip
        if round_ is None:
            raise InvalidInput("请选择本组织已公布结果的考核作为评选依据。")
        award = awards.create_award(
            round_.scheme.org, actor=request.user, kind=data["kind"], title=data["title"],
            round_=round_, places=data["places"], min_total=data["min_total"],
            apply_due_on=data["apply_due_on"], basis=data.get("basis", ""),
        )  # fmt: skip
        return self._out(award, 201)

    @extend_schema(request=VersionSerializer, responses={200: AwardSerializer})
    @action(detail=True, methods=["post"], serializer_class=VersionSerializer)
    def close(self, request, pk=None):
        """截止申报，开始评审。"""
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        award = awards.close_applications(self._runs(pk), actor=request.user,
                                          version=data.validated_data["version"])  # fmt: skip
        return self._out(award)

    @extend_schema(responses=download_schema(DOCX))
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def decision(self, request, pk=None):
        """命名决定（Word；评选结果公布后，评选组织）。"""
        award = self._runs(pk)
        if award.state != AwardState.PUBLISHED:
            raise InvalidInput("评选结果公布后才能生成命名决定。")
        return downloads.award_decision(request.user, award)

    @extend_schema(request=VersionSerializer, responses={200: AwardSerializer})
    @action(detail=True, methods=["post"], serializer_class=VersionSerializer)
    def publish(self, request, pk=None):
        """公布评选结果（申报均已评审，且至少一个通过）。"""
        data = VersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        award = awards.publish_award(self._runs(pk), actor=request.user,
                                     version=data.validated_data["version"])  # fmt: skip
        return self._out(award)


def material_reader(user):
    """Whether the user reads a candidate's application: those who run the evaluation and the
    candidate's own secretary and admins."""
    runs = set(Award.objects.restrict(user, Action.ASSESS).values_list("pk", flat=True))
    own = set(Candidate.objects.restrict(user, Action.RECORD).values_list("pk", flat=True))
    return lambda candidate: candidate.award_id in runs or candidate.pk in own


class CandidateViewSet(viewsets.ReadOnlyModelViewSet):
    """创建评选的推荐对象。推荐对象的书记或管理员申报（apply）；评选组织管理员评审（decide）。"""

    serializer_class = CandidateSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["material"] = material_reader(self.request.user)
        return context

    def get_queryset(self):
        return (
            Candidate.objects.restrict(self.request.user, Action.VIEW)
            .select_related("org", "target").order_by("award_id", "position")
        )  # fmt: skip

    def _candidate(self, pk, action: Action) -> Candidate:
        # DRF's lookup answers 404 to an id that is no number, as get_object does.
        return get_object_or_404(Candidate.objects.restrict(self.request.user, action), pk=pk)

    def _out(self, candidate: Candidate):
        return Response(CandidateSerializer(self.get_queryset().get(pk=candidate.pk),
                                            context=self.get_serializer_context()).data)  # fmt: skip

    @extend_schema(request=file_body(ApplySerializer), responses={200: CandidateSerializer})
    @action(detail=True, methods=["post"], parser_classes=WITH_FILE,
            serializer_class=ApplySerializer)  # fmt: skip
    def apply(self, request, pk=None):
        """提交或修改申报材料及附件（截止前）。"""
        candidate = self._candidate(pk, Action.RECORD)
        data = ApplySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._out(awards.apply(candidate, actor=request.user, version=values["version"],
                                      statement=values["statement"], upload=values.get("file")))  # fmt: skip

    @extend_schema(responses=download_schema())
    @action(detail=True, methods=["get"], renderer_classes=DOWNLOAD_RENDERERS)
    def file(self, request, pk=None):
        """下载申报材料附件（仅评选组织和本组织）。"""
        candidate = get_object_or_404(awards.material_readable(request.user), pk=pk)
        return stored_file_api(candidate.file, filename=candidate.file_name)

    @extend_schema(request=DecideSerializer, responses={200: CandidateSerializer})
    @action(detail=True, methods=["post"], serializer_class=DecideSerializer)
    def decide(self, request, pk=None):
        """评审：通过（不超过名额），或写明意见不通过。"""
        candidate = self._candidate(pk, Action.ASSESS)
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        return self._out(awards.decide(candidate, actor=request.user, version=values["version"],
                                       approve=values["approve"], note=values.get("note", "")))  # fmt: skip
