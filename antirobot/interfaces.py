"""The contract of the captcha (R-CAPTCHA-1/2)."""

from typing import Protocol, runtime_checkable


@runtime_checkable
class Captcha(Protocol):
    """The test a form puts before a login, a secret check or a mail; ``settings.CAPTCHA``
    names the implementation (antirobot.forms.CaptchaFormMixin is its one user).

    ``draw(request, purpose)`` returns a new challenge for the browser of request and the form
    of purpose, as the widget template antirobot/captcha_widget.html draws it (``key``, and the
    URLs ``image``, ``audio`` — a French audio version is required — and ``extend``, "Plus de
    temps"). Drawing counts nothing against anyone.

    ``check(key, answer, request=, purpose=)`` consumes the challenge of key — one answer per
    challenge, right or wrong, however many app nodes ask — and returns a ``Verdict``: PASSED
    only for the right answer to a live key drawn for that purpose by that browser; TOO_MANY
    past the per-address ceiling of checks. It never raises for what a client sent.
    """

    def draw(self, request, purpose: str) -> dict:
        """Return a new challenge for the browser of request and the form of purpose."""

    def check(self, key, answer, *, request, purpose: str):
        """Consume the challenge of key; return its Verdict."""
