"""Database triggers that keep ledgers and logs as they were written, whatever path writes to the table.

Two guards, both installed by migrations, on SQLite and PostgreSQL alike — so the admin, a shell, a bug or a raw SQL
session cannot rewrite history:

* a *transition guard*: a row may change in one way only (e.g. a payment's status posted → reversed, done together with
  its reversal row); every other UPDATE and every DELETE is refused. Call `install_transition_guard` again from any
  migration that adds a column to the table (SQLite's trigger lists the columns).
* an *append-only guard*: rows can be added, never changed or deleted (finalised reports, the audit log).
"""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def install_transition_guard(
    schema_editor: BaseDatabaseSchemaEditor,
    *,
    table: str,
    columns: list[str],
    column: str,
    from_value: str,
    to_value: str,
) -> None:
    """Refuse every DELETE, and every UPDATE but `column` from_value → to_value with nothing else changed."""
    message = f"{table} rows are immutable: only {column} {from_value} -> {to_value} is allowed; reverse, never edit"
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {table}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND OLD.{column} = '{from_value}' AND NEW.{column} = '{to_value}'
                 AND (to_jsonb(NEW) - '{column}') = (to_jsonb(OLD) - '{column}') THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';
            END $$;
            DROP TRIGGER IF EXISTS {table}_immutable ON {table};
            CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
              FOR EACH ROW EXECUTE FUNCTION {table}_guard();
            """
        )
    elif vendor == "sqlite":
        unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c != column)
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
        schema_editor.execute(
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            WHEN NOT (OLD.{column} = '{from_value}' AND NEW.{column} = '{to_value}' AND {unchanged})
            BEGIN SELECT RAISE(ABORT, '{message}'); END"""
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    else:
        raise NotImplementedError(f"no transition guard for database vendor {vendor!r}")


def remove_transition_guard(schema_editor: BaseDatabaseSchemaEditor, *, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_guard()")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")


def install_append_only_guard(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    """Refuse every UPDATE and DELETE on `table`: rows can be added, never changed (finalised reports, logs)."""
    message = f"{table} rows are append-only: they cannot be changed or deleted"
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation'; END $$;
            DROP TRIGGER IF EXISTS {table}_append_only ON {table};
            CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
              FOR EACH ROW EXECUTE FUNCTION {table}_append_only();
            """
        )
    elif vendor == "sqlite":
        for operation in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_no_{operation} BEFORE {operation.upper()} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )
    else:
        raise NotImplementedError(f"no append-only guard for database vendor {vendor!r}")


def remove_append_only_guard(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only()")
    elif vendor == "sqlite":
        for operation in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")


# A test database sets this (ALTER DATABASE … SET) so that Django can flush it between tests; a production database
# never does, and its application role is not granted TRUNCATE in the first place (README, "Database roles").
TRUNCATE_ALLOWED_SETTING = "unionfunds.allow_truncate"


def install_truncate_guard(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    """Refuse TRUNCATE on `table` (PostgreSQL; row triggers do not fire on it). SQLite has no TRUNCATE: a DELETE
    without WHERE is a DELETE, which the row guards already refuse."""
    if schema_editor.connection.vendor != "postgresql":
        return
    message = f"{table} cannot be truncated"
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {table}_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF coalesce(current_setting('{TRUNCATE_ALLOWED_SETTING}', true), '') = 'on' THEN RETURN NULL; END IF;
          RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';
        END $$;
        DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
          FOR EACH STATEMENT EXECUTE FUNCTION {table}_no_truncate();
        """
    )


def remove_truncate_guard(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_no_truncate()")


def install_forward_only_guard(schema_editor: BaseDatabaseSchemaEditor, table: str, column: str) -> None:
    """Rows of `table` may be added, and updated only to a larger `column`; never deleted (a chain's head)."""
    message = f"{table} rows only move forward: {column} must grow, and rows cannot be deleted"
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {table}_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND NEW.{column} > OLD.{column} THEN RETURN NEW; END IF;
              RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation';
            END $$;
            DROP TRIGGER IF EXISTS {table}_forward_only ON {table};
            CREATE TRIGGER {table}_forward_only BEFORE UPDATE OR DELETE ON {table}
              FOR EACH ROW EXECUTE FUNCTION {table}_forward_only();
            """
        )
    elif vendor == "sqlite":
        for operation in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
        schema_editor.execute(
            f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            WHEN NOT (NEW.{column} > OLD.{column}) BEGIN SELECT RAISE(ABORT, '{message}'); END"""
        )
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        )
    else:
        raise NotImplementedError(f"no forward-only guard for database vendor {vendor!r}")


def remove_forward_only_guard(schema_editor: BaseDatabaseSchemaEditor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_forward_only ON {table}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_forward_only()")
    elif vendor == "sqlite":
        for operation in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{operation}")
