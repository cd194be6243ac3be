"""Re-encrypt personal data and stored files under a new FIELD_ENCRYPTION_KEY, re-digest ID numbers under a new
ID_HASH_KEY, then record the new keys' fingerprints.

Procedure (README, "Keys"): put the new key in FIELD_ENCRYPTION_KEY (or ID_HASH_KEY) and the old one in
FIELD_ENCRYPTION_OLD_KEYS (ID_HASH_OLD_KEYS); the application refuses to serve until this command has run; run it;
then remove the old key. Values are found generically — every EncryptedCharField and DigestField of every installed
model, and every file under the encrypted storage (uploads, kept parses, error reports, snapshots) — so the command
needs no list of domain tables.
"""

import os

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import audit_hooks
from core.crypto import DigestField, EncryptedCharField, EncryptedFileSystemStorage, current_key_id, reset_key_cache
from core.keys import TRACKED_KEYS, configured_key, fingerprint, key_problems, record_fingerprints

CHUNK = 2000


class Command(BaseCommand):
    help = "轮换 FIELD_ENCRYPTION_KEY / ID_HASH_KEY：用新密钥重新加密个人信息和存储文件、重新计算身份证号摘要。"
    # The key check would refuse exactly the state this command exists to repair.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计需要处理的数据，不写入。")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        reset_key_cache()
        problems = key_problems()
        not_rotatable = [p for p in problems if not p.rotation_pending]
        if not_rotatable:
            raise CommandError(" ".join(p.message for p in not_rotatable))
        pending = {p.name for p in problems}
        if not pending:
            self.stdout.write("密钥与数据库记录一致，无需轮换。")
            return
        with transaction.atomic():
            counts = self._rotate(pending, dry_run=dry_run)
            if dry_run:
                transaction.set_rollback(True)
            else:
                record_fingerprints(names=tuple(n for n in TRACKED_KEYS if n in pending))
                audit_hooks.record(
                    action="update",
                    object_type="core.keyfingerprint",
                    object_repr="keys rotated",
                    detail=", ".join(sorted(pending)),
                    changes={name: ["", fingerprint(configured_key(name))] for name in sorted(pending)}
                    | {"rows": ["", str(counts["rows"])], "files": ["", str(counts["files"])]},
                )
        verb = "需要处理" if dry_run else "已处理"
        self.stdout.write("{verb}：{rows} 条记录，{files} 个文件。".format(verb=verb, **counts))

    def _rotate(self, pending: set[str], *, dry_run: bool) -> dict[str, int]:
        counts = {"rows": 0, "files": 0}
        for model in apps.get_models():
            fields = model._meta.concrete_fields
            encrypted = [f for f in fields if isinstance(f, EncryptedCharField)]
            digests = [f for f in fields if isinstance(f, DigestField)]
            if "FIELD_ENCRYPTION_KEY" not in pending:
                encrypted = []
            if "ID_HASH_KEY" not in pending:
                digests = []
            if encrypted or digests:
                counts["rows"] += self._rotate_rows(model, encrypted, digests, dry_run=dry_run)
        if "FIELD_ENCRYPTION_KEY" in pending:
            counts["files"] = self._rotate_files(dry_run=dry_run)
        return counts

    def _rotate_rows(self, model, encrypted: list, digests: list, *, dry_run: bool) -> int:
        names = sorted({f.name for f in encrypted} | {d.source for d in digests})
        done = 0
        queryset = model._base_manager.order_by("pk")
        last = None
        while True:
            chunk = queryset.filter(pk__gt=last) if last is not None else queryset
            rows = list(chunk.values_list("pk", *names)[:CHUNK])  # decrypted by the fields (old keys allowed)
            if not rows:
                return done
            for pk, *values in rows:
                plain = dict(zip(names, values, strict=True))
                update = {f.name: plain[f.name] for f in encrypted}  # written back: encrypted under the new key
                update |= {d.attname: d.digest_of(plain[d.source]) for d in digests}
                if not dry_run:
                    model._base_manager.filter(pk=pk).update(**update)
                done += 1
            last = rows[-1][0]

    def _rotate_files(self, *, dry_run: bool) -> int:
        storage = default_storage
        if not isinstance(storage, EncryptedFileSystemStorage) or not os.path.isdir(storage.location):
            return 0
        current, done = current_key_id(), 0
        for directory, _dirs, files in os.walk(storage.location):
            for filename in files:
                name = os.path.relpath(os.path.join(directory, filename), storage.location)
                if name.endswith(".rotating") or storage.key_id_of(name) in (current, ""):
                    continue  # already under the new key, or never encrypted
                if not dry_run:
                    storage.rewrite(name)
                done += 1
        return done
