"""A summary table kept exact by the database: per group of key columns, how many rows and the sum of one column.

Triggers on the source table add every inserted row to its group and move every updated row from its old group to its
new one, in the writing statement's own transaction — so no write path (a service, an import's COPY, the admin, a
shell) can leave it behind, and a rolled-back write leaves it as it was. PostgreSQL uses statement-level triggers
with transition tables (one grouped upsert per statement: a 100,000-row COPY costs one aggregate, not 100,000
upserts); SQLite row-level ones. Deletes are not handled: the tables summarised refuse them (core.db_guards).
Installed by migrations; call `install_summary_triggers` again from any migration that rebuilds the source table
on SQLite (which drops its triggers).
"""

from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def install_summary_triggers(
    schema_editor: BaseDatabaseSchemaEditor,
    *,
    source: str,
    summary: str,
    keys: list[str],
    amount: str,
    count_column: str = "payments",
    sum_column: str = "amount",
) -> None:
    vendor = schema_editor.connection.vendor
    key_list = ", ".join(keys)
    upsert = (
        f"ON CONFLICT ({key_list}) DO UPDATE SET {count_column} = {summary}.{count_column} + EXCLUDED.{count_column}, "
        f"{sum_column} = {summary}.{sum_column} + EXCLUDED.{sum_column}"
    )
    if vendor == "postgresql":
        grouped = f"SELECT {key_list}, count(*), sum({amount}) FROM {{rows}} GROUP BY {key_list} ORDER BY {key_list}"
        # The old groups lose their rows by a plain UPDATE: an upsert's proposed row would carry the negative count,
        # which the summary's CHECK refuses before the conflict is even looked at.
        matched = " AND ".join(f"{summary}.{key} = moved.{key}" for key in keys)
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {summary}_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO {summary} ({key_list}, {count_column}, {sum_column})
              {grouped.format(rows="new_rows")}
              {upsert};
              RETURN NULL;
            END $$;
            CREATE OR REPLACE FUNCTION {summary}_on_update() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              UPDATE {summary} SET {count_column} = {summary}.{count_column} - moved.n,
                {sum_column} = {summary}.{sum_column} - moved.total
              FROM (SELECT {key_list}, count(*) AS n, sum({amount}) AS total FROM old_rows GROUP BY {key_list}) AS moved
              WHERE {matched};
              INSERT INTO {summary} ({key_list}, {count_column}, {sum_column})
              {grouped.format(rows="new_rows")}
              {upsert};
              RETURN NULL;
            END $$;
            DROP TRIGGER IF EXISTS {summary}_insert ON {source};
            DROP TRIGGER IF EXISTS {summary}_update ON {source};
            CREATE TRIGGER {summary}_insert AFTER INSERT ON {source}
              REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {summary}_on_insert();
            CREATE TRIGGER {summary}_update AFTER UPDATE ON {source}
              REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
              FOR EACH STATEMENT EXECUTE FUNCTION {summary}_on_update();
            """
        )
    elif vendor == "sqlite":
        values = ", ".join(f"NEW.{key}" for key in keys)
        # `WHERE true` lets SQLite parse the upsert after a SELECT (its documented ambiguity with ON CONFLICT).
        add = (
            f"INSERT INTO {summary} ({key_list}, {count_column}, {sum_column}) "
            f"SELECT {values}, 1, NEW.{amount} WHERE true {upsert};"
        )
        matched = " AND ".join(f"{key} = OLD.{key}" for key in keys)
        remove = (
            f"UPDATE {summary} SET {count_column} = {count_column} - 1, {sum_column} = {sum_column} - OLD.{amount} "
            f"WHERE {matched};"
        )
        for name in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {summary}_{name}")
        schema_editor.execute(f"CREATE TRIGGER {summary}_insert AFTER INSERT ON {source} BEGIN {add} END")
        schema_editor.execute(f"CREATE TRIGGER {summary}_update AFTER UPDATE ON {source} BEGIN {remove} {add} END")
    else:
        raise NotImplementedError(f"no summary triggers for database vendor {vendor!r}")


def remove_summary_triggers(schema_editor: BaseDatabaseSchemaEditor, *, source: str, summary: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS {summary}_insert ON {source}; DROP TRIGGER IF EXISTS {summary}_update ON {source};"
            f"DROP FUNCTION IF EXISTS {summary}_on_insert(); DROP FUNCTION IF EXISTS {summary}_on_update();"
        )
    else:
        for name in ("insert", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {summary}_{name}")
