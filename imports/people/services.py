"""Writes to the rosters one person at a time (a one-row upload), and each person's archive history (RosterEvent).

A person added or edited by hand passes the very rules an uploaded row passes: the form's values become a one-row
table and go through the import's validator (imports.rosters), so a rule is written once. Status changes (脱困,
重新建档, 暂停, 恢复, 去世) are actions of their own, with the day they took effect and a reason, never a field
edited in passing. Every write is audited and appends an event to the person's history.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from beneficiaries.choices import (
    HardshipType,
    HonourType,
    HouseholdStatus,
    ModelWorkerStatus,
    RosterEventKind,
    SuspensionReason,
    WorkerCategory,
)
from beneficiaries.models import Household, ModelWorker, RosterEvent
from core.changes import clean_text, diff, snapshot
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from funds.choices import ImportKind
from funds.models import ImportBatch, Organization, User
from imports import rosters
from imports.tables import Table

BANK_ACCOUNT_CHANGED = "bank_account"


def _changes(before: dict | None, after: Any, *, account_changed: bool = False) -> dict:
    changes = diff(before or {}, snapshot(after))
    changes.pop("updated_at", None)
    changes.pop("created_at", None)
    if account_changed:  # the account itself never enters a log; that it changed does
        changes[BANK_ACCOUNT_CHANGED] = ["***", "***"]
    return changes


def household_event_kind(before: dict | None, household: Household) -> tuple[str, datetime.date]:
    """What a write did to a household's archive, and the day it took effect."""
    if before is None:
        return RosterEventKind.ARCHIVED, household.archived_on
    if before.get("status") != household.status:
        if household.status == HouseholdStatus.LIFTED_OUT:
            return RosterEventKind.LIFTED_OUT, household.lifted_out_on
        return RosterEventKind.REARCHIVED, household.archived_on
    return RosterEventKind.UPDATED, timezone.localdate()


def model_worker_event_kind(before: dict | None, worker: ModelWorker) -> tuple[str, datetime.date]:
    """What a write did to a model worker's record, and the day it took effect."""
    if before is None:
        return RosterEventKind.REGISTERED, datetime.date(worker.award_year, 1, 1)
    if before.get("status") != worker.status:
        if worker.status == ModelWorkerStatus.SUSPENDED:
            return RosterEventKind.SUSPENDED, worker.suspended_on
        if worker.status == ModelWorkerStatus.DECEASED:
            return RosterEventKind.DECEASED, worker.died_on
        if worker.suspension_ended_on:
            return RosterEventKind.REINSTATED, worker.suspension_ended_on
    return RosterEventKind.UPDATED, timezone.localdate()


def _event_for(person: Household | ModelWorker, before: dict | None, **fields) -> RosterEvent:
    if isinstance(person, Household):
        kind, effective_on = household_event_kind(before, person)
        fields["household"] = person
    else:
        kind, effective_on = model_worker_event_kind(before, person)
        fields["model_worker"] = person
    fields.setdefault("kind", kind)
    fields.setdefault("effective_on", effective_on)
    return RosterEvent(recorded_at=timezone.now(), organization_id=person.organization_id, **fields)


def roster_events_from_import(
    *, batch: ImportBatch, created: list, updated: list, before: list[dict], acting_user: User
) -> None:
    """The history of every roster row an import wrote: 建档/登记入册 for the new ones, the status change (or 信息变更)
    for the updated ones. `created` are already inserted (by COPY, so without their keys: found again by digest)."""
    if batch.kind not in (ImportKind.HOUSEHOLDS, ImportKind.MODEL_WORKERS) or not (created or updated):
        return
    model = Household if batch.kind == ImportKind.HOUSEHOLDS else ModelWorker
    keys = {}
    digests = [person.id_number_digest for person in created]
    for start in range(0, len(digests), 5000):
        keys.update(
            model.objects.filter(id_number_digest__in=digests[start : start + 5000]).values_list(
                "id_number_digest", "pk"
            )
        )
    events = []
    common = {"import_batch": batch, "recorded_by": acting_user}
    for person in created:
        person.pk = keys[person.id_number_digest]
        events.append(_event_for(person, None, **common))
    for person, previous in zip(updated, before, strict=True):
        events.append(_event_for(person, previous, changes=_changes(previous, person), **common))
    RosterEvent.objects.bulk_create(events, batch_size=2000)


# One person through the import's rules -------------------------------------------------------------------------


def _cell(value: Any, choices=None) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if choices is not None:
        return str(choices(value).label)
    if isinstance(value, int):
        return str(value)
    return value


def _household_cells(values: dict) -> dict:
    return {
        "archive_no": values["archive_no"],
        "head_name": values["head_name"],
        "id_number": values["id_number"],
        "worker_category": _cell(values["worker_category"], WorkerCategory),
        "hardship_type": _cell(values["hardship_type"], HardshipType),
        "member_count": _cell(values["member_count"]),
        "archived_on": values["archived_on"],
        "status": _cell(values["status"], HouseholdStatus),
        "lifted_out_on": values.get("lifted_out_on"),
    }


def _model_worker_cells(values: dict) -> dict:
    return {
        "name": values["name"],
        "id_number": values["id_number"],
        "honour_type": _cell(values["honour_type"], HonourType),
        "award_year": _cell(values["award_year"]),
        "status": _cell(values["status"], ModelWorkerStatus),
        "suspension_reason": _cell(values.get("suspension_reason") or None, SuspensionReason),
        "is_retired": _cell(bool(values.get("is_retired"))),
        "is_farmer_herder": _cell(bool(values.get("is_farmer_herder"))),
        "residence": values.get("residence") or None,
        "bank_account": values.get("bank_account") or None,
        "suspended_on": values.get("suspended_on"),
        "died_on": values.get("died_on"),
        "suspension_ended_on": values.get("suspension_ended_on"),
    }


def _validate_one(kind: str, organization: Organization, cells: dict):
    """Run the upload's validator on one row; its errors come back keyed by form field."""
    columns = rosters.HOUSEHOLD_COLUMNS if kind == ImportKind.HOUSEHOLDS else rosters.MODEL_WORKER_COLUMNS
    validate = rosters.validate_households if kind == ImportKind.HOUSEHOLDS else rosters.validate_model_workers
    table = Table(headers=[column.header for column in columns], rows=[(2, [cells.get(c.key) for c in columns])])
    outcome = validate(table, ImportBatch(kind=kind, organization=organization))
    if outcome.errors:
        by_header = {column.header: column.key for column in columns}
        errors: dict[str, list[str]] = {}
        for error in outcome.errors:
            errors.setdefault(by_header.get(error.column, "__all__"), []).append(error.message)
        raise ValidationError(errors)
    return outcome


def _stale(person: Household | ModelWorker, version: str | None) -> None:
    """`version` is the record's `updated_at` when the form was opened; a page always sends it (None: not a page)."""
    if version is not None and version != person.updated_at.isoformat():
        raise ValidationError(_("该记录在您打开本页后已被他人修改，请重新打开后再改。"))


def _save_person(
    *,
    kind: str,
    organization: Organization,
    cells: dict,
    existing: Household | ModelWorker | None,
    acting_user: User,
    reason: str = "",
    event_kind: str | None = None,
    effective_on: datetime.date | None = None,
):
    outcome = _validate_one(kind, organization, cells)
    if existing is None and (outcome.to_update or outcome.unchanged):
        raise ValidationError({"id_number": _("该身份证号已在本单位名册中，请在其档案页修改。")})
    if existing is not None and not (outcome.to_update or outcome.to_create):
        raise ValidationError(_("没有修改任何内容。"))
    if existing is not None and outcome.to_create:
        raise ValidationError({"id_number": _("身份证号不能修改。")})
    person = (outcome.to_create or outcome.to_update)[0]
    before = outcome.before_update[0] if outcome.to_update else None
    account_changed = isinstance(person, ModelWorker) and (
        person.bank_account != existing.bank_account if existing is not None else bool(person.bank_account)
    )
    person.full_clean()
    person.save()
    extra = {"kind": event_kind} if event_kind else {}
    if effective_on is not None:
        extra["effective_on"] = effective_on
    event = _event_for(
        person,
        before,
        recorded_by=acting_user,
        reason=clean_text(reason, 500),
        changes=_changes(before, person, account_changed=account_changed),
        **extra,
    )
    event.full_clean()
    event.save()
    audit_record(
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        actor=acting_user,
        obj=person,
        detail=clean_text(f"{event.get_kind_display()}：{reason}" if reason else event.get_kind_display()),
        changes=event.changes,
    )
    return person


def _locked(person: Household | ModelWorker, acting_user: User, version: str | None):
    ensure_allowed(user=acting_user, obj=person, action=Action.CHANGE)
    person = type(person).objects.select_for_update().select_related("organization").get(pk=person.pk)
    _stale(person, version)
    return person


def _current_values(person: Household | ModelWorker) -> dict:
    """The person as the upload's columns hold it (the columns' keys are the model's field names)."""
    columns = rosters.HOUSEHOLD_COLUMNS if isinstance(person, Household) else rosters.MODEL_WORKER_COLUMNS
    return {column.key: getattr(person, column.key) for column in columns}


@transaction.atomic
def household_create(*, organization: Organization, values: dict, acting_user: User) -> Household:
    """建档 of one household, in the acting user's own organisation (or any, for finance)."""
    ensure_permission(user=acting_user, model=Household, action=Action.ADD)
    if not Organization.objects.restrict(acting_user, Action.VIEW).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("您不能为该单位建档。")})
    cells = _household_cells({**values, "status": HouseholdStatus.ARCHIVED, "lifted_out_on": None})
    return _save_person(
        kind=ImportKind.HOUSEHOLDS, organization=organization, cells=cells, existing=None, acting_user=acting_user
    )


@transaction.atomic
def household_update(*, household: Household, values: dict, acting_user: User, version: str | None = None) -> Household:
    """信息变更: everything but the ID number and the archive status, which have their own actions."""
    household = _locked(household, acting_user, version)
    merged = {**_current_values(household), **values, "id_number": household.id_number}
    merged["status"], merged["lifted_out_on"] = household.status, household.lifted_out_on
    return _save_person(
        kind=ImportKind.HOUSEHOLDS,
        organization=household.organization,
        cells=_household_cells(merged),
        existing=household,
        acting_user=acting_user,
    )


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写原因。")})
    return reason


def _change_status(
    person: Household | ModelWorker, changed: dict, *, acting_user: User, reason: str, **event
) -> Household | ModelWorker:
    """A status action (脱困, 重新建档, 暂停, 恢复, 去世) on a locked person: the record with `changed` merged in,
    written through the upload's rules like any one-person edit, its history entry carrying the reason."""
    household = isinstance(person, Household)
    merged = {**_current_values(person), **changed}
    return _save_person(
        kind=ImportKind.HOUSEHOLDS if household else ImportKind.MODEL_WORKERS,
        organization=person.organization,
        cells=_household_cells(merged) if household else _model_worker_cells(merged),
        existing=person,
        acting_user=acting_user,
        reason=reason,
        **event,
    )


@transaction.atomic
def household_lift_out(
    *, household: Household, on: datetime.date, reason: str, acting_user: User, version: str | None = None
) -> Household:
    """脱困: the household leaves the archive on `on` (paid no more from that day)."""
    reason = _reason_required(reason)
    household = _locked(household, acting_user, version)
    if household.status != HouseholdStatus.ARCHIVED:
        raise ValidationError(_("该户已脱困，不能重复办理。"))
    changed = {"status": HouseholdStatus.LIFTED_OUT, "lifted_out_on": on}
    return _change_status(household, changed, acting_user=acting_user, reason=reason)


@transaction.atomic
def household_rearchive(
    *, household: Household, on: datetime.date, reason: str, acting_user: User, version: str | None = None
) -> Household:
    """重新建档: a household that had left the archive comes back on `on`, which becomes its 建档日期 (the earlier
    archive and its 脱困 stay in the history)."""
    reason = _reason_required(reason)
    household = _locked(household, acting_user, version)
    if household.status != HouseholdStatus.LIFTED_OUT:
        raise ValidationError(_("该户在档，无需重新建档。"))
    if on < household.lifted_out_on:
        raise ValidationError({"on": _("重新建档日期不能早于脱困日期 {date}。").format(date=household.lifted_out_on)})
    changed = {"status": HouseholdStatus.ARCHIVED, "lifted_out_on": None, "archived_on": on}
    return _change_status(
        household,
        changed,
        acting_user=acting_user,
        reason=reason,
        event_kind=RosterEventKind.REARCHIVED,
        effective_on=on,
    )


@transaction.atomic
def model_worker_create(*, organization: Organization, values: dict, acting_user: User) -> ModelWorker:
    """登记入册 of one model worker."""
    ensure_permission(user=acting_user, model=ModelWorker, action=Action.ADD)
    if not Organization.objects.restrict(acting_user, Action.VIEW).filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("您不能为该单位登记劳模。")})
    values = {**values, "status": ModelWorkerStatus.REGISTERED}
    for name in ("suspension_reason", "suspended_on", "died_on", "suspension_ended_on"):
        values[name] = None
    return _save_person(
        kind=ImportKind.MODEL_WORKERS,
        organization=organization,
        cells=_model_worker_cells(values),
        existing=None,
        acting_user=acting_user,
    )


@transaction.atomic
def model_worker_update(
    *, worker: ModelWorker, values: dict, acting_user: User, version: str | None = None
) -> ModelWorker:
    """信息变更: everything but the ID number and the status; a blank bank account keeps the one on record."""
    worker = _locked(worker, acting_user, version)
    merged = {**_current_values(worker), **values, "id_number": worker.id_number}
    for name in ("status", "suspension_reason", "suspended_on", "died_on", "suspension_ended_on"):
        merged[name] = getattr(worker, name)
    return _save_person(
        kind=ImportKind.MODEL_WORKERS,
        organization=worker.organization,
        cells=_model_worker_cells(merged),
        existing=worker,
        acting_user=acting_user,
    )


@transaction.atomic
def model_worker_suspend(
    *,
    worker: ModelWorker,
    on: datetime.date,
    suspension_reason: str,
    reason: str,
    acting_user: User,
    version: str | None = None,
) -> ModelWorker:
    """暂停享受待遇 from `on`, for one of the reasons the rules name (and a note on the case)."""
    reason = _reason_required(reason)
    worker = _locked(worker, acting_user, version)
    if worker.status != ModelWorkerStatus.REGISTERED:
        raise ValidationError(_("只有“在册”的劳模才能暂停享受待遇。"))
    changed = {
        "status": ModelWorkerStatus.SUSPENDED,
        "suspension_reason": suspension_reason,
        "suspended_on": on,
        "suspension_ended_on": None,
    }
    return _change_status(worker, changed, acting_user=acting_user, reason=reason)


@transaction.atomic
def model_worker_reinstate(
    *, worker: ModelWorker, on: datetime.date, reason: str, acting_user: User, version: str | None = None
) -> ModelWorker:
    """恢复享受待遇 from `on` (the suspension stays on record: coverage of the years it lasted still counts it)."""
    reason = _reason_required(reason)
    worker = _locked(worker, acting_user, version)
    if worker.status != ModelWorkerStatus.SUSPENDED:
        raise ValidationError(_("该劳模未被暂停，无需恢复。"))
    if on < worker.suspended_on:
        raise ValidationError({"on": _("恢复日期不能早于暂停日期 {date}。").format(date=worker.suspended_on)})
    changed = {"status": ModelWorkerStatus.REGISTERED, "suspension_ended_on": on}
    return _change_status(worker, changed, acting_user=acting_user, reason=reason)


@transaction.atomic
def model_worker_record_death(
    *, worker: ModelWorker, on: datetime.date, reason: str, acting_user: User, version: str | None = None
) -> ModelWorker:
    """去世: from `on` the worker is no longer paid nor counted as living."""
    worker = _locked(worker, acting_user, version)
    if worker.status == ModelWorkerStatus.DECEASED:
        raise ValidationError(_("已登记去世。"))
    changed = {"status": ModelWorkerStatus.DECEASED, "died_on": on}
    return _change_status(worker, changed, acting_user=acting_user, reason=(reason or "").strip())
