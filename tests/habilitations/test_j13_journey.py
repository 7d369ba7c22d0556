"""J13 "Gérer mes délégations" (R-DEL-1, R-AUDIT-2) through the test client: "Déléguer" →
recap → "Valider", the delegate's "Accepter" / "Refuser" / "Renoncer", the grantor side's
"Révoquer"; emails name the other party (never an email address), each change is in both
security histories; the services appear on the delegate's home, J11 and service page."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from accounts.selectors import security_history
from core.messages import message
from core.models import AuditEvent
from habilitations.events import Kind as Event
from habilitations.models import Delegation, Habilitation, Role
from habilitations.services import delegations
from tests.companies import MARTIN
from tests.habilitations import builders, steps
from tests.habilitations.delegating import (  # noqa: F401 (now, grantor, delegate_space: fixtures)
    answer_url, cabinet, delegate_space, form_data, grantor, LIST, mails, new_url, now, NOW, NUMBER_B,
    recap_url, revoke_url, service_url, session, suppleant_of, titulaire,
)

pytestmark = pytest.mark.django_db


def kinds(space) -> list[str]:
    return list(AuditEvent.objects.filter(space=space, kind__startswith="habilitations.delegation").order_by("pk").values_list("kind", flat=True))


def offer_through_pages(client, **data):
    form = client.post(new_url(), form_data(**data))
    assert form.status_code == 302 and form["Location"] == recap_url()
    recap = client.get(recap_url())
    assert recap.status_code == 200
    done = client.post(recap_url())
    assert done.status_code == 302 and done["Location"] == LIST
    return recap, done


def test_r_del_1_offer_recap_validate_then_the_delegate_accepts(grantor, delegate_space, django_capture_on_commit_callbacks):
    client = session(grantor)
    page = client.get(LIST).content.decode()
    assert "Délégations données" in page and "SARL MARTIN DISTRIBUTION" in page and new_url() in page
    form = client.get(new_url()).content.decode()
    assert 'value="declarer_tva"' in form and 'value="payer_tva"' in form and 'type="date"' in form
    assert 'value="consulter_compte_fiscal"' not in form  # only what it manages

    recap, done = offer_through_pages(client, ends_on="2027-03-31")
    shown = recap.content.decode()
    assert "Madame LEFÈVRE Anne (n° d'abonné 20260540000202)" in shown and "732 829 320" in shown
    assert "31 mars 2027 inclus" in shown and "Valider" in shown
    delegation = Delegation.objects.get()
    assert (delegation.state, delegation.grantor, delegation.delegate, delegation.ends_on) == (
        Delegation.State.OFFERED, grantor, delegate_space, date(2027, 3, 31)
    )
    assert delegation.answer_by == datetime(2027, 1, 2, 9, 30, tzinfo=UTC)
    assert [s.code for s in delegation.services.all()] == ["declarer_tva"]
    listed = client.get(LIST).content.decode()
    assert escape(message("delegation_offered_done", person="Madame LEFÈVRE Anne", until="2 janvier 2027")) in listed
    assert "En attente d&#x27;acceptation" in listed and "20260540000202" in listed
    [(subject, body)] = mails(delegate_space)
    assert subject == "Espace professionnel - Une délégation vous est proposée"
    assert "Monsieur MARTIN Paul" in body and "SARL MARTIN DISTRIBUTION" in body and "2 janvier 2027" in body
    assert grantor.contact_email not in body and "31 mars 2027" in body
    assert kinds(grantor) == kinds(delegate_space) == [Event.DELEGATION_OFFERED]
    assert not Habilitation.objects.filter(space=delegate_space).exists()  # nothing before acceptance

    theirs = session(delegate_space)
    received = theirs.get(LIST).content.decode()
    assert "Délégations reçues" in received and "Monsieur MARTIN Paul" in received and "732 829 320" in received
    assert answer_url(delegation.pk, "accepter") in received and answer_url(delegation.pk, "refuser") in received
    assert "À accepter avant le 2 janvier 2027" in received
    assert theirs.get(service_url()).status_code == 404
    accepted = theirs.post(answer_url(delegation.pk, "accepter"))
    assert accepted.status_code == 302 and accepted["Location"] == LIST
    assert escape(message("delegation_accepted_done", name="SARL MARTIN DISTRIBUTION", siren="732 829 320")) in theirs.get(LIST).content.decode()
    delegation.refresh_from_db()
    assert delegation.state == Delegation.State.ACCEPTED and delegation.decided_at == NOW
    [row] = Habilitation.objects.filter(space=delegate_space)
    assert (row.role, row.granted_by, row.ends_on, row.delegation, row.service.code) == (
        Role.DELEGATAIRE, grantor, date(2027, 3, 31), delegation, "declarer_tva"
    )
    # Its home, J11 and the service page.
    home = theirs.get(reverse("espace:home")).content.decode()
    assert service_url() in home
    service = theirs.get(service_url()).content.decode()
    assert "Délégataire" in service and "MARTIN Paul (abonné 20260540000101)" in service and "31 mars 2027 inclus" in service
    j11 = theirs.get("/espace/services/habilitations").content.decode()
    assert "Délégataire" in j11 and "Active jusqu&#x27;au 31 mars 2027" in j11
    assert theirs.get(service_url("payer_tva")).status_code == 404
    subject, body = mails(grantor)[-1]
    assert subject == "Espace professionnel - Votre délégation a été acceptée" and "Madame LEFÈVRE Anne" in body
    assert delegate_space.contact_email not in body
    assert kinds(grantor) == kinds(delegate_space) == [Event.DELEGATION_OFFERED, Event.DELEGATION_ACCEPTED]
    assert "Acceptée" in client.get(LIST).content.decode()

    # Both security histories show it, with the dossier, the service and the other party.
    [mine] = [e for e in security_history(grantor).events if e.label == "Délégation acceptée"]
    assert "MARTIN" in mine.subject and mine.services == "Déclarer › TVA"
    assert "LEFÈVRE" in mine.party and NUMBER_B in mine.party
    [theirs_event] = [e for e in security_history(delegate_space).events if e.label == "Délégation acceptée"]
    assert "Monsieur MARTIN Paul" in theirs_event.party


def test_r_del_1_the_grantor_revokes_after_a_confirmation(grantor, delegate_space):
    delegation = builders.accepted_delegation(grantor, delegate_space, MARTIN)
    client = session(grantor)
    assert revoke_url(delegation.pk) in client.get(LIST).content.decode()
    confirm = client.post(revoke_url(delegation.pk))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "<h1>Révoquer la délégation</h1>" in html and 'name="confirm" value="oui"' in html and "LEFÈVRE" in html
    assert Delegation.objects.get().state == Delegation.State.ACCEPTED  # nothing yet
    done = client.post(revoke_url(delegation.pk), {"confirm": "oui"})
    assert done.status_code == 302 and done["Location"] == LIST
    delegation.refresh_from_db()
    assert delegation.state == Delegation.State.REVOKED and delegation.ended_at == NOW
    assert not Habilitation.objects.filter(space=delegate_space, ended_at__isnull=True).exists()
    assert session(delegate_space).get(service_url()).status_code == 404
    subject, body = mails(delegate_space)[-1]
    assert subject == "Espace professionnel - Une délégation a été révoquée" and "Monsieur MARTIN Paul" in body
    assert "dont vous disposiez" in body and "Vous n'avez plus accès" in body
    assert kinds(delegate_space)[-1] == kinds(grantor)[-1] == Event.DELEGATION_REVOKED
    page = client.get(LIST).content.decode()
    assert "Révoquée" in page and revoke_url(delegation.pk) not in page
    assert escape(message("delegation_revoked_done", person="Madame LEFÈVRE Anne", name="SARL MARTIN DISTRIBUTION", siren="732 829 320")) in page
    # Twice: said, not a 500.
    again = client.post(revoke_url(delegation.pk), {"confirm": "oui"})
    assert again.status_code == 302
    assert escape(message("delegation_not_active")) in client.get(LIST).content.decode()


def test_r_del_1_an_offer_can_be_revoked_before_its_answer(grantor, delegate_space):
    delegation = builders.delegate(grantor, delegate_space, MARTIN)
    assert session(grantor).post(revoke_url(delegation.pk), {"confirm": "oui"}).status_code == 302
    delegation.refresh_from_db()
    assert delegation.state == Delegation.State.REVOKED
    _subject, body = mails(delegate_space)[-1]
    assert "qui vous était proposée" in body and "Cette proposition n'est plus valable." in body
    theirs = session(delegate_space)
    assert answer_url(delegation.pk, "accepter") not in theirs.get(LIST).content.decode()
    theirs.post(answer_url(delegation.pk, "accepter"))
    assert escape(message("delegation_not_offered")) in theirs.get(LIST).content.decode()
    assert not Habilitation.objects.filter(space=delegate_space).exists()


def test_r_del_1_the_delegate_refuses(grantor, delegate_space):
    delegation = builders.delegate(grantor, delegate_space, MARTIN, ["declarer_tva", "payer_tva"])
    theirs = session(delegate_space)
    done = theirs.post(answer_url(delegation.pk, "refuser"))
    assert done.status_code == 302 and done["Location"] == LIST
    delegation.refresh_from_db()
    assert delegation.state == Delegation.State.REFUSED and delegation.decided_at == delegation.ended_at == NOW
    assert not Habilitation.objects.filter(space=delegate_space).exists()
    subject, body = mails(grantor)[-1]
    assert subject == "Espace professionnel - Votre délégation a été refusée" and "Madame LEFÈVRE Anne" in body and "TVA" in body
    assert kinds(grantor)[-1] == kinds(delegate_space)[-1] == Event.DELEGATION_REFUSED
    page = theirs.get(LIST).content.decode()
    assert "Refusée" in page and escape(message("delegation_refused_done", name="SARL MARTIN DISTRIBUTION", siren="732 829 320")) in page
    theirs.post(answer_url(delegation.pk, "refuser"))  # twice: said
    assert escape(message("delegation_not_offered")) in theirs.get(LIST).content.decode()
    assert theirs.post(answer_url(delegation.pk, "renoncer"), {"confirm": "oui"}).status_code == 302
    assert Delegation.objects.get().state == Delegation.State.REFUSED


def test_r_del_1_the_delegate_renounces_after_a_confirmation(grantor, delegate_space):
    delegation = builders.accepted_delegation(grantor, delegate_space, MARTIN)
    theirs = session(delegate_space)
    assert answer_url(delegation.pk, "renoncer") in theirs.get(LIST).content.decode()
    confirm = theirs.post(answer_url(delegation.pk, "renoncer"))
    assert confirm.status_code == 200 and "<h1>Renoncer à la délégation</h1>" in confirm.content.decode()
    assert Delegation.objects.get().state == Delegation.State.ACCEPTED
    done = theirs.post(answer_url(delegation.pk, "renoncer"), {"confirm": "oui"})
    assert done.status_code == 302
    delegation.refresh_from_db()
    assert delegation.state == Delegation.State.RENOUNCED
    assert not Habilitation.objects.filter(space=delegate_space, ended_at__isnull=True).exists()
    subject, body = mails(grantor)[-1]
    assert subject == "Espace professionnel - Le délégataire a renoncé à votre délégation" and "Madame LEFÈVRE Anne" in body
    assert kinds(grantor)[-1] == kinds(delegate_space)[-1] == Event.DELEGATION_RENOUNCED
    assert "Abandonnée par le délégataire" in theirs.get(LIST).content.decode()


def test_r_del_1_a_suppleant_delegates_and_the_titulaire_revokes_it(grantor, delegate_space):
    suppleant = suppleant_of(grantor)
    client = session(suppleant)
    assert "SARL MARTIN DISTRIBUTION" in client.get(LIST).content.decode()
    offer_through_pages(client)
    delegation = Delegation.objects.get()
    assert delegation.grantor == suppleant
    delegations.accept(delegation=delegation, now=NOW)
    assert Habilitation.objects.get(space=delegate_space).granted_by == suppleant
    # The titulaire sees it (a service it manages) and revokes it: the suppléant is told too.
    mine = session(grantor)
    page = mine.get(LIST).content.decode()
    assert "Donnée par Monsieur BERNARD Luc" in page and revoke_url(delegation.pk) in page
    assert mine.post(revoke_url(delegation.pk), {"confirm": "oui"}).status_code == 302
    subject, body = mails(suppleant)[-1]
    assert subject == "Espace professionnel - Une délégation que vous avez donnée a été révoquée" and "Monsieur MARTIN Paul" in body and "Madame LEFÈVRE Anne" in body
    assert kinds(suppleant)[-1] == kinds(grantor)[-1] == kinds(delegate_space)[-1] == Event.DELEGATION_REVOKED


def test_r_del_1_a_delegataire_cannot_delegate_further_nor_revoke(grantor, delegate_space):
    delegation = builders.accepted_delegation(grantor, delegate_space, MARTIN)
    theirs = session(delegate_space)
    assert theirs.get(new_url()).status_code == 404
    assert theirs.post(new_url(), form_data()).status_code == 404
    assert theirs.get(recap_url()).status_code == 404
    assert theirs.post(recap_url()).status_code == 404
    assert theirs.post(revoke_url(delegation.pk), {"confirm": "oui"}).status_code == 404
    page = theirs.get(LIST).content.decode()
    assert new_url() not in page and revoke_url(delegation.pk) not in page
    assert Delegation.objects.get().state == Delegation.State.ACCEPTED


def test_r_del_1_the_list_of_a_space_with_nothing(delegate_space):
    page = session(delegate_space).get(LIST).content.decode()
    assert "vous n'avez rien à déléguer" in page and "Aucune délégation ne vous a été proposée." in page


def test_r_del_1_the_manage_page_links_the_entry(grantor):
    html = session(grantor).get(reverse("espace:manage")).content.decode()
    assert f'href="{LIST}">Gérer mes délégations</a>' in html


def test_r_del_1_a_dossier_without_delegation_says_so(grantor):
    assert "Aucune délégation donnée pour cette entreprise." in session(grantor).get(LIST).content.decode()
