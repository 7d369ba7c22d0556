"""J1 "Créer mon espace": the conditions, the credentials, the registration form."""

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import TRUST_QUESTIONS, Civility, Space
from core import identity
from core.forms import REQUIRED, EmailPairFields, Form, NewPasswordFields, TextField, TrustQuestionFields
from core.messages import message
from habilitations.services import adhesion


class CguForm(Form):
    accept = forms.BooleanField(
        label="Je reconnais avoir pris connaissance des conditions générales et les accepte sans restriction.",
        error_messages={"required": message("cgu_required")},
    )


class CredentialsForm(EmailPairFields, NewPasswordFields, Form):
    """J1 step 2 "créez vos identifiants": R-MAIL-1..3, R-PWD-1..5."""

    email, email_confirm = EmailPairFields.create_email_fields(
        label="Votre adresse électronique",
        help_text="Format attendu : adresse@domaine.fr. "
        "Cette adresse ne pourra être utilisée que pour un seul et unique espace.",
        confirm_label="Confirmer votre adresse électronique",
    )
    password, password_confirm = NewPasswordFields.create_password_fields(
        label="Votre mot de passe", confirm_label="Confirmer votre mot de passe"
    )

    def password_subject(self, cleaned_data):
        # R-PWD-2: the space does not exist yet; its only data so far is the email typed.
        return Space(login_email=cleaned_data.get("email") or "")


class ProfileForm(Form):
    """The person and company of a space (R-SIREN-1, R-PHONE-1, the address), as J1 step 3 asks them.

    The certificate import (accounts.certificate_import) checks each row by the same rules.
    """

    civility = forms.ChoiceField(
        label="Civilité", choices=Civility.choices, widget=forms.RadioSelect, error_messages=REQUIRED
    )
    last_name = TextField(60, label="Nom", widget=forms.TextInput(attrs={"autocomplete": "family-name"}))
    first_name = TextField(60, label="Prénom", widget=forms.TextInput(attrs={"autocomplete": "given-name"}))
    foreign_company = forms.TypedChoiceField(
        label="Entreprise étrangère",
        choices=[("non", "Non"), ("oui", "Oui")],
        coerce=lambda value: value == "oui",
        initial="non",
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    company_identifier = TextField(
        30,
        label="S.I.R.E.N ou équivalent",
        help_text="Le SIREN de l'entreprise dans laquelle vous exercez votre activité (9 chiffres), "
        "ou son identifiant pour une entreprise étrangère.",
        widget=forms.TextInput(attrs={"inputmode": "text"}),
    )
    phone = TextField(
        30,
        label="Numéro de téléphone",
        help_text="Exemple : 01 23 45 67 89, ou +32 2 555 12 12 pour un numéro étranger",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )
    contact_email = forms.CharField(label="Adresse électronique", required=False, disabled=True)
    street_number = TextField(10, label="Numéro de la voie", required=False)
    street_type = TextField(30, label="Nature de la voie", required=False, help_text="Exemple : rue, avenue, boulevard")
    street_name = TextField(100, label="Libellé de la voie", required=False)
    address_complement = TextField(100, label="Complément d'adresse", required=False)
    postal_code = TextField(
        10, label="Code postal", required=False, widget=forms.TextInput(attrs={"autocomplete": "postal-code"})
    )
    city = TextField(60, label="Ville")
    country = TextField(60, label="Pays", initial="FRANCE")

    def clean_company_identifier(self):
        value = self.cleaned_data["company_identifier"]
        foreign = self.data.get(self.add_prefix("foreign_company")) == "oui"
        return identity.normalize_foreign_id(value) if foreign else identity.normalize_siren(value)

    def clean_phone(self):
        return identity.normalize_phone(self.cleaned_data["phone"])

    def clean_country(self):
        return self.cleaned_data["country"].upper()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].upper()

    def clean(self):
        data = super().clean()
        postal = data.get("postal_code")
        if postal and data.get("country") == "FRANCE" and not (postal.isdigit() and len(postal) == 5):
            self.add_error("postal_code", message("postal_code_invalid"))
        return data


class RegistrationForm(TrustQuestionFields, ProfileForm):
    """J1 step 3 "remplissez votre formulaire d'inscription"."""

    trust_question, trust_answer = TrustQuestionFields.create_trust_fields(TRUST_QUESTIONS)


class SimplifiedRegistrationForm(EmailPairFields, RegistrationForm):
    """J1 step 3 in mode simplifié (R-ADH-4): the form, plus the company the space adheres for.

    The SIREN must be one the register knows with its siège (R-ADH-1): the letter carrying
    the services' code goes there, so a SIREN it cannot reach is refused here, with the
    advice of the SIE, rather than after two codes. Whether its services have titulaires
    is not told here: this page is open to anyone, and that answer waits until the company
    email is proven (accounts.services.company_email).
    """

    email_fields = ("company_email", "company_email_confirm")

    siren = TextField(
        20,
        label="SIREN de votre entreprise",
        help_text="9 chiffres. L'entreprise pour laquelle vous adhérez à l'ensemble des services en ligne.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    company_email, company_email_confirm = EmailPairFields.create_email_fields(
        label="Adresse électronique de votre entreprise",
        help_text="Format attendu : adresse@domaine.fr. Un code de confirmation y sera envoyé après "
        "l'activation de votre espace ; elle peut être votre adresse de connexion.",
        confirm_label="Confirmer l'adresse électronique de votre entreprise",
    )

    def clean_siren(self):
        siren = identity.normalize_siren(self.cleaned_data["siren"])
        try:
            adhesion.company_of(siren)
        except adhesion.AdhesionRefused as refused:
            raise ValidationError(message(refused.code), code=refused.code) from None
        return siren
