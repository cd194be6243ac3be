"""Roster and living-survey uploads: create or update by resident ID, within the uploader's organisation."""

import datetime

import pytest

from beneficiaries.choices import ModelWorkerStatus, RosterEventKind
from beneficiaries.models import Household, LivingSurvey, ModelWorker
from funds.choices import ImportKind, ImportStatus, UnknownStatusDate
from funds.services.fiscal_years import fiscal_year_get_or_create
from imports.services import import_batch_confirm, import_batch_create, import_batch_validate
from tests.factories import ModelWorkerFactory, organization, program, valid_resident_id
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
        [*WORKER_HEADERS, "暂停日期"],
        [
            [*worker_row("甲", first), ""],
            [*worker_row("乙", second, status="暂停", reason="去向不明且失去联系"), datetime.date(2024, 3, 5)],
        ],
        users.kashgar,
    )
    assert (again.summary["create"], again.summary["update"], again.summary["unchanged"]) == (0, 1, 1)
    suspended = ModelWorker.objects.get(name="乙")
    assert suspended.status == ModelWorkerStatus.SUSPENDED
    assert suspended.suspended_on == datetime.date(2024, 3, 5)
    assert suspended.bank_account == "6228480012345678901"
    assert list(suspended.events.order_by("recorded_at", "pk").values_list("kind", "effective_on")) == [
        (RosterEventKind.REGISTERED, datetime.date(2008, 1, 1)),
        (RosterEventKind.SUSPENDED, datetime.date(2024, 3, 5)),
    ]

    # The roster sent again without the date column keeps the date already registered.
    kept = run(
        ImportKind.MODEL_WORKERS,
        WORKER_HEADERS,
        [worker_row("甲", first), worker_row("乙", second, status="暂停", reason="去向不明且失去联系")],
        users.kashgar,
    )
    assert kept.status == ImportStatus.IMPORTED and kept.summary["unchanged"] == 2
    assert ModelWorker.objects.get(name="乙").suspended_on == datetime.date(2024, 3, 5)


def test_suspension_without_a_reason_or_a_date_is_refused_at_its_row(users):
    batch = run(
        ImportKind.MODEL_WORKERS, WORKER_HEADERS, [worker_row("甲", valid_resident_id(), status="暂停")], users.kashgar
    )
    assert batch.status == ImportStatus.REFUSED
    assert {(e["row"], e["column"]) for e in batch.errors} == {(2, "暂停日期"), (2, "暂停原因")}


def test_a_status_without_its_date_is_never_dated_the_day_of_the_upload(users):
    rows = [
        worker_row("甲", valid_resident_id(), status="暂停", reason="违法违纪"),
        [*worker_row("乙", valid_resident_id(), status="已故"), ""],
    ]
    refused = run(ImportKind.MODEL_WORKERS, [*WORKER_HEADERS, "去世日期"], [[*rows[0], ""], rows[1]], users.kashgar)
    assert refused.status == ImportStatus.REFUSED
    assert {(e["row"], e["column"]) for e in refused.errors} == {(2, "暂停日期"), (3, "去世日期")}
    assert "须填写暂停日期" in refused.errors[0]["message"]
    assert not ModelWorker.objects.exists()


def test_the_uploader_may_date_unknown_statuses_from_the_start_of_the_year_being_entered(users):
    year = fiscal_year_get_or_create(year=2022)
    earlier = ModelWorkerFactory(
        organization=organization("653100"),
        status=ModelWorkerStatus.SUSPENDED,
        suspended_on=datetime.date(2019, 5, 1),
        suspension_reason="violation",
    )
    rows = [
        worker_row("甲", valid_resident_id(), status="暂停", reason="违法违纪"),
        worker_row("乙", valid_resident_id(), status="已故"),
        worker_row(earlier.name, earlier.id_number, status="暂停", reason="违法违纪"),
    ]
    batch = import_batch_create(
        kind=ImportKind.MODEL_WORKERS,
        organization=organization("653100"),
        file_name="2022年名册.xlsx",
        data=xlsx(WORKER_HEADERS, rows),
        acting_user=users.kashgar,
        fiscal_year=year,
        unknown_status_date=UnknownStatusDate.YEAR_START,
    )
    batch = import_batch_validate(batch=batch)
    assert batch.status == ImportStatus.PREVIEWED, batch.errors
    # The preview states the choice and the rows it touched (the worker already dated keeps 2019-05-01).
    assert batch.summary["notes"] == [
        "2 行的状态日期不详，已按“日期不详的，视为自所选年度 1 月 1 日起生效”处理（2022-01-01）。"
    ]
    import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert ModelWorker.objects.get(name="甲").suspended_on == datetime.date(2022, 1, 1)
    assert ModelWorker.objects.get(name="乙").died_on == datetime.date(2022, 1, 1)
    assert ModelWorker.objects.get(pk=earlier.pk).suspended_on == datetime.date(2019, 5, 1)


def test_a_worker_resumed_after_a_suspension_keeps_the_suspension_and_needs_the_day_it_ended(users):
    worker = ModelWorkerFactory(
        organization=organization("653100"),
        status=ModelWorkerStatus.SUSPENDED,
        suspended_on=datetime.date(2021, 5, 1),
        suspension_reason="under_investigation",
    )
    row = worker_row(worker.name, worker.id_number)
    refused = run(ImportKind.MODEL_WORKERS, WORKER_HEADERS, [row], users.kashgar)
    assert [(e["row"], e["column"]) for e in refused.errors] == [(2, "恢复日期")]
    resumed = run(ImportKind.MODEL_WORKERS, [*WORKER_HEADERS, "恢复日期"], [[*row, "2022-08-01"]], users.kashgar)
    assert resumed.status == ImportStatus.IMPORTED, resumed.errors
    worker.refresh_from_db()
    assert (worker.status, worker.suspended_on, worker.suspension_ended_on) == (
        ModelWorkerStatus.REGISTERED,
        datetime.date(2021, 5, 1),
        datetime.date(2022, 8, 1),
    )
    assert not worker.is_eligible_on(datetime.date(2022, 5, 17)) and worker.is_eligible_on(datetime.date(2022, 11, 25))


def test_a_person_on_another_organisations_roster_is_refused_without_telling_the_operator_where(users, client):
    from django.urls import reverse

    other = ModelWorkerFactory(organization=organization("653200"))
    batch = run(ImportKind.MODEL_WORKERS, WORKER_HEADERS, [worker_row("甲", other.id_number)], users.kashgar)
    assert (batch.errors[0]["row"], batch.errors[0]["column"]) == (2, "身份证号")
    assert ModelWorker.objects.get(pk=other.pk).organization.code == "653200"
    # Not an existence oracle: the operator reads that the row cannot be accepted, not in which union it is …
    assert "和田" not in batch.errors[0]["message"] and "其他单位" in batch.errors[0]["message"]
    client.force_login(users.kashgar)
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert "和田" not in page and "自治区总工会财务人员" in page
    # … finance staff see why.
    client.force_login(users.finance)
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert "已登记在和田地区的劳模名册中" in page


def test_an_archive_number_used_in_another_organisation_does_not_say_where(users):
    from tests.factories import HouseholdFactory

    HouseholdFactory(organization=organization("653200"), archive_no="KN-777")
    row = ["KN-777", "户主甲", valid_resident_id(), "职工", "深度困难", 4, "2023-03-01", "在档", ""]
    batch = run(ImportKind.HOUSEHOLDS, HOUSEHOLD_HEADERS, [row], users.kashgar)
    assert batch.errors[0]["column"] == "档案编号"
    assert "和田" not in batch.errors[0]["message"]
    assert "和田" in batch.errors[0]["detail"]


def test_missing_and_unknown_columns_are_named(users):
    headers = [h for h in WORKER_HEADERS if h != "荣誉类型"] + ["微信号"]
    batch = run(ImportKind.MODEL_WORKERS, headers, [["甲"] * len(headers)], users.kashgar)
    # The missing column is an error of the header row; a column that is no part of the roster is named, not imported.
    assert {(e["row"], e["column"]) for e in batch.errors} == {(1, "荣誉类型")}
    assert "以下列不是本模板的列，未导入：“微信号”。" in batch.summary["notes"]


def test_household_archive(users):
    number = valid_resident_id()
    row = ["KN-001", "户主甲", number, "职工", "深度困难", 4, "2023-03-01", "在档", ""]
    batch = run(ImportKind.HOUSEHOLDS, HOUSEHOLD_HEADERS, [row], users.kashgar)
    assert batch.status == ImportStatus.IMPORTED
    lifted = ["KN-001", "户主甲", number, "职工", "深度困难", 4, "2023-03-01", "已脱困", "2024-06-30"]
    second = run(ImportKind.HOUSEHOLDS, HOUSEHOLD_HEADERS, [lifted], users.kashgar)
    household = Household.objects.get()
    assert household.lifted_out_on == datetime.date(2024, 6, 30)
    # The archive history says what each upload did, on the day it took effect, and which batch did it.
    history = list(household.events.order_by("effective_on").values_list("kind", "effective_on", "import_batch"))
    assert history == [
        (RosterEventKind.ARCHIVED, datetime.date(2023, 3, 1), batch.pk),
        (RosterEventKind.LIFTED_OUT, datetime.date(2024, 6, 30), second.pk),
    ]
    assert household.events.get(kind=RosterEventKind.LIFTED_OUT).changes["status"] == ["archived", "lifted_out"]


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
    assert "2024 年度的完成期限 2024-10-31" in batch.warnings[0]["message"]


def test_the_survey_deadline_is_finances_setting_for_the_year(users, year_2024):
    from evaluation.models import ProgramYearSettings
    from evaluation.services import program_year_input_save

    program_year_input_save(
        record=ProgramYearSettings(
            program=program("model_worker"),
            fiscal_year=year_2024,
            payment_deadline=datetime.date(2024, 12, 10),
            eligibility_date=datetime.date(2024, 10, 31),
            survey_deadline=datetime.date(2024, 11, 20),
        ),
        acting_user=users.finance,
    )
    worker = ModelWorkerFactory(name="劳模乙", organization=organization("653100"))
    on_time = ["劳模乙", worker.id_number, "2024", "2024-11-15", "良好", "", "张调查", ""]
    batch = run(ImportKind.LIVING_SURVEYS, SURVEY_HEADERS, [on_time], users.kashgar, confirm=False)
    assert batch.warnings == []
    late = [*on_time[:3], "2024-11-25", *on_time[4:]]
    batch = run(ImportKind.LIVING_SURVEYS, SURVEY_HEADERS, [late], users.kashgar, confirm=False)
    assert "完成期限 2024-11-20" in batch.warnings[0]["message"]


def test_rosters_and_surveys_take_the_offices_own_header_wording(users):
    number = valid_resident_id()
    households = run(
        ImportKind.HOUSEHOLDS,
        ["档案号", "姓名", "户主身份证号", "职工类别", "困难类型", "家庭人口数", "建档时间", "状态", "脱困时间"],
        [["KN-9", "李四", number, "职工", "深度困难", 3, "2023-03-01", "在档", ""]],
        users.kashgar,
    )
    assert households.status == ImportStatus.IMPORTED, households.errors
    fiscal_year_get_or_create(year=2024)
    worker = ModelWorkerFactory(organization=organization("653100"))
    surveys = run(
        ImportKind.LIVING_SURVEYS,
        ["姓名", "公民身份号码", "调查年度", "调查时间", "生活状况", "月收入", "调查人", "备注"],
        [[worker.name, worker.id_number, "2024", "2024-10-15", "一般", 3000, "王五", ""]],
        users.kashgar,
    )
    assert surveys.status == ImportStatus.IMPORTED, surveys.errors


def test_an_old_roster_sent_again_cannot_bring_a_deceased_worker_back(users):
    worker = ModelWorkerFactory(
        organization=organization("653100"), status=ModelWorkerStatus.DECEASED, died_on=datetime.date(2023, 4, 2)
    )
    batch = run(ImportKind.MODEL_WORKERS, WORKER_HEADERS, [worker_row(worker.name, worker.id_number)], users.kashgar)
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "状态")]
    assert "已于 2023-04-02 去世，不能改为“在册”" in batch.errors[0]["message"]
    worker.refresh_from_db()
    assert worker.status == ModelWorkerStatus.DECEASED
