from rest_framework import serializers, viewsets
from rest_framework.permissions import BasePermission

from mofan.access.roles import Role
from mofan.access.scoping import has_role
from mofan.audit.filters import AuditEventFilter
from mofan.audit.models import AuditEvent


class IsAuditor(BasePermission):
    message = "只有安全审计员可以查看审计记录。"

    def has_permission(self, request, view):
        return has_role(request.user, Role.AUDITOR)


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
