"""Search of the audit trail, for the auditor's page and API."""

import django_filters

from mofan.audit.models import AuditEvent


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
