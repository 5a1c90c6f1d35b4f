"""People: list, detail with audited reveal of full numbers, edits of person and party record."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views import View

from mofan.access.scoping import Action, person_of
from mofan.access.views_base import ScopedMixin
from mofan.core.views_base import paginate
from mofan.orgs import services
from mofan.orgs.filters import PeopleFilter
from mofan.orgs.forms import (
    MembershipForm,
    PersonForm,
)
from mofan.orgs.models import Membership, Person, Position
from mofan.orgs.views.base import ServiceFormView


class PeopleView(ScopedMixin, View):
    model = Person

    def get(self, request):
        base = (
            Person.objects.restrict(request.user, Action.VIEW)
            .select_related("unit")
            .order_by("name_stroke_key", "pk")
        )
        filterset = PeopleFilter(request.GET or None, queryset=base, request=request)
        page = paginate(request, filterset.qs)
        return render(
            request,
            "orgs/people.html",
            {"filter": filterset, "page": page, "breadcrumbs": [{"label": "人员", "url": ""}]},
        )


class PersonDetailView(ScopedMixin, View):
    model = Person

    def get(self, request, pk):
        person = self.get_scoped_object(
            pk,
            queryset=self.scoped_queryset()
            .select_related("unit", "membership", "membership__org")
            .prefetch_related(
                Prefetch(
                    "positions",
                    queryset=Position.objects.restrict(request.user, Action.BROWSE).select_related(
                        "org"
                    ),
                )
            ),
        )
        can_view_pii = self.allows(person, Action.VIEW_PII) or person.pk == person_of(request.user)
        pii = None
        if can_view_pii and request.GET.get("reveal") == "1":
            pii = services.view_pii(person, actor=request.user)
        membership = getattr(person, "membership", None)
        context = {
            **{
                key: value
                for part in PERSON_PAGE_PARTS
                for key, value in part(request.user, person, membership).items()
            },
            "can_change": self.allows(person, Action.CHANGE),
            "person": person,
            "membership": membership,
            # A transfer inside the system is written as its two lines (out, in): shown once.
            "transfers": membership.transfers.exclude(
                direction="in", from_org__isnull=False
            ).select_related("from_org", "to_org")
            if membership
            else [],
            "can_view_pii": can_view_pii,
            "pii": pii,
            "breadcrumbs": [
                {"label": "党员名册", "url": reverse("orgs:roster")},
                {"label": person.name, "url": ""},
            ],
        }
        return render(request, "orgs/person_detail.html", context)


# What apps on upper floors add to a member's page (the meetings they attended, the letter on its
# way, the decisions on their standing): each a function (user, person, membership) -> context,
# registered by its app's ready(). The page itself knows none of those apps.
PERSON_PAGE_PARTS: list = []


class PersonEditView(ServiceFormView):
    model = Person
    title = "修改人员信息"

    def get(self, request, pk):
        # The form shows the full ID and phone numbers: that is a view of personal data, audited.
        services.view_pii(self.get_object(pk), actor=request.user)
        return super().get(request, pk)

    def make_form(self, person, data=None):
        return PersonForm(data, initial=PersonForm.initial_for(person), user=self.request.user)

    def perform(self, person, form):
        services.update_person(
            person,
            actor=self.request.user,
            version=form.cleaned_data["version"],
            **form.person_fields(),
        )
        return "人员信息已保存。"

    def success_url(self, person):
        return reverse("orgs:person_detail", args=[person.pk])


class MembershipEditView(ServiceFormView):
    model = Membership
    title = "修改党员信息"

    def get_object(self, pk):
        # Addressed by the person, like every page about a member.
        membership = self.scoped_queryset().filter(person_id=pk).select_related("person").first()
        if membership is None:
            raise Http404("未找到该记录。")
        return membership

    def make_form(self, membership, data=None):
        initial = {
            f: getattr(membership, f) for f in ("version", "kind", "joined_on", "confirmed_on")
        }
        return MembershipForm(data, initial=initial)

    def perform(self, membership, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        services.update_membership(
            membership, actor=self.request.user, version=form.cleaned_data["version"], **data
        )
        return "党员信息已保存。"

    def success_url(self, membership):
        return reverse("orgs:person_detail", args=[membership.person_id])
