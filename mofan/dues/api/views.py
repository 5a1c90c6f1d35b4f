"""党费 over REST: the same scoping and services as the pages. Amounts are need-to-know: the
member's own, and those of the organisations whose dues the user keeps."""

import django_filters
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from mofan.access.scoping import Action
from mofan.core.api import ID_BOUNDS
from mofan.core.errors import InvalidInput
from mofan.dues import calc, services, statements
from mofan.dues.api.serializers import (
    DuesBaseSerializer,
    DuesCancelSerializer,
    DuesPaymentSerializer,
    DuesRuleSerializer,
    DuesStatementSerializer,
)
from mofan.dues.forms import parse_month
from mofan.dues.models import DuesBase, DuesPayment, DuesRule
from mofan.orgs.models import Membership, PartyOrg


def _kept_person(user, person_id):
    """A person whose dues the user keeps; anyone else is refused like a missing one."""
    membership = (
        Membership.objects.restrict(user, Action.DUES)
        .filter(person_id=person_id)
        .select_related("person")
        .first()
    )
    if membership is None:
        raise Http404
    return membership.person


class _MonthFilter(django_filters.CharFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        month = parse_month(value)
        if month is None:
            raise InvalidInput("月份请按“年-月”填写，如 2026-11。")
        return qs.filter(**{self.field_name: month})


class PaymentFilter(django_filters.FilterSet):
    person = django_filters.NumberFilter(field_name="person_id", label="人员ID", **ID_BOUNDS)
    org = django_filters.NumberFilter(field_name="org_id", label="收缴党组织ID", **ID_BOUNDS)
    month = _MonthFilter(field_name="month", label="所属月份，如 2026-11")

    class Meta:
        model = DuesPayment
        fields = ["person", "org", "month"]


class BaseFilter(django_filters.FilterSet):
    person = django_filters.NumberFilter(field_name="person_id", label="人员ID", **ID_BOUNDS)

    class Meta:
        model = DuesBase
        fields = ["person"]


class PaymentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """党费交纳记录：本人的，以及本人负责收缴的党组织党员的。登记时不填金额则按核定金额。"""

    serializer_class = DuesPaymentSerializer
    filterset_class = PaymentFilter

    def get_queryset(self):
        return DuesPayment.objects.restrict(self.request.user, Action.VIEW).order_by("-month", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        person = _kept_person(self.request.user, data["person_id"])
        serializer.instance = services.record_payment(
            person,
            actor=self.request.user,
            month=data["month"],
            amount=data.get("amount"),
            paid_on=data["paid_on"],
            method=data["method"],
            note=data.get("note", ""),
        )

    @extend_schema(request=DuesCancelSerializer, responses={204: None})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """撤销误登的交纳记录（须填写原因，审计日志保留原记录）。"""
        payment = (
            DuesPayment.objects.restrict(request.user, Action.DUES).filter(pk=pk).first()
            if str(pk).isdecimal()
            else None
        )
        if payment is None:
            raise Http404
        serializer = DuesCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.cancel_payment(
            payment, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class BaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """党费计算基数：同一人同一起始月份再次提交即为更正（须带 version）。"""

    serializer_class = DuesBaseSerializer
    filterset_class = BaseFilter

    def get_queryset(self):
        return DuesBase.objects.restrict(self.request.user, Action.VIEW).order_by(
            "person_id", "starts_on"
        )

    def perform_create(self, serializer):
        data = serializer.validated_data
        person = _kept_person(self.request.user, data["person_id"])
        serializer.instance = services.record_base(
            person,
            actor=self.request.user,
            starts_on=data["starts_on"],
            category=data["category"],
            monthly_income=data["monthly_income"],
            note=data.get("note", ""),
            version=data.get("version"),
        )


class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    """党费交纳标准（按月计算基数分档的比例或定额，及其依据）。"""

    serializer_class = DuesRuleSerializer

    def get_queryset(self):
        return DuesRule.objects.restrict(self.request.user, Action.VIEW)


class StatementView(APIView):
    """党费收缴情况：某党组织某月每名党员的基数、应交、实交、状态和累计欠交。"""

    @extend_schema(
        parameters=[
            OpenApiParameter("org", int, required=True, description="党组织ID"),
            OpenApiParameter(
                "month", str, required=False, description="月份，如 2026-11；默认本月"
            ),
        ],
        responses=DuesStatementSerializer,
    )
    def get(self, request):
        today = timezone.localdate()
        org_id = request.query_params.get("org", "")
        if not org_id.isdecimal():
            raise InvalidInput("请提供党组织ID（org）。")
        text = request.query_params.get("month", "")
        month = parse_month(text) if text else calc.month_of(today)
        if month is None or month > calc.add_months(calc.month_of(today), services.AHEAD_MONTHS):
            raise InvalidInput("月份无效：请按“年-月”填写，最晚为两个月以后。")
        org = PartyOrg.objects.restrict(request.user, Action.DUES).filter(pk=int(org_id)).first()
        if org is None:
            raise Http404
        statement = statements.org_month(org, month, today=today)
        data = {
            "org": org.pk,
            "month": f"{month:%Y-%m}",
            "due": statement.due,
            "paid": statement.paid,
            "rows": [
                {
                    "person": row.membership.person_id,
                    "name": row.membership.person.name,
                    "here": row.here,
                    "income": row.month.income,
                    "basis": row.month.basis,
                    "due": row.month.due,
                    "paid": row.month.paid,
                    "paid_on": row.month.paid_on,
                    "status": row.month.status,
                    "arrears": row.arrears,
                    "unpaid_in_a_row": row.unpaid_in_a_row,
                }
                for row in statement.rows
            ],
        }
        # Through the serializer: amounts as decimal strings, as the schema says.
        return Response(DuesStatementSerializer(data).data)
