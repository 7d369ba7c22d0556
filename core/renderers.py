"""The form renderer: Django's templates, except the plain `<input>` drawn in Python.

Django draws every `<input>` through two templates, `input.html` and `attrs.html`, whose
loop over the attributes costs more than the rest of a field: about a third of the login
page's render, on the path of every login (issue 5 item 9). Those two templates are one
line each, so the renderer writes the same markup with format_html: the same attributes in
the same order, escaped the same way (`{{ }}` escapes, `stringformat:'s'` keeps a safe
string safe). tests/accounts/test_renderers.py checks, for every widget type drawn here and
for arbitrary names, values and attributes, that the output equals Django's templates.

Only Django's own templates are replaced: if a project or app ever overrides one of them,
the renderer sees it (the template found is not Django's) and renders the override.
"""

from functools import cached_property
from pathlib import Path

import django
from django.forms.renderers import TemplatesSetting
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

DJANGO_WIDGETS = Path(django.__file__).resolve().parent / "forms" / "templates" / "django" / "forms" / "widgets"
INPUT = "django/forms/widgets/input.html"
ATTRS = "django/forms/widgets/attrs.html"
# Django's widget templates that are nothing but {% include "django/forms/widgets/input.html" %}.
PLAIN_INPUTS = tuple(
    f"django/forms/widgets/{kind}.html"
    for kind in ("text", "email", "password", "hidden", "number", "url", "tel", "search", "date", "datetime", "time")
)


def _string(value) -> str:
    """`value|stringformat:'s'`: str(value) (a safe string stays safe), '' when that fails."""
    try:
        return str(value)
    except (TypeError, ValueError):
        return ""


def attributes(attrs: dict) -> SafeString:
    """attrs.html: ` name="value"` per attribute, ` name` for True, nothing for False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, _string(value)))
    return mark_safe("".join(parts))


def input_tag(widget: dict) -> SafeString:
    """input.html, for a widget's template context."""
    value = widget["value"]
    shown = format_html(' value="{}"', _string(value)) if value is not None else ""
    return format_html(
        '<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown, attributes(widget["attrs"])
    )


class FormRenderer(TemplatesSetting):
    @cached_property
    def drawn_in_python(self) -> frozenset[str]:
        """The plain input templates still Django's own, wherever the engine finds them."""

        def django_own(name: str) -> bool:
            origin = Path(self.get_template(name).origin.name).resolve()
            return origin.parent == DJANGO_WIDGETS

        if not (django_own(INPUT) and django_own(ATTRS)):
            return frozenset()
        return frozenset(name for name in PLAIN_INPUTS if django_own(name))

    def render(self, template_name, context, request=None):
        if template_name in self.drawn_in_python:
            return input_tag(context["widget"])
        return super().render(template_name, context, request=request)

