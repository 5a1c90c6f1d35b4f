import django_filters
from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission

from mofan.access.roles import Role
from mofan.access.scoping import scope_for
from mofan.audit.models import AuditEvent


class IsAuditor(BasePermission):
    message = "只有安全审计员可以查看审计记录。"

    def has_permission(self, request, view):
        return scope_for(request.user).has_role(Role.AUDITOR)


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.CharFilter(label="事件（前缀）", lookup_expr="startswith")
    actor = django_filters.CharFilter(
        label="操作人", field_name="actor_name", lookup_expr="icontains"
    )
    since = django_filters.DateFilter(
        label="起始日期", field_name="occurred_at", lookup_expr="date__gte"
    )
    until = django_filters.DateFilter(
        label="截止日期", field_name="occurred_at", lookup_expr="date__lte"
    )
    object_type = django_filters.CharFilter(label="对象类型")
    object_id = django_filters.CharFilter(label="对象ID")

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "since", "until", "object_type", "object_id"]


class AuditEventSerializer(serializers.ModelSerializer):
    seq = serializers.IntegerField(
        source="link.seq",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="链序号（入链前为空）",
    )
    link_mac = serializers.CharField(
        source="link.mac", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "seq",
            "occurred_at",
            "actor_id",
            "actor_name",
            "source_address",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "changes",
            "payload",
            "alg",
            "key_id",
            "seal",
            "link_mac",
        ]


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """审计记录（仅安全审计员，只读）。"""

    queryset = AuditEvent.objects.select_related("link").order_by("-id")
    serializer_class = AuditEventSerializer
    permission_classes = [IsAuditor]
    filterset_class = AuditEventFilter
