"""Unit tests of core.forms: the base form, its fields and the field groups, named after the rules.

The forms here are built for the tests, with the product's models left out: each group gets
what it needs (questions, the subject of a password, the shape of a code) from the test.
"""

import re
from types import SimpleNamespace

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from core.forms import (
    METER_ATTRS,
    CodeField,
    EmailPairFields,
    GroupedCheckboxes,
    GroupedChoicesField,
    Form,
    NewPasswordFields,
    SecretField,
    TrustQuestionFields,
)
from core.messages import message

QUESTIONS = ["Quel est votre surnom ?", "Quel est votre plat préféré ?"]
PASSWORD = "Une phrase de passe assez longue 42"


class NotTheNameValidator:
    """Refuse a password holding its subject's name: shows what the subject was."""

    def validate(self, password, user=None):
        if user is None:
            raise ValidationError("Jugé sans sujet.", code="no_subject")
        if user.name in password:
            raise ValidationError("Le mot de passe contient votre nom.", code="own_data")

    def get_help_text(self):
        return ""


judged_by_name = override_settings(
    AUTH_PASSWORD_VALIDATORS=[{"NAME": f"{__name__}.NotTheNameValidator"}]
)


class PairsForm(EmailPairFields, NewPasswordFields, Form):
    email, email_confirm = EmailPairFields.create_email_fields(
        label="Adresse", help_text="Format attendu : adresse@domaine.fr", confirm_label="Confirmation"
    )
    password, password_confirm = NewPasswordFields.create_password_fields(
        label="Mot de passe", confirm_label="Confirmation du mot de passe"
    )

    def __init__(self, *args, subject=None, **kwargs):
        self.subject = subject
        super().__init__(*args, **kwargs)

    def password_subject(self, cleaned_data):
        return self.subject


class RenamedForm(EmailPairFields, NewPasswordFields, Form):
    """Pairs under other names, as J4 names them."""

    email_fields = ("new_email", "new_email_confirm")
    password_fields = ("new_password", "new_password_confirm")
    new_email, new_email_confirm = EmailPairFields.create_email_fields(label="A", help_text="", confirm_label="B")
    new_password, new_password_confirm = NewPasswordFields.create_password_fields(label="C", confirm_label="D")

    def password_subject(self, cleaned_data):
        return SimpleNamespace(name="dupont")


class TrustForm(TrustQuestionFields, Form):
    trust_question, trust_answer = TrustQuestionFields.create_trust_fields(QUESTIONS)


def pairs(**data):
    values = {"email": "a@exemple.fr", "email_confirm": "a@exemple.fr", "password": PASSWORD}
    values["password_confirm"] = data.get("password", PASSWORD)
    return {**values, **data}


def messages_of(form, name):
    return [str(error) for error in form.errors.get(name, [])]


# --- R-MAIL-2: the email typed twice -------------------------------------------------------
def test_r_mail_2_a_different_confirmation_is_refused_on_the_confirmation():
    form = PairsForm(pairs(email_confirm="b@exemple.fr"))
    assert not form.is_valid()
    assert messages_of(form, "email_confirm") == [message("email_mismatch")]
    assert form.has_error("email_confirm", "email_mismatch") and "email" not in form.errors


def test_r_mail_2_the_pair_is_compared_once_normalised():
    form = PairsForm(pairs(email=" A@Exemple.FR ", email_confirm="a@exemple.fr"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == form.cleaned_data["email_confirm"] == "a@exemple.fr"


def test_r_mail_2_an_invalid_email_is_not_also_a_mismatch():
    form = PairsForm(pairs(email_confirm="pas une adresse"))
    assert messages_of(form, "email_confirm") == [message("email_invalid")]


def test_r_mail_2_a_pair_under_other_names_is_checked_under_them():
    form = RenamedForm({"new_email": "a@exemple.fr", "new_email_confirm": "b@exemple.fr"})
    assert messages_of(form, "new_email_confirm") == [message("email_mismatch")]


# --- R-PWD-*: the new password typed twice, judged against its subject ----------------------
def test_r_pwd_a_different_confirmation_is_refused_on_the_confirmation():
    form = PairsForm(pairs(password_confirm=PASSWORD + "!"))
    assert not form.is_valid()
    assert messages_of(form, "password_confirm") == [message("password_mismatch")]
    assert "password" not in form.errors


def test_r_pwd_the_confirmation_is_compared_as_typed():
    # Secrets are never stripped (R-PWD-1): a trailing space makes another password.
    form = PairsForm(pairs(password_confirm=PASSWORD + " "))
    assert messages_of(form, "password_confirm") == [message("password_mismatch")]


@judged_by_name
def test_r_pwd_2_the_password_is_judged_against_the_forms_subject():
    refused = PairsForm(pairs(password="dupont " + PASSWORD), subject=SimpleNamespace(name="dupont"))
    assert messages_of(refused, "password") == ["Le mot de passe contient votre nom."]
    accepted = PairsForm(pairs(password="dupont " + PASSWORD), subject=SimpleNamespace(name="martin"))
    assert accepted.is_valid(), accepted.errors


@judged_by_name
def test_r_pwd_2_no_subject_leaves_the_judgement_to_the_flow():
    form = PairsForm(pairs(password="dupont " + PASSWORD), subject=None)
    assert form.is_valid(), form.errors


@judged_by_name
def test_r_pwd_2_a_pair_under_other_names_is_judged_under_them():
    form = RenamedForm({"new_password": "dupont 1", "new_password_confirm": "dupont 2"})
    assert messages_of(form, "new_password") == ["Le mot de passe contient votre nom."]
    assert messages_of(form, "new_password_confirm") == [message("password_mismatch")]


def test_r_pwd_a_form_must_say_what_its_password_is_judged_against():
    class Silent(NewPasswordFields, Form):
        password, password_confirm = NewPasswordFields.create_password_fields(label="A", confirm_label="B")

    with pytest.raises(NotImplementedError):
        Silent({"password": PASSWORD, "password_confirm": PASSWORD}).is_valid()


def test_r_pwd_the_new_password_carries_the_live_meter_and_its_confirmation_does_not():
    html = str(PairsForm()["password"])
    assert 'data-strength-meter="password-level"' in html and 'aria-describedby="password-level"' in html
    assert "data-strength-meter" not in str(PairsForm()["password_confirm"])
    renamed = RenamedForm()
    assert renamed.fields["new_password"].widget.attrs.items() >= METER_ATTRS.items()


def test_r_pwd_the_meter_stays_tied_to_the_field_beside_its_error():
    form = PairsForm(pairs(password="", password_confirm=""))
    form.is_valid()
    assert form.fields["password"].widget.attrs["aria-describedby"] == "id_password-desc-error password-level"


def test_r_pwd_1_no_maxlength_on_a_new_password():
    # A browser would cut a longer paste silently: the server says "128 caractères maximum".
    form = PairsForm()
    assert "maxlength" not in form.fields["password"].widget.attrs
    assert "maxlength" not in form.fields["password_confirm"].widget.attrs


def test_r_pwd_1_the_help_text_states_the_minimum_length():
    assert PairsForm().fields["password"].help_text.startswith(f"{settings.PASSWORD_MIN_LENGTH} caractères minimum")


# --- Secrets: never echoed, never stripped, never hashed when huge -------------------------
def test_a_secret_is_never_echoed_back_in_the_page():
    form = PairsForm(pairs(password="Mon secret bien gardé 1234", password_confirm="autre chose"))
    assert not form.is_valid()
    page = form["password"].as_field_group() + form["password_confirm"].as_field_group()
    assert "Mon secret bien gardé" not in page and "autre chose" not in page
    assert 'type="password"' in page and "fr-password__input fr-input" in page


def test_r_pwd_1_a_secret_is_kept_as_typed():
    field = SecretField()
    assert field.clean("  deux espaces  ") == "  deux espaces  "


def test_a_secret_past_secret_max_bytes_is_refused_before_any_hash():
    field = SecretField()
    limit = settings.SECRET_MAX_BYTES
    assert field.clean("a" * limit) == "a" * limit
    with pytest.raises(ValidationError) as caught:
        field.clean("é" * (limit // 2 + 1))  # few characters, too many bytes
    assert caught.value.code == "password_too_long"
    assert caught.value.messages == [message("password_too_long", max=settings.PASSWORD_MAX_LENGTH)]


def test_a_secret_holding_a_lone_surrogate_is_measured_not_crashed():
    with pytest.raises(ValidationError):
        SecretField().clean("\ud800" * settings.SECRET_MAX_BYTES)


# --- Codes (R-CODE-1 shape given by the caller) ---------------------------------------------
def well_formed(code):
    return re.fullmatch(r"[A-Za-z0-9]{12}", code) is not None


class CodesForm(Form):
    code = CodeField(label="Code", length=12, well_formed=well_formed, invalid="reset_code_format")
    shown = CodeField(label="Code reçu", length=12, well_formed=None, readonly=True, required=False)


@pytest.mark.parametrize("typed", ["abc", "abcdefABC12!", "abcdefABC1234", "abcdéfABC123"])
def test_r_code_1_a_malformed_code_is_refused_with_the_pages_message(typed):
    form = CodesForm({"code": typed})
    assert messages_of(form, "code") == [message("reset_code_format")]
    assert form.has_error("code", "code_format")


def test_r_code_1_a_code_keeps_the_default_message_when_the_page_names_none():
    field = CodeField(length=12, well_formed=well_formed)
    with pytest.raises(ValidationError) as caught:
        field.clean("abc")
    assert caught.value.messages == [message("code_format")]


def test_r_code_1_a_well_formed_code_is_taken_without_its_surrounding_spaces():
    form = CodesForm({"code": "  abcdefABC123 "})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["code"] == "abcdefABC123"


def test_r_code_1_an_empty_code_is_required_not_malformed():
    assert messages_of(CodesForm({"code": ""}), "code") == [message("required")]


def test_r_code_1_the_code_widget_is_typed_once_case_kept():
    field = CodesForm().fields["code"]
    assert field.help_text == "12 caractères"
    assert field.widget.attrs.items() >= {
        "autocomplete": "one-time-code",
        "maxlength": 12,
        "spellcheck": "false",
        "autocapitalize": "off",
    }.items()


def test_r_code_1_a_read_only_copy_is_shown_again_unchecked():
    form = CodesForm({"code": "abcdefABC123", "shown": "pas un code"})
    assert form.is_valid(), form.errors
    field = form.fields["shown"]
    assert field.widget.attrs["readonly"] is True and "espace-code" in field.widget.attrs["class"]
    assert not field.help_text and "maxlength" not in field.widget.attrs


# --- R-TRUST-1, R-TRUST-2 ---------------------------------------------------------------------
def trust(answer, question=QUESTIONS[1]):
    return TrustForm({"trust_question": question, "trust_answer": answer})


def test_r_trust_1_the_questions_are_the_forms_and_the_first_is_preselected():
    field = TrustForm().fields["trust_question"]
    assert [value for value, _ in field.choices] == QUESTIONS and field.initial == QUESTIONS[0]


def test_r_trust_1_a_forged_question_reads_as_a_missing_one():
    assert messages_of(trust("Tintin", question="Quel est votre code PIN ?"), "trust_question") == [
        message("required")
    ]


def test_r_trust_2_the_answer_is_kept_exactly_as_typed():
    form = trust("  Tintin et Milou ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["trust_answer"] == "  Tintin et Milou "


@pytest.mark.parametrize("answer", ["a" * 101, "   "])
def test_r_trust_2_an_answer_past_100_characters_or_blank_is_refused(answer):
    form = trust(answer)
    assert messages_of(form, "trust_answer") == [message("answer_length")]


def test_r_trust_2_an_answer_of_100_characters_is_taken():
    assert trust("é" * 100).is_valid()


def test_r_trust_2_control_characters_are_refused():
    for answer in ("Tin\x07tin", "Tintin\u202e"):
        assert messages_of(trust(answer), "trust_answer") == [message("text_invalid")]


def test_r_trust_2_an_optional_answer_left_empty_has_nothing_to_check():
    form = TrustForm({"trust_question": QUESTIONS[0], "trust_answer": ""})
    form.fields["trust_answer"].required = False
    assert form.is_valid(), form.errors


def test_r_trust_2_the_answer_is_a_secret_field():
    field = TrustForm().fields["trust_answer"]
    assert isinstance(field.widget, forms.PasswordInput) and field.widget.attrs["autocomplete"] == "off"


# --- The base form: DSFR markup and errors from one place (RGAA 11.10) -------------------------
class PlainForm(Form):
    name = forms.CharField(label="Nom", max_length=3, error_messages={"required": message("required")})
    choice = forms.ChoiceField(label="Choix", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_an_error_is_one_dsfr_line_tied_to_its_field():
    form = PlainForm({"name": "trop long", "choice": "a"})
    form.add_error("name", "Un second message.")
    html = form["name"].as_field_group()
    assert html.count('class="fr-error-text"') == 1 and "Un second message." not in html
    attrs = form.fields["name"].widget.attrs
    assert attrs["aria-invalid"] == "true" and attrs["aria-describedby"] == "id_name-desc-error"
    assert 'id="id_name-desc-error"' in html


def test_a_valid_field_carries_no_error_attributes():
    form = PlainForm({"name": "abc", "choice": "a"})
    assert form.is_valid()
    assert "aria-invalid" not in form.fields["name"].widget.attrs


def test_each_widget_gets_its_dsfr_group():
    form = PairsForm()
    assert 'class="fr-password' in form["password"].as_field_group()
    assert 'class="fr-input-group' in form["email"].as_field_group()
    assert "<fieldset" in PlainForm()["choice"].as_field_group()
    assert 'class="fr-select-group' in TrustForm()["trust_question"].as_field_group()


# GroupedChoicesField / GroupedCheckboxes: "Tout sélectionner" without JavaScript (R-ADH-1)

GROUPS = [("Consulter", [("c1", "Compte"), ("c2", "Avis")]), ("Payer", [("p1", "TVA"), ("p2", "IS"), ("p3", "CFE")])]


class GroupedForm(Form):
    services = GroupedChoicesField(label="Services", choices=GROUPS)


def grouped(data):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return GroupedCheckboxes(choices=GROUPS).value_from_datadict(query, {}, "services")


def test_grouped_checkboxes_a_group_box_ticks_its_group():
    assert grouped({"services__all": ["1"]}) == ["p1", "p2", "p3"]
    assert grouped({"services": ["c2"], "services__all": ["1"]}) == ["c2", "p1", "p2", "p3"]
    assert grouped({"services__all": ["1", "0"]}) == ["c1", "c2", "p1", "p2", "p3"]  # groups in order


def test_grouped_checkboxes_each_choice_once():
    assert grouped({"services": ["p2", "c1", "p2"], "services__all": ["1", "1"]}) == ["p2", "c1", "p1", "p3"]


def test_grouped_checkboxes_garbage_group_indexes_ignored():
    assert grouped({"services": ["c1"], "services__all": ["-1", "2", "99", "abc", "", " 0", "0.0", "\x00"]}) == ["c1"]
    assert grouped({}) == []


def test_grouped_checkboxes_a_plain_dict_names_its_choices():
    """A dict built by code (a form filled again from a draft) is no POST: its choices are taken as given."""
    widget = GroupedCheckboxes(choices=GROUPS)
    assert widget.value_from_datadict({"services": ["p1", "c1"]}, {}, "services") == ["p1", "c1"]
    assert widget.value_from_datadict({"services": ["p1"], "services__all": ["0"]}, {}, "services") == ["p1"]
    assert widget.value_from_datadict({}, {}, "services") == []
    assert widget.value_from_datadict({"services": "p1"}, {}, "services") == ["p1"]  # one value, not its letters


def test_grouped_choices_field_refuses_unknown_choices_in_french():
    form = GroupedForm({"services": ["c1", "inconnu"]})
    assert not form.is_valid() and form.errors["services"] == [message("choice_invalid")]
    empty = GroupedForm({})
    assert not empty.is_valid() and empty.errors["services"] == [message("required")]
    from django.http import QueryDict

    ticked = GroupedForm(QueryDict("services__all=0&services=p3"))
    assert ticked.is_valid() and ticked.cleaned_data["services"] == ["p3", "c1", "c2"]
