"""A synthetic but realistic data set reproducing every figure the two seed reports give (DESIGN.md, end).

Names and ID numbers are fake (the ID numbers pass the GB 11643 check digit). Budgets, receipts and
allocation plans go through the real services, so the demo obeys the same rules as a clerk; the ~17,000
roster, survey and payment rows are validated with `full_clean()` and written with `bulk_create` in one
transaction (a service call per row would take minutes and prove nothing more).

2022 (seed 001): 帮扶 148 万 to 1,455 archived households via 14 prefectures (plan of 2022-05-17);
劳模 4,016 registered and living, 154 suspended, 3,862 paid: 春节慰问金 3,859 × 1,000 = 385.9 万,
生活困难补助金 322 persons 276.21 万, 特殊困难帮扶金 127 persons 138.51 万; 800.62 万 = 777 万 fiscal
+ 23.62 万 from the federation's own department budget (paid by the federation itself).
2024 (seed 000): 帮扶 123 万 to 447 households (1,614 persons) in 南疆四地州; 劳模 3,623 paid 777 万
(239 of 2022's paid workers died in 2023).
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from beneficiaries.models import Household, LivingSurvey, ModelWorker
from demo.budget import allocation_plans, budget, department_lines, payment_standards
from demo.evaluation import (
    approved_targets,
    evaluation_inputs,
    finalised_report,
    june_monitoring,
    satisfaction_surveys,
)
from demo.generator import Generator
from demo.oversight import demo_oversight
from demo.payouts import bank_payouts
from demo.people import HardshipDemo, ModelWorkerDemo
from demo.users import DEMO_USERS, ensure_demo_users
from funds.choices import (
    ImportKind,
    OrganizationKind,
)
from funds.models import (
    Disbursement,
    ImportBatch,
    Organization,
    PaymentKind,
    Program,
    User,
)
from funds.services.fiscal_years import fiscal_year_get_or_create


@dataclass
class DemoSummary:
    passwords: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    created: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def demo_present() -> bool:
    return ModelWorker.objects.exists() or ImportBatch.objects.filter(kind=ImportKind.DEMO).exists()


@transaction.atomic
def load_demo() -> DemoSummary:
    if not Organization.objects.filter(kind=OrganizationKind.FEDERATION).exists():
        raise ImproperlyConfigured("没有单位组织结构：请先运行 manage.py setup_reference_data 载入基础数据。")
    summary = DemoSummary(
        passwords=ensure_demo_users(),
        roles={username: f"{role.label}（{org}）" for username, role, org, _ in DEMO_USERS},
    )
    if demo_present():
        return summary
    gen = Generator()
    finance = User.objects.get(username="finance")
    checker = User.objects.get(username="finance2")
    federation = Organization.objects.get(kind=OrganizationKind.FEDERATION)
    programs = {p.code: p for p in Program.objects.all()}
    kinds = {(k.program.code, k.code): k for k in PaymentKind.objects.select_related("program")}
    years = {y: fiscal_year_get_or_create(year=y) for y in (2022, 2024)}
    payment_standards(years, kinds)

    hardship = HardshipDemo(gen, years, programs["hardship"], kinds, finance)
    hardship.build()
    workers = ModelWorkerDemo(gen, years, programs["model_worker"], kinds, finance, federation)
    workers.build()

    budget(years, programs, finance)
    department_lines(years, finance)
    allocation_plans(
        years,
        programs,
        hardship_paid=hardship.paid_by_org,
        workers_paid=workers.fiscal_by_org,
        finance=finance,
        checker=checker,
    )
    # Before anything is evaluated or finalised: the bank's outcome is part of the year's data.
    bank_payouts(years[2024], programs["model_worker"], finance, checker)
    demo_oversight(years[2024], programs, finance)
    satisfaction_surveys(years, programs)
    evaluation_inputs(years, programs, finance)
    approved_targets(years[2024], programs, checker)
    finalised_report(years[2024], checker)
    june_monitoring(years[2024], programs["hardship"], finance, checker)
    summary.created = True
    summary.counts = {
        "households": Household.objects.count(),
        "model_workers": ModelWorker.objects.count(),
        "living_surveys": LivingSurvey.objects.count(),
        "disbursements": Disbursement.objects.count(),
    }
    return summary
