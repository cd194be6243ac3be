"""Writing the audit log: `audit_record(...)` from services, views, the admin and the sign-in hooks."""

import json
import logging
import time
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from audit.chain import GENESIS, canonical, head_signature, link_hash
from audit.choices import AuditAction
from audit.models import AuditEvent, AuditHead
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


def _move_head(event: AuditEvent) -> None:
    """The chain's end, outside the events' table and signed (AuditHead), in the same transaction; and, once it
    commits, now and then to the checkpoint file outside the database.

    The head moves only when the new event continues it. After a removed tail the head stays where the log really
    ended, so later events cannot cover the gap and `verify_audit` keeps reporting it.
    """
    signature = head_signature(event.sequence, event.chain_hash)
    fields = {"sequence": event.sequence, "chain_hash": event.chain_hash, "signature": signature}
    moved = AuditHead.objects.filter(sequence=event.sequence - 1, chain_hash=event.previous_hash).update(
        updated_at=event.occurred_at, **fields
    )
    if not moved:
        if AuditHead.objects.exists():
            logger.error("audit head not moved: event %s does not continue the recorded end of the log", event.sequence)
            return
        if event.sequence != 1:
            logger.error("audit head missing: event %s written without one", event.sequence)
            return
        AuditHead.objects.create(updated_at=event.occurred_at, **fields)
    transaction.on_commit(lambda: write_checkpoint(event.sequence, event.chain_hash))


def checkpoint_path() -> Path:
    # One file per database (DATABASE_IDENTITY): a second deployment in the same DATA_DIR keeps its own.
    default = Path(settings.DATA_DIR) / f"audit-checkpoint-{settings.DATABASE_IDENTITY}.json"
    return Path(getattr(settings, "AUDIT_CHECKPOINT_FILE", "") or default)


def _first_hash() -> str:
    return AuditEvent.objects.filter(sequence=1).values_list("chain_hash", flat=True).first() or ""


def write_checkpoint(sequence: int, chain_hash: str, *, force: bool = False) -> None:
    """The chain's end in a file outside the database, signed, at most every AUDIT_CHECKPOINT_SECONDS (and on every
    `verify_audit`): a log restored from an older backup, truncated or restarted is found short of it.

    A checkpoint of another chain (another first event) is never overwritten here: only `verify_audit --reanchor`,
    after someone has looked, replaces it.
    """
    path = checkpoint_path()
    every = int(getattr(settings, "AUDIT_CHECKPOINT_SECONDS", 60))
    try:
        known = read_checkpoint()
        if known and not force and (known["sequence"] > sequence or time.time() - path.stat().st_mtime < every):
            return
        first_hash = _first_hash()
        if known and not force and known["first_hash"] != first_hash:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "first_hash": first_hash,
            "sequence": sequence,
            "chain_hash": chain_hash,
            "signature": head_signature(sequence, chain_hash, first_hash),
            "written_at": timezone.now().isoformat(),
        }
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(payload, indent=1))
        temporary.replace(path)
    except OSError:
        logger.exception("audit checkpoint not written to %s", path)


def read_checkpoint() -> dict | None:
    path = checkpoint_path()
    try:
        payload = json.loads(path.read_text())
        return {
            "first_hash": str(payload["first_hash"]),
            "sequence": int(payload["sequence"]),
            "chain_hash": str(payload["chain_hash"]),
            "signature": str(payload["signature"]),
        }
    except (OSError, ValueError, KeyError, TypeError):
        return None


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
    _move_head(event)
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
                "hash": event.chain_hash,
            },
            ensure_ascii=True,
        )
    )
    return event
