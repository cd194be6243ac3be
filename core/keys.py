"""Which keys this database was written with: fingerprints recorded at the first migrate, checked at every start.

A wrong `ID_HASH_KEY` makes a roster upload miss a person it already holds and create them again (paid twice); a
wrong `FIELD_ENCRYPTION_KEY` makes personal data unreadable; a wrong `AUDIT_CHAIN_KEY` makes the whole log look
forged. None of these may start serving. A fingerprint is an HMAC of a fixed label under the key: it names the key
without revealing it.
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError
from django.utils.translation import gettext as _

_LABEL = b"unionfunds/key-fingerprint/v1"

# The keys whose change corrupts stored data; SECRET_KEY is not among them (sessions only: SECRET_KEY_FALLBACKS).
TRACKED_KEYS = ("FIELD_ENCRYPTION_KEY", "ID_HASH_KEY", "AUDIT_CHAIN_KEY")
# Where the previous keys are kept while `rotate_keys` re-encrypts and re-digests (comma-separated).
OLD_KEYS_SETTINGS = {"FIELD_ENCRYPTION_KEY": "FIELD_ENCRYPTION_OLD_KEYS", "ID_HASH_KEY": "ID_HASH_OLD_KEYS"}


def fingerprint(raw: str) -> str:
    """16 hex digits naming a key (as configured, before decoding)."""
    return hmac.new(raw.encode(), _LABEL, hashlib.sha256).hexdigest()[:16]


def configured_key(name: str) -> str:
    return getattr(settings, name, "") or ""


def old_keys(name: str) -> list[str]:
    setting = OLD_KEYS_SETTINGS.get(name)
    raw = getattr(settings, setting, "") if setting else ""
    if isinstance(raw, (list, tuple)):
        return [k for k in raw if k]
    return [k.strip() for k in (raw or "").split(",") if k.strip()]


@dataclass(frozen=True)
class KeyProblem:
    name: str
    message: str
    rotation_pending: bool = False


def _stored_fingerprints() -> dict[str, str] | None:
    from core.models import KeyFingerprint

    try:
        return dict(KeyFingerprint.objects.values_list("name", "fingerprint"))
    except DatabaseError:
        # Before the first migrate there is nothing to compare with (and nothing stored to corrupt).
        return None


def key_problems() -> list[KeyProblem]:
    """Every configured key that differs from the one the database was written with."""
    stored = _stored_fingerprints()
    if not stored:
        return []
    problems = []
    for name in TRACKED_KEYS:
        recorded = stored.get(name)
        if recorded is None:
            continue
        current = fingerprint(configured_key(name))
        if current == recorded:
            continue
        if recorded in {fingerprint(k) for k in old_keys(name)}:
            problems.append(
                KeyProblem(
                    name,
                    _(
                        "{name} 已更换为新密钥（指纹 {current}），但数据库中的数据仍由旧密钥（指纹 {recorded}）写入："
                        "请先运行 manage.py rotate_keys 完成轮换。"
                    ).format(name=name, current=current, recorded=recorded),
                    rotation_pending=True,
                )
            )
        else:
            problems.append(
                KeyProblem(
                    name,
                    _(
                        "{name} 与数据库首次迁移时记录的密钥不同（配置的指纹 {current}，记录的指纹 {recorded}）："
                        "请使用原来的 .env 密钥；若要更换密钥，请把旧密钥放入 {old} 并运行 manage.py rotate_keys。"
                    ).format(
                        name=name,
                        current=current,
                        recorded=recorded,
                        old=OLD_KEYS_SETTINGS.get(name, _("（此密钥不能轮换）")),
                    ),
                )
            )
    return problems


def ensure_keys_match() -> None:
    """Refuse to start serving (web workers, the task worker) with a key the data was not written with."""
    problems = key_problems()
    if problems:
        raise ImproperlyConfigured(" ".join(p.message for p in problems))


def record_fingerprints(*, names: tuple[str, ...] = TRACKED_KEYS) -> None:
    """Store the fingerprints of the configured keys (at the first migrate, and when a rotation completes)."""
    from django.utils import timezone

    from core.models import KeyFingerprint

    for name in names:
        KeyFingerprint.objects.update_or_create(
            name=name, defaults={"fingerprint": fingerprint(configured_key(name)), "recorded_at": timezone.now()}
        )
