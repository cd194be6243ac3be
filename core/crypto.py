"""Personal data at rest: AES-256-GCM encrypted model fields and HMAC lookup digests.

Resident ID numbers and bank accounts are sensitive personal information (PIPL art. 28), so the database
never holds them in clear. Each value is stored as ``v1:<base64(nonce || ciphertext+tag)>``; the field's
own label is bound in as associated data, so a ciphertext copied into another column fails to decrypt.
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

_VERSION = "v1"
_NONCE_BYTES = 12


def _decode_key(name: str) -> bytes:
    raw = getattr(settings, name, "") or ""
    try:
        key = base64.urlsafe_b64decode(raw.encode())
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{name} must be url-safe base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes (run `python -m config.keys`)")
    return key


@cache
def _cipher() -> AESGCM:
    return AESGCM(_decode_key("FIELD_ENCRYPTION_KEY"))


@cache
def _hash_key() -> bytes:
    return _decode_key("ID_HASH_KEY")


def encrypt(plaintext: str, *, context: str) -> str:
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _cipher().encrypt(nonce, plaintext.encode(), context.encode())
    return f"{_VERSION}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    version, _, payload = token.partition(":")
    if version != _VERSION:
        raise ValueError(f"unknown ciphertext version {version!r}")
    blob = base64.b64decode(payload)
    try:
        return _cipher().decrypt(blob[:_NONCE_BYTES], blob[_NONCE_BYTES:], context.encode()).decode()
    except InvalidTag as exc:
        raise ValueError(f"ciphertext for {context} failed authentication") from exc


def lookup_digest(value: str, *, purpose: str) -> str:
    """Keyed digest for exact lookup; `purpose` separates the digest spaces of different kinds of value."""
    return hmac.new(_hash_key(), f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


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
    (`MAGIC || nonce || ciphertext+tag`), readable only with FIELD_ENCRYPTION_KEY. Files written before encryption
    was switched on (no magic prefix) are still read as they are.
    """

    MAGIC = b"UFENC1\n"
    CONTEXT = b"stored-file"

    def _save(self, name: str, content) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        nonce = os.urandom(_NONCE_BYTES)
        blob = self.MAGIC + nonce + _cipher().encrypt(nonce, data, self.CONTEXT)
        return super()._save(name, ContentFile(blob))

    def _open(self, name: str, mode: str = "rb") -> ContentFile:
        with super()._open(name, "rb") as stored:
            blob = stored.read()
        if not blob.startswith(self.MAGIC):
            return ContentFile(blob, name=name)
        body = blob[len(self.MAGIC) :]
        try:
            plain = _cipher().decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], self.CONTEXT)
        except InvalidTag as exc:
            raise ValueError(f"stored file {name} failed authentication") from exc
        return ContentFile(plain, name=name)
