"""The channels that carry a code to its owner: "email" and "post" (registry.CHANNELS).

A channel delivers one message, in the caller's transaction. The codes app does not know
who writes emails: the app that owns the email catalogue (accounts: the seeds' subjects and
footer, R-EMAIL-1) provides the "email" channel at start-up. The "post" channel is this
app's own, over the letters backend the settings choose (codes.letters).
"""

from collections.abc import Sequence
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured

from codes import letters
from codes.registry import CHANNELS
from core.site import site_domain


class Channel(Protocol):
    """Deliver the code of a request."""

    def deliver(self, *, message: str, to: str | Sequence[str], code: str, context: dict) -> None:
        """Send message (the kind's) with code to to: an email, or a postal address's lines."""


class Post:
    """Codes by post: the kind's message is the template of the letter (codes/letters/…html).

    The site the letter names is read now, in the request (core.site): the worker that
    renders the letter later serves no request.
    """

    def deliver(self, *, message: str, to: str | Sequence[str], code: str, context: dict) -> None:
        context = {"site": site_domain(), **context, "code": code}
        letters.backend().send(address=list(to), template=message, context=context)


_channels: dict[str, Channel] = {}


def provide(name: str, channel: Channel) -> None:
    """Make channel the one that delivers name's messages; once per name (AppConfig.ready)."""
    if name not in CHANNELS:
        raise ImproperlyConfigured(f"Channel {name!r} is not one of {CHANNELS}.")
    if name in _channels:
        raise ImproperlyConfigured(f"Channel {name!r} is provided already.")
    _channels[name] = channel


def get(name: str) -> Channel:
    """Return the channel of name; raise ImproperlyConfigured if no app provides it."""
    try:
        return _channels[name]
    except KeyError:
        raise ImproperlyConfigured(f"No app provides the {name!r} channel.") from None
