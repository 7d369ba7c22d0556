"""Template tags of the product."""

from django import template

register = template.Library()

# A fragment keyed by request data would fill the memo: past this many variants, it is
# rendered every time instead of remembered.
ONCE_VARIANTS = 8


class OnceNode(template.Node):
    def __init__(self, nodelist, keys):
        self.nodelist, self.keys, self.memo = nodelist, keys, {}

    def render(self, context):
        key = tuple(variable.resolve(context) for variable in self.keys)
        rendered = self.memo.get(key)
        if rendered is None:
            rendered = self.nodelist.render(context)
            if len(self.memo) < ONCE_VARIANTS:
                self.memo[key] = rendered
        return rendered


@register.tag
def once(parser, token):
    """`{% once VAR … %}…{% endonce %}`: render the fragment once per process and per value of VARs.

    For the page's frame (head, header, footer), which depends only on settings, static files
    and URLs: every page is drawn on every request, the login page for every login, and the
    frame is most of its template work (issue 5 item 9). The memo lives in the compiled
    template, so it lasts as long as Django's cached template loader keeps that (the process;
    in development, until a template file changes). Never put anything of the request or the user
    inside: a CSRF token, a nonce, a name. The VARs name what the fragment reads from the
    context (the brand settings), so that a changed setting draws it anew.
    """
    keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    return OnceNode(nodelist, keys)
