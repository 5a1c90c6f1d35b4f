"""Filters of the roster and people lists, shared by the pages, the exports and the API."""

import django_filters
from django import forms

from mofan.access.scoping import Action
from mofan.core.forms import StyledFormMixin
from mofan.core.widgets import PickerSelect
from mofan.orgs.choices import MembershipKind, MembershipStatus
from mofan.orgs.models import Membership, PartyOrg, Person, Unit

ROSTER_ORDERINGS = {
    "name": ("person__name_pinyin", "pk"),
    "-name": ("-person__name_pinyin", "-pk"),
    "stroke": ("person__name_stroke_key", "pk"),
    "joined": ("joined_on", "pk"),
    "-joined": ("-joined_on", "-pk"),
    "org": ("org__path", "person__name_stroke_key", "pk"),
}


class StyledForm(StyledFormMixin, forms.Form):
    pass


# Choices are what the user may browse: an organisation outside it is "not a valid choice", the
# same 400 as one that does not exist (it cannot be probed).
def browsable_orgs(request):
    return PartyOrg.objects.restrict(getattr(request, "user", None), Action.BROWSE)


def _browsable_units(request):
    return Unit.objects.restrict(getattr(request, "user", None), Action.BROWSE)


class RosterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音", method="filter_q")
    org = django_filters.ModelChoiceFilter(
        label="党组织（含下级）",
        queryset=browsable_orgs,
        method="filter_org",
        widget=PickerSelect(kind="orgs", params={"action": "browse"}),
    )
    status = django_filters.ChoiceFilter(
        label="党籍状态", choices=MembershipStatus.choices, empty_label="全部状态"
    )
    kind = django_filters.ChoiceFilter(
        label="党员类别", choices=MembershipKind.choices, empty_label="全部类别"
    )
    joined_after = django_filters.DateFilter(
        label="入党日期起", field_name="joined_on", lookup_expr="gte", widget=forms.DateInput
    )
    joined_before = django_filters.DateFilter(
        label="入党日期止", field_name="joined_on", lookup_expr="lte", widget=forms.DateInput
    )
    sort = django_filters.ChoiceFilter(
        label="排序",
        method="filter_sort",
        empty_label="按党组织",
        choices=[
            ("name", "姓名拼音"),
            ("stroke", "姓氏笔画"),
            ("joined", "入党日期（早→晚）"),
            ("-joined", "入党日期（晚→早）"),
        ],
    )

    class Meta:
        model = Membership
        fields = ["q", "org", "status", "kind", "joined_after", "joined_before", "sort"]
        form = StyledForm

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_org(self, queryset, name, value):
        return queryset.in_subtree(value) if value else queryset

    def filter_sort(self, queryset, name, value):
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        sort = self.form.cleaned_data.get("sort") if self.form.is_valid() else ""
        return queryset.order_by(*ROSTER_ORDERINGS.get(sort or "org", ROSTER_ORDERINGS["org"]))


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音", method="filter_q")
    unit = django_filters.ModelChoiceFilter(
        label="单位（含下级）",
        queryset=_browsable_units,
        method="filter_unit",
        widget=PickerSelect(kind="units", params={"action": "browse"}),
    )

    class Meta:
        model = Person
        fields = ["q", "unit"]
        form = StyledForm

    def filter_q(self, queryset, name, value):
        return queryset.search(value)

    def filter_unit(self, queryset, name, value):
        return queryset.in_units_of(value) if value else queryset
