"""Writing many rows at once: validation without per-row queries, then PostgreSQL's COPY (`bulk_create` elsewhere).

COPY is ~15× faster than Django's multi-row INSERT for 100,000 payments (benchmarks/RESULTS.md) and the
database still enforces every constraint on it. Rows must already be validated model instances.
"""

from collections.abc import Sequence
from functools import cache

from django.db import connection, models


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 2000) -> None:
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    with connection.cursor() as cursor, cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields])


def clean_without_queries(obj: models.Model) -> None:
    """`full_clean()` for bulk writers: every field and `clean()` rule, but none of the per-row queries.

    Foreign-key existence, uniqueness and constraints are skipped here because the bulk writer holds the
    related objects already and the database enforces the named constraints on insert (all-or-nothing,
    inside the writer's transaction). Roughly 13 queries a row saved this way.
    """
    obj.full_clean(exclude=_relation_names(type(obj)), validate_unique=False, validate_constraints=False)


@cache
def _relation_names(model: type[models.Model]) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.is_relation]
