"""Helpers for tests: solve a captcha the way a person reads it, without any test mode."""

import re

from antirobot import services
from antirobot.services import answer_for

KEY_RE = re.compile(r'name="captcha_key" value="([^"]+)"')


def solve(key: str) -> str:
    """Return the characters of the challenge key."""
    return answer_for(key)


def captcha_post_data(response) -> dict:
    """Return the captcha fields to post back for the page of response."""
    html = response.content.decode() if hasattr(response, "content") else str(response)
    key = KEY_RE.search(html).group(1)
    return {"captcha_key": key, "captcha": solve(key)}


def binding_of(client) -> str:
    """Return the captcha binding of a django.test.Client, giving it one if it has none."""
    morsel = client.cookies.get(services.COOKIE)
    if morsel is None or not services.BINDING_RE.fullmatch(morsel.value):
        client.cookies[services.COOKIE] = services.secrets.token_urlsafe(16)
        morsel = client.cookies[services.COOKIE]
    return morsel.value


def draw(client, purpose: str = "login") -> str:
    """Return a new key of purpose bound to client, as its page would have drawn it."""
    return services.issue(purpose, binding_of(client))
