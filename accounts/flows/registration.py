"""J1 "Créer votre espace professionnel": a wizard whose state lives in the server-side session.

Nothing reaches the database before "Confirmer" (J1.7). Secrets never sit in the session
in clear: the password and the trust answer are hashed (Argon2id) as soon as they are
validated, which is also why going back shows them empty.
"""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from core import clock
from core.identity import format_phone, format_siren
from accounts.kinds import Kind
from accounts.models import Civility
from accounts.requests import EmailOfCertificateSpace  # noqa: F401 (re-export)
from codes.models import PendingRequest
from core import audit
from codes import requests
from codes.errors import EmailUnavailable  # noqa: F401 (re-export)
from codes.process import CodeProcess
from core.client import client_ip
from core.throttle import Throttle
from accounts.events import Kind as Event
from habilitations import addresses
from habilitations.services import adhesion

SESSION_KEY = "espace_creation"
SENT_KEY = "espace_creation_sent"  # set by confirm(): the page "code envoyé" can be shown again
# What step 3 keeps of an unsubmitted page when the person goes back ("Étape précédente"):
# every field but the secret answer, each cut to a bounded length (session size stays small).
DRAFT_FIELDS = (
    "civility last_name first_name foreign_company company_identifier phone street_number street_type "
    "street_name address_complement postal_code city country trust_question "
    "siren company_email company_email_confirm"
).split()
DRAFT_MAX_LENGTH = 200
MODES = {"simplifie": "mode simplifié", "expert": "mode expert"}
SIMPLIFIED = "simplifie"
STEPS = ("cgu", "credentials", "form", "summary")


@dataclass(frozen=True)
class Company:
    """The company of mode simplifié as the summary shows it (R-ADH-4)."""

    siren: str  # "732 829 320"
    name: str  # "" when the register no longer knows it
    siege_lines: list[str]  # under the name, masked as J9 masks them (habilitations.addresses)


class TooManyRequests(Exception):
    """Too many creation requests from one client address (R-THROTTLE-1 spirit)."""


@dataclass
class Wizard:
    """The creation wizard of one browser session."""

    session: object

    @property
    def state(self) -> dict:
        return self.session.setdefault(SESSION_KEY, {})

    def _save(self):
        self.session.modified = True

    def start(self, mode: str) -> None:
        self.session[SESSION_KEY] = {"mode": mode if mode in MODES else "expert"}

    def choose(self, mode: str) -> None:
        """Start the wizard in mode, unless one in that mode is under way (its steps are kept)."""
        if SESSION_KEY not in self.session or self.mode != mode:
            self.start(mode)

    @property
    def mode(self) -> str:
        # A read, never a write: a GET shows the wizard's mode without starting one.
        return self.session.get(SESSION_KEY, {}).get("mode", "expert")

    @property
    def simplified(self) -> bool:
        """Return whether step 3 also asks the company's SIREN and email (R-ADH-4)."""
        return self.mode == SIMPLIFIED

    def reached(self, step: str) -> bool:
        """Return whether the user may see step: every step before it is done."""
        done_before = STEPS[: STEPS.index(step)]
        return SESSION_KEY in self.session and all(self.state.get(done) for done in done_before)

    def accept_cgu(self) -> None:
        self.state["cgu"] = True
        self._save()

    def set_credentials(self, *, email: str, password: str) -> None:
        self.state["credentials"] = {"email": email, "password_hash": make_password(password)}
        self._save()

    @property
    def email(self) -> str:
        return self.state.get("credentials", {}).get("email", "")

    def set_form(self, data: dict) -> None:
        dropped = {"trust_answer", "contact_email", "company_email_confirm"}
        values = {key: value for key, value in data.items() if key not in dropped}
        values["trust_answer_hash"] = make_password(data["trust_answer"])
        self.state["form"] = values
        self.state.pop("draft", None)
        self._save()

    def keep_draft(self, data) -> None:
        """Keep what was typed on step 3, valid or not, when the person goes back (J1.7).

        The trust answer is left out: a secret never sits in the session in clear.
        """
        self.state["draft"] = {
            name: str(data.get(name, ""))[:DRAFT_MAX_LENGTH] for name in DRAFT_FIELDS if name in data
        }
        self._save()

    def form_initial(self) -> dict:
        """Return what step 3 shows again on the way back: everything but the answer.

        An unsubmitted draft wins over the last validated page (it is more recent); the phone
        of a validated page is shown in national form, as a person types it, not as E.164.
        """
        if self.state.get("draft"):
            return dict(self.state["draft"])
        values = dict(self.state.get("form", {}))
        values.pop("trust_answer_hash", None)
        if "foreign_company" in values:
            values["foreign_company"] = "oui" if values["foreign_company"] else "non"
        if values.get("phone"):
            values["phone"] = format_phone(values["phone"])
        if "company_email" in values:
            values["company_email_confirm"] = values["company_email"]
        return values

    def clear_form(self) -> None:
        self.state.pop("form", None)
        self.state.pop("draft", None)
        self._save()

    def summary(self) -> dict:
        return {**self.state["form"], "email": self.email, "mode": MODES[self.mode]}

    def company(self) -> Company | None:
        """Return the company of mode simplifié as the register knows it now (R-ADH-4); None in mode expert.

        Step 3 checked it; should the register have lost it since, the summary shows the
        SIREN alone (no name, no siège) and the request of the services checks it again.
        """
        siren = self.state["form"].get("siren") if self.simplified else None
        if not siren:
            return None
        try:
            name, lines = adhesion.company_of(siren)
        except adhesion.AdhesionRefused:
            name, lines = "", []
        # Whoever sees the summary has proven nothing of the company yet: the siège's street is
        # masked as J9 masks it; the letter carries the whole address.
        return Company(siren=format_siren(siren), name=name, siege_lines=addresses.masked(lines)[1:])

    def finish(self) -> None:
        self.session.pop(SESSION_KEY, None)


def check_email(request, email: str) -> None:
    """Raise EmailUnavailable or EmailOfCertificateSpace early, at step 2 (R-MAIL-3).

    The guides require telling that an email is taken; the per-address ceiling keeps
    this answer from being used to list registered addresses. Raise TooManyRequests past it.
    """
    if not Throttle.default().within_limit("email_checks_per_address", key=client_ip(request)):
        audit.record(request, Event.REGISTRATION_REFUSED, email=email, reason="throttled")
        raise TooManyRequests()
    requests.check_available(Kind.CREATION, email, clock.now())


def confirm(request, wizard: Wizard) -> PendingRequest:
    """Store the creation request and queue its code email, in one transaction (J1.6).

    Raise EmailUnavailable / EmailOfCertificateSpace if the email was taken meanwhile, and
    TooManyRequests past the hourly ceiling of requests from one address.
    """
    if not Throttle.default().within_limit("creations_per_address", key=client_ip(request)):
        audit.record(request, Event.REGISTRATION_REFUSED, email=wizard.email, reason="throttled")
        raise TooManyRequests()
    now = clock.now()
    form, email = wizard.state["form"], wizard.email
    payload = {**form, "password_hash": wizard.state["credentials"]["password_hash"], "mode": wizard.mode}
    with transaction.atomic():
        pending = CodeProcess.initiate(kind=Kind.CREATION, email=email, payload=payload, now=now).pending
        audit.record(request, Event.REGISTRATION_REQUESTED, email=email, mode=wizard.mode)
    wizard.finish()
    request.session["espace_creation_sent"] = {
        "email": email,
        "name": f"{Civility(form['civility']).label} {form['last_name']} {form['first_name']}",
        "company_email": form.get("company_email", ""),
    }
    return pending
