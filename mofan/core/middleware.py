"""Request and response rules every view stands on: no NUL character in what is submitted, and
no browser or proxy keeping a copy of what the application answers (its pages, downloads and API
answers show personal data: full ID numbers to those allowed, phone numbers, minutes). Static
files are served before these run (WhiteNoise) and stay cacheable."""

import re

from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

NUL_MESSAGE = "提交的内容含有空字符（NUL），无法处理，没有任何数据被修改。"
# A NUL as sent: raw, percent-encoded in a query or form, escaped in JSON.
_NUL = re.compile(rb"\x00|%00|\\u0000", re.IGNORECASE)


class NulInputMiddleware:
    """A 400 for any query, form or JSON body that carries a NUL character. PostgreSQL refuses NUL
    in text (a 500 from deep inside a query, where SQLite took it); Django's and DRF's text fields
    reject it, but a lookup by code or a filter value does not. One rule here rather than one per
    field. Uploaded files (multipart) are not read: a file may hold any byte."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _NUL.search(request.META.get("QUERY_STRING", "").encode()) or self._body_has_nul(
            request
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return render(request, "400.html", {"message": NUL_MESSAGE}, status=400)
        return self.get_response(request)

    @staticmethod
    def _body_has_nul(request) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return False
        if request.content_type.startswith("multipart/"):
            return False
        try:
            body = request.body
        except RequestDataTooBig:
            return False  # the view answers that, in its own way (413/400 in Chinese)
        return bool(_NUL.search(body))


class NoStoreMiddleware:
    """`Cache-Control: no-store` (Django's never-cache headers) on every response of the app,
    errors included. One broad rule rather than a decorator per view, which a new view forgets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
