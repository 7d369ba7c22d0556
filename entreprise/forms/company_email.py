"""R-ENT-1: the company's new email, typed twice (R-MAIL-1, R-MAIL-2: the login's rules)."""

from core.forms import EmailPairFields, Form


class CompanyEmailForm(EmailPairFields, Form):
    email, email_confirm = EmailPairFields.create_email_fields(
        label="Nouvelle adresse électronique de l'entreprise",
        help_text="Format attendu : adresse@domaine.fr",
        confirm_label="Confirmation de la nouvelle adresse électronique de l'entreprise",
    )
