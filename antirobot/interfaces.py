"""The contract of the captcha (R-CAPTCHA-1/2)."""

from typing import Protocol, runtime_checkable


@runtime_checkable
class Captcha(Protocol):
    """The test a form puts before a login, a secret check or a mail; ``settings.CAPTCHA``
    names the implementation (antirobot.forms.CaptchaFormMixin is its one user).

    ``draw(address=...)`` returns a new challenge for the client at address, as the widget
    template antirobot/captcha_widget.html draws it (``key``, and the URLs ``image``,
    ``audio`` — a French audio version is required — and ``extend``, "Plus de temps"), or
    None when that address has drawn its quota (the widget then says why, and the form
    cannot pass).

    ``verify(key, answer)`` consumes the challenge of key — one answer per challenge, right
    or wrong, however many app nodes ask — and returns whether answer solves it. A forged,
    altered, expired or already used key is False; it never raises for what a client sent.
    """

    def draw(self, *, address: str | None) -> dict | None:
        """Return a new challenge for the client at address, or None past its quota."""

    def verify(self, key, answer) -> bool:
        """Consume the challenge of key; return whether answer solves it."""
