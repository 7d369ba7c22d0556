"""One row of the operators' import of certificate spaces (J7), checked as J1 checks a person.

The registration form's profile fields and rules (R-MAIL-1, R-SIREN-1, R-PHONE-1, postal
code, free texts), minus what a certificate space has not (password, trust answer), plus
its number and certificate. Labels are the CSV's column names.
"""

from django import forms
from django.core.exceptions import ValidationError

from accounts.forms.registration import ProfileForm
from accounts.models import TRUST_QUESTIONS, Civility
from accounts.services import certificates
from core.forms import REQUIRED, EmailField
from core.messages import message


class CertificateSpaceRowForm(ProfileForm):
    civility = forms.ChoiceField(
        label="civilite",
        choices=Civility.choices,
        error_messages={**REQUIRED, "invalid_choice": message("civility_invalid")},
    )
    foreign_company = forms.TypedChoiceField(
        label="entreprise_etrangere",
        choices=[("non", "Non"), ("oui", "Oui")],
        coerce=lambda value: value == "oui",
        error_messages={**REQUIRED, "invalid_choice": message("foreign_company_invalid")},
    )
    contact_email = EmailField(label="adresse_electronique")
    # Declared in the CSV's order of reporting: a row's reasons list its errors field by field.
    trust_question = forms.CharField(label="question_confiance", required=False)
    subscriber_number = forms.CharField(label="numero_abonne", max_length=14, error_messages=REQUIRED)
    certificate = forms.CharField(label="certificat", strip=False, error_messages=REQUIRED)

    def clean_subscriber_number(self):
        number = self.cleaned_data["subscriber_number"]
        if not (len(number) == 14 and number.isascii() and number.isdigit()):
            raise ValidationError(message("subscriber_number_invalid"), code="subscriber_number_invalid")
        return number

    def clean_trust_question(self):
        question = self.cleaned_data["trust_question"]
        if question and question not in TRUST_QUESTIONS:
            raise ValidationError(message("trust_question_invalid"), code="trust_question_invalid")
        return question

    def clean_certificate(self):
        try:
            return certificates.load_pem(self.cleaned_data["certificate"])
        except certificates.CertificateError:
            raise ValidationError(message("certificate_invalid"), code="certificate_invalid") from None
