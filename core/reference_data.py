"""Reference data from fixtures: the organisation tree, the programs and their payment kinds, indicator templates.

A federation deploys by listing its own fixture files (`REFERENCE_DATA_FIXTURES`); Xinjiang's are under `fixtures/`.
Rows are found by natural key (an organisation by its code, a payment kind by program and code), so loading again
creates only what is missing: rows already in the database are never changed or deleted, and edits made in the
app (a renamed union, a changed indicator target) stay as they are. A fixture that names a database id is refused,
since ids differ between databases. Every row is validated (`full_clean`) and the whole load commits or none of it.
"""

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import transaction


@dataclass
class ReferenceDataOutcome:
    created: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)


def _entries(path: Path) -> list[dict]:
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationError(f"{path}: {exc}") from exc
    if not isinstance(entries, list):
        raise ValidationError(f"{path}: a fixture is a JSON list of objects")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or "model" not in entry or "fields" not in entry:
            raise ValidationError(f'{path}, entry {number}: needs "model" and "fields"')
        if "pk" in entry:
            raise ValidationError(f'{path}, entry {number}: refer to rows by natural key, not by "pk"')
    return entries


@transaction.atomic
def reference_data_load(*, paths: Sequence[Path]) -> ReferenceDataOutcome:
    """Create the rows of these fixtures that the database does not hold yet (found by natural key)."""
    outcome = ReferenceDataOutcome()
    for path in paths:
        entries = _entries(path)
        # One row at a time: a row's natural foreign keys (an organisation's parent) resolve against rows saved before.
        rows = serializers.deserialize("python", entries)
        for number in range(1, len(entries) + 1):
            try:
                deserialized = next(rows)
            except DeserializationError as exc:
                raise ValidationError(f"{path}, entry {number}: {exc}") from exc
            obj = deserialized.object
            label = obj._meta.label
            if not hasattr(obj, "natural_key"):
                raise ValidationError(f"{path}, entry {number}: {label} has no natural key to find existing rows by")
            if obj.pk is not None:  # the deserializer found the row by its natural key
                outcome.kept[label] += 1
                continue
            try:
                obj.full_clean()
            except ValidationError as exc:
                raise ValidationError(f"{path}, entry {number} ({label} {obj.natural_key()}): {exc.messages}") from exc
            deserialized.save()
            outcome.created[label] += 1
    return outcome
