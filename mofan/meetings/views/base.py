"""Shared pieces of the meeting pages: reading a meeting or an organisation through the scoping
layer (404 like a missing one otherwise), and who may read a leading group's minutes."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.meetings import services
from mofan.meetings.models import Meeting
from mofan.orgs.models import PartyOrg


class MeetingMixin(ScopedMixin):
    model = Meeting

    def get_meeting(self, pk, action: Action = Action.VIEW) -> Meeting:
        return self.get_scoped_object(
            pk,
            queryset=Meeting.objects.restrict(self.request.user, action)
            .with_minutes_access(self.request.user)
            .select_related("org", "host", "recorder", "lecturer"),
        )


class OrgMixin(ScopedMixin):
    """An organisation's meeting pages. BROWSE by default: a member sees their own branch's page
    (with the meetings they attended); VIEW where the page shows the records of the organisation
    (its members' hours, the heat map); RECORD where one plans and records."""

    model = PartyOrg
    action = Action.BROWSE

    def get_org(self, pk, action: Action = Action.BROWSE) -> PartyOrg:
        return self.get_scoped_object(pk, action=action)


def may_record(user, meeting: Meeting) -> bool:
    return services.may_record(user, meeting.org)


def org_crumbs(org: PartyOrg, *tail: dict) -> list[dict]:
    return [
        {"label": "组织生活", "url": reverse("meetings:home")},
        {"label": org.display_name, "url": reverse("meetings:org", args=[org.pk])},
        *tail,
    ]


def meeting_crumbs(meeting: Meeting, *tail: dict) -> list[dict]:
    return org_crumbs(
        meeting.org,
        {"label": meeting.title, "url": reverse("meetings:meeting", args=[meeting.pk])},
        *tail,
    )


def render_org_form(request, org: PartyOrg, form, *, title: str, step: str, status: int = 200):
    """A form about one organisation (its plan, its study topics), on the shared form page."""
    context = {
        "org": org,
        "form": form,
        "title": title,
        "breadcrumbs": org_crumbs(org, {"label": step, "url": ""}),
        "cancel_url": reverse("meetings:org", args=[org.pk]),
    }
    return render(request, "form_page.html", context, status=status)


def require(found) -> None:
    if not found:
        raise Http404("未找到该记录。")
