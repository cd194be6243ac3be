"""The import lifecycle: upload → validate (preview) → confirm (all rows or none) → optionally reverse.

The web pages, the background worker and the `import_*` management commands all call these.
"""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from beneficiaries.models import Household, LivingSurvey, ModelWorker
from core.bulk import bulk_insert
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import DisbursementStatus, ImportKind, ImportStatus, UnknownStatusDate
from funds.models import (
    Appropriation,
    Disbursement,
    DisbursementReversal,
    FiscalYear,
    ImportBatch,
    Organization,
    Program,
    User,
)
from imports import disbursements
from imports.disbursements import COLUMNS as DISBURSEMENT_COLUMNS
from imports.disbursements import (
    needs_program_year_lock,
    recheck_shared_sources,
    validate_disbursements,
    write_disbursements,
)
from imports.errors import FileRefused, RowError
from imports.outcome import Outcome, read_progress, report_progress
from imports.people.services import roster_events_from_import
from imports.reader import read_table
from imports.rosters import (
    HOUSEHOLD_COLUMNS,
    MODEL_WORKER_COLUMNS,
    SURVEY_COLUMNS,
    validate_households,
    validate_living_surveys,
    validate_model_workers,
)
from imports.spreadsheets import store_error_reports

WRITE_BATCH = 2000


@dataclass(frozen=True)
class ImportKindSpec:
    columns: list
    validate: Callable
    model: type
    update_fields: tuple[str, ...] = ()
    # Kinds split into parse (file only) and check (database) keep the parse for confirm (see _validate).
    parse: Callable | None = None
    check: Callable | None = None
    parsed_row: type | None = None
    # Writes the rows-to-create itself (no model instances), returning how many; instead of build + bulk_insert.
    write: Callable | None = None
    # What `check` depends on besides the file, as a digest; with `replan`, a confirm that finds it unchanged
    # writes the kept, checked parse without checking every row again.
    watermark: Callable | None = None
    replan: Callable | None = None


KINDS = {
    ImportKind.DISBURSEMENTS: ImportKindSpec(
        DISBURSEMENT_COLUMNS,
        validate_disbursements,
        Disbursement,
        parse=disbursements.parse,
        check=disbursements.check,
        parsed_row=disbursements.ParsedPayment,
        write=write_disbursements,
        watermark=disbursements.watermark,
        replan=disbursements.replan,
    ),
    ImportKind.MODEL_WORKERS: ImportKindSpec(
        MODEL_WORKER_COLUMNS,
        validate_model_workers,
        ModelWorker,
        (
            "name",
            "honour_type",
            "award_year",
            "status",
            "suspension_reason",
            "suspended_on",
            "suspension_ended_on",
            "died_on",
            "is_retired",
            "is_farmer_herder",
            "residence",
            "bank_account",
            "updated_at",
        ),
    ),
    ImportKind.HOUSEHOLDS: ImportKindSpec(
        HOUSEHOLD_COLUMNS,
        validate_households,
        Household,
        (
            "archive_no",
            "head_name",
            "worker_category",
            "hardship_type",
            "member_count",
            "archived_on",
            "status",
            "lifted_out_on",
            "updated_at",
        ),
    ),
    ImportKind.LIVING_SURVEYS: ImportKindSpec(
        SURVEY_COLUMNS,
        validate_living_surveys,
        LivingSurvey,
        ("surveyed_on", "condition", "monthly_income", "surveyor", "summary", "updated_at"),
    ),
}


def _max_stored() -> int:
    return int(getattr(settings, "IMPORT_MAX_STORED_ERRORS", 20000))


@transaction.atomic
def import_batch_create(
    *,
    kind: str,
    organization: Organization,
    file_name: str,
    data: bytes,
    acting_user: User,
    program: Program | None = None,
    fiscal_year: FiscalYear | None = None,
    unknown_status_date: str = UnknownStatusDate.REFUSE,
    sheet_name: str = "",
) -> ImportBatch:
    """Store the uploaded file and open a batch. The organisation must be within the uploader's scope.

    `unknown_status_date` (劳模名册 only): how a 暂停 / 已故 / resumed row without its date is dated; with
    `YEAR_START`, `fiscal_year` names the year whose 1 January it takes.
    """
    kind = ImportKind(kind)
    if kind not in KINDS:
        raise ValidationError(_("不支持的导入类型。"))
    ensure_permission(user=acting_user, model=ImportBatch, action=Action.ADD)
    ensure_permission(user=acting_user, model=KINDS[kind].model, action=Action.ADD)
    if not Organization.objects.restrict(acting_user, Action.VIEW).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("只能为本单位上传数据。"))
    if kind == ImportKind.DISBURSEMENTS and (program is None or fiscal_year is None):
        raise ValidationError(_("上传发放明细须选择项目和预算年度。"))
    dates_by_choice = kind == ImportKind.MODEL_WORKERS and unknown_status_date == UnknownStatusDate.YEAR_START
    batch = ImportBatch(
        kind=kind,
        organization=organization,
        program=program if kind == ImportKind.DISBURSEMENTS else None,
        fiscal_year=fiscal_year if kind == ImportKind.DISBURSEMENTS or dates_by_choice else None,
        unknown_status_date=UnknownStatusDate.YEAR_START if dates_by_choice else UnknownStatusDate.REFUSE,
        sheet_name=sheet_name.strip()[:100],
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        status=ImportStatus.VALIDATING,
        created_by=acting_user,
    )
    batch.full_clean(exclude=["source_file"])
    batch.source_file.save(file_name, ContentFile(data), save=False)
    batch.save()
    # Batch ids restart with a new database; never show an old entry of the shared cache as this batch's.
    report_progress(batch.pk, "queued", 0, 0)
    return batch


def _source_bytes(batch: ImportBatch) -> bytes:
    if not batch.source_file or not batch.source_file.storage.exists(batch.source_file.name):
        raise FileRefused(_("该批次没有可读取的原始文件（演示数据或文件已丢失），不能校验或导入；请重新上传。"))
    batch.source_file.open("rb")
    try:
        return batch.source_file.read()
    finally:
        batch.source_file.close()


def _parse_path(batch: ImportBatch) -> str:
    return f"imports/{batch.organization.code}/{batch.file_sha256}.{batch.pk}.parsed.json"


def _load_parse(batch: ImportBatch, spec: ImportKindSpec) -> list | None:
    path = _parse_path(batch)
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as stored:
        payload = json.load(stored)
    if payload.get("sha256") != batch.file_sha256:
        return None
    return [spec.parsed_row.from_json(values) for values in payload["rows"]]


def _store_parse(batch: ImportBatch, parsed: list) -> None:
    path = _parse_path(batch)
    if default_storage.exists(path):
        default_storage.delete(path)
    payload = {"sha256": batch.file_sha256, "rows": [row.to_json() for row in parsed]}
    default_storage.save(path, ContentFile(json.dumps(payload, ensure_ascii=False, separators=(",", ":"))))


def _validate(batch: ImportBatch, *, reuse_parse: bool = False) -> Outcome:
    """Validate a batch's file. With `reuse_parse`, kinds that keep their parse skip reading the file again
    and re-run only the checks that depend on the database (what may have changed since the preview)."""

    def progress(done: int, total: int) -> None:
        report_progress(batch.pk, "validating", done, total)

    spec = KINDS[ImportKind(batch.kind)]
    parsed = _load_parse(batch, spec) if reuse_parse and spec.parse is not None else None
    # Taken before the checks read anything: a change while they run makes the confirm check again.
    watermark = spec.watermark(batch) if spec.watermark is not None else ""
    outcome = None
    if parsed is not None and watermark and watermark == batch.summary.get("watermark"):
        outcome = spec.replan(parsed, batch)  # None for a parse kept before it recorded the roster matches
    if outcome is None and parsed is not None:
        outcome = spec.check(parsed, [], batch, progress)
        outcome.notes[:0] = batch.summary.get("notes", [])  # what the preview said of the file still holds
    elif outcome is None:
        table = None
        try:
            table = read_table(
                _source_bytes(batch), filename=batch.file_name, columns=spec.columns, sheet=batch.sheet_name
            )
        except FileRefused as refusal:
            outcome = Outcome(errors=[refusal.error])
        if table is not None:
            report_progress(batch.pk, "validating", 0, len(table.rows))
            if spec.parse is not None:
                parsed, parse_errors, notes = spec.parse(table, batch, progress)
                outcome = spec.check(parsed, parse_errors, batch, progress)
                outcome.notes[:0] = notes
                if not parse_errors:
                    _store_parse(batch, parsed)  # after the check, which records each row's roster match
                outcome.watermark = watermark
            else:
                outcome = spec.validate(table, batch, progress)
        # Kept only for the error report: a 100,000-row table held through the write doubles the memory.
        outcome.table = None if outcome.ok else table
    earlier = _imported_twin(batch)
    if earlier is not None:
        outcome.errors.insert(0, RowError(0, "", _twin_message(earlier)))
    return outcome


def _record(batch: ImportBatch, outcome: Outcome) -> None:
    if outcome.from_preview:  # the preview's record stands; only a refusal of the caps is added to it
        batch.errors = [error.as_dict() for error in outcome.errors[: _max_stored()]]
        batch.error_count = len(outcome.errors)
        return
    batch.row_count = outcome.row_count
    batch.total_amount = outcome.total_amount
    batch.summary = outcome.summary()
    batch.errors = [error.as_dict() for error in outcome.errors[: _max_stored()]]
    batch.error_count = len(outcome.errors)
    batch.warnings = [warning.as_dict() for warning in outcome.warnings[: _max_stored()]]
    batch.progress_total = outcome.row_count


def _refused(batch: ImportBatch, outcome: Outcome) -> None:
    """Build the error report now, once: its download must never read the upload again inside a web request."""
    table = outcome.table
    if table is None:
        try:
            table = read_table(
                _source_bytes(batch), filename=batch.file_name, columns=_spec(batch).columns, sheet=batch.sheet_name
            )
        except FileRefused:
            table = None
    store_error_reports(batch, table, outcome.errors, _spec(batch).columns)


def _spec(batch: ImportBatch) -> ImportKindSpec:
    return KINDS[ImportKind(batch.kind)]


def import_batch_validate(*, batch: ImportBatch) -> ImportBatch:
    """Check every row and store the preview (or every error). Writes nothing but the batch itself."""
    outcome = _validate(batch)
    _record(batch, outcome)
    if not outcome.ok:
        _refused(batch, outcome)
    batch.status = ImportStatus.PREVIEWED if outcome.ok else ImportStatus.REFUSED
    batch.save()
    report_progress(batch.pk, "validated", outcome.row_count, outcome.row_count)
    return batch


def _ensure_confirmable(batch: ImportBatch, warnings_acknowledged: bool, allowed: tuple) -> None:
    if batch.status not in allowed:
        raise ValidationError(_("该批次当前状态为“{status}”，不能确认导入。").format(status=batch.get_status_display()))
    if batch.warnings and not warnings_acknowledged:
        raise ValidationError(_("请先核实并勾选确认预览中提示的可能重复发放。"), code="warnings_not_acknowledged")


@transaction.atomic
def import_batch_queue_confirm(*, batch: ImportBatch, acting_user: User, warnings_acknowledged: bool = False) -> None:
    """Hand a large previewed batch to the background worker; the page then shows its progress."""
    from imports.tasks import confirm_import

    ensure_allowed(user=acting_user, obj=batch, action=Action.CHANGE)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _ensure_confirmable(batch, warnings_acknowledged, allowed=(ImportStatus.PREVIEWED,))
    twin = _imported_twin(batch)
    if twin is not None:
        raise ValidationError(_twin_message(twin))
    batch.status = ImportStatus.IMPORTING
    try:
        with transaction.atomic():
            batch.save(update_fields=["status"])
    except IntegrityError:  # the same file is being imported by another batch right now
        raise ValidationError(_("同一文件正在由另一批次导入，请稍后查看导入记录。")) from None
    report_progress(batch.pk, "queued", 0, 0)
    transaction.on_commit(lambda: confirm_import.enqueue(batch.pk, acting_user.pk, warnings_acknowledged))


def _imported_twin(batch: ImportBatch) -> ImportBatch | None:
    """Another batch that really imported the same file (a batch left 导入中 by a dead worker wrote nothing)."""
    return (
        ImportBatch.objects.filter(
            kind=batch.kind,
            organization=batch.organization,
            file_sha256=batch.file_sha256,
            status=ImportStatus.IMPORTED,
        )
        .exclude(pk=batch.pk)
        .first()
    )


def _twin_message(earlier: ImportBatch) -> str:
    return _("同一文件已于 {when} 由 {who} 导入（批次 #{pk}），不能重复导入。").format(
        when=timezone.localtime(earlier.imported_at or earlier.created_at).strftime("%Y-%m-%d %H:%M"),
        who=earlier.created_by,
        pk=earlier.pk,
    )


def _stale_after() -> int:
    return int(getattr(settings, "IMPORT_STALE_SECONDS", 600))


@transaction.atomic
def import_batch_release_if_stale(*, batch: ImportBatch) -> ImportBatch:
    """A batch left 校验中 / 导入中 by a worker that died (kill -9, out of memory, a lost connection, Ctrl+C) stops
    sending its heartbeat; after IMPORT_STALE_SECONDS it is handed back to the uploader. A confirm is one transaction,
    so an interrupted one wrote nothing: 导入中 returns to 待确认 (confirm again); an interrupted validation is 处理失败
    (upload again). Called by the batch's page and its progress poll, so whoever looks finds it actionable."""
    if batch.status not in (ImportStatus.VALIDATING, ImportStatus.IMPORTING):
        return batch
    progress = read_progress(batch.pk) or {}
    last = progress.get("at") or batch.created_at.timestamp()
    if time.time() - last < _stale_after():
        return batch
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportStatus.IMPORTING:
        batch.status = ImportStatus.PREVIEWED
        notes = [n for n in batch.summary.get("notes", []) if not n.startswith("上次导入")]
        batch.summary = {
            **batch.summary,
            "notes": [_("上次导入因服务中断未完成，未写入任何数据；请重新确认导入。"), *notes],
        }
        batch.save(update_fields=["status", "summary"])
    elif batch.status == ImportStatus.VALIDATING:
        message = _("校验因服务中断未完成，未导入任何数据；请重新上传该文件。")
        batch.status = ImportStatus.FAILED
        batch.errors, batch.error_count = [RowError(0, "", message).as_dict()], 1
        batch.save(update_fields=["status", "errors", "error_count"])
    audit_record(action=AuditAction.UPDATE, obj=batch, detail=f"stale batch released: {batch.status}")
    report_progress(batch.pk, "released", 0, 0)
    return batch


@transaction.atomic
def import_batch_confirm(*, batch: ImportBatch, acting_user: User, warnings_acknowledged: bool = False) -> ImportBatch:
    """Write every row of a previewed batch, or none: the file is validated again against current data."""
    ensure_allowed(user=acting_user, obj=batch, action=Action.CHANGE)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    # IMPORTING: queued by import_batch_queue_confirm for the background worker.
    _ensure_confirmable(batch, warnings_acknowledged, allowed=(ImportStatus.PREVIEWED, ImportStatus.IMPORTING))
    if batch.kind == ImportKind.DISBURSEMENTS:
        # Serialise with the same union's other confirms: its approved allocation caps their sum. Not the whole
        # program-year: a long confirm of one union must not hold up another's, nor finance saving a plan (an
        # approved allocation only ever grows, so a plan approved meanwhile cannot make this one wrong).
        list(Organization.objects.select_for_update().filter(pk=batch.organization_id))
    for twin in ImportBatch.objects.filter(
        kind=batch.kind, organization=batch.organization, file_sha256=batch.file_sha256, status=ImportStatus.IMPORTING
    ).exclude(pk=batch.pk):
        import_batch_release_if_stale(batch=twin)  # a dead worker's batch must not block this one
    outcome = _validate(batch, reuse_parse=True)
    if outcome.ok and batch.kind == ImportKind.DISBURSEMENTS and needs_program_year_lock(outcome):
        list(Appropriation.objects.select_for_update().filter(program=batch.program, fiscal_year=batch.fiscal_year))
        recheck_shared_sources(outcome, batch)
    _record(batch, outcome)
    if not outcome.ok:
        _refused(batch, outcome)
        batch.status = ImportStatus.REFUSED
        batch.save()
        return batch
    spec = KINDS[ImportKind(batch.kind)]
    total = len(outcome.to_create) + len(outcome.to_update)
    done = 0
    step = WRITE_BATCH * 5 if spec.write is not None else WRITE_BATCH
    for start in range(0, len(outcome.to_create), step):
        chunk = outcome.to_create[start : start + step]
        if spec.write is not None:
            spec.write(chunk, batch)
        else:
            bulk_insert(spec.model, chunk)
        done += len(chunk)
        report_progress(batch.pk, "importing", done, total)
    now = timezone.now()
    for obj in outcome.to_update:
        if hasattr(obj, "updated_at"):
            obj.updated_at = now
    for start in range(0, len(outcome.to_update), WRITE_BATCH):
        chunk = outcome.to_update[start : start + WRITE_BATCH]
        spec.model.objects.bulk_update(chunk, spec.update_fields)
        done += len(chunk)
        report_progress(batch.pk, "importing", done, total)
    roster_events_from_import(
        batch=batch,
        created=outcome.to_create,
        updated=outcome.to_update,
        before=outcome.before_update,
        acting_user=acting_user,
    )
    batch.status = ImportStatus.IMPORTED
    batch.imported_at = now
    if batch.kind == ImportKind.DISBURSEMENTS:
        batch.posted_count = len(outcome.to_create)
    batch.full_clean(exclude=["source_file"])
    try:
        with transaction.atomic():
            batch.save()
    except IntegrityError:  # another batch of the same file got there first: this one writes nothing
        raise ValidationError(_("同一文件已由另一批次导入，本批次未写入任何数据。")) from None
    # `rows` is what verify_audit holds the batch to: a payment deleted later leaves the batch short.
    audit_record(
        action=AuditAction.IMPORT,
        actor=acting_user,
        obj=batch,
        detail=f"{batch.get_kind_display()}: {len(outcome.to_create)} new, {len(outcome.to_update)} updated",
        changes={
            "rows" if batch.kind == ImportKind.DISBURSEMENTS else "records": ["", str(len(outcome.to_create))],
            "file_sha256": ["", batch.file_sha256],
        },
    )
    report_progress(batch.pk, "imported", total, total)
    return batch


@transaction.atomic
def import_batch_discard(*, batch: ImportBatch, acting_user: User) -> ImportBatch:
    """放弃 a previewed batch (the uploader chose another file): nothing was written and nothing will be; its kept
    parse is deleted; the batch stays in the history as 已放弃, and the same file may be uploaded again."""
    ensure_allowed(user=acting_user, obj=batch, action=Action.CHANGE)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImportStatus.PREVIEWED:
        raise ValidationError(
            _("该批次当前状态为“{status}”，不能放弃。").format(status=batch.get_status_display()),
            code="not_discardable",
        )
    before = batch.status
    batch.status = ImportStatus.DISCARDED
    batch.full_clean(exclude=["source_file"])
    batch.save(update_fields=["status"])
    path = _parse_path(batch)
    if default_storage.exists(path):
        default_storage.delete(path)
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=batch,
        detail="discarded by the uploader: nothing imported",
        changes={"status": [before, ImportStatus.DISCARDED]},
    )
    return batch


@transaction.atomic
def import_batch_request_reversal(*, batch: ImportBatch, reason: str, acting_user: User) -> ImportBatch:
    """Ask for a whole imported batch to be reversed (the maker). Another finance user carries it out."""
    ensure_permission(user=acting_user, model=ImportBatch, action="reverse")
    ensure_allowed(user=acting_user, obj=batch, action=Action.VIEW)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.kind != ImportKind.DISBURSEMENTS or batch.status != ImportStatus.IMPORTED:
        raise ValidationError(_("只有已导入的发放明细可以整批冲销。"))
    if batch.reversal_requested_by_id:
        raise ValidationError(_("该批次已有冲销申请，等待另一位财务人员执行。"))
    if not reason.strip():
        raise ValidationError({"reason": _("请填写冲销原因。")})
    batch.reversal_requested_by = acting_user
    batch.reversal_requested_at = timezone.now()
    batch.reversal_reason = reason.strip()
    batch.full_clean(exclude=["source_file"])
    batch.save()
    audit_record(action=AuditAction.REQUEST_REVERSAL, actor=acting_user, obj=batch, detail=batch.reversal_reason)
    return batch


@transaction.atomic
def import_batch_reverse(*, batch: ImportBatch, acting_user: User, expected_request: str | None = None) -> ImportBatch:
    """Carry out a requested reversal (the checker): reversal rows for every payment, never deletion.

    The batch row is locked, so of two checkers acting at once exactly one reverses; the other finds it done.
    `expected_request` is the request token the checker's page showed (`ImportBatch.reversal_request_token`).
    """
    ensure_permission(user=acting_user, model=ImportBatch, action="reverse")
    ensure_allowed(user=acting_user, obj=batch, action=Action.VIEW)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.kind != ImportKind.DISBURSEMENTS or batch.status != ImportStatus.IMPORTED:
        raise ValidationError(_("只有已导入的发放明细可以整批冲销。"))
    if not batch.reversal_requested_by_id:
        raise ValidationError(_("请先提出冲销申请（填写原因），再由另一位财务人员执行。"))
    if batch.reversal_requested_by_id == acting_user.pk:
        raise PermissionDenied(_("整批冲销须由申请人以外的另一位财务人员执行。"))
    if expected_request is not None and expected_request != batch.reversal_request_token():
        raise ValidationError(_("冲销申请已变化（您打开页面后有人提出或更改了申请），请刷新页面，看过申请后再执行。"))
    posted = Disbursement.objects.filter(batch=batch, status=DisbursementStatus.POSTED)
    reversals = [
        DisbursementReversal(
            disbursement_id=pk, reason=batch.reversal_reason, reversed_batch=batch, created_by=acting_user
        )
        for pk in posted.values_list("pk", flat=True)
    ]
    DisbursementReversal.objects.bulk_create(reversals, batch_size=WRITE_BATCH)
    posted.update(status=DisbursementStatus.REVERSED)  # the database trigger allows exactly this change
    batch.status = ImportStatus.REVERSED
    batch.reversed_by = acting_user
    batch.reversed_at = timezone.now()
    batch.full_clean(exclude=["source_file"])
    batch.save()
    audit_record(
        action=AuditAction.REVERSAL,
        actor=acting_user,
        obj=batch,
        detail=batch.reversal_reason,
        changes={
            "status": ["imported", "reversed"],
            "payments_reversed": ["", str(len(reversals))],
            "request": ["", batch.reversal_request_token()],
        },
    )
    return batch
