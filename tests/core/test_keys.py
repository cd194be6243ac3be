"""The keys the data was written with: fingerprints recorded at migrate, a wrong key refused at start, key ids in
every ciphertext, and `rotate_keys` moving everything to a new key."""

import base64
import secrets

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError, SystemCheckError
from django.db import connection

from audit.models import AuditEvent
from beneficiaries.models import ModelWorker, resident_id_digest
from core.crypto import decrypt, encrypt, reset_key_cache
from core.keys import TRACKED_KEYS, ensure_keys_match, fingerprint, key_problems
from core.models import KeyFingerprint
from tests.factories import ModelWorkerFactory


def new_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture(autouse=True)
def forget_keys():
    reset_key_cache()
    yield
    reset_key_cache()


def use(settings, **keys: str) -> None:
    for name, value in keys.items():
        setattr(settings, name, value)
    reset_key_cache()


def raw_column(model, field: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {field} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_migrate_records_the_fingerprints_of_the_configured_keys(db, settings):
    stored = dict(KeyFingerprint.objects.values_list("name", "fingerprint"))
    assert set(stored) == set(TRACKED_KEYS)
    assert stored["FIELD_ENCRYPTION_KEY"] == fingerprint(settings.FIELD_ENCRYPTION_KEY)
    assert settings.FIELD_ENCRYPTION_KEY not in str(stored)  # a fingerprint names the key, it does not hold it
    assert key_problems() == []
    ensure_keys_match()


@pytest.mark.parametrize("name", TRACKED_KEYS)
def test_a_different_key_is_refused_at_start_naming_it(db, settings, name):
    use(settings, **{name: new_key()})
    problems = key_problems()
    assert [p.name for p in problems] == [name]
    assert "与数据库首次迁移时记录的密钥不同" in problems[0].message
    with pytest.raises(ImproperlyConfigured, match=name):
        ensure_keys_match()  # what config/wsgi.py does before gunicorn serves
    with pytest.raises(SystemCheckError, match=name):
        call_command("check")  # what every management command (db_worker, migrate, verify_audit) runs


def test_the_audit_chain_key_cannot_be_rotated(db, settings):
    use(settings, AUDIT_CHAIN_KEY="another chain key")
    assert "不能轮换" in key_problems()[0].message
    with pytest.raises(CommandError):
        call_command("rotate_keys")


def test_a_ciphertext_names_its_key_and_a_legacy_value_still_reads(settings):
    token = encrypt("652801195506010013", context="test.id")
    assert token.startswith(f"v2:{fingerprint(settings.FIELD_ENCRYPTION_KEY)}:")
    assert decrypt(token, context="test.id") == "652801195506010013"
    # A value of the first format (no key id) was written by the current key.
    from core import crypto

    legacy = "v1:" + token.split(":", 2)[2]
    assert crypto.decrypt(legacy, context="test.id") == "652801195506010013"
    use(settings, FIELD_ENCRYPTION_KEY=new_key())
    with pytest.raises(ValueError, match="configured neither"):
        decrypt(token, context="test.id")


def test_rotating_the_field_key_re_encrypts_rows_and_files(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    old = settings.FIELD_ENCRYPTION_KEY
    worker = ModelWorkerFactory()
    id_number, account = worker.id_number, worker.bank_account
    stored_name = default_storage.save("imports/650000/roster.xlsx", ContentFile(b"roster bytes"))
    new = new_key()

    use(settings, FIELD_ENCRYPTION_KEY=new, FIELD_ENCRYPTION_OLD_KEYS=old)
    pending = key_problems()
    assert [(p.name, p.rotation_pending) for p in pending] == [("FIELD_ENCRYPTION_KEY", True)]
    with pytest.raises(ImproperlyConfigured, match="rotate_keys"):
        ensure_keys_match()
    # While the old key is kept for reading, nothing is unreadable.
    assert ModelWorker.objects.get(pk=worker.pk).bank_account == account

    call_command("rotate_keys", "--dry-run")
    assert raw_column(ModelWorker, "bank_account", worker.pk).startswith(f"v2:{fingerprint(old)}:")
    call_command("rotate_keys")
    assert raw_column(ModelWorker, "bank_account", worker.pk).startswith(f"v2:{fingerprint(new)}:")
    assert key_problems() == []
    event = AuditEvent.objects.filter(object_type="core.keyfingerprint").latest("sequence")
    assert "FIELD_ENCRYPTION_KEY" in event.detail

    use(settings, FIELD_ENCRYPTION_KEY=new, FIELD_ENCRYPTION_OLD_KEYS="")  # the old key is gone
    again = ModelWorker.objects.get(pk=worker.pk)
    assert (again.id_number, again.bank_account) == (id_number, account)
    with default_storage.open(stored_name, "rb") as stored:
        assert stored.read() == b"roster bytes"
    ensure_keys_match()


def test_rotating_the_id_hash_key_re_digests_so_a_known_person_is_still_found(db, settings):
    worker = ModelWorkerFactory()
    old = settings.ID_HASH_KEY
    new = new_key()
    use(settings, ID_HASH_KEY=new, ID_HASH_OLD_KEYS=old)
    # The incident of the issue: under a new key, the digest of a known ID number finds nobody.
    assert not ModelWorker.objects.filter(id_number_digest=resident_id_digest(worker.id_number)).exists()
    with pytest.raises(ImproperlyConfigured):
        ensure_keys_match()
    call_command("rotate_keys")
    assert ModelWorker.objects.get(id_number_digest=resident_id_digest(worker.id_number)).pk == worker.pk
    use(settings, ID_HASH_KEY=new, ID_HASH_OLD_KEYS="")
    ensure_keys_match()


def test_a_stored_file_of_the_first_format_still_reads(settings, tmp_path):
    import os

    from core import crypto

    settings.MEDIA_ROOT = str(tmp_path)
    storage = crypto.EncryptedFileSystemStorage(location=str(tmp_path))
    nonce = os.urandom(12)
    legacy = storage.LEGACY_MAGIC + nonce + crypto._cipher().encrypt(nonce, b"old roster", storage.CONTEXT)
    (tmp_path / "old.xlsx").write_bytes(legacy)
    assert storage.key_id_of("old.xlsx") is None
    assert storage.open("old.xlsx").read() == b"old roster"
    storage.rewrite("old.xlsx")
    assert storage.key_id_of("old.xlsx") == fingerprint(settings.FIELD_ENCRYPTION_KEY)
    assert storage.open("old.xlsx").read() == b"old roster"
