"""Steps of J8 "Opter pour l'accès sans certificat" through the Django test client, shared by its tests."""

from accounts.middleware import AUTH_AT_KEY, SEEN_AT_KEY
from accounts.models import AccessMode, Space
from antirobot.testing import captcha_post_data
from core import clock
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.factories import STRONG_PASSWORD, SpaceFactory

CABINET = "cabinet@exemple.fr"
NEW_ANSWER = "Mon chat Gribouille"


def certificate_space(**overrides) -> Space:
    values = {"access_mode": AccessMode.CERTIFICATE, "login_email": None, "contact_email": CABINET, **overrides}
    return SpaceFactory(**values)


def certificate_login(client, space):
    """Open a certificate session as J7 would (the session keys open_session sets)."""
    client.force_login(space)
    session = client.session
    session[AUTH_AT_KEY] = session[SEEN_AT_KEY] = clock.now().timestamp()
    session.save()


def credentials(client, prefix, email, password=STRONG_PASSWORD, **overrides):
    data = {"email": email, "email_confirm": email, "password": password, "password_confirm": password}
    return client.post(f"{prefix}/identifiants", {**data, **overrides})


def trust(client, prefix, answer=NEW_ANSWER, question="Quel est votre plat préféré ?"):
    return client.post(f"{prefix}/question", {"trust_question": question, "trust_answer": answer, "action": "confirm"})


def opt_inside(client, space, email, password=STRONG_PASSWORD):
    """Inside: warning → credentials → trust → sent; return the sent page."""
    certificate_login(client, space)
    assert client.get("/espace/option-sans-certificat").status_code == 200
    assert client.post("/espace/option-sans-certificat").status_code == 302
    assert credentials(client, "/espace/option-sans-certificat", email, password).status_code == 302
    assert trust(client, "/espace/option-sans-certificat").status_code == 302
    return client.get("/espace/option-sans-certificat/code-envoye")


def ask_recovery(client, number, email):
    page = client.get("/option-sans-certificat")
    return client.post(
        "/option-sans-certificat", {"subscriber_number": number, "email": email, **captcha_post_data(page)}
    )


def recovery_code(email):
    mail = OutboxEmail.objects.filter(to=email, subject__contains="Option").order_by("-id").first()
    return journey.CODE_RE.search(decrypt_body(mail)).group(1)
