"""在册健在劳模覆盖率 on a year entered after the fact (seed 001's 2022: 4,016 registered living, 154 suspended, 3,862
paid): statuses dated when they began, never on the day the roster was typed in; evidence lists who was not paid."""

import datetime
from decimal import Decimal

from django.test import TestCase, override_settings
from django.urls import reverse

from beneficiaries.choices import ModelWorkerStatus
from beneficiaries.models import ModelWorker
from demo.loader import load_demo
from evaluation.choices import ComputedKey
from evaluation.scoring import Grade
from evaluation.selectors import evaluate
from funds.choices import ImportKind, ImportStatus, UnknownStatusDate
from funds.models import FiscalYear, Organization, Program, User
from imports.rosters import HONOURS, REASONS
from imports.services import import_batch_confirm, import_batch_create, import_batch_validate
from tests.imports.test_rosters import WORKER_HEADERS
from tests.spreadsheets import xlsx

LABEL_OF_HONOUR = {value: label for label, value in HONOURS.items()}
LABEL_OF_REASON = {value: label for label, value in REASONS.items()}


def roster_row(worker: ModelWorker) -> list:
    return [
        worker.name,
        worker.id_number,
        LABEL_OF_HONOUR[worker.honour_type],
        str(worker.award_year),
        "暂停",
        LABEL_OF_REASON[worker.suspension_reason],
        "是" if worker.is_retired else "否",
        "是" if worker.is_farmer_herder else "否",
        worker.residence,
        worker.bank_account,
    ]


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class CoverageOfAYearEnteredLaterTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.finance = User.objects.get(username="finance")
        cls.auditor = User.objects.get(username="auditor")
        cls.year = FiscalYear.objects.get(year=2022)
        cls.program = Program.objects.get(code="model_worker")
        suspended = ModelWorker.objects.filter(status=ModelWorkerStatus.SUSPENDED)
        # The prefectures' rosters as sent: 暂停 with its reason, but no 暂停日期 column at all.
        cls.files = {}
        for worker in suspended.select_related("organization"):
            cls.files.setdefault(worker.organization, []).append(roster_row(worker))
        assert sum(len(rows) for rows in cls.files.values()) == 154
        # What a deployment entering 2022 from these files starts from: the workers registered, not yet suspended.
        suspended.update(status=ModelWorkerStatus.REGISTERED, suspended_on=None, suspension_reason="")

    def upload(self, org: Organization, rows: list, **choice):
        batch = import_batch_create(
            kind=ImportKind.MODEL_WORKERS,
            organization=org,
            file_name=f"2022年{org.short_name}劳模名册.xlsx",
            data=xlsx(WORKER_HEADERS, rows),
            acting_user=self.finance,
            **choice,
        )
        return import_batch_validate(batch=batch)

    def evaluation(self):
        return evaluate(user=self.auditor, program=self.program, fiscal_year=self.year)

    def test_without_the_dates_the_roster_is_refused_row_by_row(self):
        org, rows = next(iter(self.files.items()))
        batch = self.upload(org, rows)
        self.assertEqual(batch.status, ImportStatus.REFUSED)
        expected = {(n, "暂停日期") for n in range(2, len(rows) + 2)}
        self.assertEqual({(e["row"], e["column"]) for e in batch.errors}, expected)

    def test_dated_from_the_start_of_2022_coverage_is_100_percent_and_the_grade_is_excellent(self):
        before = self.evaluation().values[ComputedKey.COVERAGE_RATE]
        # Counted as eligible on 2022's reference day, the 154 would drag coverage to 3,862 / 4,016.
        self.assertEqual((before.value, before.numerator, before.denominator), (Decimal("96.17"), 3862, 4016))
        for org, rows in self.files.items():
            batch = self.upload(org, rows, fiscal_year=self.year, unknown_status_date=UnknownStatusDate.YEAR_START)
            self.assertEqual(batch.status, ImportStatus.PREVIEWED, batch.errors)
            self.assertIn(f"{len(rows)} 行的状态日期不详", batch.summary["notes"][0])
            import_batch_confirm(batch=batch, acting_user=self.finance)
        day = datetime.date(2022, 11, 25)
        self.assertEqual(ModelWorker.objects.living_on(day).count(), 4016)
        self.assertEqual(ModelWorker.objects.suspended_on(day).count(), 154)
        evaluation = self.evaluation()
        coverage = evaluation.values[ComputedKey.COVERAGE_RATE]
        self.assertEqual((coverage.value, coverage.numerator, coverage.denominator), (Decimal("100.00"), 3862, 3862))
        self.assertEqual((evaluation.total, evaluation.grade), (Decimal("98.50"), Grade.EXCELLENT))

    def test_the_evidence_lists_the_eligible_who_were_not_paid(self):
        unpaid = ModelWorker.objects.filter(organization__code="653100", living_surveys__isnull=True).exclude(
            status=ModelWorkerStatus.DECEASED
        )
        missed = unpaid.first()
        self.client.force_login(self.auditor)
        url = reverse("evaluation:evidence", args=["model_worker", 2022, ComputedKey.COVERAGE_RATE])
        page = self.client.get(url, {"part": "excluded", "org": "653100"}).content.decode()
        self.assertIn(missed.id_number_masked, page)
        self.assertIn("基准日 2022-11-25", page)
        covered = self.client.get(url, {"part": "numerator"})
        self.assertEqual(covered.context["page"].paginator.count, 3862)
        workbook = self.client.get(url, {"part": "excluded", "format": "xlsx"})
        self.assertEqual(workbook.status_code, 200)
