"""Swappable parts (STYLE §3), in the manner of Warehouse's interfaces.

Each part is a ``typing.Protocol`` in its app's ``interfaces.py``, whose docstring is the
contract, and a setting names the implementation as a dotted path:

- ``MAILER_SENDER``: ``mailer.interfaces.Sender`` (SMTP; the console in development);
- ``COMPANY_REGISTER``: ``registre.interfaces.CompanyRegister`` (the imported SIRENE table);
- ``CAPTCHA``: ``antirobot.interfaces.Captcha`` (the product's own image and audio);
- ``CERTIFICATE_VERIFIER``: ``accounts.interfaces.CertificateVerifier`` (the chain to
  CLIENT_CA_FILE);
- ``RECAP_RENDERER``: ``recapitulatif.interfaces.RecapRenderer`` (WeasyPrint, PDF/UA-1).

An implementation is a class that takes no argument: it reads its own settings when built.
``load`` builds one at each call, so that a setting changed (in a test, say) applies at once;
the import is done once.
"""

from functools import lru_cache
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

T = TypeVar("T")


def load(setting_name: str, contract: type[T]) -> T:
    """Return a new instance of the implementation that settings.<setting_name> names.

    Raise ImproperlyConfigured when the path imports nothing, or names something that does
    not have the members of contract (a runtime-checkable Protocol): a wrong setting stops
    the first use loudly rather than failing later in the middle of a journey.
    """
    path = getattr(settings, setting_name)
    implementation = _imported(setting_name, path)()
    if not isinstance(implementation, contract):
        raise ImproperlyConfigured(f"{setting_name} : {path} n'est pas un {contract.__name__}")
    return implementation


@lru_cache(maxsize=32)
def _imported(setting_name: str, path: str):
    try:
        return import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"{setting_name} : {path} introuvable") from error
