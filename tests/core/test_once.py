"""{% once %}: the fragment is drawn in a context of its own, keyed by its names and the language
(issue 12 item 4). Nothing of the request or the user can be remembered for the next visitor."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template import TemplateSyntaxError, engines
from django.utils import translation

from core.templatetags.core_tags import ONCE_VARIANTS, OnceNode
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def template(source):
    return engines["django"].from_string("{% load core_tags %}" + source)


def once_node(page):
    return next(node for node in page.template.nodelist if isinstance(node, OnceNode))


# Everything a page's context holds about this visitor, named by the fragment.
PER_USER = (
    "[{{ username }}|{{ user }}|{{ user.login_email }}|{{ request.user }}|{{ csrf_token }}|{% csrf_token %}"
    "|{{ messages }}]"
)


def test_nothing_of_the_request_or_the_user_reaches_the_fragment(rf):
    """Even when the fragment's template names them: the first visitor's data never enters the memo."""
    page = template("{% once brand %}" + PER_USER + "{% endonce %}" + PER_USER)
    space = SpaceFactory()
    request = rf.get("/")
    request.user = space
    get_token(request)  # the page has a CSRF token (masked anew at each use)
    drawn = page.render({"brand": "a", "username": "ada"}, request=request)
    fragment, outside = drawn[: drawn.index("]") + 1], drawn[drawn.index("]") + 1 :]
    assert fragment == "[||||||]"
    # The page itself has them.
    assert "ada" in outside and space.login_email in outside and "csrfmiddlewaretoken" in outside
    assert list(once_node(page).memo.values()) == ["[||||||]"]


def test_the_fragment_sees_its_names_and_is_drawn_once_per_value(rf):
    page = template("{% once brand %}{{ brand }}-{{ other }}{% endonce %}|{{ other }}")
    assert page.render({"brand": "a", "other": "x"}) == "a-|x"
    assert page.render({"brand": "a", "other": "y"}) == "a-|y"
    assert page.render({"brand": "b", "other": "y"}) == "b-|y"  # another brand: drawn anew
    assert len(once_node(page).memo) == 2


def test_each_language_draws_its_own_entry():
    page = template("{% load i18n %}{% once %}{% get_current_language as language %}{{ language }}{% endonce %}")
    with translation.override("fr"):
        assert page.render({}) == "fr"
    with translation.override("en"):
        assert page.render({}) == "en"
    with translation.override("fr"):
        assert page.render({}) == "fr"
    assert sorted(key[0] for key in once_node(page).memo) == ["en", "fr"]


def test_static_url_and_include_work_without_the_page_s_context():
    page = template(
        "{% load static %}{% once name %}{% static 'core/css/espace.css' %} {% url 'espace:help' %} "
        '{% include "core/includes/footer.html" %}{% endonce %}'
    )
    drawn = page.render({"name": "Espace test", "ETAT_DEPLOIEMENT": False, "SERVICE_NAME": "absent du fragment"})
    assert drawn.startswith("/static/core/css/espace.css /aide ")
    assert 'href="/mentions-legales"' in drawn
    assert "absent du fragment" not in drawn  # the footer reads SERVICE_NAME only when it is a name of the tag


def test_a_key_is_a_plain_value_not_an_object(rf):
    """A user or a form as key would compare by identity or pk and carry far more than the key."""
    page = template("{% once user %}{% endonce %}")
    with pytest.raises(TemplateSyntaxError, match="valeur simple"):
        page.render({"user": AnonymousUser()})
    with pytest.raises(TemplateSyntaxError, match="noms de variables"):
        template("{% once brand|upper %}{% endonce %}")


def test_once_stops_remembering_past_a_few_variants():
    page = template("{% once key %}{{ key }}{% endonce %}")
    for key in range(ONCE_VARIANTS + 3):
        assert page.render({"key": key}) == str(key)
    assert len(once_node(page).memo) == ONCE_VARIANTS


def test_a_brand_setting_change_draws_the_frame_anew(client, settings):
    settings.SERVICE_NAME = "Espace A"
    assert "Espace A" in client.get("/aide").content.decode()
    settings.SERVICE_NAME = "Espace B"
    page = client.get("/aide").content.decode()
    assert "Espace B" in page and "Espace A" not in page


def test_the_frame_of_a_logged_in_page_holds_nothing_of_its_user(client):
    """The header, footer and scripts of a space's page are the same bytes as the login page's."""
    space = SpaceFactory()
    client.force_login(space)
    for url in ("/aide", "/mentions-legales"):
        page = client.get(url).content.decode()
        frame = page[: page.index('<main id="content"')] + page[page.index("</main>") :]
        assert space.login_email not in frame and space.last_name not in frame and space.subscriber_number not in frame


def test_a_key_the_context_lacks_reads_as_none():
    """A page drawn without the context processors (render_to_string) still renders its frame."""
    from django.template import Context, Template

    page = Template("{% load core_tags %}{% once MISSING %}[{{ MISSING }}]{% endonce %}")
    assert page.render(Context({})) == "[None]"
