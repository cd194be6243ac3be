"""The keyed hash chain over audit rows (and the per-row seals of posted disbursements).

The key (AUDIT_CHAIN_KEY) lives with the other secrets outside the database: someone able to edit the tables
directly still cannot produce a valid hash for an edited row, nor re-chain the rows after a removed one.
"""

import hashlib
import hmac
import json
from datetime import datetime
from decimal import Decimal

from django.conf import settings

GENESIS = "0" * 64


def _key() -> bytes:
    return settings.AUDIT_CHAIN_KEY.encode()


def _default(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def canonical(payload: object) -> bytes:
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_default).encode()


def link_hash(previous_hash: str, content: dict) -> str:
    """HMAC-SHA256 of the previous row's hash and this row's content."""
    return hmac.new(_key(), previous_hash.encode() + b"|" + canonical(content), hashlib.sha256).hexdigest()


def seal(content: dict) -> str:
    """HMAC-SHA256 of one row's content (posted disbursements: each row sealed when it is written)."""
    return hmac.new(_key(), b"seal|" + canonical(content), hashlib.sha256).hexdigest()


def head_signature(sequence: int, chain_hash: str, first_hash: str = "") -> str:
    """HMAC-SHA256 over where the chain ends (the AuditHead row; the checkpoint file adds the chain's first hash,
    which names the chain it belongs to)."""
    return hmac.new(_key(), f"head|{first_hash}|{sequence}|{chain_hash}".encode(), hashlib.sha256).hexdigest()
