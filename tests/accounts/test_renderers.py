"""The form renderer draws plain inputs in Python: the same markup as Django's templates."""

from pathlib import Path

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.template import engines
from django.utils.safestring import mark_safe
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from accounts.forms import LoginForm
from core.renderers import PLAIN_INPUTS, FormRenderer

DJANGO = TemplatesSetting()
OURS = FormRenderer()

WIDGETS = [
    forms.TextInput,
    forms.EmailInput,
    forms.PasswordInput,
    forms.HiddenInput,
    forms.NumberInput,
    forms.URLInput,
    forms.SearchInput,
    forms.TelInput,
    forms.DateInput,
    forms.DateTimeInput,
    forms.TimeInput,
]

# Any character, with the ones that escaping changes often enough to be met.
text = st.text(
    alphabet=st.one_of(st.sampled_from("<>&\"' a"), st.characters(codec="utf-8", exclude_categories=["Cs"])),
    max_size=12,
)
# What an attribute can hold: text (safe or not), numbers, True and False (the two that
# attrs.html treats apart), None, and a tuple (stringformat has a branch of its own for it).
attribute_value = st.one_of(
    text,
    text.map(mark_safe),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.tuples(st.integers(), st.integers()),
)
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz-_\"<>&'", min_size=1, max_size=10)


def test_every_plain_input_widget_is_drawn_in_python():
    assert {widget.template_name for widget in WIDGETS} == set(PLAIN_INPUTS) == OURS.drawn_in_python


@hypothesis_settings(max_examples=300, deadline=None)
@given(
    widget_class=st.sampled_from(WIDGETS),
    name=names,
    value=st.one_of(st.none(), text, text.map(mark_safe), st.integers()),
    attrs=st.dictionaries(names, attribute_value, max_size=5),
)
def test_same_markup_as_django_templates(widget_class, name, value, attrs):
    widget = widget_class(attrs=attrs)
    if widget_class is forms.PasswordInput:
        widget.render_value = True
    assert widget.render(name, value, renderer=OURS) == widget.render(name, value, renderer=DJANGO)


def test_a_whole_form_is_the_same_as_with_django_templates(rf):
    data = {"email": 'a"<b>@exemple.fr', "password": "x", "captcha": "&"}
    ours = LoginForm(data, request=rf.get("/"))
    django_s = LoginForm(data, request=rf.get("/"), renderer=DJANGO)
    ours.is_valid(), django_s.is_valid()
    for name in ("email", "password"):
        assert ours[name].as_field_group() == django_s[name].as_field_group()
    assert 'value="a&quot;&lt;b&gt;@exemple.fr"' in ours["email"].as_widget()


def test_an_overridden_input_template_is_rendered_not_bypassed(tmp_path, settings):
    """A project that overrides Django's input template gets its override."""
    (tmp_path / "django/forms/widgets").mkdir(parents=True)
    Path(tmp_path / "django/forms/widgets/input.html").write_text('<input data-override name="{{ widget.name }}">')
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [str(tmp_path)]}]
    try:
        renderer = FormRenderer()
        assert renderer.drawn_in_python == frozenset()
        assert forms.TextInput().render("nom", "x", renderer=renderer) == '<input data-override name="nom">'
    finally:
        engines._engines.clear()


@pytest.mark.parametrize("template_name", PLAIN_INPUTS)
def test_each_plain_template_is_one_include_of_input(template_name):
    """What the Python drawing relies on: each of these templates only includes input.html."""
    source = (Path(forms.__file__).parent / "templates" / template_name).read_text().strip()
    assert source == '{% include "django/forms/widgets/input.html" %}'


class Unprintable:
    def __str__(self):
        raise ValueError("no text")


def test_an_attribute_that_cannot_be_written_is_empty_as_in_django():
    widget = forms.TextInput(attrs={"data-x": Unprintable()})
    assert widget.render("n", None, renderer=OURS) == widget.render("n", None, renderer=DJANGO) == (
        '<input type="text" name="n" data-x="">'
    )
