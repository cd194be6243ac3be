"""Writing the audit log: `audit_record(...)` from services, views, the admin and the sign-in hooks."""

import json
import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from audit.chain import GENESIS, canonical, link_hash
from audit.choices import AuditAction
from audit.models import AuditEvent

logger = logging.getLogger("audit")

# Every C0/C1 control character, DEL and the Unicode line/paragraph separators: shown escaped, so a CR/LF or an
# ANSI escape in a path, a user name or an uploaded value cannot start a forged line in any log or export.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
LOCK_ID = 7_301_202_401  # pg_advisory_xact_lock key for appending to the chain


def clean_text(value: object, limit: int = 500) -> str:
    text = "" if value is None else str(value)
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)[:limit]


@dataclass(frozen=True)
class RequestContext:
    ip_address: str = ""
    user_agent: str = ""


current_request: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


def _sensitive(field: models.Field) -> bool:
    from funds.crypto import DigestField, EncryptedCharField

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


def content_of(event: AuditEvent) -> dict:
    """What the chain hash covers: every column but the hashes themselves."""
    return {
        "sequence": event.sequence,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "actor_username": event.actor_username,
        "ip_address": event.ip_address,
        "user_agent": event.user_agent,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "detail": event.detail,
        "changes": event.changes,
    }


@transaction.atomic
def audit_record(
    *,
    action: AuditAction | str,
    actor=None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    detail: str = "",
    changes: dict | None = None,
    username: str = "",
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction (the event commits or rolls back with the change).

    Call it last in a service: appending takes the chain lock until the transaction ends.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    context = current_request.get() or RequestContext()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=actor.pk if authenticated else None,
        actor_username=clean_text(actor.get_username() if authenticated else username, 150),
        ip_address=clean_text(context.ip_address, 45),
        user_agent=clean_text(context.user_agent, 200),
        action=AuditAction(action),
        object_type=clean_text(object_type, 60),
        object_id=clean_text(object_id, 64),
        object_repr=clean_text(object_repr, 200),
        detail=clean_text(detail, 500),
        # Stored exactly as hashed: JSON-native values only.
        changes=json.loads(canonical(changes or {})),
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_ID])
    # SQLite: transactions start IMMEDIATE (settings), so writers are already serialised.
    last = AuditEvent.objects.order_by("-sequence").values("sequence", "chain_hash").first()
    event.sequence = (last["sequence"] + 1) if last else 1
    event.previous_hash = last["chain_hash"] if last else GENESIS
    event.chain_hash = link_hash(event.previous_hash, content_of(event))
    event.full_clean(validate_unique=False, validate_constraints=False)
    event.save(force_insert=True)
    logger.info(
        json.dumps(
            {
                "seq": event.sequence,
                "at": event.occurred_at.isoformat(),
                "actor": event.actor_username,
                "ip": event.ip_address,
                "action": event.action,
                "object": f"{event.object_type}:{event.object_id}",
                "detail": event.detail,
            },
            ensure_ascii=True,
        )
    )
    return event
