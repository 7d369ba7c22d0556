"""Querysets compiled to SQL once, then run with new values: for the lookups of every request.

Django compiles a queryset to SQL on every evaluation: for a space (28 columns) that is
0.3 ms of Python, three times what SQLite takes to answer, on the path of every login and
every page of a logged-in user (issue 5 item 9). A prepared query builds its queryset once,
with a marker for each value, keeps the SQL of each database it meets, and runs it through
Model.objects.raw(): the same SQL, the same model instances (converters included), without
the compiling.

    space_by_email = Prepared(lambda email: Space.objects.filter(login_email=email)[:1])
    space = space_by_email.first(email="a@exemple.fr")
    space_by_pk = Prepared(lambda pk: Space.objects.filter(pk=pk)[:1], pk=int)

Only querysets whose values reach the SQL as they are: a lookup that transforms its value
(`__iexact`, `__contains`) hides the marker, and preparing refuses it.
"""

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], **types: type):
        """build(**values) returns the queryset; types names the values that are not text
        (`pk=int`): each value is stood in for, while compiling, by a marker of its type."""
        self.build = build
        code = build.__code__
        names = code.co_varnames[: code.co_argcount]
        # Markers no real value takes: a text with NUL bytes, an integer past any key.
        self.markers = {
            name: f"\x00prepared:{name}\x00" if types.get(name, str) is str else -(2**62) - index
            for index, name in enumerate(names)
        }
        self.compiled: dict[str, tuple[str, tuple, dict[int, str], type[Model]]] = {}

    def _compile(self, alias: str):
        queryset = self.build(**self.markers)
        sql, params = queryset.query.get_compiler(using=alias).as_sql()
        slots = {
            index: name
            for index, param in enumerate(params)
            for name, marker in self.markers.items()
            if type(param) is type(marker) and param == marker
        }
        if sorted(slots.values()) != sorted(self.markers):
            raise ValueError(f"Prepared: une valeur n'atteint pas le SQL telle quelle ({sorted(self.markers)}).")
        return sql, tuple(params), slots, queryset.model

    def all(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[Model]:
        key = f"{using}:{connections[using].vendor}"
        if key not in self.compiled:
            self.compiled[key] = self._compile(using)
        sql, params, slots, model = self.compiled[key]
        bound = [values[slots[index]] if index in slots else param for index, param in enumerate(params)]
        return list(model.objects.raw(sql, bound, using=using))

    def first(self, using: str = DEFAULT_DB_ALIAS, **values) -> Model | None:
        found = self.all(using=using, **values)
        return found[0] if found else None


_INSERTS: dict[tuple[type[Model], str, str], tuple[str, list]] = {}


def insert(instance: Model, using: str = DEFAULT_DB_ALIAS) -> None:
    """INSERT instance as a new row with a statement compiled once per model and database.

    For the rows written on every login (the audit event, the session): each field prepares its
    value as Model.save() would (pre_save, get_db_prep_save), without the rest of save():
    no signals, no RETURNING, so instance.pk stays unset.
    """
    connection = connections[using]
    key = (type(instance), using, connection.vendor)
    if key not in _INSERTS:
        meta, quote = instance._meta, connection.ops.quote_name
        # Every column but a primary key the database draws (AutoField): a chosen key is written.
        fields = [field for field in meta.concrete_fields if field is not meta.auto_field]
        columns = ", ".join(quote(field.column) for field in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        _INSERTS[key] = (f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})", fields)
    sql, fields = _INSERTS[key]
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
