"""Django's 400, 404 and 500 answers, in JSON under /api/ (what API clients and the schema
expect: a path that matches no endpoint, such as /api/people/0.5/, is still the API's), the pages
otherwise."""

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

from mofan.core.api import NOT_FOUND, too_large_message

SERVER_ERROR = "系统暂时出现问题，请稍后重试；如果问题持续，请联系系统管理员。"


def bad_request(request, exception):
    """A form too large to read (a pasted text of megabytes) says so, as a 413; any other
    malformed request gets the plain 400 page."""
    if isinstance(exception, RequestDataTooBig):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": too_large_message()}, status=413)
        return render(request, "400.html", {"message": too_large_message()}, status=413)
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": SERVER_ERROR}, status=500)
    return defaults.server_error(request)
