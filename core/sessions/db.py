from django.contrib.sessions.backends.base import CreateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import IntegrityError, router, transaction

from core import prepared
from core.sessions import WriteOnceMixin


class SessionStore(WriteOnceMixin, DatabaseSessionStore):
    """Sessions in the database, written once per request.

    A new session (every login) is one prepared INSERT (core.prepared.insert) rather than
    Model.save() in a transaction of its own: the same row, a fraction of the Python. A key
    already taken raises CreateError, as Django's store does, and create() draws another;
    inside a transaction the INSERT gets a savepoint, so that the refusal leaves it usable.
    Updates of an existing session are Django's.
    """

    def save(self, must_create=False):
        if self.session_key is None or not must_create:
            return super().save(must_create=must_create)
        row = self.create_model_instance(self._get_session(no_load=True))
        using = router.db_for_write(self.model, instance=row)
        try:
            if transaction.get_connection(using).in_atomic_block:
                with transaction.atomic(using=using):
                    prepared.insert(row, using=using)
            else:
                prepared.insert(row, using=using)
        except IntegrityError as error:
            raise CreateError from error
