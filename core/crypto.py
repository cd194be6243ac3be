"""Personal data at rest: AES-256-GCM encrypted model fields and HMAC lookup digests.

Resident ID numbers and bank accounts are sensitive personal information (PIPL art. 28), so the database
never holds them in clear. Each value is stored as ``v2:<key id>:<base64(nonce || ciphertext+tag)>`` (``v1:`` values,
written before key ids, carry none); the key id is the key's fingerprint (core.keys), so a value names the key that
can read it and `rotate_keys` can tell what is left to re-encrypt. The field's own label is bound in as associated
data, so a ciphertext copied into another column fails to decrypt.
Exact lookup and uniqueness go through a keyed digest (HMAC-SHA256) kept beside the value: without the
key, the digest cannot be reversed by enumerating the (small) space of valid ID numbers.
"""

import base64
import binascii
import hashlib
import hmac
import os
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models

from core.keys import fingerprint, old_keys

_LEGACY_VERSION = "v1"
_VERSION = "v2"
_NONCE_BYTES = 12


def _decode_key(name: str, raw: str | None = None) -> bytes:
    raw = (getattr(settings, name, "") or "") if raw is None else raw
    try:
        key = base64.urlsafe_b64decode(raw.encode())
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be url-safe base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes (run `python -m config.keys`)")
    return key


@cache
def _keyring() -> tuple[str, dict[str, AESGCM]]:
    """The current key's id, and every key that can read: the current one and, during a rotation, the old ones."""
    current_raw = getattr(settings, "FIELD_ENCRYPTION_KEY", "") or ""
    current = fingerprint(current_raw)
    ring = {current: AESGCM(_decode_key("FIELD_ENCRYPTION_KEY", current_raw))}
    for raw in old_keys("FIELD_ENCRYPTION_KEY"):
        ring.setdefault(fingerprint(raw), AESGCM(_decode_key("FIELD_ENCRYPTION_OLD_KEYS", raw)))
    return current, ring


def current_key_id() -> str:
    return _keyring()[0]


def _cipher() -> AESGCM:
    current, ring = _keyring()
    return ring[current]


@cache
def _hash_key() -> bytes:
    return _decode_key("ID_HASH_KEY")


def reset_key_cache() -> None:
    """Forget the decoded keys (after the settings changed: tests, `rotate_keys`)."""
    _keyring.cache_clear()
    _hash_key.cache_clear()


def encrypt(plaintext: str, *, context: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher().encrypt(nonce, plaintext.encode(), context.encode())
    return f"{_VERSION}:{current_key_id()}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(token: str) -> str | None:
    """The id of the key a value was encrypted with (None for a legacy value without one)."""
    version, _, rest = token.partition(":")
    return rest.partition(":")[0] if version == _VERSION else None


def _open_with(candidates: list[AESGCM], blob: bytes, associated: bytes, what: str) -> bytes:
    for cipher in candidates:
        try:
            return cipher.decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], associated)
        except InvalidTag:
            continue
    raise ValueError(f"{what} failed authentication (wrong FIELD_ENCRYPTION_KEY, or the value was altered)")


def _candidates(key_id: str | None, what: str) -> list[AESGCM]:
    current, ring = _keyring()
    if key_id is None:  # legacy: try the current key first, then the old ones
        return [ring[current]] + [c for k, c in ring.items() if k != current]
    if key_id not in ring:
        raise ValueError(
            f"{what} was encrypted with key {key_id}, which is configured neither as FIELD_ENCRYPTION_KEY "
            "nor in FIELD_ENCRYPTION_OLD_KEYS"
        )
    return [ring[key_id]]


def decrypt(token: str, *, context: str) -> str:
    version, _, rest = token.partition(":")
    if version == _VERSION:
        key_id, _, payload = rest.partition(":")
    elif version == _LEGACY_VERSION:
        key_id, payload = None, rest
    else:
        raise ValueError(f"unknown ciphertext version {version!r}")
    blob = base64.b64decode(payload)
    what = f"ciphertext for {context}"
    return _open_with(_candidates(key_id, what), blob, context.encode(), what).decode()


def lookup_digest(value: str, *, purpose: str, key: bytes | None = None) -> str:
    """Keyed digest for exact lookup; `purpose` separates the digest spaces of different kinds of value.
    `key` is for `rotate_keys` only (the digest under the new key); everything else uses ID_HASH_KEY."""
    return hmac.new(key or _hash_key(), f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def decode_key(raw: str, *, name: str) -> bytes:
    return _decode_key(name, raw)


class EncryptedCharField(models.TextField):
    """A text value stored encrypted. Only `isnull` lookups make sense on it; search by its digest instead."""

    def __init__(self, *args, context: str | None = None, **kwargs):
        self.context = context
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.context is not None:
            kwargs["context"] = self.context
        return name, path, args, kwargs

    def _context(self) -> str:
        return self.context or f"{self.model._meta.label_lower}.{self.name}"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value, context=self._context())

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value, context=self._context())

    def formfield(self, **kwargs):
        from django import forms

        kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)

    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)


class DigestField(models.CharField):
    """HMAC digest of another field on the same model, kept in step when the row is written.

    Computed in `pre_save` (as `auto_now` is), so forms, admin, services and bulk inserts all agree;
    `refresh()` lets `Model.clean()` compute it earlier, before uniqueness is validated.
    """

    def __init__(self, *args, source: str = "", purpose: str = "", **kwargs):
        self.source = source
        self.purpose = purpose
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, purpose=self.purpose)
        kwargs.pop("max_length", None)
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def digest_of(self, value: str | None) -> str | None:
        return lookup_digest(value, purpose=self.purpose) if value else None

    def refresh(self, instance: models.Model) -> str | None:
        digest = self.digest_of(getattr(instance, self.source))
        setattr(instance, self.attname, digest)
        return digest

    def pre_save(self, model_instance, add):
        return self.refresh(model_instance)


class EncryptedFileSystemStorage(FileSystemStorage):
    """Uploaded spreadsheets, kept parses and finalised reports, AES-256-GCM encrypted on disk.

    An uploaded roster holds every ID number and bank account of a prefecture in clear; on disk it is ciphertext
    (`MAGIC || key id || nonce || ciphertext+tag`), readable only with FIELD_ENCRYPTION_KEY (or an old key during
    a rotation). Files of the first format (`UFENC1`, no key id) and files written before encryption was switched on
    (no magic prefix) are still read.
    """

    LEGACY_MAGIC = b"UFENC1\n"
    MAGIC = b"UFENC2\n"
    KEY_ID_BYTES = 16
    CONTEXT = b"stored-file"

    def _save(self, name: str, content) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        return super()._save(name, ContentFile(self.seal(data)))

    def seal(self, data: bytes) -> bytes:
        nonce = os.urandom(_NONCE_BYTES)
        return self.MAGIC + current_key_id().encode() + nonce + _cipher().encrypt(nonce, data, self.CONTEXT)

    def key_id_of(self, name: str) -> str | None:
        """The key a stored file is encrypted with ("" when not encrypted, None for the first format)."""
        with super()._open(name, "rb") as stored:
            head = stored.read(len(self.MAGIC) + self.KEY_ID_BYTES)
        if head.startswith(self.MAGIC):
            return head[len(self.MAGIC) :].decode()
        return None if head.startswith(self.LEGACY_MAGIC) else ""

    def rewrite(self, name: str) -> None:
        """Encrypt a stored file again under the current key, in place (same name: names are content hashes)."""
        plain = self._open(name).read()
        path = self.path(name)
        # Written beside and renamed over: a crash leaves the old file or the new one, never half of either.
        partial = f"{path}.rotating"
        with open(partial, "wb") as target:
            target.write(self.seal(plain))
            target.flush()
            os.fsync(target.fileno())
        os.replace(partial, path)

    def _open(self, name: str, mode: str = "rb") -> ContentFile:
        with super()._open(name, "rb") as stored:
            blob = stored.read()
        what = f"stored file {name}"
        if blob.startswith(self.MAGIC):
            body = blob[len(self.MAGIC) :]
            key_id, body = body[: self.KEY_ID_BYTES].decode(), body[self.KEY_ID_BYTES :]
            return ContentFile(_open_with(_candidates(key_id, what), body, self.CONTEXT, what), name=name)
        if blob.startswith(self.LEGACY_MAGIC):
            body = blob[len(self.LEGACY_MAGIC) :]
            return ContentFile(_open_with(_candidates(None, what), body, self.CONTEXT, what), name=name)
        return ContentFile(blob, name=name)
