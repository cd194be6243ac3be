"""劳模名册, 困难职工档案 and 劳模生活状况摸底调查: create or update by resident ID within one organisation."""

import datetime
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from beneficiaries.choices import (
    HardshipType,
    HonourType,
    HouseholdStatus,
    LivingCondition,
    ModelWorkerStatus,
    SuspensionReason,
    WorkerCategory,
)
from beneficiaries.models import Household, LivingSurvey, ModelWorker, resident_id_digest
from core.bulk import clean_without_queries
from core.changes import snapshot
from funds.models import FiscalYear, ImportBatch
from imports import cells
from imports.columns import Column, RowReader, map_columns, not_accepted_here, rows, unknown_columns_note
from imports.errors import RowError
from imports.outcome import Outcome, ProgressCallback
from imports.tables import Table


def labels(choices) -> dict[str, str]:
    return {str(label): value for value, label in choices.choices}


HONOURS, WORKER_STATUSES, REASONS = labels(HonourType), labels(ModelWorkerStatus), labels(SuspensionReason)
CATEGORIES, HARDSHIPS, HOUSEHOLD_STATUSES = labels(WorkerCategory), labels(HardshipType), labels(HouseholdStatus)
CONDITIONS = labels(LivingCondition)

ID_ALIASES = ("身份证号码", "公民身份号码", "证件号码", "身份证", "证件号")
ACCOUNT_ALIASES = ("开户账号", "卡号", "银行卡号", "账号")
MODEL_WORKER_COLUMNS = [
    Column("姓名", "name", sample="张三"),
    Column(
        "身份证号",
        "id_number",
        help="18位，末位X大写；请设置为文本格式",
        aliases=ID_ALIASES,
        sample="11010519491231002X",
    ),
    Column("荣誉类型", "honour_type", allowed=tuple(HONOURS), sample="自治区劳动模范"),
    Column("获评年份", "award_year", help="四位年份", aliases=("获评时间", "授予年份"), sample="2008"),
    Column("状态", "status", allowed=tuple(WORKER_STATUSES), sample="在册"),
    Column("暂停原因", "suspension_reason", allowed=tuple(REASONS), help="状态为“暂停”时必填"),
    Column("是否退休", "is_retired", allowed=("是", "否"), sample="是"),
    Column("是否农牧民", "is_farmer_herder", allowed=("是", "否"), sample="否"),
    Column("现居住地", "residence", required=False, aliases=("居住地", "住址"), sample="喀什市"),
    Column("银行账号", "bank_account", help="请设置为文本格式", aliases=ACCOUNT_ALIASES, sample="6228480012345678901"),
    Column(
        "暂停日期",
        "suspended_on",
        required=False,
        help="状态为“暂停”时填写暂停享受待遇的起始日",
        aliases=("暂停时间",),
    ),
    Column("去世日期", "died_on", required=False, help="状态为“已故”时填写", aliases=("去世时间", "死亡日期")),
    Column(
        "恢复日期",
        "suspension_ended_on",
        required=False,
        help="暂停后恢复为“在册”时填写恢复享受待遇之日",
        aliases=("恢复时间",),
    ),
]
HOUSEHOLD_COLUMNS = [
    Column("档案编号", "archive_no", aliases=("档案号", "建档编号"), sample="KN653100-0001"),
    Column("户主姓名", "head_name", aliases=("姓名",), sample="李四"),
    Column(
        "身份证号",
        "id_number",
        help="户主身份证号，18位；请设置为文本格式",
        aliases=(*ID_ALIASES, "户主身份证号"),
        sample="11010519491231002X",
    ),
    Column("职工类别", "worker_category", allowed=tuple(CATEGORIES), sample="职工"),
    Column("困难类型", "hardship_type", allowed=tuple(HARDSHIPS), sample="深度困难"),
    Column("家庭人口", "member_count", help="1 到 30 的整数", aliases=("家庭人口数", "家庭人数"), sample=3),
    Column("建档日期", "archived_on", help="如 2023-03-01", aliases=("建档时间",), sample="2023-03-01"),
    Column("状态", "status", allowed=tuple(HOUSEHOLD_STATUSES), sample="在档"),
    Column("脱困日期", "lifted_out_on", required=False, help="状态为“已脱困”时必填", aliases=("脱困时间",)),
]
SURVEY_COLUMNS = [
    Column("姓名", "name", sample="张三"),
    Column("身份证号", "id_number", help="18位；请设置为文本格式", aliases=ID_ALIASES, sample="11010519491231002X"),
    Column("调查年度", "year", help="四位年份", sample="2024"),
    Column(
        "调查日期", "surveyed_on", help="如 2024-10-15；须在 10 月底前完成", aliases=("调查时间",), sample="2024-10-15"
    ),
    Column("生活状况", "condition", allowed=tuple(CONDITIONS), sample="一般"),
    Column("月收入（元）", "monthly_income", required=False, aliases=("月收入",), sample="3000"),
    Column("调查人", "surveyor", sample="王五"),
    Column("备注", "summary", required=False),
]
# What the 填写说明 sheet says about the three dates (DESIGN: coverage is counted on a reference day, eligibility on
# the paid date — both need the day a status began, never the day the roster was uploaded).
MODEL_WORKER_NOTES = [
    "暂停日期、去世日期、恢复日期决定该劳模在某一天是否符合发放条件：覆盖率按年度基准日计算，发放时按发放日期核对。",
    "状态为“暂停”须填写暂停日期，“已故”须填写去世日期，由“暂停”恢复为“在册”须填写恢复日期；系统不会用上传当天代替。",
    "补录往年名册而日期确实不详时，可在上传页选择“日期不详的，视为自所选年度 1 月 1 日起生效”，"
    "预览会列出受影响的行数。",
    "名册中已登记的日期不会被空白单元格清除。",
]


# What the preview shows of each row it will write (IDs masked).
SAMPLES = {
    Household: (
        ("档案编号", "户主姓名", "身份证号（脱敏）", "困难类型", "建档日期", "状态"),
        lambda h: [
            h.archive_no,
            h.head_name,
            h.id_number_masked,
            h.get_hardship_type_display(),
            h.archived_on,
            h.get_status_display(),
        ],
    ),
    ModelWorker: (
        ("姓名", "身份证号（脱敏）", "荣誉类型", "状态", "银行账号（脱敏）"),
        lambda w: [
            w.name,
            w.id_number_masked,
            w.get_honour_type_display(),
            w.get_status_display(),
            w.bank_account_masked,
        ],
    ),
    LivingSurvey: (
        ("姓名", "调查年度", "调查日期", "生活状况", "调查人"),
        lambda s: [s.model_worker.name, s.fiscal_year.year, s.surveyed_on, s.get_condition_display(), s.surveyor],
    ),
}


def _model_errors(row: RowReader, exc: ValidationError) -> None:
    """The model's own rules, per column; a column the row's checks already faulted is not told twice."""
    faulted = {error.column for error in row.errors}
    for field_name, messages in exc.message_dict.items():
        key = field_name if field_name in row.headers else None
        if key is not None and row.headers[key] in faulted:
            continue
        for message in messages:
            row.fail(key, message)


def _stage(outcome: Outcome, row: RowReader, existing, new: Callable[[], Any], values: dict) -> None:
    """Create (via `new`) or update `existing` with the row's values, validated, and count it for the preview.

    A row that already has errors is still validated by the model, so every problem of the row is listed at once.
    """
    is_new = existing is None
    if row.ok and not is_new and all(getattr(existing, name) == value for name, value in values.items()):
        outcome.unchanged += 1
        outcome.add_total(_("不变"))
        return
    obj = new() if is_new else existing
    before = None if is_new else snapshot(existing)
    for name, value in values.items():
        setattr(obj, name, value)
    try:
        clean_without_queries(obj)
    except ValidationError as exc:
        _model_errors(row, exc)
    if not row.ok:
        outcome.errors.extend(row.errors)
        return
    headers, describe = SAMPLES[type(obj)]
    if not outcome.sample_headers:
        outcome.sample_headers = [_("写入"), *headers]
    outcome.take_sample(row.number, [_("新增") if is_new else _("更新"), *describe(obj)])
    if is_new:
        outcome.to_create.append(obj)
    else:
        outcome.to_update.append(obj)
        outcome.before_update.append(before)
    outcome.add_total(_("新增") if is_new else _("更新"))


def _existing(model, digests: set[str]) -> dict:
    found = {}
    digest_list = list(digests)
    for start in range(0, len(digest_list), 5000):
        for person in model.objects.filter(id_number_digest__in=digest_list[start : start + 5000]).select_related(
            "organization"
        ):
            found[person.id_number_digest] = person
    return found


def _readers(table: Table, columns: list[Column], outcome: Outcome) -> list[RowReader] | None:
    mapped = map_columns(table, columns)
    if mapped.unknown:
        outcome.notes.append(unknown_columns_note(mapped.unknown))
    if table.totals:
        outcome.notes.append(
            _("第 {rows} 行为合计行，未导入。").format(rows="、".join(str(number) for number, _l, _c in table.totals))
        )
    if mapped.errors:
        outcome.errors = mapped.errors
        return None
    readers = list(rows(table, columns, mapped.positions))
    outcome.row_count = len(readers)
    return readers


def _track_duplicate(row: RowReader, key, seen: dict, column: str, what: str) -> bool:
    if key in seen:
        row.fail(column, _("与第{other}行的{what}重复。").format(other=seen[key], what=what))
        return True
    seen[key] = row.number
    return False


def validate_model_workers(table: Table, batch: ImportBatch, progress: ProgressCallback | None = None) -> Outcome:
    outcome = Outcome()
    readers = _readers(table, MODEL_WORKER_COLUMNS, outcome)
    if readers is None:
        return outcome
    parsed = []
    for row in readers:
        values = {
            "name": row.get("name", cells.text, max_chars=50),
            "id_number": row.get("id_number", cells.resident_id_number),
            "honour_type": row.get("honour_type", cells.choice, HONOURS),
            "award_year": row.get("award_year", cells.year),
            "status": row.get("status", cells.choice, WORKER_STATUSES),
            "suspension_reason": row.get("suspension_reason", cells.choice, REASONS, required=False, default=""),
            "is_retired": row.get("is_retired", cells.yes_no),
            "is_farmer_herder": row.get("is_farmer_herder", cells.yes_no),
            "residence": row.get("residence", cells.text, required=False, max_chars=200),
            "bank_account": row.get("bank_account", cells.bank_account),
            "suspended_on": row.get("suspended_on", cells.optional_date),
            "died_on": row.get("died_on", cells.optional_date),
            "suspension_ended_on": row.get("suspension_ended_on", cells.optional_date),
        }
        parsed.append((row, values))
    dated_by_choice = 0
    existing = _existing(ModelWorker, {resident_id_digest(v["id_number"]) for _r, v in parsed if v["id_number"]})
    seen: dict = {}
    for index, (row, values) in enumerate(parsed, start=1):
        if progress and index % 2000 == 0:
            progress(index, len(parsed))
        if not row.ok or _track_duplicate(row, values["id_number"], seen, "id_number", _("身份证号")):
            outcome.errors.extend(row.errors)
            continue
        worker = existing.get(resident_id_digest(values["id_number"]))
        if worker is not None and worker.organization_id != batch.organization_id:
            row.fail(
                "id_number",
                not_accepted_here(),
                _("该身份证号已登记在{org}的劳模名册中；人员调动须由自治区总工会办理。").format(
                    org=worker.organization.short_name
                ),
            )
            outcome.errors.extend(row.errors)
            continue
        if worker is not None and worker.status == ModelWorkerStatus.DECEASED and values["status"] != worker.status:
            # An old roster sent again must not bring the dead back onto the roster (and into the coverage).
            row.fail(
                "status",
                _("名册中该劳模已于 {date} 去世，不能改为“{status}”；如系登记错误，请联系自治区总工会更正。").format(
                    date=worker.died_on, status=ModelWorkerStatus(values["status"]).label
                ),
            )
        dated_by_choice += _date_the_status(row, values, worker, batch.status_dates_from)
        if not values["bank_account"] and worker is not None:
            values["bank_account"] = worker.bank_account
        _stage(outcome, row, worker, lambda: ModelWorker(organization=batch.organization), values)
    if dated_by_choice:
        outcome.notes.append(
            _("{n} 行的状态日期不详，已按“{choice}”处理（{date}）。").format(
                n=dated_by_choice, choice=batch.get_unknown_status_date_display(), date=batch.status_dates_from
            )
        )
    return outcome


def _date_the_status(row: RowReader, values: dict, worker: ModelWorker | None, fallback: datetime.date | None) -> int:
    """Give each status the day it began: the row's date, else the date already on the roster, else the uploader's
    choice for unknown dates (`fallback`), else an error naming the column. Returns 1 if the choice was used."""
    status = values["status"]
    used_fallback = 0

    def known(key: str, kept: datetime.date | None) -> datetime.date | None:
        nonlocal used_fallback
        if values[key] or kept:
            return values[key] or kept
        if fallback is not None:
            used_fallback = 1
            return fallback
        return None

    ongoing = worker is not None and worker.status == ModelWorkerStatus.SUSPENDED
    if status == ModelWorkerStatus.SUSPENDED:
        values["suspended_on"] = known("suspended_on", worker.suspended_on if ongoing else None)
        values["suspension_ended_on"] = None
        if values["suspended_on"] is None:
            row.fail("suspended_on", _("状态为“暂停”须填写暂停日期（暂停享受待遇的起始日）。"))
    else:
        # A suspension that has ended stays in the record: coverage in earlier years still counts it.
        values["suspended_on"] = values["suspended_on"] or (worker.suspended_on if worker else None)
        if values["suspended_on"] and status == ModelWorkerStatus.REGISTERED:
            values["suspension_ended_on"] = known(
                "suspension_ended_on", worker.suspension_ended_on if worker and not ongoing else None
            )
            if values["suspension_ended_on"] is None:
                row.fail("suspension_ended_on", _("该劳模曾暂停享受待遇，恢复为“在册”须填写恢复日期。"))
        else:
            values["suspension_ended_on"] = values["suspension_ended_on"] or (
                worker.suspension_ended_on if worker else None
            )
        if not values["suspended_on"]:
            values["suspension_reason"] = ""
        elif not values["suspension_reason"] and worker is not None:
            values["suspension_reason"] = worker.suspension_reason
    if status == ModelWorkerStatus.DECEASED:
        values["died_on"] = known("died_on", worker.died_on if worker is not None else None)
        if values["died_on"] is None:
            row.fail("died_on", _("状态为“已故”须填写去世日期。"))
    else:
        values["died_on"] = None
    return used_fallback


def validate_households(table: Table, batch: ImportBatch, progress: ProgressCallback | None = None) -> Outcome:
    outcome = Outcome()
    readers = _readers(table, HOUSEHOLD_COLUMNS, outcome)
    if readers is None:
        return outcome
    parsed = []
    for row in readers:
        values = {
            "archive_no": row.get("archive_no", cells.text, max_chars=40),
            "head_name": row.get("head_name", cells.text, max_chars=50),
            "id_number": row.get("id_number", cells.resident_id_number),
            "worker_category": row.get("worker_category", cells.choice, CATEGORIES),
            "hardship_type": row.get("hardship_type", cells.choice, HARDSHIPS),
            "member_count": row.get("member_count", cells.positive_int, maximum=30),
            "archived_on": row.get("archived_on", cells.date),
            "status": row.get("status", cells.choice, HOUSEHOLD_STATUSES),
            "lifted_out_on": row.get("lifted_out_on", lambda v: None if cells.is_blank(v) else cells.date(v)),
        }
        parsed.append((row, values))
    existing = _existing(Household, {resident_id_digest(v["id_number"]) for _r, v in parsed if v["id_number"]})
    archive_owner = {}
    archive_numbers = [v["archive_no"] for _r, v in parsed if v["archive_no"]]
    for start in range(0, len(archive_numbers), 5000):
        archive_owner.update(
            (number, (digest, org_id, org_name))
            for number, digest, org_id, org_name in Household.objects.filter(
                archive_no__in=archive_numbers[start : start + 5000]
            ).values_list("archive_no", "id_number_digest", "organization_id", "organization__short_name")
        )
    seen_ids: dict = {}
    seen_archives: dict = {}
    for index, (row, values) in enumerate(parsed, start=1):
        if progress and index % 2000 == 0:
            progress(index, len(parsed))
        if row.ok:
            _track_duplicate(row, values["id_number"], seen_ids, "id_number", _("身份证号"))
            _track_duplicate(row, values["archive_no"], seen_archives, "archive_no", _("档案编号"))
        if not row.ok:
            outcome.errors.extend(row.errors)
            continue
        digest = resident_id_digest(values["id_number"])
        household = existing.get(digest)
        if household is not None and household.organization_id != batch.organization_id:
            row.fail(
                "id_number",
                not_accepted_here(),
                _("该户主已登记在{org}的困难职工档案中；转移须由自治区总工会办理。").format(
                    org=household.organization.short_name
                ),
            )
        owner = archive_owner.get(values["archive_no"])
        if owner is not None and owner[0] != digest:
            if owner[1] == batch.organization_id:
                row.fail("archive_no", _("档案编号已被本单位另一户使用。"))
            else:
                row.fail(
                    "archive_no",
                    not_accepted_here(),
                    _("档案编号已被{org}的另一户使用。").format(org=owner[2]),
                )
        if not row.ok:
            outcome.errors.extend(row.errors)
            continue
        _stage(outcome, row, household, lambda: Household(organization=batch.organization), values)
    return outcome


def validate_living_surveys(table: Table, batch: ImportBatch, progress: ProgressCallback | None = None) -> Outcome:
    outcome = Outcome()
    readers = _readers(table, SURVEY_COLUMNS, outcome)
    if readers is None:
        return outcome
    roster = {
        w.id_number_digest: w
        for w in ModelWorker.objects.filter(organization=batch.organization).defer("id_number", "bank_account")
    }
    years = {fy.year: fy for fy in FiscalYear.objects.all()}
    existing = {
        (s.model_worker_id, s.fiscal_year.year): s
        for s in LivingSurvey.objects.filter(model_worker__organization=batch.organization).select_related(
            "fiscal_year"
        )
    }
    seen: dict = {}
    deadlines: dict[int, datetime.date] = {}
    for index, row in enumerate(readers, start=1):
        if progress and index % 2000 == 0:
            progress(index, len(readers))
        name = row.get("name", cells.text, max_chars=50)
        number = row.get("id_number", cells.resident_id_number)
        year = row.get("year", cells.year)
        values = {
            "surveyed_on": row.get("surveyed_on", cells.date),
            "condition": row.get("condition", cells.choice, CONDITIONS),
            "monthly_income": row.get("monthly_income", lambda v: None if cells.is_blank(v) else cells.amount(v)),
            "surveyor": row.get("surveyor", cells.text, max_chars=50),
            "summary": row.get("summary", cells.text, required=False, multiline=True),
        }
        worker = roster.get(resident_id_digest(number)) if number else None
        if number and worker is None:
            row.fail("id_number", _("本单位劳模名册中没有该身份证号。"))
        if worker is not None and name and name != worker.name:
            row.fail("name", _("姓名“{name}”与名册登记的“{roster}”不一致。").format(name=name, roster=worker.name))
        if year and year not in years:
            row.fail("year", _("{year} 年度尚未建立，请联系财务人员。").format(year=year))
        if year and values["surveyed_on"] and values["surveyed_on"].year != year:
            row.fail("surveyed_on", _("调查日期不在 {year} 年内。").format(year=year))
        if worker is not None and year:
            _track_duplicate(row, (worker.pk, year), seen, "id_number", _("劳模和调查年度"))
        if not row.ok:
            outcome.errors.extend(row.errors)
            continue
        if year not in deadlines:
            deadlines[year] = import_string(settings.SURVEY_DEADLINE_PROVIDER)(years[year])
        due = deadlines[year]
        if values["surveyed_on"] > due:
            outcome.warnings.append(
                RowError(
                    row.number,
                    row.headers["surveyed_on"],
                    _("调查晚于 {year} 年度的完成期限 {day}。").format(year=year, day=due.isoformat()),
                )
            )
        new_survey = partial(LivingSurvey, model_worker=worker, fiscal_year=years[year])
        _stage(outcome, row, existing.get((worker.pk, year)), new_survey, values)
    return outcome
