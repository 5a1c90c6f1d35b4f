from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from mofan.access.scoping import scope_for
from mofan.orgs import stats


@login_required
def home(request):
    scope = scope_for(request.user)
    context = {"scope": scope}
    if scope.can_anywhere("view"):
        context["overview"] = stats.overview(request.user)
    return render(request, "core/home.html", context)
