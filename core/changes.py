"""A model row as text for before/after records (the audit trail, admin history), never holding personal data."""

import re

from django.db import models

from core.crypto import DigestField, EncryptedCharField

# Every C0/C1 control character, DEL and the Unicode line/paragraph separators: shown escaped, so a CR/LF or an
# ANSI escape in a path, a user name or an uploaded value cannot start a forged line in any log or export.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(value: object, limit: int = 500) -> str:
    text = "" if value is None else str(value)
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)[:limit]


def _sensitive(field: models.Field) -> bool:
    return isinstance(field, EncryptedCharField | DigestField) or field.name == "password"


def snapshot(instance: models.Model | None) -> dict[str, str]:
    """A model row as {field: text}, for before/after. Encrypted and digest fields are left out: the log never holds
    a clear ID number or account (the masked copies that models keep beside them are included)."""
    if instance is None:
        return {}
    values = {}
    for field in instance._meta.concrete_fields:
        if _sensitive(field):
            continue
        value = field.value_from_object(instance)
        values[field.attname] = "" if value is None else clean_text(value, 300)
    return values


def diff(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    keys = sorted(set(before) | set(after))
    return {key: [before.get(key, ""), after.get(key, "")] for key in keys if before.get(key) != after.get(key)}
