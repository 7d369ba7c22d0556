"""The benchmarks' fresh database (imported once Django is set up)."""

from django.conf import settings
from django.core.management import call_command


def fresh_database() -> None:
    """Migrate the benchmark's database; on PostgreSQL empty what an earlier run left (the
    catalogue, which the flush takes too, is loaded again by its data migration) and empty the
    Redis index of REDIS_URL."""
    call_command("migrate", verbosity=0)
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        call_command("flush", verbosity=0, interactive=False)
        call_command("migrate", "catalogue", "zero", verbosity=0)
        call_command("migrate", verbosity=0)
    if settings.REDIS_URL:
        from django_redis import get_redis_connection

        get_redis_connection("default").flushdb()
