"""The end of the audit chain: a removed tail, an emptied or restarted log, a forged head, a restored backup.

Someone with database rights who switches the guards off can delete the newest events without breaking any link in
what remains; the signed head row (same database) and the signed checkpoint file (outside it) are what notice.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from audit.chain import head_signature
from audit.models import AuditEvent, AuditHead
from audit.services import audit_record, checkpoint_path, read_checkpoint, write_checkpoint
from audit.verify import verify_audit_chain, verify_disbursements
from core.db_guards import (
    TRUNCATE_ALLOWED_SETTING,
    install_append_only_guard,
    install_forward_only_guard,
    remove_append_only_guard,
    remove_forward_only_guard,
)
from funds.models import Disbursement, ImportBatch
from imports.services import import_batch_confirm
from tests.db_tampering import triggers_switched_off
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
from tests.uploads import upload

EVENTS = AuditEvent._meta.db_table
HEAD = AuditHead._meta.db_table


def events_unguarded():
    return triggers_switched_off(
        lambda e: remove_append_only_guard(e, EVENTS), lambda e: install_append_only_guard(e, EVENTS)
    )


def head_unguarded():
    return triggers_switched_off(
        lambda e: remove_forward_only_guard(e, HEAD), lambda e: install_forward_only_guard(e, HEAD, "sequence")
    )


def chain_of(n: int, users) -> list[AuditEvent]:
    return [audit_record(action="login", actor=users.finance) for _ in range(n)]


@pytest.mark.django_db
def test_the_head_follows_every_event_and_only_moves_forward(users):
    events = chain_of(3, users)
    head = AuditHead.objects.get()
    assert (head.sequence, head.chain_hash) == (events[-1].sequence, events[-1].chain_hash)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.update(sequence=1, chain_hash=events[0].chain_hash)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditHead.objects.all().delete()
    assert AuditHead.objects.get().sequence == events[-1].sequence
    assert verify_audit_chain().ok


@pytest.mark.django_db
def test_deleting_the_newest_events_is_reported_and_later_events_do_not_cover_it(users):
    events = chain_of(5, users)
    with events_unguarded():
        AuditEvent.objects.filter(sequence__gte=4).delete()
    result = verify_audit_chain()
    assert not result.ok
    assert "链头记录显示日志记到第 5 条，表中只到第 3 条：最后 2 条记录被删除" in result.first_problem
    # The log goes on (a login, a verification): the head stays where the log really ended.
    chain_of(4, users)
    assert AuditHead.objects.get().sequence == events[-1].sequence
    problems = verify_audit_chain().problems
    assert any("链头记录与第 5 条记录的哈希不符" in p or "链头记录停在第 5 条" in p for p in problems), problems


@pytest.mark.django_db
def test_a_deleted_or_forged_head_is_reported(users):
    chain_of(3, users)
    with head_unguarded():
        AuditHead.objects.update(sequence=3, signature="0" * 64)
        assert any("链头记录的签名不符" in p for p in verify_audit_chain().problems)
        AuditHead.objects.all().delete()
    assert any("链头记录缺失" in p for p in verify_audit_chain().problems)


@pytest.mark.django_db
def test_an_emptied_log_beside_imported_payments_is_reported(users, payroll):
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])]), users.kashgar, payroll)
    import_batch_confirm(batch=batch, acting_user=users.kashgar)
    checkpoint_path().unlink(missing_ok=True)  # the file is elsewhere, out of reach of the person emptying the log
    with events_unguarded(), head_unguarded():
        AuditEvent.objects.all().delete()
        AuditHead.objects.all().delete()
    problems = verify_audit_chain().problems
    assert any("审计日志为空，但数据库中有" in p and "日志被清空过" in p for p in problems), problems


@pytest.mark.django_db
def test_a_log_restarted_from_genesis_is_found_by_the_checkpoint_file_and_reanchored_only_by_hand(users):
    chain_of(3, users)
    write_checkpoint(3, AuditEvent.objects.get(sequence=3).chain_hash, force=True)
    with events_unguarded(), head_unguarded():
        AuditEvent.objects.all().delete()
        AuditHead.objects.all().delete()
    restarted = chain_of(2, users)  # a clean-looking new chain, head and all
    assert AuditHead.objects.get().sequence == restarted[-1].sequence
    problems = verify_audit_chain().problems
    assert any("属于另一条日志" in p and "--reanchor" in p for p in problems), problems
    assert read_checkpoint()["sequence"] == 3  # ordinary events never overwrite another chain's checkpoint
    out = io.StringIO()
    with pytest.raises(Exception, match="integrity check failed"):
        call_command("verify_audit", stdout=out, stderr=io.StringIO())
    assert AuditEvent.objects.count() == 2  # a failed verification writes nothing to the log

    call_command("verify_audit", "--reanchor", stdout=out)
    assert read_checkpoint()["sequence"] == 3  # the new chain's 3rd event: the verification itself
    assert read_checkpoint()["first_hash"] == restarted[0].chain_hash
    event = AuditEvent.objects.order_by("-sequence").first()
    assert event.action == "verify" and "checkpoint re-anchored (was #3" in event.detail
    assert verify_audit_chain().ok


@pytest.mark.django_db
def test_a_backup_older_than_the_checkpoint_is_reported(users):
    events = chain_of(4, users)
    write_checkpoint(4, events[-1].chain_hash, force=True)
    # As a restore of last week's backup: the newest events, and the head with them, are back where they were.
    with events_unguarded(), head_unguarded():
        AuditEvent.objects.filter(sequence=4).delete()
        AuditHead.objects.update(
            sequence=3, chain_hash=events[2].chain_hash, signature=head_signature(3, events[2].chain_hash)
        )
    problems = verify_audit_chain().problems
    assert problems == [
        "检查点文件显示日志记到第 4 条，表中只到第 3 条：最后 1 条记录被删除（或日志被清空、从旧备份恢复）。"
    ], problems


@pytest.mark.django_db
def test_a_forged_checkpoint_file_is_reported(users):
    events = chain_of(2, users)
    write_checkpoint(2, events[-1].chain_hash, force=True)
    payload = json.loads(checkpoint_path().read_text())
    payload["sequence"] = 1
    checkpoint_path().write_text(json.dumps(payload))
    assert any("检查点文件的签名不符" in p for p in verify_audit_chain().problems)


@pytest.mark.django_db
def test_verify_audit_with_the_wrong_key_writes_nothing(users, settings):
    chain_of(2, users)
    settings.AUDIT_CHAIN_KEY = "not-the-key"
    with pytest.raises(Exception, match="integrity check failed"):
        call_command("verify_audit", stdout=io.StringIO(), stderr=io.StringIO())
    assert AuditEvent.objects.count() == 2


@pytest.mark.django_db
def test_a_payment_deleted_with_its_import_event_is_still_missed_by_the_batch(users, payroll):
    from core.db_guards import install_transition_guard, remove_transition_guard

    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers)]
    batch = import_batch_confirm(
        batch=upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll), acting_user=users.kashgar
    )
    assert ImportBatch.objects.get(pk=batch.pk).posted_count == len(rows)
    columns = [f.column for f in Disbursement._meta.concrete_fields]
    guard = {"table": "funds_disbursement", "column": "status", "from_value": "posted", "to_value": "reversed"}
    with (
        triggers_switched_off(
            lambda e: remove_transition_guard(e, table=guard["table"]),
            lambda e: install_transition_guard(e, columns=columns, **guard),
        ),
        events_unguarded(),
    ):
        Disbursement.objects.filter(pk=Disbursement.objects.filter(batch=batch).first().pk).delete()
        AuditEvent.objects.filter(action="import", object_id=str(batch.pk)).delete()
    problems = verify_disbursements().problems
    assert any(f"导入批次 #{batch.pk} 记录导入 {len(rows)} 笔，现存 {len(rows) - 1} 笔" in p for p in problems)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's (SQLite has only DELETE)")
@pytest.mark.parametrize("model", [AuditEvent, AuditHead, Disbursement])
def test_truncate_is_refused_where_it_is_not_explicitly_allowed(users, model):
    chain_of(1, users)
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL {TRUNCATE_ALLOWED_SETTING} = 'off'")
        with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic():
            cursor.execute(f"TRUNCATE {model._meta.db_table} CASCADE")
    assert AuditEvent.objects.exists()
