import django_filters

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedReadOnlyViewSet
from mofan.orgs.api.serializers import (
    MembershipSerializer,
    PartyOrgSerializer,
    PersonSerializer,
    UnitSerializer,
)
from mofan.orgs.filters import PeopleFilter, RosterFilter
from mofan.orgs.models import Membership, PartyOrg, Person, Unit


class PartyOrgFilter(django_filters.FilterSet):
    parent = django_filters.NumberFilter(
        method="filter_parent", label="上级党组织ID（只列直接下级）"
    )

    class Meta:
        model = PartyOrg
        fields = ["kind", "depth", "parent"]

    def filter_parent(self, queryset, name, value):
        # The parent is looked up among what the user may see, like the children.
        parent = queryset.filter(pk=value).first()
        if parent is None:
            return queryset.none()
        return queryset.children_of(parent)


class PartyOrgViewSet(ScopedReadOnlyViewSet):
    """党组织（按管辖范围）。"""

    model = PartyOrg
    scope_action = Action.BROWSE
    serializer_class = PartyOrgSerializer
    filterset_class = PartyOrgFilter


class UnitViewSet(ScopedReadOnlyViewSet):
    """单位（按管辖范围）。"""

    model = Unit
    scope_action = Action.BROWSE
    serializer_class = UnitSerializer
    filterset_fields = ["kind", "depth"]


class PersonViewSet(ScopedReadOnlyViewSet):
    """人员（证件号、手机号脱敏）。"""

    model = Person
    serializer_class = PersonSerializer
    filterset_class = PeopleFilter

    def get_queryset(self):
        return super().get_queryset().select_related("unit").order_by("name_stroke_key", "pk")


class MembershipViewSet(ScopedReadOnlyViewSet):
    """党员名册（按管辖范围，可按党组织子树、状态、类别、入党日期筛选）。"""

    model = Membership
    serializer_class = MembershipSerializer
    filterset_class = RosterFilter

    def get_queryset(self):
        return super().get_queryset().select_related("person", "person__unit", "org")
