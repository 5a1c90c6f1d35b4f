"""`esc` escapes as Django's `conditional_escape` does: the rows and widgets written in Python
show exactly what Django's templates showed."""

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import strategies as st

from mofan.core.markup import esc


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.text().map(mark_safe)))
def test_every_value_is_escaped_as_django_escapes_it(value):
    assert esc(value) == str(conditional_escape(value))


def test_quotes_and_ampersands_are_escaped_and_html_is_left_alone():
    assert esc("<a href='x'>\"&") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;"
    assert esc(mark_safe("<b>已签收</b>")) == "<b>已签收</b>"


def test_a_lazy_label_is_escaped_as_django_escapes_it():
    label = gettext_lazy("已交办 <b>")
    assert esc(label) == str(conditional_escape(label)) == "已交办 &lt;b&gt;"
