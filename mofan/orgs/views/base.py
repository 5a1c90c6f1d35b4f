"""Shared pieces of the organisation pages: breadcrumbs along the tree and the service-form view."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from mofan.access.scoping import Action
from mofan.access.views_base import ScopedMixin
from mofan.core.errors import StaleEdit, UserFacingError
from mofan.orgs.models import PartyOrg


def org_crumbs(org: PartyOrg, user) -> list[dict]:
    """Breadcrumbs along the ancestors the user may see (one query)."""
    crumbs = [{"label": "组织架构", "url": reverse("orgs:tree")}]
    ancestors = PartyOrg.objects.restrict(user, Action.BROWSE).ancestors_of(
        org, including_self=False
    )
    crumbs += [
        {"label": a.display_name, "url": reverse("orgs:org_detail", args=[a.pk])} for a in ancestors
    ]
    crumbs.append({"label": org.display_name, "url": ""})
    return crumbs


class ServiceFormView(ScopedMixin, View):
    """A form over one scoped object whose valid input goes to one service function.

    Bad input answers 400, a stale edit 409 (with the form reloaded from the current record),
    anything the service refuses its own status; nothing changes in any of these cases.
    Subclasses define make_form(obj, data=None), perform(obj, form) -> success message, and
    success_url(obj).
    """

    action = Action.CHANGE
    title = ""
    template_name = "orgs/service_form.html"

    def get_object(self, pk):
        return self.get_scoped_object(pk)

    def crumbs(self, obj) -> list[dict]:
        return [{"label": str(obj), "url": self.success_url(obj)}, {"label": self.title, "url": ""}]

    def _render(self, request, obj, form, status=200, note=""):
        context = {
            "object": obj,
            "form": form,
            "title": self.title,
            "note": note,
            "cancel_url": self.success_url(obj),
            "breadcrumbs": self.crumbs(obj),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        obj = self.get_object(pk)
        return self._render(request, obj, self.make_form(obj))

    def post(self, request, pk):
        obj = self.get_object(pk)
        form = self.make_form(obj, request.POST)
        if not form.is_valid():
            return self._render(request, obj, form, status=400)
        try:
            message = self.perform(obj, form)
        except StaleEdit as error:
            fresh = self.get_object(pk)
            return self._render(
                request,
                fresh,
                self.make_form(fresh),
                status=409,
                note=f"{error.message}下方已是最新内容，您刚才的修改未保存。",
            )
        except UserFacingError as error:
            form.add_error(None, error.message)
            return self._render(request, obj, form, status=error.status_code)
        messages.success(request, message)
        return redirect(self.success_url(obj))
