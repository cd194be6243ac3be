"""The demo's rosters (households, model workers, living surveys) and their payments, written in bulk."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

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
from demo.generator import BATCH_SIZE, Generator, bulk_validated, split_total
from funds.choices import (
    FundingSource,
    ImportKind,
    ImportStatus,
    OrganizationKind,
    PaymentMethod,
)
from funds.models import (
    Disbursement,
    FiscalYear,
    ImportBatch,
    Organization,
    Program,
    User,
)
from funds.services.disbursements import disbursement_build

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
        posted_count=rows,
        summary={
            "create": rows,
            "update": 0,
            "unchanged": 0,
            "rows": rows,
            "total_amount": str(total),
            "notes": ["演示数据：由 load_demo 直接写入，没有原始文件。"],
        },
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


class HardshipDemo:
    def __init__(self, gen: Generator, years, program: Program, kinds, user: User) -> None:
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
        bulk_validated(Household, households)

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


class ModelWorkerDemo:
    LIVING_2022 = 4016
    SUSPENDED_2022 = 154
    DIED_2023 = 239
    DIED_BEFORE_2022 = 36

    def __init__(self, gen: Generator, years, program: Program, kinds, user: User, federation: Organization) -> None:
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
        bulk_validated(ModelWorker, workers)

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
        bulk_validated(LivingSurvey, surveys)

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
