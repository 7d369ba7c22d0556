"""The account journeys' forms, one module per journey, over core.forms' base and field groups.

Every form is importable from here (`accounts.forms.LoginForm`), as views always did.
"""

from accounts.forms.coordinates import CoordinatesForm
from accounts.forms.credentials import BOXES, CredentialsChangeForm
from accounts.forms.expiry import ExpiredEmailForm, ExpiredPasswordForm
from accounts.forms.login import LoginForm
from accounts.forms.option import (
    OptionCodeForm,
    OptionCredentialsForm,
    OptionRecoveryForm,
    OptionTrustForm,
    SubscriberNumberField,
)
from accounts.forms.deletion import DeletionForm
from accounts.forms.recovery import ForgotForm, ResetCodeForm, ResetPasswordForm
from accounts.forms.registration import (
    CguForm,
    CredentialsForm,
    ProfileForm,
    RegistrationForm,
    SimplifiedRegistrationForm,
)

__all__ = [
    "BOXES",
    "CguForm",
    "CoordinatesForm",
    "CredentialsChangeForm",
    "CredentialsForm",
    "DeletionForm",
    "ExpiredEmailForm",
    "ExpiredPasswordForm",
    "ForgotForm",
    "LoginForm",
    "OptionCodeForm",
    "OptionCredentialsForm",
    "OptionRecoveryForm",
    "OptionTrustForm",
    "ProfileForm",
    "RegistrationForm",
    "ResetCodeForm",
    "ResetPasswordForm",
    "SimplifiedRegistrationForm",
    "SubscriberNumberField",
]
