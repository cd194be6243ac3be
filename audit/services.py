"""Writing the audit log: `audit_record(...)` from services, views, the admin and the sign-in hooks."""

import json
import logging
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from audit.chain import GENESIS, canonical, link_hash
from audit.choices import AuditAction
from audit.models import AuditEvent
from core.changes import clean_text

logger = logging.getLogger("audit")
LOCK_ID = 7_301_202_401  # pg_advisory_xact_lock key for appending to the chain


@dataclass(frozen=True)
class RequestContext:
    ip_address: str = ""
    user_agent: str = ""


current_request: ContextVar[RequestContext | None] = ContextVar("audit_request", default=None)


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
