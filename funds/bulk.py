"""Insert many validated rows at once: PostgreSQL's COPY where available, `bulk_create` elsewhere.

COPY is ~15× faster than Django's multi-row INSERT for 100,000 payments (benchmarks/RESULTS.md) and the
database still enforces every constraint on it. Rows must already be validated model instances.
"""

from collections.abc import Sequence

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
