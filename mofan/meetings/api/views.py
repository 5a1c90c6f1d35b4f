"""组织生活 over REST: the same scoping and services as the pages."""

import django_filters
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedReadOnlyViewSet
from mofan.core.api import Pages
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.meetings import compliance, services
from mofan.meetings.api.serializers import (
    AttendanceSerializer,
    ComplianceSerializer,
    LeaveSerializer,
    MarkSerializer,
    MeetingSerializer,
    MinutesSerializer,
    PlanSerializer,
    RuleSerializer,
    SignInSerializer,
)
from mofan.meetings.models import Meeting, MeetingPlan, MeetingRule
from mofan.orgs.filters import browsable_orgs
from mofan.orgs.models import PartyOrg


def _org_filter():
    # Organisations outside what the user may browse are no valid choice: 400, like a missing one.
    return django_filters.ModelChoiceFilter(queryset=browsable_orgs, label="党组织ID")


class MeetingFilter(django_filters.FilterSet):
    org = _org_filter()
    month_from = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label="开始日期起"
    )
    month_to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label="开始日期止"
    )
    # true or false, nothing else: a misspelt value is refused, not read as "no filter".
    back_filled = django_filters.TypedChoiceFilter(
        choices=[("true", "是"), ("false", "否")], coerce=lambda v: v == "true", label="是否补记录"
    )

    class Meta:
        model = Meeting
        fields = ["org", "kind", "state", "back_filled", "month_from", "month_to"]


class PlanFilter(django_filters.FilterSet):
    org = _org_filter()

    class Meta:
        model = MeetingPlan
        fields = ["org", "year", "month"]


class RuleFilter(django_filters.FilterSet):
    org = _org_filter()

    class Meta:
        model = MeetingRule
        fields = ["kind", "period", "org"]


class MeetingViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """会议：本组织及下级组织的会议，以及本人应出席的会议。领导班子会议的讨论和议定事项仅限班子成员和经授权的人员。"""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter

    def get_queryset(self):
        return (
            Meeting.objects.restrict(self.request.user, Action.VIEW)
            .with_minutes_access(self.request.user)
            .select_related("org")
            .prefetch_related("agenda")
            .order_by("-starts_at", "-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.plan_meeting(
            data.pop("org"),
            actor=self.request.user,
            kind=data["kind"],
            title=data["title"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            place=data.get("place", ""),
            agenda=data.get("agenda", []),
            host=data.get("host"),
            recorder=data.get("recorder"),
            lecturer=data.get("lecturer"),
            study_hours=data.get("study_hours"),
        )

    @extend_schema(request=MinutesSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None):
        """会议记录：首次记录超过会后7天标为补记录；记录满48小时后修改须填写 reason（保留原记录）。"""
        meeting = self.get_object()
        serializer = MinutesSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        agenda = {int(k): v for k, v in (data.get("agenda") or {}).items() if str(k).isdecimal()}
        try:
            services.record_minutes(
                meeting, actor=request.user, version=data["version"], summary=data["summary"],
                agenda=agenda, reason=data["reason"],
            )  # fmt: skip
        except StaleEdit as error:
            current = self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data
            return Response(
                {"detail": error.message, "current": current}, status=status.HTTP_409_CONFLICT
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(methods=["GET"], responses=AttendanceSerializer(many=True))
    @extend_schema(
        methods=["POST"], request=MarkSerializer, responses=AttendanceSerializer(many=True)
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def attendance(self, request, pk=None):
        """出席名单；POST 由记录人登记出席、请假（须事由）或缺席。"""
        meeting = self.get_object()
        if request.method == "POST":
            serializer = MarkSerializer(data=request.data, context=self.get_serializer_context())
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
            services.mark(
                meeting,
                data["person"],
                actor=request.user,
                status=data["status"],
                reason=data["reason"],
            )
        rows = meeting.attendance.select_related("person")
        return Response(AttendanceSerializer(rows, many=True).data)

    @extend_schema(request=LeaveSerializer, responses=AttendanceSerializer)
    @action(detail=True, methods=["post"])
    def leave(self, request, pk=None):
        """本人请假。"""
        meeting = self.get_object()
        serializer = LeaveSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        row = services.request_leave(
            meeting, user=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(AttendanceSerializer(row).data)

    @extend_schema(
        request=SignInSerializer, responses={201: AttendanceSerializer, 200: AttendanceSerializer}
    )
    @action(detail=False, methods=["post"], url_path="sign-in")
    def sign_in(self, request):
        """扫码签到：提交二维码中的签到码（仅在会议开始前30分钟至结束后30分钟有效）。"""
        serializer = SignInSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        meeting, new = services.sign_in(serializer.validated_data["token"], user=request.user)
        row = services.attendee(meeting, request.user)
        return Response(
            AttendanceSerializer(row).data,
            status=status.HTTP_201_CREATED if new else status.HTTP_200_OK,
        )


class PlanViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """组织生活计划（年度计划 month 为空）；再次提交同一期计划即修改，须带 version。"""

    serializer_class = PlanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        return MeetingPlan.objects.restrict(self.request.user, Action.VIEW).order_by(
            "org", "year", "month"
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        plan = services.save_plan(
            data["org"], actor=request.user, year=data["year"], month=data.get("month"),
            content=data["content"], version=data.get("version"),
        )  # fmt: skip
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class RuleViewSet(ScopedReadOnlyViewSet):
    """组织生活规定：全国底线和本地规定。"""

    model = MeetingRule
    serializer_class = RuleSerializer
    filterset_class = RuleFilter


class CompliancePages(Pages):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ComplianceView(APIView):
    """合规矩阵：某党组织及其下级组织在某年各月的到期要求与达标情况，按组织分页（每页默认 50 个，
    page_size 最多 500）。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, required=True, description="党组织ID"),
            OpenApiParameter("year", int, required=False, description="年度，默认今年"),
            OpenApiParameter("page", int, required=False, description="页码"),
            OpenApiParameter("page_size", int, required=False, description="每页组织数，最多 500"),
        ],
        responses=ComplianceSerializer,
    )
    def get(self, request):
        today = timezone.localdate()
        org_id, year = request.query_params.get("org", ""), request.query_params.get("year", "")
        if not org_id.isdecimal():
            raise InvalidInput("请提供党组织ID（org）。")
        if year and not (year.isdecimal() and 2000 <= int(year) <= today.year):
            raise InvalidInput("年度无效。")
        # As the heat-map page: a member sees their own branch's compliance.
        root = PartyOrg.objects.restrict(request.user, Action.BROWSE).filter(pk=int(org_id)).first()
        if root is None:
            raise Http404
        year = int(year or today.year)
        pages = CompliancePages()
        orgs = pages.paginate_queryset(compliance.listed_orgs(root, year, today), request, self)
        grid = compliance.matrix(root, year, today, orgs=orgs)
        return Response(
            {
                "year": grid.year,
                "count": pages.page.paginator.count,
                "next": pages.get_next_link(),
                "previous": pages.get_previous_link(),
                "rows": [
                    {"org": row.org.pk, "name": row.org.name, "cells": row.cells}
                    for row in grid.rows
                ],
            }
        )
