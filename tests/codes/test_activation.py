"""J2's confirmation comes from the kind activated: a session whose kind is gone is sent back."""

import pytest

from codes import flows as activation
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("done", [{}, {"kind": "retiree"}], ids=["no-kind", "unregistered-kind"])
def test_j2_confirmation_of_an_unknown_kind_goes_back_to_the_entry(client, done):
    space = SpaceFactory()
    session = client.session
    session[activation.DONE_KEY] = {"space": space.pk, "at": "2026-02-23T15:05:25+00:00", **done}
    session.save()
    response = client.get("/activation/recapitulatif")
    assert response.status_code == 302 and response.url == "/activation"
    assert client.get("/activation/recapitulatif.pdf").status_code == 200  # the recap is still its own


def test_j2_confirmation_without_an_activation_goes_back_to_the_entry(client):
    assert client.get("/activation/recapitulatif").url == "/activation"
    assert client.get("/activation/recapitulatif.pdf").status_code == 404
