"""The demo's money chain through the real services: standards, appropriations, receipts, department lines and
plans."""

import datetime
from decimal import Decimal

from funds.choices import (
    FundingSource,
    StandardType,
)
from funds.models import (
    DepartmentBudgetLine,
    FiscalYear,
    Organization,
    PaymentStandard,
    Program,
    User,
)
from funds.services.allocation import (
    PlanLineInput,
    allocation_plan_approve,
    allocation_plan_save,
    allocation_plan_submit,
)
from funds.services.budget import appropriation_save, department_budget_line_save, funds_receipt_create


def payment_standards(years: dict[int, FiscalYear], kinds: dict) -> None:
    spec = [
        (("model_worker", "spring_festival"), StandardType.FIXED, Decimal("1000"), None, None),
        (("model_worker", "living_hardship"), StandardType.RANGE, None, Decimal("3000"), Decimal("12000")),
        (("model_worker", "special_hardship"), StandardType.RANGE, None, Decimal("5000"), Decimal("20000")),
        (("hardship", "living_aid"), StandardType.RANGE, None, Decimal("500"), Decimal("6000")),
        (("hardship", "medical_aid"), StandardType.RANGE, None, Decimal("500"), Decimal("10000")),
        (("hardship", "education_aid"), StandardType.RANGE, None, Decimal("500"), Decimal("5000")),
    ]
    for fiscal_year in years.values():
        for key, standard_type, fixed, low, high in spec:
            standard = PaymentStandard(
                fiscal_year=fiscal_year,
                payment_kind=kinds[key],
                standard_type=standard_type,
                fixed_amount=fixed,
                min_amount=low,
                max_amount=high,
                basis="自治区总工会专项资金使用管理办法",
            )
            standard.full_clean()
            standard.save()


def budget(years: dict[int, FiscalYear], programs: dict[str, Program], finance: User) -> None:
    fiscal = FundingSource.CURRENT_FISCAL
    spec = [
        # year, program, {source: (initial, annual)}, [(source, amount, date)]
        (2022, "hardship", {fiscal: (1_480_000, 1_480_000)}, [(fiscal, 1_480_000, datetime.date(2022, 3, 18))]),
        (
            2022,
            "model_worker",
            {fiscal: (7_770_000, 7_770_000), FundingSource.OTHER: (0, 236_200)},
            [
                (fiscal, 7_770_000, datetime.date(2022, 3, 18)),
                (FundingSource.OTHER, 236_200, datetime.date(2022, 11, 10)),
            ],
        ),
        (2024, "hardship", {fiscal: (1_230_000, 1_230_000)}, [(fiscal, 1_230_000, datetime.date(2024, 3, 20))]),
        (2024, "model_worker", {fiscal: (7_770_000, 7_770_000)}, [(fiscal, 7_770_000, datetime.date(2024, 3, 20))]),
    ]
    for year, program, budgets, receipts in spec:
        appropriation = appropriation_save(
            program=programs[program],
            fiscal_year=years[year],
            budgets={source: (Decimal(a), Decimal(b)) for source, (a, b) in budgets.items()},
            document=f"新财预〔{year}〕号",
            acting_user=finance,
        )
        for source, amount, received_on in receipts:
            funds_receipt_create(
                appropriation=appropriation,
                source=source,
                amount=Decimal(amount),
                received_on=received_on,
                document="自治区财政厅拨款通知",
                acting_user=finance,
            )


def department_lines(years: dict[int, FiscalYear], finance: User) -> None:
    """Seed 001: 人员工资、医保、访惠聚经费 632.11 万元 in 2022's department budget, all paid."""
    amount = Decimal("6321100")
    department_budget_line_save(
        line=DepartmentBudgetLine(
            fiscal_year=years[2022],
            name="人员工资、医保、访惠聚经费",
            initial_budget=amount,
            annual_budget=amount,
            executed=amount,
        ),
        acting_user=finance,
    )


def allocation_plans(
    years: dict[int, FiscalYear],
    programs: dict[str, Program],
    *,
    hardship_paid: dict[int, dict[Organization, int]],
    workers_paid: dict[int, dict[Organization, int]],
    finance: User,
    checker: User,
) -> None:
    """Each year's plan allocates exactly what each union then paid (prepared by finance, approved by finance2)."""
    for year, program, title, plan_date, per_org in [
        (
            2022,
            "hardship",
            "自治区财政“三节”送温暖资金分配方案",
            datetime.date(2022, 5, 17),
            hardship_paid[2022],
        ),
        (2024, "hardship", "2024年自治区专项帮扶资金分配方案", datetime.date(2024, 5, 20), hardship_paid[2024]),
        (
            2022,
            "model_worker",
            "2022年自治区劳模专项补助资金分配方案",
            datetime.date(2021, 8, 5),
            workers_paid[2022],
        ),
        (
            2024,
            "model_worker",
            "2024年自治区劳模专项补助资金分配方案",
            datetime.date(2024, 6, 14),
            workers_paid[2024],
        ),
    ]:
        lines = [
            PlanLineInput(organization=org, amount=Decimal(amount))
            for org, amount in sorted(per_org.items(), key=lambda item: (item[0].sort_order, item[0].code))
        ]
        plan = allocation_plan_save(
            program=programs[program],
            fiscal_year=years[year],
            title=title,
            plan_date=plan_date,
            approval_reference="自治区总工会党组会议审议通过",
            lines=lines,
            acting_user=finance,
        )
        allocation_plan_submit(plan=plan, acting_user=finance)
        allocation_plan_approve(plan=plan, acting_user=checker)
