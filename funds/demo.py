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

import datetime
import random
import secrets
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from faker import Faker

from beneficiaries import resident_id
from beneficiaries.choices import (
    HardshipType,
    HonourType,
    HouseholdStatus,
    LivingCondition,
    ModelWorkerStatus,
    SuspensionReason,
    WorkerCategory,
)
from beneficiaries.models import Household, LivingSurvey, ModelWorker
from core.bulk import clean_without_queries
from evaluation.models import SatisfactionSurvey
from funds.choices import (
    FundingSource,
    ImportKind,
    ImportStatus,
    OrganizationKind,
    PaymentMethod,
    Role,
    StandardType,
)
from funds.models import (
    DepartmentBudgetLine,
    Disbursement,
    FiscalYear,
    ImportBatch,
    Organization,
    PaymentKind,
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
from funds.services.disbursements import disbursement_build
from funds.services.fiscal_years import fiscal_year_get_or_create

SEED = 20221231
BATCH_SIZE = 2000

INDUSTRY_UNIONS = [
    ("I01", "自治区石油化工产业工会", "石油化工产业工会"),
    ("I02", "自治区电力产业工会", "电力产业工会"),
    ("I03", "自治区交通运输产业工会", "交通运输产业工会"),
]

# Hardship households archived by 2022-05-17, per prefecture (southern four first, then the rest).
HOUSEHOLDS_2022 = {
    "653100": 170,
    "653200": 140,
    "652900": 100,
    "653000": 70,
    "650100": 170,
    "650200": 40,
    "650400": 60,
    "650500": 65,
    "652300": 110,
    "652700": 55,
    "652800": 95,
    "654000": 180,
    "654200": 90,
    "654300": 110,
}
HOUSEHOLDS_2024_PAID = 447
PERSONS_2024 = 1614

DEMO_USERS = [
    # username, role, organisation code, display name
    ("finance", Role.FINANCE, "650000", "财务一"),
    ("finance2", Role.FINANCE, "650000", "财务二"),
    ("kashgar", Role.OPERATOR, "653100", "喀什经办"),
    ("auditor", Role.AUDITOR, "650000", "审计员"),
    ("sysadmin", Role.SYSTEM_ADMIN, "650000", "系统管理员"),
    ("security", Role.SECURITY_ADMIN, "650000", "安全管理员"),
    ("auditadmin", Role.AUDIT_ADMIN, "650000", "审计管理员"),
]
# Roles that work in the admin site (数据维护): reference data, accounts.
STAFF_ROLES = {Role.FINANCE, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}


@dataclass
class DemoSummary:
    passwords: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    created: bool = False
    counts: dict[str, int] = field(default_factory=dict)


def split_total(total: int, count: int, low: int, high: int, step: int, rng: random.Random) -> list[int]:
    """`count` amounts, multiples of `step` within [low, high], summing exactly to `total`."""
    if not (low * count <= total <= high * count) or total % step:
        raise ValueError(f"cannot split {total} into {count} amounts within {low}–{high}")
    amounts = [rng.randrange(low, high + 1, step) for _ in range(count)]
    diff = total - sum(amounts)
    while diff:
        i = rng.randrange(count)
        if diff > 0 and amounts[i] + step <= high:
            amounts[i] += step
            diff -= step
        elif diff < 0 and amounts[i] - step >= low:
            amounts[i] -= step
            diff += step
    return amounts


class _Generator:
    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(SEED)
        self.used_ids: set[str] = set()
        self.counter = 0

    def resident_id(self, area_prefix: str, born_from: int, born_to: int) -> str:
        while True:
            area = area_prefix[:4] + self.rng.choice(["01", "02", "03", "21", "22", "23", "24"])
            born = datetime.date(self.rng.randint(born_from, born_to), 1, 1) + datetime.timedelta(
                days=self.rng.randrange(365)
            )
            first17 = f"{area}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
            number = first17 + resident_id.check_character(first17)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def bank_account(self) -> str:
        return "6228" + "".join(str(self.rng.randrange(10)) for _ in range(15))

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))


def _bulk(model, objs: list) -> list:
    for obj in objs:
        clean_without_queries(obj)
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def ensure_demo_users() -> dict[str, str]:
    """Create (or reset the passwords of) one demo user per role and return the fresh passwords."""
    passwords = {}
    for username, role, org_code, display in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.organization = Organization.objects.get(code=org_code)
        user.first_name = display
        user.is_staff = role in STAFF_ROLES
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        # Demo accounts only (load_demo refuses to run unless DEBUG): no forced change of the printed password.
        user.must_change_password = False
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        passwords[username] = password
    return passwords


def demo_present() -> bool:
    return ModelWorker.objects.exists() or Organization.objects.filter(code=INDUSTRY_UNIONS[0][0]).exists()


@transaction.atomic
def load_demo() -> DemoSummary:
    summary = DemoSummary(
        passwords=ensure_demo_users(),
        roles={username: f"{role.label}（{org}）" for username, role, org, _ in DEMO_USERS},
    )
    if demo_present():
        return summary
    gen = _Generator()
    finance = User.objects.get(username="finance")
    checker = User.objects.get(username="finance2")
    federation = Organization.objects.get(kind=OrganizationKind.FEDERATION)
    for code, name, short in INDUSTRY_UNIONS:
        org = Organization(code=code, name=name, short_name=short, kind=OrganizationKind.INDUSTRY, parent=federation)
        org.sort_order = 100 + int(code[1:])
        org.full_clean()
        org.save()
    programs = {p.code: p for p in Program.objects.all()}
    kinds = {(k.program.code, k.code): k for k in PaymentKind.objects.select_related("program")}
    years = {y: fiscal_year_get_or_create(year=y) for y in (2022, 2024)}
    _payment_standards(years, kinds)

    hardship = _HardshipDemo(gen, years, programs["hardship"], kinds, finance)
    hardship.build()
    workers = _ModelWorkerDemo(gen, years, programs["model_worker"], kinds, finance, federation)
    workers.build()

    _budget(years, programs, finance)
    _department_lines(years, finance)
    for year, program, title, plan_date, per_org in [
        (
            2022,
            "hardship",
            "自治区财政“三节”送温暖资金分配方案",
            datetime.date(2022, 5, 17),
            hardship.paid_by_org[2022],
        ),
        (2024, "hardship", "2024年自治区专项帮扶资金分配方案", datetime.date(2024, 5, 20), hardship.paid_by_org[2024]),
        (
            2022,
            "model_worker",
            "2022年自治区劳模专项补助资金分配方案",
            datetime.date(2021, 8, 5),
            workers.fiscal_by_org[2022],
        ),
        (
            2024,
            "model_worker",
            "2024年自治区劳模专项补助资金分配方案",
            datetime.date(2024, 6, 14),
            workers.fiscal_by_org[2024],
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

    for year, program, respondents, satisfied in [
        (2022, "hardship", 1455, 1398),
        (2022, "model_worker", 3862, 3862),
        (2024, "hardship", 447, 429),
        (2024, "model_worker", 3623, 3623),
    ]:
        survey = SatisfactionSurvey(
            program=programs[program],
            fiscal_year=years[year],
            respondents=respondents,
            satisfied=satisfied,
            surveyed_on=datetime.date(year, 12, 20),
            method="电话回访与问卷调查",
        )
        survey.full_clean()
        survey.save()

    _evaluation_inputs(years, programs, finance)
    _finalised_report(years[2024], checker)
    summary.created = True
    summary.counts = {
        "households": Household.objects.count(),
        "model_workers": ModelWorker.objects.count(),
        "living_surveys": LivingSurvey.objects.count(),
        "disbursements": Disbursement.objects.count(),
    }
    return summary


def _evaluation_inputs(years: dict[int, FiscalYear], programs: dict[str, Program], finance: User) -> None:
    """Deadlines, the coverage reference day, and each year's indicator system with its hand-entered values."""
    from evaluation.models import Indicator, ProgramYearSettings
    from evaluation.services import indicator_system_start

    dates = {
        # program: (payment deadline, eligibility reference day) per year
        "hardship": {2022: ((2022, 12, 31), (2022, 5, 17)), 2024: ((2024, 12, 31), (2024, 6, 1))},
        "model_worker": {2022: ((2022, 12, 10), (2022, 11, 25)), 2024: ((2024, 12, 10), (2024, 11, 25))},
    }
    for code, by_year in dates.items():
        for year, (deadline, reference) in by_year.items():
            settings_row = ProgramYearSettings(
                program=programs[code],
                fiscal_year=years[year],
                payment_deadline=datetime.date(*deadline),
                eligibility_date=datetime.date(*reference),
            )
            settings_row.full_clean()
            settings_row.save()
            indicator_system_start(program=programs[code], fiscal_year=years[year], acting_user=finance)
    # The built-in system carries seed 000's 2024 targets; 2022's plan aimed at every archived household (seed 001).
    from evaluation.indicators import compute_all

    values_2022 = compute_all(programs["hardship"], years[2022])
    for key in ("households_assisted", "persons_assisted"):
        Indicator.objects.filter(program=programs["hardship"], fiscal_year=years[2022], computed_key=key).update(
            target_value=values_2022[key].value
        )
    # What staff judge and enter by hand: the qualitative benefit (percent of its weight) and the manual surveys.
    Indicator.objects.filter(comparator="qualitative").update(manual_value=Decimal(90), manual_text="达到预期效果")
    Indicator.objects.filter(value_source="manual").exclude(comparator="qualitative").update(manual_value=Decimal(96))


def _finalised_report(year: FiscalYear, checker: User) -> None:
    """So the auditor finds a finalised report to download: 2024 劳模补助, asked by finance, confirmed by finance2."""
    from reports.document import report_for
    from reports.services import report_finalise, report_request_finalisation

    finance = User.objects.get(username="finance")
    report = report_request_finalisation(report=report_for(fiscal_year=year, scope="model_worker"), acting_user=finance)
    report_finalise(report=report, acting_user=checker)


def _payment_standards(years: dict[int, FiscalYear], kinds: dict) -> None:
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


def _budget(years: dict[int, FiscalYear], programs: dict[str, Program], finance: User) -> None:
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


def _department_lines(years: dict[int, FiscalYear], finance: User) -> None:
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


def _demo_batch(org: Organization, program: Program, year: FiscalYear, user: User, rows: int, total) -> ImportBatch:
    batch = ImportBatch(
        kind=ImportKind.DEMO,
        organization=org,
        program=program,
        fiscal_year=year,
        file_name=f"demo-{program.code}-{year.year}-{org.code}",
        row_count=rows,
        total_amount=total,
        status=ImportStatus.IMPORTED,
        created_by=user,
        imported_at=timezone.now(),
    )
    batch.full_clean()
    batch.save()
    return batch


def _write_payments(payments: list[dict], program: Program, year: FiscalYear, user: User) -> None:
    """Group payments into one demo batch per paying organisation and bulk-insert them."""
    by_org: dict[Organization, list[dict]] = defaultdict(list)
    for payment in payments:
        by_org[payment["paying_organization"]].append(payment)
    rows = []
    for org, org_payments in by_org.items():
        total = sum(p["amount"] for p in org_payments)
        batch = _demo_batch(org, program, year, user, len(org_payments), total)
        rows.extend(
            disbursement_build(batch=batch, acting_user=user, fiscal_year=year, for_bulk=True, **p)
            for p in org_payments
        )
    Disbursement.objects.bulk_create(rows, batch_size=BATCH_SIZE)


class _HardshipDemo:
    def __init__(self, gen: _Generator, years, program: Program, kinds, user: User) -> None:
        self.gen, self.years, self.program, self.kinds, self.user = gen, years, program, kinds, user
        self.paid_by_org: dict[int, dict[Organization, int]] = {2022: defaultdict(int), 2024: defaultdict(int)}

    def build(self) -> None:
        gen = self.gen
        orgs = {o.code: o for o in Organization.objects.filter(code__in=HOUSEHOLDS_2022)}
        households: list[Household] = []
        serial = 0
        for code, count in HOUSEHOLDS_2022.items():
            for _ in range(count):
                serial += 1
                households.append(
                    Household(
                        archive_no=f"KN{code}{serial:05d}",
                        head_name=gen.fake.name(),
                        id_number=gen.resident_id(code, 1962, 1996),
                        organization=orgs[code],
                        worker_category=gen.rng.choice(list(WorkerCategory)),
                        hardship_type=gen.rng.choices(list(HardshipType), weights=[3, 5, 2])[0],
                        member_count=gen.rng.randint(1, 6),
                        archived_on=gen.date_between(datetime.date(2018, 1, 1), datetime.date(2022, 5, 10)),
                    )
                )
        southern = [h for h in households if h.organization.in_southern_xinjiang]
        others = [h for h in households if not h.organization.in_southern_xinjiang]
        paid_2024 = gen.rng.sample(southern, HOUSEHOLDS_2024_PAID)
        paid_2024_ids = {id(h) for h in paid_2024}
        for household, members in zip(
            paid_2024, split_total(PERSONS_2024, HOUSEHOLDS_2024_PAID, 1, 7, 1, gen.rng), strict=True
        ):
            household.member_count = members
        # Southern households not paid in 2024, and most others, were lifted out of hardship during 2023.
        for household in [h for h in southern if id(h) not in paid_2024_ids] + others[: len(others) * 3 // 5]:
            household.status = HouseholdStatus.LIFTED_OUT
            household.lifted_out_on = gen.date_between(datetime.date(2023, 3, 1), datetime.date(2023, 12, 20))
        _bulk(Household, households)

        kinds = [self.kinds[("hardship", "living_aid")]] * 8 + [
            self.kinds[("hardship", "medical_aid")],
            self.kinds[("hardship", "education_aid")],
        ]
        for year, paid, total, start, end in [
            (2022, households, 1_480_000, datetime.date(2022, 6, 1), datetime.date(2022, 9, 30)),
            (2024, paid_2024, 1_230_000, datetime.date(2024, 6, 3), datetime.date(2024, 10, 31)),
        ]:
            amounts = split_total(total, len(paid), 500, 5000, 100, gen.rng)
            payments = []
            for household, amount in zip(paid, amounts, strict=True):
                self.paid_by_org[year][household.organization] += amount
                payments.append(
                    {
                        "beneficiary": household,
                        "payment_kind": gen.rng.choice(kinds),
                        "amount": Decimal(amount),
                        "paid_on": gen.date_between(start, end),
                        "payment_method": gen.rng.choice([PaymentMethod.BANK_AGENCY, PaymentMethod.PERSONAL_TRANSFER]),
                        "paying_organization": household.organization,
                        "account_masked": "***************" + f"{gen.rng.randrange(10000):04d}",
                    }
                )
            _write_payments(payments, self.program, self.years[year], self.user)


class _ModelWorkerDemo:
    LIVING_2022 = 4016
    SUSPENDED_2022 = 154
    DIED_2023 = 239
    DIED_BEFORE_2022 = 36

    def __init__(self, gen: _Generator, years, program: Program, kinds, user: User, federation: Organization) -> None:
        self.gen, self.years, self.program, self.kinds, self.user = gen, years, program, kinds, user
        self.federation = federation
        self.fiscal_by_org: dict[int, dict[Organization, int]] = {2022: defaultdict(int), 2024: defaultdict(int)}

    def build(self) -> None:
        gen = self.gen
        orgs = list(Organization.objects.exclude(kind=OrganizationKind.FEDERATION).order_by("sort_order", "code"))
        weights = [3 if o.kind == OrganizationKind.INDUSTRY else 5 for o in orgs]
        weights[0] = 12  # 乌鲁木齐 has by far the most model workers
        total = self.LIVING_2022 + self.DIED_BEFORE_2022
        workers = []
        for i in range(total):
            org = gen.rng.choices(orgs, weights=weights)[0]
            area = org.code if org.kind == OrganizationKind.PREFECTURE else "650100"
            retired = gen.rng.random() < 0.66
            workers.append(
                ModelWorker(
                    name=gen.fake.name(),
                    id_number=gen.resident_id(area, 1942 if retired else 1962, 1966 if retired else 1990),
                    organization=org,
                    honour_type=gen.rng.choices(list(HonourType), weights=[10, 4, 2, 3, 2])[0],
                    award_year=gen.rng.randint(1985, 2021),
                    is_retired=retired,
                    is_farmer_herder=i % 35 == 0,
                    lives_outside_region=retired and gen.rng.random() < 0.3,
                    residence=gen.fake.city_name(),
                    bank_account=gen.bank_account(),
                )
            )
        gen.rng.shuffle(workers)
        died_early = workers[: self.DIED_BEFORE_2022]
        living = workers[self.DIED_BEFORE_2022 :]
        suspended = living[: self.SUSPENDED_2022]
        paid_2022 = living[self.SUSPENDED_2022 :]
        died_2023 = paid_2022[: self.DIED_2023]
        paid_2024 = paid_2022[self.DIED_2023 :]
        for worker in died_early:
            worker.status = ModelWorkerStatus.DECEASED
            worker.died_on = gen.date_between(datetime.date(2019, 1, 1), datetime.date(2021, 12, 31))
        for worker in died_2023:
            worker.status = ModelWorkerStatus.DECEASED
            worker.died_on = gen.date_between(datetime.date(2023, 1, 10), datetime.date(2023, 12, 20))
        for worker in suspended:
            worker.status = ModelWorkerStatus.SUSPENDED
            worker.suspension_reason = gen.rng.choices(list(SuspensionReason), weights=[3, 2, 1, 2, 4])[0]
            worker.suspended_on = gen.date_between(datetime.date(2020, 1, 1), datetime.date(2022, 9, 30))
        _bulk(ModelWorker, workers)

        surveys = []
        for year, group in [(2022, paid_2022), (2024, paid_2024)]:
            for worker in group:
                surveys.append(
                    LivingSurvey(
                        model_worker=worker,
                        fiscal_year=self.years[year],
                        surveyed_on=gen.date_between(datetime.date(year, 8, 15), datetime.date(year, 10, 31)),
                        condition=gen.rng.choices(list(LivingCondition), weights=[50, 35, 10, 5])[0],
                        monthly_income=Decimal(gen.rng.randrange(1500, 9000, 50)),
                        surveyor="基层工会",
                    )
                )
        _bulk(LivingSurvey, surveys)

        # 2022: 3,859 spring-festival payments; 3 paid workers received only a hardship subsidy.
        spring_2022 = paid_2022[3:]
        living_hardship = paid_2022[:3] + gen.rng.sample(spring_2022, 319)
        special = gen.rng.sample(spring_2022, 127)
        department_slice = living_hardship[:28]
        department_amounts = [8500] * 26 + [7600] * 2  # 236,200 from the federation's department budget
        fiscal_amounts = split_total(2_762_100 - 236_200, 322 - 28, 3000, 12000, 100, gen.rng)
        payments = self._spring(spring_2022, 2022)
        payments += self._payments(living_hardship[28:], "living_hardship", fiscal_amounts, 2022)
        payments += self._payments(
            department_slice, "living_hardship", department_amounts, 2022, from_department_budget=True
        )
        payments += self._payments(
            special, "special_hardship", split_total(1_385_100, 127, 5000, 20000, 100, gen.rng), 2022
        )
        _write_payments(payments, self.program, self.years[2022], self.user)

        living_2024 = gen.rng.sample(paid_2024, 310)
        special_2024 = gen.rng.sample(paid_2024, 130)
        payments = self._spring(paid_2024, 2024)
        payments += self._payments(
            living_2024, "living_hardship", split_total(2_697_000, 310, 3000, 12000, 100, gen.rng), 2024
        )
        payments += self._payments(
            special_2024, "special_hardship", split_total(1_450_000, 130, 5000, 20000, 100, gen.rng), 2024
        )
        _write_payments(payments, self.program, self.years[2024], self.user)

    def _spring(self, workers: list[ModelWorker], year: int) -> list[dict]:
        return self._payments(workers, "spring_festival", [1000] * len(workers), year)

    def _payments(
        self, workers: list[ModelWorker], kind: str, amounts: list[int], year: int, from_department_budget: bool = False
    ) -> list[dict]:
        gen = self.gen
        payments = []
        for worker, amount in zip(workers, amounts, strict=True):
            paying = self.federation if from_department_budget else worker.organization
            if not from_department_budget:
                self.fiscal_by_org[year][paying] += amount
            payments.append(
                {
                    "beneficiary": worker,
                    "payment_kind": self.kinds[("model_worker", kind)],
                    "amount": Decimal(amount),
                    "paid_on": gen.date_between(datetime.date(year, 11, 25), datetime.date(year, 12, 8)),
                    "payment_method": PaymentMethod.BANK_AGENCY,
                    "paying_organization": paying,
                    "funding_source": FundingSource.OTHER if from_department_budget else FundingSource.CURRENT_FISCAL,
                    "account_masked": worker.bank_account_masked,
                }
            )
        return payments
