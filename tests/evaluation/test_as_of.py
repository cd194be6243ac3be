"""The indicator functions evaluated "as of" a day (绩效运行监控): one code path with the self-evaluation."""

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.test import TestCase, override_settings

from demo.loader import load_demo
from evaluation.indicators import IndicatorContext, compute_all
from evaluation.selectors import evaluate
from funds.choices import DisbursementStatus
from funds.models import Disbursement, FiscalYear, FundsReceipt, Program, User


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class AsOfTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.auditor = User.objects.get(username="auditor")
        cls.year = FiscalYear.objects.get(year=2024)
        cls.hardship = Program.objects.get(code="hardship")
        cls.model_worker = Program.objects.get(code="model_worker")

    def test_the_year_end_monitoring_equals_the_self_evaluation(self):
        for program in (self.hardship, self.model_worker):
            whole = evaluate(user=self.auditor, program=program, fiscal_year=self.year)
            year_end = evaluate(
                user=self.auditor, program=program, fiscal_year=self.year, as_of=datetime.date(2024, 12, 31)
            )
            later = evaluate(user=self.auditor, program=program, fiscal_year=self.year, as_of=datetime.date(2025, 3, 1))
            for other in (year_end, later):
                self.assertEqual(other.total, whole.total)
                self.assertEqual(other.values, whole.values)
                self.assertEqual([r.score for r in other.rows], [r.score for r in whole.rows])

    def test_june_counts_only_what_had_happened_by_then(self):
        june = datetime.date(2024, 6, 30)
        ctx = IndicatorContext(program=self.hardship, fiscal_year=self.year, as_of=june)
        values = compute_all(self.hardship, self.year, context=ctx)
        paid = Disbursement.objects.filter(
            program=self.hardship, fiscal_year=self.year, status=DisbursementStatus.POSTED, paid_on__lte=june
        )
        whole = Disbursement.objects.filter(program=self.hardship, fiscal_year=self.year, status="posted")
        self.assertGreater(paid.count(), 0)
        self.assertLess(paid.count(), whole.count())  # the demo pays hardship from June to October
        self.assertEqual(values["budget_execution_rate"].numerator, paid.aggregate(t=Sum("amount"))["t"])
        self.assertEqual(values["households_assisted"].numerator, paid.values("household").distinct().count())
        self.assertEqual(values["targeting_accuracy"].denominator, paid.count())
        self.assertEqual(ctx.reference_day, datetime.date(2024, 6, 1))  # the year's 覆盖率基准日 had come
        # Funds received by the day; none of the 2024 budget had arrived on 1 March.
        self.assertEqual(
            values["funds_received_rate"].numerator,
            FundsReceipt.objects.filter(appropriation__fiscal_year=self.year, appropriation__program=self.hardship)
            .filter(received_on__lte=june)
            .aggregate(t=Sum("amount"))["t"],
        )
        march_ctx = IndicatorContext(program=self.hardship, fiscal_year=self.year, as_of=datetime.date(2024, 3, 1))
        march = compute_all(self.hardship, self.year, context=march_ctx)
        self.assertEqual(march_ctx.reference_day, datetime.date(2024, 3, 1))  # before it: the roster as it stood
        self.assertEqual(march["funds_received_rate"].value, Decimal("0.00"))
        self.assertIsNone(march["satisfaction_rate"].value)  # the survey is held in December
        self.assertEqual(march["budget_execution_rate"].value, Decimal("0.00"))
