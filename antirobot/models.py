"""What the database holds of the captcha: only the challenges already checked.

A challenge itself is not stored: its key is signed (antirobot.services), so drawing a page
writes nothing. The check records the key's nonce here, by one INSERT that does nothing when
the row exists: that row is what makes a challenge single use on any number of nodes.
"""

from django.db import models


class UsedChallenge(models.Model):
    """The nonce of a challenge consumed by a check, right or wrong."""

    # secrets.token_urlsafe(16): 22 characters.
    nonce = models.CharField(max_length=22, primary_key=True)
    # Beyond the life of every key that can carry this nonce (an extension gives a new key
    # with the same nonce); purge_expired() deletes the row after that.
    expires_at = models.DateTimeField(db_index=True)
