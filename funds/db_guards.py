"""Database triggers that make posted disbursements immutable, whatever path writes to the table.

The only change a row may ever see is status posted → reversed (done together with its
`DisbursementReversal`); any other UPDATE, and every DELETE, is refused by the database itself — so the
admin, a shell, a bug or a raw SQL session cannot rewrite payment history. Installed by migrations;
call `install_disbursement_guard` again from any migration that adds a column to the table.
"""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLE = "funds_disbursement"
MESSAGE = "funds_disbursement rows are immutable: only status posted -> reversed is allowed; reverse, never edit"


def install_disbursement_guard(schema_editor: BaseDatabaseSchemaEditor, columns: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {TABLE}_guard() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF TG_OP = 'UPDATE' AND OLD.status = 'posted' AND NEW.status = 'reversed'
                 AND (to_jsonb(NEW) - 'status') = (to_jsonb(OLD) - 'status') THEN
                RETURN NEW;
              END IF;
              RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation';
            END $$;
            DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE};
            CREATE TRIGGER {TABLE}_immutable BEFORE UPDATE OR DELETE ON {TABLE}
              FOR EACH ROW EXECUTE FUNCTION {TABLE}_guard();
            """
        )
    elif vendor == "sqlite":
        unchanged = " AND ".join(f'NEW."{c}" IS OLD."{c}"' for c in columns if c != "status")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")
        schema_editor.execute(
            f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
            WHEN NOT (OLD.status = 'posted' AND NEW.status = 'reversed' AND {unchanged})
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
        )
    else:
        raise NotImplementedError(f"no disbursement guard for database vendor {vendor!r}")


def remove_disbursement_guard(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_immutable ON {TABLE}")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_guard()")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_delete")


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
