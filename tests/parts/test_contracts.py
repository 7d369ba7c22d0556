"""Swappable parts (STYLE §3): a Protocol each, the implementation named by a setting
(core.contracts). Each test swaps one setting for a class of its own and proves that the
product's path uses it; the doubles live here, in the tests, never in the product."""

from datetime import UTC, datetime

import pytest
from django import forms
from django.core.exceptions import ImproperlyConfigured

import recapitulatif
from accounts.interfaces import CertificateVerifier
from accounts.services import certificates, pki
from antirobot import services
from antirobot.forms import CaptchaFormMixin
from antirobot.interfaces import Captcha
from core import clock, contracts
from mailer.interfaces import Sender
from recapitulatif import RecapData
from recapitulatif.interfaces import RecapRenderer
from registre.interfaces import CompanyRecord, CompanyRegister
from registre.selectors import company, company_name
from tests.accounts.certs import certificate_space, escaped

HERE = __name__


class NotASender:
    """Has no send(): no implementation of mailer.interfaces.Sender."""

    keeps = False

    def open(self): ...


class OneCompanyRegister:
    def company_name(self, siren):
        return "SOCIÉTÉ DU REGISTRE DE TEST" if siren == "732829320" else None

    def company(self, siren):
        if siren != "732829320":
            return None
        return CompanyRecord(siren, "SOCIÉTÉ DU REGISTRE DE TEST", ("SOCIÉTÉ DU REGISTRE DE TEST", "75001 PARIS"), True)


class NamesOnlyRegister:
    """The contract before head offices: no company(), no longer a CompanyRegister."""

    def company_name(self, siren):
        return None


class WordCaptcha:
    def draw(self, request, purpose):
        return {"key": "cle-de-test", "image": "/i.png", "audio": "/a.wav", "extend": "/e"}

    def check(self, key, answer, *, request, purpose):
        solved = key == "cle-de-test" and answer == "bonjour"
        return services.Verdict.PASSED if solved else services.Verdict.FAILED


class DatesOnlyVerifier:
    """Believes any chain: the dates alone (a double; the product's verifier checks the chain)."""

    def verify(self, cert, *, now):
        certificates.check_dates(cert, now)


class FixedRenderer:
    def render(self, data):
        return b"%PDF-1.7 " + data.last_name.encode()


@pytest.mark.parametrize(
    "setting, contract",
    [
        ("MAILER_SENDER", Sender),
        ("COMPANY_REGISTER", CompanyRegister),
        ("CAPTCHA", Captcha),
        ("CERTIFICATE_VERIFIER", CertificateVerifier),
        ("RECAP_RENDERER", RecapRenderer),
    ],
)
def test_every_configured_part_implements_its_contract(setting, contract):
    first, second = contracts.load(setting, contract), contracts.load(setting, contract)
    assert isinstance(first, contract) and first is not second  # built at each call


def test_a_setting_naming_nothing_or_the_wrong_thing_stops_loudly(settings):
    settings.MAILER_SENDER = "mailer.senders.NoSuchSender"
    with pytest.raises(ImproperlyConfigured, match="introuvable"):
        contracts.load("MAILER_SENDER", Sender)
    settings.MAILER_SENDER = f"{HERE}.NotASender"
    with pytest.raises(ImproperlyConfigured, match="n'est pas un Sender"):
        contracts.load("MAILER_SENDER", Sender)


@pytest.mark.django_db
def test_r_siren_2_company_register_setting_chooses_where_names_come_from(settings):
    assert company_name("732829320") is None  # the SIRENE table, empty here
    assert company("732829320") is None
    settings.COMPANY_REGISTER = f"{HERE}.OneCompanyRegister"
    assert company_name("732829320") == "SOCIÉTÉ DU REGISTRE DE TEST"
    assert company("732829320").siege_lines[-1] == "75001 PARIS" and company("552100554") is None
    settings.COMPANY_REGISTER = f"{HERE}.NamesOnlyRegister"
    with pytest.raises(ImproperlyConfigured, match="n'est pas un CompanyRegister"):
        company("732829320")


class CaptchaForm(CaptchaFormMixin, forms.Form):
    pass


def test_r_captcha_1_captcha_setting_chooses_what_the_forms_draw_and_check(settings, rf):
    settings.CAPTCHA = f"{HERE}.WordCaptcha"
    page = CaptchaForm(request=rf.get("/")).as_div()
    assert 'value="cle-de-test"' in page and 'src="/i.png"' in page
    assert CaptchaForm({"captcha_key": "cle-de-test", "captcha": "bonjour"}, request=rf.get("/")).is_valid()
    assert not CaptchaForm({"captcha_key": "cle-de-test", "captcha": "bonsoir"}, request=rf.get("/")).is_valid()


@pytest.mark.django_db
def test_j7_certificate_verifier_setting_chooses_who_is_believed(settings):
    settings.CLIENT_CA_FILE = ""  # the product's verifier then trusts no certificate
    now = clock.now()
    issued = pki.self_signed_client("Lila ROSEMONDE", not_before=now.replace(year=now.year - 1), not_after=now.replace(year=now.year + 1))
    space = certificate_space(issued)
    with pytest.raises(certificates.UntrustedCertificate):
        certificates.authenticate(escaped(issued), now=now)
    settings.CERTIFICATE_VERIFIER = f"{HERE}.DatesOnlyVerifier"
    assert certificates.authenticate(escaped(issued), now=now) == space


def test_r_pdf_1_recap_renderer_setting_chooses_what_makes_the_pdf(settings):
    data = RecapData(
        civility="Madame",
        last_name="ROSEMONDE",
        first_name="Lila",
        subscriber_number="20260540000101",
        phone="01 24 57 88 77",
        login_email="lila@exemple.fr",
        created_at=datetime(2026, 2, 23, 15, 5, 25, tzinfo=UTC),
    )
    assert recapitulatif.render(data).startswith(b"%PDF-1.7\n")  # WeasyPrint's own header
    settings.RECAP_RENDERER = f"{HERE}.FixedRenderer"
    assert recapitulatif.render(data) == b"%PDF-1.7 ROSEMONDE"
