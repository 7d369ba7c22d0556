"""The agents' sign-in (R-AST-1): enrolment by the one-time link, then password and TOTP.

Every check of a secret goes through core.guard (R-THROTTLE-1), counted per agent email
(under a name of its own, assistance.services.agents.throttle_account) and per address: the
password, the TOTP code, a recovery code. The password's success does not reset the
failures: it only opens the way to the second factor, whose failures must not be wiped by
typing the password again (as J5's code before the trust answer).
"""

from django.conf import settings

from assistance import sessions
from assistance.events import Kind as Event
from assistance.models import AgentSession
from assistance.services import agents
from core import audit, clock
from core.client import client_bucket, client_ip
from core.guard import Verdict, check_secret
from core.messages import message, throttled
from core.throttle import Throttle


class Refused(Exception):
    """A sign-in step refused; ``text`` is the French message to show."""

    def __init__(self, text: str):
        super().__init__(text)
        self.text = text


def _guarded(request, email: str, verify, *, failed_kind: str, reset_on_success: bool = True):
    checked = check_secret(
        account=agents.throttle_account(email),
        address=client_ip(request),
        verify=verify,
        reset_on_success=reset_on_success,
    )
    if checked.verdict is Verdict.THROTTLED:
        audit.record(request, Event.LOGIN_THROTTLED, email=email, agent=email)
        raise Refused(throttled(checked.until))
    if not checked.ok:
        audit.record(request, failed_kind, email=email, agent=email)
        wrong = "assistance_login_failed" if failed_kind == Event.LOGIN_FAILED else "assistance_code_failed"
        raise Refused(message(wrong))
    return checked.value


def link_agent(request, token: str):
    """Return the agent of a live enrolment link, or None (every visit counts per address)."""
    if not Throttle.default().within_limit("assistance_links_per_address", key=client_bucket(request)):
        return None
    return agents.by_enrolment_token(token, clock.now())


def enrol_password(request, *, agent, password: str) -> None:
    """Set the password through the link (spent now); the TOTP enrolment comes next."""
    agents.set_password(agent=agent, password=password, now=clock.now())
    sessions.open_session(request, agent, AgentSession.Stage.ENROLMENT)


def enrol_totp(request, *, code: str) -> list[str]:
    """Confirm the TOTP of the session's agent; return its recovery codes and open the console."""
    agent = request.agent_session.agent
    codes = _guarded(
        request,
        agent.email,
        lambda: agents.confirm_enrolment(agent=agent, code=code, now=clock.now()),
        failed_kind=Event.SECOND_FACTOR_FAILED,
    )
    sessions.open_session(request, agent, AgentSession.Stage.OPEN)
    audit.record(request, Event.LOGIN_OK, email=agent.email, agent=agent.email)
    return codes


def log_in(request, *, email: str, password: str) -> str:
    """Check email and password; return the next stage (second factor, or TOTP enrolment)."""
    agent = _guarded(
        request,
        email,
        lambda: agents.by_password(email, password),
        failed_kind=Event.LOGIN_FAILED,
        reset_on_success=False,
    )
    stage = AgentSession.Stage.SECOND_FACTOR if agent.enrolled_at else AgentSession.Stage.ENROLMENT
    sessions.open_session(request, agent, stage)
    return stage


def second_factor(request, *, code: str) -> None:
    """Check the TOTP code (or spend a recovery code) of the session's agent; open the console."""
    agent = request.agent_session.agent
    proof = _guarded(
        request,
        agent.email,
        lambda: agents.second_factor(agent=agent, code=code, now=clock.now()),
        failed_kind=Event.SECOND_FACTOR_FAILED,
    )
    sessions.open_session(request, agent, AgentSession.Stage.OPEN)
    if proof.recovery:
        audit.record(request, Event.RECOVERY_CODE_USED, email=agent.email, agent=agent.email)
    audit.record(request, Event.LOGIN_OK, email=agent.email, agent=agent.email)


def looked_at(request, kind: str, *, subject=None, **detail) -> None:
    """Record what the signed-in agent looked at (a search, a space, its history), naming the
    agent (R-AST-1: every agent action is an audit event naming the agent)."""
    agent = request.agent_session.agent
    audit.record(request, kind, email=agent.email, subject=subject, agent=agent.email, agent_name=agent.name, **detail)


def log_out(request) -> None:
    session = request.agent_session
    if session is not None:
        audit.record(request, Event.LOGOUT, email=session.agent.email, agent=session.agent.email)
    sessions.end(request)


def idle_minutes() -> int:
    return int(settings.ASSISTANCE_IDLE_TIMEOUT.total_seconds() // 60)
