"""Steps of J5 "Mot de passe oublié ?" through the Django test client, shared by its tests."""

from antirobot.testing import captcha_post_data
from mailer.models import OutboxEmail
from mailer.outbox import decrypt_body
from tests.accounts import journey
from tests.factories import TRUST_ANSWER

NEW_PASSWORD = "Trois moineaux picorent le pain rassis 58"
SENT = "Si un espace est associé à cette adresse, un courriel vous a été envoyé."


def ask(client, email):
    page = client.get("/mot-de-passe-oublie")
    return client.post("/mot-de-passe-oublie", {"email": email, **captcha_post_data(page)})


def give_code(client, email, code):
    return client.post("/mot-de-passe-oublie/code", {"email": email, "code": code})


def give_answer(client, code, answer=TRUST_ANSWER, password=NEW_PASSWORD, confirm=None):
    data = {"code": code, "answer": answer, "password": password, "password_confirm": confirm or password}
    return client.post("/mot-de-passe-oublie/nouveau", data)


def reset_code(email):
    mails = OutboxEmail.objects.filter(to=email, subject="Espace professionnel - Mot de passe oublié")
    mail = mails.order_by("id").last()
    return journey.CODE_RE.search(decrypt_body(mail)).group(1)


def up_to_answer(client, space):
    assert ask(client, space.login_email).status_code == 302
    code = reset_code(space.login_email)
    assert give_code(client, space.login_email, code).status_code == 200
    return code


def other(code):
    return ("A" if code[0] != "A" else "B") + code[1:]
