"""What someone with direct database rights could do: switch the immutability triggers off and on again.

The guards are installed through a schema editor; inside a test's transaction (and on SQLite) a real schema editor
cannot be opened, so this stand-in runs the same statements on a plain cursor.
"""

from contextlib import contextmanager

from django.db import connection


class RawEditor:
    connection = connection

    def execute(self, sql: str, params=None) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@contextmanager
def triggers_switched_off(remove, install):
    """`remove(editor)`, then the body, then `install(editor)`."""
    editor = RawEditor()
    remove(editor)
    try:
        yield
    finally:
        install(editor)
