"""Widgets of searchable pickers. A picker is a <select> holding only the chosen options; in
the browser, core/mofan.js turns it into a Tom Select box that asks the server for matches as
the user types (data-picker-url). Rendering every choice would put 100,000 people into one page."""

from django import forms
from django.urls import reverse
from django.utils.http import urlencode


class _PickerWidget:
    kind = ""  # set by the field: units, orgs, people
    params: dict

    def __init__(self, *args, kind: str = "", params: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind or self.kind
        self.params = dict(params or {})

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        url = reverse("orgs:pick", kwargs={"kind": self.kind})
        if self.params:
            url += "?" + urlencode(self.params)
        context["widget"]["attrs"]["data-picker-url"] = url
        context["widget"]["attrs"]["data-placeholder"] = "输入名称或拼音首字母查找"
        return context

    def optgroups(self, name, value, attrs=None):
        """Only the chosen values, looked up by key: never the whole queryset."""
        wanted = [str(v) for v in value if str(v).isdecimal()]
        groups = []
        if not self.allow_multiple_selected:
            empty = self.create_option(name, "", "", not wanted, 0, attrs=attrs)
            groups.append((None, [empty], 0))
        if not wanted:
            return groups
        field = self.choices.field
        # What the field found when it checked the submitted value is not looked up again.
        found = {key: obj for key, obj in getattr(field, "looked_up", {}).items() if key in wanted}
        missing = [key for key in wanted if key not in found]
        if missing:
            found |= {str(obj.pk): obj for obj in self.choices.queryset.filter(pk__in=missing)}
        for index, key in enumerate(wanted, start=len(groups)):
            if key in found:
                text = field.label_from_instance(found[key])
                groups.append(
                    (None, [self.create_option(name, key, text, True, index, attrs=attrs)], index)
                )
        return groups


class PickerSelect(_PickerWidget, forms.Select):
    pass


class PickerSelectMultiple(_PickerWidget, forms.SelectMultiple):
    pass
