"""The fast form renderer writes the markup Django's widget templates write, byte for byte."""

from datetime import date

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import SafeString

from mofan.core.renderers import FastWidgets


class EveryWidget(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"placeholder": '引号"与<尖括号>&'}))
    empty = forms.CharField(required=False)
    number = forms.IntegerField(widget=forms.NumberInput(attrs={"min": 0, "step": 1}))
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(widget=forms.HiddenInput)
    mail = forms.EmailField(widget=forms.EmailInput(attrs={"autofocus": True, "disabled": False}))
    choice = forms.ChoiceField(choices=[("", "全部"), ("a&b", "甲<乙>"), (3, "三")])
    dated = forms.ChoiceField(choices=[("d", date(2026, 1, 5)), ("n", 1234.5)])  # Django's own
    grouped = forms.ChoiceField(
        choices=[("", "—"), ("班子", [("x", "书记"), ("y", "委员")]), ("z", "其他")]
    )
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")])
    flag = forms.BooleanField(required=False)  # a checkbox: left to its template
    note = forms.CharField(widget=forms.Textarea)  # left to its template


DATA = {
    "text": "<script>",
    "number": "7",
    "when": "2026-12-02",
    "secret": "p&w",
    "hidden": '"q"',
    "mail": "a@b.cn",
    "choice": "a&b",
    "grouped": "y",
    "many": ["1", "3"],
    "flag": "on",
    "note": "x<y",
}


@pytest.mark.parametrize("data", [DATA, None, {"choice": "nope", "many": ["9"]}])
def test_every_widget_renders_as_django_renders_it(data):
    fast, django = (
        EveryWidget(data, renderer=FastWidgets()),
        EveryWidget(data, renderer=DjangoTemplates()),
    )
    fast.fields["when"].initial = date(2026, 1, 5)
    django.fields["when"].initial = date(2026, 1, 5)
    for name in fast.fields:
        ours, theirs = str(fast[name]), str(django[name])
        assert ours == theirs, name
        assert isinstance(ours, SafeString)
    assert "&lt;script&gt;" in str(fast["text"]) if data == DATA else True
    assert '<option value="a&amp;b" selected>甲&lt;乙&gt;</option>' in str(
        EveryWidget(DATA, renderer=FastWidgets())["choice"]
    )


@pytest.mark.django_db
def test_pickers_render_as_django_renders_them(world):
    """A picker holds only the chosen options (mofan/core/widgets.py)."""
    from mofan.orgs.pickers import PickerField

    class Pick(forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["unit"] = PickerField(kind="units", required=False).bind(world.sam)

    for data in ({"unit": str(world.unit_a.pk)}, None):
        ours = str(Pick(data, renderer=FastWidgets())["unit"])
        theirs = str(Pick(data, renderer=DjangoTemplates())["unit"])
        assert ours == theirs
    assert world.unit_a.name in str(Pick({"unit": str(world.unit_a.pk)})["unit"])


def test_the_setting_names_the_fast_renderer(settings):
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FastWidgets)
