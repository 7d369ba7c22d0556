"""Prepared queries: compiled once, the same rows and the same model instances as the ORM."""

from datetime import datetime

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from accounts import selectors
from accounts.models import AccessMode, Space
from core.models import AuditEvent
from core.prepared import Prepared
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def fields(space):
    return {field.attname: getattr(space, field.attname) for field in Space._meta.concrete_fields}


def test_a_prepared_query_gives_the_instance_the_orm_gives():
    space = SpaceFactory()
    prepared = selectors.password_space(space.login_email)
    assert fields(prepared) == fields(Space.objects.get(pk=space.pk))  # aware datetimes, dates, booleans
    assert prepared._state.db == "default" and not prepared._state.adding
    assert selectors.active_space(space.pk) == space


def test_values_go_where_their_markers_were():
    first, second = SpaceFactory(), SpaceFactory()
    query = Prepared(
        lambda number, email: Space.objects.filter(subscriber_number=number, login_email=email).order_by("pk")
    )
    assert query.all(number=first.subscriber_number, email=first.login_email) == [first]
    assert query.all(number=first.subscriber_number, email=second.login_email) == []
    assert query.first(email=second.login_email, number=second.subscriber_number) == second


def test_compiled_once_then_only_run():
    space = SpaceFactory()
    selectors.password_space("personne@exemple.fr")
    with CaptureQueriesContext(connection) as queries:
        assert selectors.password_space(space.login_email) == space
    assert len(queries) == 1 and "LIMIT 1" in queries[0]["sql"]


def test_only_active_password_spaces_are_found_by_email():
    inactive = SpaceFactory(is_active=False)
    assert selectors.password_space(inactive.login_email) is None
    assert selectors.active_space(inactive.pk) is None
    assert selectors.password_space("personne@exemple.fr") is None


def test_a_lookup_that_transforms_its_value_is_refused():
    query = Prepared(lambda email: Space.objects.filter(login_email__icontains=email))
    with pytest.raises(ValueError, match="telle quelle"):
        query.first(email="a")


def test_a_hostile_value_is_a_parameter_not_sql():
    space = SpaceFactory()
    assert selectors.password_space(f"' OR 1=1 --{space.login_email}") is None
    assert Space.objects.filter(pk=space.pk).exists()


def test_the_access_mode_is_part_of_the_query():
    space = SpaceFactory()
    Space.objects.filter(pk=space.pk).update(access_mode=AccessMode.CERTIFICATE)
    assert selectors.password_space(space.login_email) is None


@pytest.mark.parametrize(
    "build",
    [
        lambda email: Space.objects.filter(login_email=email).annotate(n=Value(1)),
        lambda email: AuditEvent.objects.select_related("space").filter(email=email),
    ],
    ids=["annotation", "join"],
)
def test_only_the_model_s_own_columns_can_be_prepared(build):
    with pytest.raises(ValueError, match="sans annotation ni jointure"):
        Prepared(build).all(email="a@exemple.fr")


def test_only_text_and_integer_values_are_bound_as_they_are():
    with pytest.raises(ValueError, match="texte"):
        Prepared(lambda created: Space.objects.filter(created_at=created), created=datetime)
