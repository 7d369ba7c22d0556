"""Template tags of the product."""

import re

from django import template
from django.utils.translation import get_language

register = template.Library()

# A fragment keyed by request data would fill the memo: past this many variants, it is
# rendered every time instead of remembered.
ONCE_VARIANTS = 8

# A key is a plain name of the context: what the fragment sees under that same name.
KEY_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

# The values a key may take: equal values draw the same markup. An object (a user, a form, a
# request) compares by identity or by primary key and carries far more than its key says.
KEY_TYPES = (str, int, float, bool, type(None))


class OnceNode(template.Node):
    def __init__(self, nodelist, names):
        self.nodelist, self.names, self.memo = nodelist, names, {}
        self.variables = [template.Variable(name) for name in names]

    def render(self, context):
        values = {name: _resolve(variable, context) for name, variable in zip(self.names, self.variables, strict=True)}
        for name, value in values.items():
            if not isinstance(value, KEY_TYPES):
                kind = type(value).__name__
                raise template.TemplateSyntaxError(
                    f"{{% once %}}: {name} vaut un {kind}, pas une valeur simple (texte, nombre, booléen)."
                )
        # The fragment may hold translated text: each language draws its own.
        key = (get_language(), *values.values())
        rendered = self.memo.get(key)
        if rendered is None:
            rendered = self.nodelist.render(self.isolated(context, values))
            if len(self.memo) < ONCE_VARIANTS:
                self.memo[key] = rendered
        return rendered

    @staticmethod
    def isolated(context, values):
        """A context holding only the key values: no request, no user, no token, nothing of
        the context processors. Tags that need no context ({% static %}, {% url %}, {% include %}
        of a template that reads only the keys) work as in the page."""
        isolated = template.Context(
            values, autoescape=context.autoescape, use_l10n=context.use_l10n, use_tz=context.use_tz
        )
        # {% include %} finds the engine through the template being rendered; it carries no data.
        isolated.template, isolated.template_name = context.template, context.template_name
        return isolated


def _resolve(variable, context):
    """Return the variable's value, None when the context lacks it (as a template would read it
    blank: a page rendered without the context processors, by render_to_string for instance)."""
    try:
        return variable.resolve(context)
    except template.VariableDoesNotExist:
        return None


@register.tag
def once(parser, token):
    """`{% once NAME … %}…{% endonce %}`: render the fragment once per process, per language and
    per value of the NAMEs.

    For the page's frame (head, header, footer), which depends only on settings, static files
    and URLs: every page is drawn on every request, the login page for every login, and the
    frame is most of its template work (issue 5 item 9). The memo lives in the compiled
    template, so it lasts as long as Django's cached template loader keeps that (the process;
    in development, until a template file changes).

    The fragment is drawn in a context of its own that holds the NAMEs and nothing else (issue
    12 item 4): whatever of the request or the user its template names (a name, a CSRF token,
    `request`, `user`) is empty there, and cannot be remembered for the next visitor. The NAMEs
    are the brand values the fragment reads (context processor `brand`), plain values only, so
    that a changed setting draws it anew.
    """
    names = token.split_contents()[1:]
    for name in names:
        if not KEY_NAME.match(name):
            raise template.TemplateSyntaxError(f"{{% once %}} prend des noms de variables, pas {name!r}.")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, names)
