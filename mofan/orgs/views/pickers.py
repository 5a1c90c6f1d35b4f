"""The search behind every picker (see orgs/pickers.py): JSON matches of what the user typed."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, JsonResponse
from django.views import View

from mofan.access.scoping import Action
from mofan.orgs import pickers


class PickView(LoginRequiredMixin, View):
    raise_exception = True

    def get(self, request, kind):
        if kind not in pickers.KINDS:
            raise Http404
        try:
            action = Action(request.GET["action"]) if request.GET.get("action") else None
        except ValueError:
            return JsonResponse({"detail": "不支持的选择范围。"}, status=400)
        try:
            within = pickers.within_unit(request.user, request.GET.get("within"))
            queryset = pickers.choices(
                request.user,
                kind,
                action=action,
                within=within,
                account=request.GET.get("account") == "1",
            )
        except pickers.PickerError as exc:
            return JsonResponse({"detail": str(exc)}, status=400)
        found = pickers.search(queryset, request.GET.get("q", ""))
        return JsonResponse({"results": [pickers.option(obj) for obj in found]})
