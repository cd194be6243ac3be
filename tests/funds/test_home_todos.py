"""The home page per role: what waits for this user now (core.todos and each app's providers)."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from funds.choices import ImportKind
from funds.services.allocation import PlanLineInput, allocation_plan_save, allocation_plan_submit
from imports.services import import_batch_create, import_batch_validate
from tests.factories import ModelWorkerFactory, organization, program, valid_resident_id
from tests.spreadsheets import xlsx


def _todos(client, year: int = 2024) -> str:
    html = client.get(reverse("funds:home") + f"?year={year}").content.decode()
    return html.split('id="todos"')[1].split("</section>")[0]


def test_the_checker_sees_the_plan_waiting_for_them_and_the_maker_does_not(client, users, funded_2024):
    plan = allocation_plan_save(
        program=program("hardship"),
        fiscal_year=funded_2024.fiscal_year,
        title="2024年帮扶资金第一批分配方案",
        plan_date=datetime.date(2024, 4, 1),
        lines=[PlanLineInput(organization=organization("653100"), amount=Decimal("600000"))],
        acting_user=users.finance,
    )
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    client.force_login(users.finance2)
    waiting = _todos(client)
    assert "待您审批：2024年帮扶资金第一批分配方案" in waiting
    assert reverse("funds:plan_detail", args=[plan.pk]) in waiting
    client.force_login(users.finance)
    assert "待您审批" not in _todos(client)
    client.force_login(users.kashgar)
    assert "待您审批" not in _todos(client)


def test_finance_is_told_what_a_budgeted_year_lacks(client, users, funded_2024):
    client.force_login(users.finance)
    todos = _todos(client)
    assert "还没有补助标准" in todos and "还没有年度评价参数" in todos
    assert reverse("evaluation:year_inputs", args=["hardship", 2024]) in todos


def test_an_operator_sees_its_refused_upload_until_a_corrected_one_is_imported(client, users, payroll):
    headers = [
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
    bad = [["甲", "123", "自治区劳动模范", "2008", "在册", "", "是", "否", "喀什市", "6228480012345678901"]]
    batch = import_batch_create(
        kind=ImportKind.MODEL_WORKERS,
        organization=organization("653100"),
        file_name="名册-错.xlsx",
        data=xlsx(headers, bad),
        acting_user=users.kashgar,
    )
    import_batch_validate(batch=batch)
    client.force_login(users.kashgar)
    assert "“名册-错.xlsx”未导入" in _todos(client)
    client.force_login(users.hotan)
    assert "名册-错.xlsx" not in _todos(client)  # another union's upload is not its business

    good = [
        ["甲", valid_resident_id(), "自治区劳动模范", "2008", "在册", "", "是", "否", "喀什市", "6228480012345678901"]
    ]
    fixed = import_batch_create(
        kind=ImportKind.MODEL_WORKERS,
        organization=organization("653100"),
        file_name="名册-改.xlsx",
        data=xlsx(headers, good),
        acting_user=users.kashgar,
    )
    import_batch_validate(batch=fixed)
    client.force_login(users.kashgar)
    todos = _todos(client)
    assert "“名册-改.xlsx”已通过校验，等待您确认导入或放弃" in todos
    from imports.services import import_batch_confirm

    import_batch_confirm(batch=fixed, acting_user=users.kashgar)
    todos = _todos(client)
    assert "名册-错.xlsx" not in todos and "名册-改.xlsx" not in todos


def test_an_operator_sees_the_living_survey_deadline_with_its_progress(client, users, payroll, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2024, 10, 10))
    ModelWorkerFactory(organization=organization("653100"))  # a sixth worker, not yet surveyed
    client.force_login(users.kashgar)
    todos = _todos(client)
    assert "劳模生活状况摸底调查截止 2024-10-31（还有 21 天）：已调查 5 人 / 在册健在 6 人" in todos


def test_an_operator_sees_the_years_calendar_as_finance_set_it(client, users, payroll, monkeypatch):
    from evaluation.models import ProgramYearSettings
    from evaluation.services import program_year_input_save
    from funds.models import FiscalYear

    program_year_input_save(
        record=ProgramYearSettings(
            program=program("model_worker"),
            fiscal_year=FiscalYear.objects.get(year=2024),
            payment_deadline=datetime.date(2024, 12, 10),
            eligibility_date=datetime.date(2024, 10, 31),
            payments_open_on=datetime.date(2024, 11, 25),
            survey_deadline=datetime.date(2024, 11, 5),
        ),
        acting_user=users.finance,
    )
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2024, 11, 1))
    client.force_login(users.kashgar)
    todos = _todos(client)
    assert "劳模补助发放截止 2024-12-10（还有 39 天）；2024-11-25 起报送" in todos
    assert "劳模生活状况摸底调查截止 2024-11-05（还有 4 天）" in todos


def test_finance_sees_the_organisations_that_have_not_reported_once_reporting_is_open(
    client, users, payroll, monkeypatch
):
    from evaluation.models import ProgramYearSettings
    from evaluation.services import program_year_input_save
    from funds.models import FiscalYear

    program_year_input_save(
        record=ProgramYearSettings(
            program=program("model_worker"),
            fiscal_year=FiscalYear.objects.get(year=2024),
            payment_deadline=datetime.date(2024, 12, 10),
            eligibility_date=datetime.date(2024, 10, 31),
            payments_open_on=datetime.date(2024, 11, 25),
        ),
        acting_user=users.finance,
    )
    client.force_login(users.finance)
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2024, 11, 1))
    assert "报送进度" not in _todos(client)
    monkeypatch.setattr(timezone, "localdate", lambda *a: datetime.date(2024, 12, 1))
    todos = _todos(client)
    assert "劳模补助报送进度：2 个单位未报送、0 个部分报送（发放截止 2024-12-10）" in todos
    assert "/board/?year=2024&amp;program=model_worker" in todos


def test_an_operator_sees_its_own_latest_uploads_and_their_states(client, users, payroll):
    def upload(user, name):
        batch = import_batch_create(
            kind=ImportKind.LIVING_SURVEYS,
            organization=user.organization,
            file_name=name,
            data=xlsx(["姓名"], [["某某"]]),
            acting_user=user,
        )
        import_batch_validate(batch=batch)

    upload(users.kashgar, "喀什调查.xlsx")
    upload(users.hotan, "和田调查.xlsx")
    client.force_login(users.kashgar)
    html = client.get(reverse("funds:home")).content.decode()
    section = html.split('id="recent-uploads"')[1].split("</section>")[0]
    assert "喀什调查.xlsx" in section and "和田调查.xlsx" not in section
    assert "status-refused" in section
    client.force_login(users.finance)
    assert 'id="recent-uploads"' not in client.get(reverse("funds:home")).content.decode()


def test_the_auditor_sees_when_integrity_was_last_checked(client, users, db):
    client.force_login(users.auditor)
    assert "尚未做过审计日志与发放记录的完整性校验" in _todos(client)
    client.get(reverse("audit:verify"))
    assert "最近一次完整性校验" in _todos(client) and "通过" in _todos(client)
