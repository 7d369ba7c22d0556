"""Holdings and steps of J17 (R-ENT-1) shared by its tests (not a test module): rows built directly."""

import html

from core import clock
from habilitations.models import Habilitation, Role, Suppleance
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.companies import MARTIN
from tests.habilitations import builders

NAME = "SARL MARTIN DISTRIBUTION"
FORM = f"/espace/dossiers/{MARTIN}/adresse-entreprise"
SENT = f"{FORM}/envoyee"
CHOOSER = "/espace/entreprise/adresse"
NEW = "contact@martin-distribution.fr"
OLD = "ancienne@martin-distribution.fr"
CODE_SUBJECT = "Espace professionnel - Modification de l'adresse électronique de l'entreprise"
NOTICE_SUBJECT = "Espace professionnel - Remplacement de l'adresse électronique de l'entreprise"


def read(response) -> str:
    """The page as a person reads it: HTML entities decoded (Django escapes apostrophes)."""
    return html.unescape(response.content.decode())


def titulaire(space, siren=MARTIN, codes=("declarer_tva", "payer_tva"), name=NAME):
    return [builders.grant(space, siren, code, name=name) for code in codes]


def suppleant(space, titulaire_space, siren=MARTIN, codes=("declarer_tva", "payer_tva"), on_hold=False):
    """Make space the suppléant of titulaire_space on its services of siren, as R-SUP-1 stores it."""
    now = clock.now()
    dossier = builders.dossier(siren)
    state = Suppleance.State.ON_HOLD if on_hold else Suppleance.State.ACTIVE
    link = Suppleance.objects.create(
        dossier=dossier, titulaire=titulaire_space, suppleant=space, state=state, created_at=now, changed_at=now
    )
    for code in codes:
        Habilitation.objects.create(
            space=space, dossier=dossier, service=builders.service(code), role=Role.SUPPLEANT, started_at=now,
            granted_by=titulaire_space, suppleance=link, on_hold=on_hold,
        )
    return link


def delegataire(space, grantor, siren=MARTIN, code="declarer_tva"):
    return builders.grant(space, siren, code, Role.DELEGATAIRE, granted_by=grantor)


def ask(client, email=NEW, confirm=None):
    return client.post(FORM, {"email": email, "email_confirm": email if confirm is None else confirm})


def mails_to(email, subject=None):
    """Return the clear bodies of the emails queued for email (with subject), oldest first."""
    mails = OutboxEmail.objects.filter(to=email).order_by("id")
    return [decrypt_body(mail) for mail in mails if subject is None or mail.subject == subject]


def code_sent_to(email=NEW) -> str:
    return journey.last_code(email)

