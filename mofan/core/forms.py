"""Form styling shared by every app: Tabler classes on each widget."""

from django import forms


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"


# Values a plain form posts, read without a Django form: an id or a day, or None.


def int_or_none(value) -> int | None:
    """A submitted id or number, or None when it is not one."""
    text = str(value or "").strip()
    # At most 18 digits: a database cannot compare a larger number with an id (SQLite: "int too
    # large"), which must be "not found", not a 500.
    return int(text) if text.isdecimal() and len(text) <= 18 else None


def date_or_none(value):
    """A submitted yyyy-mm-dd day, or None (the service then says what is missing)."""
    from datetime import datetime

    try:
        return datetime.strptime(str(value or "").strip(), "%Y-%m-%d").date()
    except ValueError:
        return None


def version_read(data) -> str:
    """The version a form was read with (its hidden field): a form without one is not one of our
    pages, refused rather than saved over whatever is there now."""
    from mofan.core.errors import InvalidInput

    version = data.get("version")
    if not version:
        raise InvalidInput("页面缺少版本号，请刷新页面后重试。")
    return version
