from django.db import models


class Challenge(models.Model):
    """A captcha shown once. Only its key is stored: the characters derive from the key and
    SECRET_KEY (antirobot.services.answer_for), so any app node can draw or check it."""

    key = models.CharField(max_length=43, primary_key=True)
    # The time limit, CAPTCHA_TTL after drawing, or CAPTCHA_EXTENDED_TTL on request.
    expires_at = models.DateTimeField(db_index=True)
