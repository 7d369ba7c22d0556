"""The journeys' forms over core.forms: what each page's hook decides (subject, messages, order).

Page tests (test_journeys, test_credentials, test_j5, …) hold labels and flows; these hold the
choices a form makes that a page cannot tell apart from the flow's.
"""

from django.conf import settings

from accounts.forms import (
    CredentialsChangeForm,
    CredentialsForm,
    ExpiredPasswordForm,
    OptionCodeForm,
    OptionCredentialsForm,
    ResetCodeForm,
    ResetPasswordForm,
)
from accounts.models import Space
from codes.forms import ActivationEmailForm
from core.messages import message
from tests.factories import STRONG_PASSWORD

# Long enough, and strong for anyone but the owner of this address (R-PWD-2).
OWN_EMAIL = "quentin.lagarrigue@exemple.fr"
WEAK = message("password_weak")


def errors(form, name):
    return [str(error) for error in form.errors.get(name, [])]


def credentials(email, password=OWN_EMAIL):
    return {"email": email, "email_confirm": email, "password": password, "password_confirm": password}


def test_r_pwd_2_j1_judges_the_password_against_the_email_typed():
    assert errors(CredentialsForm(credentials(OWN_EMAIL)), "password") == [WEAK]
    assert CredentialsForm(credentials("autre@exemple.fr")).is_valid()


def test_r_pwd_2_j8_judges_the_password_against_the_new_email_and_the_space():
    space = Space(last_name="LAGARRIGUE", first_name="Quentin", subscriber_number="98765432109876")
    assert errors(OptionCredentialsForm(credentials(OWN_EMAIL), space=Space()), "password") == [WEAK]
    own_number = credentials("autre@exemple.fr", password="98765432109876lagarrigue")
    assert errors(OptionCredentialsForm(own_number, space=space), "password") == [WEAK]
    assert OptionCredentialsForm(own_number, space=Space()).is_valid()


def test_r_throttle_1_j4_leaves_the_new_password_to_the_flow():
    # Judged after the current password is proven: the form must not answer "trop faible" first.
    space = Space(login_email=OWN_EMAIL, trust_question="Quel est votre surnom ?")
    data = {
        "change_password": "on",
        "new_password": OWN_EMAIL,
        "new_password_confirm": OWN_EMAIL,
        "current_password": "x",
    }
    form = CredentialsChangeForm(data, space=space)
    assert form.is_valid(), form.errors
    assert form.fields["new_password"].widget.attrs["data-strength-meter"] == "password-level"


def test_r_pwd_3_j6_refuses_the_old_password_typed_again_before_it_is_proven():
    data = {"old_password": STRONG_PASSWORD, "password": STRONG_PASSWORD, "password_confirm": STRONG_PASSWORD}
    form = ExpiredPasswordForm(data, email="autre@exemple.fr")
    assert errors(form, "password") == [message("password_reused", count=settings.PASSWORD_HISTORY_SIZE)]


def test_r_pwd_2_j6_judges_the_new_password_with_the_email_only():
    data = {"old_password": STRONG_PASSWORD, "password": OWN_EMAIL, "password_confirm": OWN_EMAIL}
    assert errors(ExpiredPasswordForm(data, email=OWN_EMAIL), "password") == [WEAK]


def test_r_pwd_2_j5_judges_the_new_password_against_the_space():
    data = {"code": "abcdefABC123", "answer": "r", "password": OWN_EMAIL, "password_confirm": OWN_EMAIL}
    assert errors(ResetPasswordForm(data, space=Space(login_email=OWN_EMAIL)), "password") == [WEAK]
    assert ResetPasswordForm(data, space=Space(login_email="autre@exemple.fr")).is_valid()


def test_r_code_1_each_page_keeps_its_own_format_message():
    assert errors(ResetCodeForm({"email": "a@exemple.fr", "code": "abc"}), "code") == [message("reset_code_format")]
    reset = ResetPasswordForm({"code": "abc", "answer": "r"}, space=Space())
    assert errors(reset, "code") == [message("reset_code_format")]
    option = OptionCodeForm({"subscriber_number": "12345678901234", "code": "abc"})
    assert errors(option, "code") == [message("code_format")]


def test_j2_step_2_takes_any_code_back_for_the_flow_to_compare():
    # A code that step 1 did not prove sends back to step 1 (codes.views), not to an error here.
    form = ActivationEmailForm({"code": "pas un code", "email": "a@exemple.fr"})
    assert form.is_valid(), form.errors
