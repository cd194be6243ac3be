import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from funds.choices import FundingSource, StandardType
from funds.models import PaymentStandard
from funds.services.allocation import (
    PlanLineInput,
    allocation_plan_approve,
    allocation_plan_save,
    allocation_plan_submit,
)
from funds.services.budget import appropriation_save, funds_receipt_create
from funds.services.fiscal_years import fiscal_year_get_or_create
from tests.factories import (
    HouseholdFactory,
    LivingSurveyFactory,
    ModelWorkerFactory,
    organization,
    payment_kind,
    program,
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _fund(users, program_code: str, year, amount: Decimal, lines: dict[str, Decimal]):
    appropriation = appropriation_save(
        program=program(program_code),
        fiscal_year=year,
        budgets={FundingSource.CURRENT_FISCAL: (amount, amount)},
        acting_user=users.finance,
    )
    funds_receipt_create(
        appropriation=appropriation,
        source=FundingSource.CURRENT_FISCAL,
        amount=amount,
        received_on=datetime.date(year.year, 3, 1),
        acting_user=users.finance,
    )
    plan = allocation_plan_save(
        program=program(program_code),
        fiscal_year=year,
        title=f"{year.year} {program_code}",
        plan_date=datetime.date(year.year, 5, 1),
        lines=[PlanLineInput(organization=organization(code), amount=value) for code, value in lines.items()],
        acting_user=users.finance,
    )
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    allocation_plan_approve(plan=plan, acting_user=users.finance2)


@pytest.fixture
def payroll(users):
    """2024 model-worker money for 喀什 (100,000 元 allocated) and 和田, standards, and surveyed workers."""
    year = fiscal_year_get_or_create(year=2024)
    _fund(users, "model_worker", year, Decimal("200000"), {"653100": Decimal("100000"), "653200": Decimal("50000")})
    _fund(users, "hardship", year, Decimal("50000"), {"653100": Decimal("50000")})
    standards = [
        ("model_worker", "spring_festival", StandardType.FIXED, Decimal("1000"), None, None),
        ("model_worker", "living_hardship", StandardType.RANGE, None, Decimal("3000"), Decimal("12000")),
        ("hardship", "medical_aid", StandardType.RANGE, None, Decimal("500"), Decimal("10000")),
    ]
    for program_code, kind, standard_type, fixed, low, high in standards:
        PaymentStandard.objects.create(
            fiscal_year=year,
            payment_kind=payment_kind(program_code, kind),
            standard_type=standard_type,
            fixed_amount=fixed,
            min_amount=low,
            max_amount=high,
        )
    workers = [ModelWorkerFactory(name=f"劳模{i}", organization=organization("653100")) for i in range(5)]
    for worker in workers:
        LivingSurveyFactory(model_worker=worker, fiscal_year=year, surveyed_on=datetime.date(2024, 10, 10))
    household = HouseholdFactory(head_name="困难户甲", organization=organization("653100"))
    return SimpleNamespace(year=year, workers=workers, household=household, program=program("model_worker"))


def spring_row(worker, serial: int = 1, **overrides) -> list:
    row = {
        "序号": serial,
        "姓名": getattr(worker, "name", None) or getattr(worker, "head_name", ""),
        "身份证号": worker.id_number,
        "发放类型": "春节慰问金",
        "金额（元）": 1000,
        "发放日期": datetime.date(2024, 11, 28),
        "发放方式": "银行代发",
        "银行账号": "6228480012345678901",
        "资金来源": "",
        "备注": "",
    }
    row.update(overrides)
    return list(row.values())
