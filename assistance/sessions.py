"""The agents' sessions (R-AST-1): their own table and cookie, never Django's session.

A space's session (Django's, cookie SESSION_COOKIE_NAME) is never read under /assistance/,
and an agent's cookie is read nowhere else: it names a row of AgentSession by the digest of
its random token, and its path is /assistance/ (a browser does not even send it to a
space's pages). HttpOnly, SameSite=Strict, Secure (with the __Secure- prefix) unless
SECURE_COOKIES is off. Idle and absolute lifetimes are ASSISTANCE_IDLE_TIMEOUT and
ASSISTANCE_ABSOLUTE_TIMEOUT, checked at every request by the clock (core.clock).
"""

import ipaddress

from django.conf import settings
from django.middleware.csrf import rotate_token

from assistance import secrets
from assistance.events import Kind as Event
from assistance.models import AgentSession
from core import audit, clock
from core.client import client_ip

PREFIX = "/assistance"
PATH = "/assistance/"
# Refresh the idle clock at most this often (one write a minute, not one a request).
TOUCH_EVERY_SECONDS = 60


def cookie_name() -> str:
    return "__Secure-assistance" if settings.SECURE_COOKIES else "assistance"


def is_console(path: str) -> bool:
    return path == PREFIX or path.startswith(PATH)


def allowed_network(request) -> bool:
    """Return whether the client's address (core.client: TRUSTED_PROXIES) may reach the console.

    No ASSISTANCE_NETWORKS: every address may. A network that does not parse allows nothing
    more (a typo must not open the console)."""
    if not settings.ASSISTANCE_NETWORKS:
        return True
    ip = client_ip(request)  # an address core.client parsed, or None
    if ip is None:
        return False
    address = ipaddress.ip_address(ip)
    for network in settings.ASSISTANCE_NETWORKS:
        try:
            if address in ipaddress.ip_network(network.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def load(request) -> AgentSession | None:
    """Return the live session the request's cookie names (request.agent_session), or None.

    A session past its idle or absolute lifetime is ended here (and audited), and its cookie
    dropped; the request then reaches the console as nobody's.
    """
    request.agent_session = None
    request.assistance_cookie = None  # what to write back: a new token, "" to drop it, None: nothing
    token = request.COOKIES.get(cookie_name(), "")
    if not token or len(token) > 100:
        return None
    session = (
        AgentSession.objects.select_related("agent")
        .filter(digest=secrets.digest(token, purpose="session"), ended_at__isnull=True)
        .first()
    )
    if session is None or not session.agent.is_active:
        request.assistance_cookie = ""
        return None
    now = clock.now()
    if now - session.seen_at >= settings.ASSISTANCE_IDLE_TIMEOUT or (
        now - session.created_at >= settings.ASSISTANCE_ABSOLUTE_TIMEOUT
    ):
        AgentSession.objects.filter(pk=session.pk).update(ended_at=now)
        audit.record(request, Event.SESSION_EXPIRED, email=session.agent.email, agent=session.agent.email)
        request.assistance_cookie = ""
        return None
    if (now - session.seen_at).total_seconds() >= TOUCH_EVERY_SECONDS:
        AgentSession.objects.filter(pk=session.pk).update(seen_at=now)
        session.seen_at = now
    request.agent_session = session
    return session


def open_session(request, agent, stage: str) -> AgentSession:
    """Start a new session for agent at stage, ending the request's current one.

    A new token at every step of the sign-in (and a new CSRF token): a token seen before
    the second factor opens nothing after it.
    """
    now = clock.now()
    end(request)
    # The agent's sessions past their absolute lifetime are dead whatever they say: forget them
    # here, so that the table holds a few rows per agent (no housekeeping job needed).
    AgentSession.objects.filter(agent=agent, created_at__lte=now - settings.ASSISTANCE_ABSOLUTE_TIMEOUT).delete()
    token = secrets.new_token()
    session = AgentSession.objects.create(
        agent=agent, digest=secrets.digest(token, purpose="session"), stage=stage, created_at=now, seen_at=now
    )
    request.agent_session = session
    request.assistance_cookie = token
    rotate_token(request)
    return session


def end(request) -> None:
    """End the request's session, if any, and drop its cookie."""
    session = getattr(request, "agent_session", None)
    if session is not None:
        AgentSession.objects.filter(pk=session.pk).update(ended_at=clock.now())
    request.agent_session = None
    request.assistance_cookie = ""


def write_cookie(request, response) -> None:
    """Write or drop the agent's cookie as the request decided."""
    value = getattr(request, "assistance_cookie", None)
    if value:
        response.set_cookie(
            cookie_name(),
            value,
            path=PATH,
            secure=settings.SECURE_COOKIES,
            httponly=True,
            samesite="Strict",
        )
    elif value == "" and cookie_name() in request.COOKIES:
        response.delete_cookie(cookie_name(), path=PATH, samesite="Strict")
