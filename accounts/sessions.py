"""What a space's session holds besides Django's own keys (SPEC §4 session limits).

The login flow writes these keys when a session opens; SessionLifetimeMiddleware reads them
on every request. Both import them from here, so no flow depends on the middleware.
"""

AUTH_AT_KEY = "espace_auth_at"  # unix time the session opened: the 12-hour absolute limit
SEEN_AT_KEY = "espace_seen_at"  # unix time of the last refresh: the 30-minute idle limit
