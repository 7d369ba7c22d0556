"""Agents' accounts (R-AST-1): creation, enrolment, the checks of their secrets, deactivation.

HTTP-free: the flows (assistance.flows) guard every check with core.guard and hold the
sessions; the commands call create and deactivate.
"""

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction

from assistance import secrets
from assistance.events import Kind as Event
from assistance.models import Agent, AgentSession, RecoveryCode
from core import audit

# A hash to check when the email typed has no agent, so that the answer takes as long.
_DECOY = {}


class AgentExists(Exception):
    """An agent already has this email."""


def throttle_account(email: str) -> str:
    """Return the name the throttle counts an agent's checks under (never a space's email's)."""
    return f"assistance:{email}"


def password_subject(agent: Agent) -> SimpleNamespace:
    """Return what the password policy judges an agent's password against (R-PWD-2): its
    email and name; no history of a space (an agent is none)."""
    return SimpleNamespace(pk=None, login_email=agent.email, first_name="", last_name=agent.name)


@transaction.atomic
def create(*, email: str, name: str, now: datetime) -> tuple[Agent, str]:
    """Create an agent with its one-time enrolment link; return it and the link's token."""
    if Agent.objects.filter(email=email).exists():
        raise AgentExists(email)
    token = secrets.new_token()
    agent = Agent.objects.create(
        email=email,
        name=name,
        created_at=now,
        enrolment_digest=secrets.digest(token, purpose="enrolment"),
        enrolment_expires_at=now + settings.ASSISTANCE_ENROLMENT_TTL,
    )
    audit.record(None, Event.AGENT_CREATED, email=email, agent=email)
    return agent, token


def by_enrolment_token(token: str, now: datetime) -> Agent | None:
    """Return the active agent whose live enrolment link token is, or None."""
    if not token or len(token) > 100:
        return None
    agent = Agent.objects.filter(enrolment_digest=secrets.digest(token, purpose="enrolment"), is_active=True).first()
    if agent is None or agent.enrolment_expires_at is None or agent.enrolment_expires_at <= now:
        return None
    return agent


@transaction.atomic
def set_password(*, agent: Agent, password: str, now: datetime) -> None:
    """Set the agent's password (already judged by the policy) and spend its enrolment link."""
    agent.password = make_password(password)
    agent.enrolment_digest, agent.enrolment_expires_at = "", None
    agent.save(update_fields=["password", "enrolment_digest", "enrolment_expires_at"])


def by_password(email: str, password: str) -> Agent | None:
    """Return the active agent of email if password is its own, else None (same cost either way)."""
    agent = Agent.objects.filter(email=email, is_active=True).exclude(password="").first()
    if agent is None:
        if "hash" not in _DECOY:
            _DECOY["hash"] = make_password("assistance-decoy")
        check_password(password, _DECOY["hash"])
        return None
    return agent if check_password(password, agent.password) else None


def totp_secret(agent: Agent) -> str:
    """Return the agent's TOTP secret, drawn now if it has none (kept until confirmed, so that
    a reload of the enrolment page shows the same QR code)."""
    if not agent.totp_secret:
        agent.totp_secret = secrets.seal_totp(secrets.new_totp_secret())
        agent.save(update_fields=["totp_secret"])
    return secrets.open_totp(agent.totp_secret)


def _accept_step(agent: Agent, code: str, now: datetime) -> bool:
    """Accept code for the agent's TOTP once: a code already used (same or older step) fails."""
    if not agent.totp_secret:
        return False
    step = secrets.totp_step(secrets.open_totp(agent.totp_secret), code, now)
    if step is None or (agent.totp_last_step is not None and step <= agent.totp_last_step):
        return False
    updated = Agent.objects.filter(pk=agent.pk, totp_last_step=agent.totp_last_step).update(totp_last_step=step)
    agent.totp_last_step = step
    return updated == 1  # a concurrent use of the same code loses


@transaction.atomic
def confirm_enrolment(*, agent: Agent, code: str, now: datetime) -> list[str] | None:
    """Confirm the TOTP with a code from the application; return the new recovery codes
    (shown once), or None when the code is wrong."""
    if agent.enrolled_at is not None or not _accept_step(agent, code, now):
        return None
    agent.enrolled_at = now
    agent.save(update_fields=["enrolled_at"])
    codes = [secrets.new_recovery_code() for _ in range(settings.ASSISTANCE_RECOVERY_CODES)]
    agent.recovery_codes.all().delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(agent=agent, digest=secrets.digest(code_, purpose="recovery")) for code_ in codes
    )
    audit.record(None, Event.ENROLLED, email=agent.email, agent=agent.email)
    return codes


@dataclass(frozen=True)
class SecondFactor:
    agent: Agent
    recovery: bool  # a recovery code was spent


def second_factor(*, agent: Agent, code: str, now: datetime) -> SecondFactor | None:
    """Return the agent when code is its current TOTP code or one of its unused recovery
    codes (spent now), else None."""
    if agent.enrolled_at is None:
        return None
    if _accept_step(agent, code.strip(), now):
        return SecondFactor(agent, recovery=False)
    recovery = secrets.normal_recovery_code(code)
    if recovery is None:
        return None
    spent = RecoveryCode.objects.filter(
        agent=agent, digest=secrets.digest(recovery, purpose="recovery"), used_at__isnull=True
    ).update(used_at=now)
    return SecondFactor(agent, recovery=True) if spent == 1 else None


def enrolment_link(token: str) -> str:
    """Return the lines a command prints for an enrolment link: its terms, then the address."""
    from django.urls import reverse

    site = f"https://{settings.SITE_DOMAIN}" if settings.SITE_DOMAIN else ""
    hours = int(settings.ASSISTANCE_ENROLMENT_TTL.total_seconds() // 3600)
    return (
        f"Lien d'enrôlement (usage unique, valable {hours} h, à transmettre à l'agent seul) :\n"
        f"{site}{reverse('assistance:enrol', args=[token])}"
    )


class AgentInactive(Exception):
    """A deactivated agent gets no new enrolment link (create another agent, or reactivate it first)."""


@transaction.atomic
def reenrol(*, agent: Agent, now: datetime) -> tuple[str, int]:
    """Give the agent a new one-time enrolment link; return its token and the sessions ended.

    For an agent who lost the second factor or the password, or whose first link lapsed. The
    old password, TOTP secret and recovery codes stop working now, not at the new enrolment:
    whoever holds the lost phone and knows the password is locked out at once; the agent's
    open sessions end too.
    """
    locked = Agent.objects.select_for_update().get(pk=agent.pk)
    if not locked.is_active:
        raise AgentInactive(locked.email)
    token = secrets.new_token()
    locked.password, locked.totp_secret, locked.totp_last_step, locked.enrolled_at = "", "", None, None
    locked.enrolment_digest = secrets.digest(token, purpose="enrolment")
    locked.enrolment_expires_at = now + settings.ASSISTANCE_ENROLMENT_TTL
    locked.save(update_fields=[
        "password", "totp_secret", "totp_last_step", "enrolled_at", "enrolment_digest", "enrolment_expires_at"
    ])
    locked.recovery_codes.all().delete()
    ended = AgentSession.objects.filter(agent=locked, ended_at__isnull=True).update(ended_at=now)
    audit.record(None, Event.REENROLMENT, email=locked.email, agent=locked.email)
    return token, ended


@transaction.atomic
def deactivate(*, agent: Agent, now: datetime) -> int:
    """Deactivate the agent and end its sessions; return how many were open."""
    agent.is_active = False
    agent.enrolment_digest, agent.enrolment_expires_at = "", None
    agent.save(update_fields=["is_active", "enrolment_digest", "enrolment_expires_at"])
    ended = AgentSession.objects.filter(agent=agent, ended_at__isnull=True).update(ended_at=now)
    audit.record(None, Event.AGENT_DEACTIVATED, email=agent.email, agent=agent.email)
    return ended
