"""No browser or proxy keeps a copy of what the application answers: its pages, downloads and API
answers show personal data (full ID numbers to those allowed, phone numbers, minutes). Static
files are served before this runs (WhiteNoise) and stay cacheable."""

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """`Cache-Control: no-store` (Django's never-cache headers) on every response of the app,
    errors included. One broad rule rather than a decorator per view, which a new view forgets."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
