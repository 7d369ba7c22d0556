"""Querysets compiled to SQL once, then run with new values: for the lookups of every request.

Django compiles a queryset to SQL on every evaluation: for a space (28 columns) that is
0.3 ms of Python, three times what SQLite takes to answer, on the path of every login and
every page of a logged-in user (issue 5 item 9). A prepared query builds its queryset once,
with a marker for each value, keeps the SQL, the columns and their converters for each
database connection it meets, and runs it on a cursor: the same SQL, the same model
instances (converters applied, Model.from_db), without the compiling.

    space_by_email = Prepared(lambda email: Space.objects.filter(login_email=email)[:1])
    space = space_by_email.first(email="a@exemple.fr")
    space_by_pk = Prepared(lambda pk: Space.objects.filter(pk=pk)[:1], pk=int)

Only querysets whose values reach the SQL as they are: a lookup that transforms its value
(`__iexact`, `__contains`) hides the marker, and preparing refuses it.

Confined to what every login pays, measured (docs/decisions.md, "Login at its physical limit"):
`Prepared` to the space lookups (accounts.selectors.password_space, active_space) and the
throttle's read, `insert` to the audit event and a new database session.
tests/core/test_prepared_confined.py keeps it so: anything else uses the ORM.
"""

from collections.abc import Callable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Compiled:
    sql: str
    params: tuple
    slots: dict[int, str]  # index in params -> name of the value that goes there
    model: type[Model]
    attnames: list[str]  # of the selected columns, in order
    converters: list  # (index, (converters, expression)), from the compiler


class Prepared:
    def __init__(self, build: Callable[..., QuerySet], **types: type):
        """build(**values) returns the queryset; types names the values that are not text
        (`pk=int`): each value is stood in for, while compiling, by a marker of its type."""
        # Values are bound as they are, without a field's get_db_prep_value: text and integers
        # only, which every backend binds as the ORM would (a date or a UUID might not).
        if not set(types.values()) <= {str, int}:
            raise ValueError("Prepared: seulement des valeurs texte (str) ou entières (int).")
        self.build = build
        code = build.__code__
        names = code.co_varnames[: code.co_argcount]
        # Markers no real value takes: a text with NUL bytes, an integer past any key.
        self.markers = {
            name: f"\x00prepared:{name}\x00" if types.get(name, str) is str else -(2**62) - index
            for index, name in enumerate(names)
        }
        # Per connection object (one per thread and database): the converters the compiler
        # found are bound to that connection.
        self.compiled: WeakKeyDictionary[BaseDatabaseWrapper, Compiled] = WeakKeyDictionary()

    def _compile(self, connection: BaseDatabaseWrapper) -> "Compiled":
        queryset = self.build(**self.markers)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        slots = {
            index: name
            for index, param in enumerate(params)
            for name, marker in self.markers.items()
            if type(param) is type(marker) and param == marker
        }
        if sorted(slots.values()) != sorted(self.markers):
            raise ValueError(f"Prepared: une valeur n'atteint pas le SQL telle quelle ({sorted(self.markers)}).")
        columns = [expression for expression, _, _ in compiler.select]
        if compiler.annotation_col_map or compiler.klass_info.get("related_klass_infos"):
            raise ValueError("Prepared: seulement les colonnes du modèle, sans annotation ni jointure.")
        return Compiled(
            sql=sql,
            params=tuple(params),
            slots=slots,
            model=queryset.model,
            attnames=[column.target.attname for column in columns],
            converters=list(compiler.get_converters(columns).items()),
        )

    def all(self, using: str = DEFAULT_DB_ALIAS, **values) -> list[Model]:
        connection = connections[using]
        compiled = self.compiled.get(connection)
        if compiled is None:
            compiled = self.compiled[connection] = self._compile(connection)
        slots = compiled.slots
        bound = [values[slots[index]] if index in slots else param for index, param in enumerate(compiled.params)]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, bound)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            row = list(row)
            for index, (converters, expression) in compiled.converters:  # as SQLCompiler.apply_converters
                for converter in converters:
                    row[index] = converter(row[index], expression, connection)
            found.append(compiled.model.from_db(using, compiled.attnames, row))
        return found

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
