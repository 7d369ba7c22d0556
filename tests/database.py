"""What the database holds, read back by the tests that look for secrets stored in clear."""

from django.db import connection


def all_database_text() -> str:
    """Return every text value of every table, to look for secrets in clear."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            chunks.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(chunks)
