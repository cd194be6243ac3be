"""A dead worker, a killed connection: nothing lost, nothing stuck. A batch whose worker stopped beating is handed
back (导入中 → 待确认, 校验中 → 处理失败); an interrupted import wrote nothing and does not count as imported."""

import time

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from funds.choices import ImportStatus
from funds.models import Disbursement, ImportBatch
from imports.outcome import progress_key
from imports.services import import_batch_confirm, import_batch_queue_confirm
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
from tests.uploads import upload


def stop_beating(batch: ImportBatch, seconds_ago: int = 10_000) -> None:
    caches["default"].set(progress_key(batch.pk), {"phase": "importing", "done": 3, "total": 5,
                                                   "at": time.time() - seconds_ago})  # fmt: skip


@pytest.fixture
def file(payroll):
    return xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)])


def test_a_confirm_whose_worker_died_returns_to_preview_and_can_be_confirmed_again(client, users, payroll, file):
    batch = upload(file, users.kashgar, payroll)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)  # the worker was killed here
    stop_beating(batch)
    client.force_login(users.kashgar)
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED and not Disbursement.objects.exists()
    assert "上次导入因服务中断未完成，未写入任何数据" in page
    import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert Disbursement.objects.filter(batch=batch).count() == 5


def test_a_validation_whose_worker_died_is_a_failure_to_upload_again(client, users, payroll, file):
    batch = upload(file, users.kashgar, payroll)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.VALIDATING)
    stop_beating(batch)
    client.force_login(users.kashgar)
    progress = client.get(reverse("imports:import_progress", args=[batch.pk])).json()
    assert progress["finished"] is True and progress["status"] == ImportStatus.FAILED


def test_a_batch_still_beating_is_left_alone(client, users, payroll, file):
    batch = upload(file, users.kashgar, payroll)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)
    stop_beating(batch, seconds_ago=5)
    client.force_login(users.kashgar)
    client.get(reverse("imports:import_detail", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTING


def test_an_interrupted_twin_does_not_make_the_file_count_as_imported(users, payroll, file):
    dead = upload(file, users.kashgar, payroll)
    ImportBatch.objects.filter(pk=dead.pk).update(status=ImportStatus.IMPORTING)
    stop_beating(dead)
    again = upload(file, users.kashgar, payroll, name="再次.xlsx")
    assert again.status == ImportStatus.PREVIEWED, again.errors
    again = import_batch_confirm(batch=again, acting_user=users.kashgar)
    assert again.status == ImportStatus.IMPORTED
    dead.refresh_from_db()
    assert dead.status == ImportStatus.PREVIEWED  # handed back, and now refused as a twin of the real import
    assert "不能重复导入" in import_batch_confirm(batch=dead, acting_user=users.kashgar).errors[0]["message"]


def test_queueing_the_second_of_two_previews_of_one_file_is_a_clear_refusal(users, payroll, file):
    first, second = upload(file, users.kashgar, payroll), upload(file, users.kashgar, payroll, name="b.xlsx")
    import_batch_confirm(batch=first, acting_user=users.kashgar)
    with pytest.raises(ValidationError, match="不能重复导入"):
        import_batch_queue_confirm(batch=second, acting_user=users.kashgar)
    second.refresh_from_db()
    assert second.status == ImportStatus.PREVIEWED


# Skipped before any fixture runs: a committed test's flush on SQLite would meet the audit log's DELETE trigger.
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a killed client's transaction is PostgreSQL's to roll back here"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_kill_9_of_the_process_mid_confirm_writes_nothing_and_the_batch_can_be_confirmed(
    users, payroll, file, settings
):
    """A real `kill -9` (PostgreSQL): a process confirming the batch is killed after it has written rows inside its
    transaction; the database rolls them back, and the same batch is then imported once, whole."""
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    batch = upload(file, users.kashgar, payroll)
    assert batch.status == ImportStatus.PREVIEWED
    script = f"""
import time
from imports import disbursements, services
real_write = disbursements.disbursements_post_bulk
def write_then_hang(**arguments):
    real_write(**arguments)
    print("WROTE", flush=True)
    time.sleep(120)
disbursements.disbursements_post_bulk = write_then_hang
from funds.models import ImportBatch, User
batch, user = ImportBatch.objects.get(pk={batch.pk}), User.objects.get(pk={users.kashgar.pk})
services.import_batch_confirm(batch=batch, acting_user=user)
"""
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "MEDIA_ROOT": settings.MEDIA_ROOT,
        "AUDIT_CHECKPOINT_FILE": settings.AUDIT_CHECKPOINT_FILE,
        "DEBUG": "True",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert worker.stdout.readline().strip() == "WROTE"  # rows written, transaction open
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(30)
    assert worker.returncode == -signal.SIGKILL
    assert not Disbursement.objects.filter(batch=batch).exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    imported = import_batch_confirm(batch=batch, acting_user=users.kashgar)  # waits out the dead backend's lock
    assert imported.status == ImportStatus.IMPORTED
    assert Disbursement.objects.filter(batch=batch).count() == len(payroll.workers)
