"""The form renderer (settings.FORM_RENDERER): Django's, except that the plain <input> and
<select> widgets are written out here instead of through their templates.

Django renders each widget with a template, and a <select> with one included template per option
and another per option's attributes: the filter form of an item table (nine fields) took some 2 ms
of CPU, 40 % of the page's template time, on every page view. The markup is Django's own
(django/forms/templates/django/forms/widgets/{input,attrs,select,select_option}.html), byte for
byte; mofan/core/tests/test_renderers.py compares the two for every kind of widget and value.
Any other widget (checkboxes, radios, text areas, files, split date-times) keeps its template."""

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise

from mofan.core.markup import esc

_WIDGETS = "django/forms/widgets/"
_INPUTS = frozenset(
    _WIDGETS + name + ".html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "date", "datetime",
        "time", "search", "tel", "color",
    )
)  # fmt: skip
_SELECT = _WIDGETS + "select.html"
_PLAIN = (str, Promise)
_OPTION = _WIDGETS + "select_option.html"


def attrs_html(attrs: dict) -> str:
    """attrs.html: ` name="value"` each, a bare name for True, nothing for False."""
    return "".join(
        f" {esc(name)}" if value is True else f' {esc(name)}="{esc(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def input_html(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{esc(value)}"' if value is not None else ""
    return (
        f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"{shown}'
        f"{attrs_html(widget['attrs'])}>"
    )


def select_html(widget: dict) -> str | None:
    """select.html, or None when an option has a template of its own or a label that is not
    text (then Django renders it)."""
    parts = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{esc(group_name)}">')
        for option in options:
            if option["template_name"] != _OPTION or not isinstance(option["label"], _PLAIN):
                return None  # a label the template would localise (a date, a number): Django's
            parts.append(  # the template's own last newline
                f'\n  <option value="{esc(option["value"])}"{attrs_html(option["attrs"])}>'
                f"{esc(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    return (
        f'<select name="{esc(widget["name"])}"{attrs_html(widget["attrs"])}>'
        f"{''.join(parts)}\n</select>"
    )


class FastWidgets(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in _INPUTS:
                return input_html(widget)
            if template_name == _SELECT:
                html = select_html(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request)
