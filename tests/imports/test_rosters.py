"""Roster and living-survey uploads: create or update by resident ID, within the uploader's organisation."""

import datetime

import pytest
from django.utils import timezone

from beneficiaries.choices import ModelWorkerStatus
from beneficiaries.models import Household, LivingSurvey, ModelWorker
from funds.choices import ImportKind, ImportStatus
from imports.services import import_batch_confirm, import_batch_create, import_batch_validate
from tests.factories import ModelWorkerFactory, organization, valid_resident_id
from tests.spreadsheets import xlsx

WORKER_HEADERS = [
    "姓名",
    "身份证号",
    "荣誉类型",
    "获评年份",
    "状态",
    "暂停原因",
    "是否退休",
    "是否农牧民",
    "现居住地",
    "银行账号",
]
HOUSEHOLD_HEADERS = [
    "档案编号",
    "户主姓名",
    "身份证号",
    "职工类别",
    "困难类型",
    "家庭人口",
    "建档日期",
    "状态",
    "脱困日期",
]
SURVEY_HEADERS = ["姓名", "身份证号", "调查年度", "调查日期", "生活状况", "月收入（元）", "调查人", "备注"]


def run(kind, headers, rows, user, org="653100", confirm=True):
    batch = import_batch_create(
        kind=kind, organization=organization(org), file_name="名册.xlsx", data=xlsx(headers, rows), acting_user=user
    )
    batch = import_batch_validate(batch=batch)
    if confirm and batch.status == ImportStatus.PREVIEWED:
        batch = import_batch_confirm(batch=batch, acting_user=user)
    return batch


def worker_row(name, number, status="在册", reason="", account="6228480012345678901"):
    return [name, number, "自治区劳动模范", "2008", status, reason, "是", "否", "喀什市", account]


def test_model_worker_roster_creates_then_updates(users):
    first, second = valid_resident_id(), valid_resident_id()
    batch = run(
        ImportKind.MODEL_WORKERS, WORKER_HEADERS, [worker_row("甲", first), worker_row("乙", second)], users.kashgar
    )
    assert batch.status == ImportStatus.IMPORTED
    assert batch.summary["create"] == 2
    assert ModelWorker.objects.filter(organization__code="653100").count() == 2

    again = run(
        ImportKind.MODEL_WORKERS,
        WORKER_HEADERS,
        [worker_row("甲", first), worker_row("乙", second, status="暂停", reason="去向不明且失去联系")],
        users.kashgar,
    )
    assert (again.summary["create"], again.summary["update"], again.summary["unchanged"]) == (0, 1, 1)
    suspended = ModelWorker.objects.get(name="乙")
    assert suspended.status == ModelWorkerStatus.SUSPENDED
    assert suspended.suspended_on == timezone.localdate()  # no 暂停日期 column: the day of the import
    assert suspended.bank_account == "6228480012345678901"


def test_suspension_without_a_reason_is_refused_at_its_row(users):
    batch = run(
        ImportKind.MODEL_WORKERS, WORKER_HEADERS, [worker_row("甲", valid_resident_id(), status="暂停")], users.kashgar
    )
    assert batch.status == ImportStatus.REFUSED
    assert batch.errors[0]["row"] == 2 and batch.errors[0]["column"] == "暂停原因"


def test_a_person_on_another_organisations_roster_is_refused(users):
    other = ModelWorkerFactory(organization=organization("653200"))
    batch = run(ImportKind.MODEL_WORKERS, WORKER_HEADERS, [worker_row("甲", other.id_number)], users.kashgar)
    assert (batch.errors[0]["row"], batch.errors[0]["column"]) == (2, "身份证号")
    assert ModelWorker.objects.get(pk=other.pk).organization.code == "653200"


def test_missing_and_unknown_columns_are_named(users):
    headers = [h for h in WORKER_HEADERS if h != "荣誉类型"] + ["微信号"]
    batch = run(ImportKind.MODEL_WORKERS, headers, [["甲"] * len(headers)], users.kashgar)
    columns = {(e["row"], e["column"]) for e in batch.errors}
    assert {(1, "荣誉类型"), (1, "微信号")} <= columns


def test_household_archive(users):
    number = valid_resident_id()
    row = ["KN-001", "户主甲", number, "职工", "深度困难", 4, "2023-03-01", "在档", ""]
    batch = run(ImportKind.HOUSEHOLDS, HOUSEHOLD_HEADERS, [row], users.kashgar)
    assert batch.status == ImportStatus.IMPORTED
    lifted = ["KN-001", "户主甲", number, "职工", "深度困难", 4, "2023-03-01", "已脱困", "2024-06-30"]
    run(ImportKind.HOUSEHOLDS, HOUSEHOLD_HEADERS, [lifted], users.kashgar)
    household = Household.objects.get()
    assert household.lifted_out_on == datetime.date(2024, 6, 30)


def test_household_lifted_out_without_a_date_is_refused(users):
    row = ["KN-002", "户主乙", valid_resident_id(), "农民工", "相对困难", 2, "2023-03-01", "已脱困", ""]
    batch = run(ImportKind.HOUSEHOLDS, HOUSEHOLD_HEADERS, [row], users.kashgar)
    assert batch.status == ImportStatus.REFUSED
    assert batch.errors[0]["column"] == "脱困日期"


@pytest.fixture
def year_2024(db):
    from funds.services.fiscal_years import fiscal_year_get_or_create

    return fiscal_year_get_or_create(year=2024)


def test_living_surveys_create_and_update(users, year_2024):
    worker = ModelWorkerFactory(name="劳模甲", organization=organization("653100"))
    row = ["劳模甲", worker.id_number, "2024", "2024-10-10", "一般", "3500", "张调查", ""]
    assert run(ImportKind.LIVING_SURVEYS, SURVEY_HEADERS, [row], users.kashgar).status == ImportStatus.IMPORTED
    row[4] = "困难"
    batch = run(ImportKind.LIVING_SURVEYS, SURVEY_HEADERS, [row], users.kashgar)
    assert batch.summary["update"] == 1
    assert LivingSurvey.objects.get().condition == "hardship"


def test_late_living_survey_is_flagged(users, year_2024):
    worker = ModelWorkerFactory(name="劳模乙", organization=organization("653100"))
    row = ["劳模乙", worker.id_number, "2024", "2024-11-15", "良好", "", "张调查", ""]
    batch = run(ImportKind.LIVING_SURVEYS, SURVEY_HEADERS, [row], users.kashgar, confirm=False)
    assert batch.status == ImportStatus.PREVIEWED
    assert "10 月底" in batch.warnings[0]["message"]
