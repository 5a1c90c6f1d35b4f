"""Links that pages build many times over: a row's link in a table, the menu of every page.

Django's reverse() costs some 30-70 µs a call (resolver, candidate patterns, quoting), which a
50-row table and the menu repeat dozens of times per page. The URL of a name is reversed once per
script prefix and URL configuration, with a stand-in for an object's id, and filled in after."""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse

_STAND_IN = 9_876_543_210_123  # an id no real URL part looks like


def link(name: str, pk: int | None = None) -> str:
    """reverse(name) or reverse(name, args=[pk]) for a URL with one integer argument."""
    head, tail = _pattern(name, pk is not None, get_script_prefix(), get_urlconf())
    if pk is None:
        return head
    if tail is None:  # the stand-in did not come out once: nothing to fill in safely
        return reverse(name, args=[pk])
    return f"{head}{int(pk)}{tail}"


@functools.lru_cache(maxsize=1024)
def _pattern(name: str, with_pk: bool, prefix: str, urlconf) -> tuple[str, str | None]:
    if not with_pk:
        return reverse(name, urlconf=urlconf), ""
    url = reverse(name, args=[_STAND_IN], urlconf=urlconf)
    parts = url.split(str(_STAND_IN))
    return (parts[0], parts[1]) if len(parts) == 2 else ("", None)
