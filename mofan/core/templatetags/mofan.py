"""Template helpers: Chinese dates and small UI pieces used on every page."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from mofan.core.links import link as _link

register = template.Library()


@register.filter
def cndate(value) -> str:
    """2026年11月24日"""
    if not value:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


@register.filter
def cndatetime(value) -> str:
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M:%S}"


@register.filter
def cnwhen(value) -> str:
    """2026年11月24日 14:30 — a meeting's time, to the minute."""
    if not value:
        return ""
    value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced (for sort and page links)."""
    params = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when absent)."""
    return mapping.get(key) if mapping else None


@register.simple_tag
def link(name: str, pk=None) -> str:
    """{% url name pk %} for a link in every row of a table: the same URL, reversed once
    (mofan/core/links.py)."""
    return _link(name, pk)
