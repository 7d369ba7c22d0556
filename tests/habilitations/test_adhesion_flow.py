"""J9's flow and views where a race reaches them: the rules changed between the recap and "Valider"."""

import pytest
from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from codes import registry
from codes.models import PendingRequest
from core.models import AuditEvent
from habilitations.flows import adhesion as flow
from habilitations.models import AdhesionRequest
from tests.accounts import journey
from tests.companies import MARTIN
from tests.factories import SpaceFactory
from tests.habilitations import builders
from tests.habilitations.letters import letters_in

pytestmark = pytest.mark.django_db
EMAIL = "lila.rosemonde@exemple.fr"
FORM = "/espace/services/adherer"
RECAP = "/espace/services/adherer/recapitulatif"


def test_r_adh_3_validate_without_a_draft_is_a_lookup_error():
    request = RequestFactory().post(RECAP)
    request.user, request.session = SpaceFactory(), SessionStore()
    with pytest.raises(LookupError):
        flow.validate(request)
    assert flow.draft(request) is None and flow.recap(request) is None and flow.sent(request) is None


def test_r_adh_2_a_letter_that_came_first_between_recap_and_valider(client, spool, monkeypatch, django_capture_on_commit_callbacks):
    """The recap was checked, then another space became titulaire: "Valider" says so by the services (409)."""
    space = SpaceFactory(login_email=EMAIL)
    assert journey.login(client, EMAIL).status_code == 302
    client.post(FORM, {"siren": MARTIN, "statut": "representant_legal", "services": ["declarer_tva", "payer_tva"]})
    real_recap = flow.recap

    def recap_then_another_letter_is_used(request, *journey):
        checked = real_recap(request, *journey)
        if request.method == "POST":
            builders.grant(SpaceFactory(), MARTIN, "payer_tva")
        return checked

    monkeypatch.setattr(flow, "recap", recap_then_another_letter_is_used)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(RECAP)
    assert answer.status_code == 409
    page = answer.content.decode()
    assert "déjà un titulaire" in page and "TVA" in page and 'value="declarer_tva"' in page
    assert not AdhesionRequest.objects.exists() and not PendingRequest.objects.exists() and letters_in(spool) == []
    event = AuditEvent.objects.get(kind="habilitations.adhesion_refused")
    assert event.space == space and event.detail == {"siren": MARTIN, "reason": "adhesion_has_titulaire"}
    assert client.session[flow.DRAFT_KEY]["services"] == ["declarer_tva", "payer_tva"]  # kept for the form


def test_habilitations_kinds_declared_once_though_ready_runs_again():
    config = apps.get_app_config("habilitations")
    config.ready()  # Django may call it again: a second register() would raise ImproperlyConfigured
    kind = registry.get("adhesion")
    assert (kind.channel, kind.holds_email, kind.activatable) == ("post", False, True)
