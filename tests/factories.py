"""Factories for the tests (STYLE §6: factories instead of fixture files)."""

import factory
from django.contrib.auth.hashers import make_password

from core import clock
from accounts.models import AccessMode, Space
from accounts.services import passwords

STRONG_PASSWORD = "Cerf-volant sous la pluie d'automne 42"
OTHER_STRONG_PASSWORD = "Le hibou gris lit Proust à minuit 7"
TRUST_ANSWER = "Lili la Tortue"


class SpaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Space
        skip_postgeneration_save = True  # raw_password saves

    subscriber_number = factory.Sequence(lambda n: f"2026054{n:07d}")
    access_mode = AccessMode.PASSWORD
    login_email = factory.Sequence(lambda n: f"usager{n}@exemple.fr")
    contact_email = factory.SelfAttribute("login_email")
    civility = "MME"
    last_name = "ROSEMONDE"
    first_name = "Lila"
    company_identifier = "732829320"
    phone = "+33124578877"
    city = "PARIS"
    trust_question = "Quel est votre surnom ?"
    trust_answer_hash = factory.LazyFunction(lambda: make_password(TRUST_ANSWER))
    created_at = factory.LazyFunction(clock.now)

    @factory.post_generation
    def raw_password(self, create, extracted, **kwargs):
        now = clock.now()
        if create:
            passwords.set_password(self, raw=extracted or STRONG_PASSWORD, at=now)
        else:
            self.password = make_password(extracted or STRONG_PASSWORD)
            self.password_changed_at, self.password_expires_on = now, passwords.expiry_date(now)
