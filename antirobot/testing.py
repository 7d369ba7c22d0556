"""Helpers for tests: solve a captcha the way a person reads it, without any test mode."""

import re

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
