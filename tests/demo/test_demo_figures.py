"""The demo data set reproduces the figures of the two seed reports, as the home page shows them."""

import datetime
import re
from decimal import Decimal

from django.db.models import Count, Sum
from django.test import TestCase, override_settings
from django.urls import reverse

from beneficiaries import resident_id
from beneficiaries.models import Household, ModelWorker
from core.money import to_wan
from demo.loader import load_demo
from funds.choices import DisbursementStatus, FundingSource, PlanStatus
from funds.models import AllocationPlan, Disbursement, User


def figure(html: str, name: str, program: str) -> str:
    section = html.split(f'id="program-{program}"', 1)[1]
    return re.search(rf'data-figure="{name}">([^<]+)<', section).group(1)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DemoFiguresTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.summary = load_demo()

    def home(self, year: int, username: str = "auditor") -> str:
        self.client.force_login(User.objects.get(username=username))
        return self.client.get(reverse("funds:home") + f"?year={year}").content.decode()

    def posted(self, year: int, program: str):
        return Disbursement.objects.filter(
            fiscal_year__year=year, program__code=program, status=DisbursementStatus.POSTED
        )

    def test_2022_model_worker_payments_on_the_home_page(self):
        html = self.home(2022)
        # 800.62 万 = 777 万 fiscal + 23.62 万 from the federation's department budget; 3,862 persons.
        self.assertEqual(figure(html, "disbursed", "model_worker"), "8,006,200.00")
        self.assertIn("3,862 人", html)
        self.assertIn('当年财政拨款 <span data-source="0">7,770,000.00</span>', html)
        self.assertIn('其他资金 <span data-source="2">236,200.00</span>', html)
        self.assertEqual(figure(html, "allocated", "model_worker"), "7,770,000.00")
        # The federation's own 23.62 万 is paid directly, not allocated: nothing is left hanging at any step.
        self.assertEqual(figure(html, "disbursed_outside_plans", "model_worker"), "236,200.00")
        self.assertEqual(figure(html, "left_to_allocate", "model_worker"), "0.00")
        self.assertEqual(figure(html, "left_to_disburse", "model_worker"), "0.00")

    def test_2022_model_worker_breakdown_by_payment_kind(self):
        by_kind = {
            row["payment_kind__name"]: (row["persons"], row["total"])
            for row in self.posted(2022, "model_worker")
            .values("payment_kind__name")
            .annotate(persons=Count("model_worker", distinct=True), total=Sum("amount"))
        }
        self.assertEqual(by_kind["春节慰问金"], (3859, Decimal("3859000")))
        self.assertEqual(by_kind["生活困难补助金"], (322, Decimal("2762100")))
        self.assertEqual(by_kind["特殊困难帮扶金"], (127, Decimal("1385100")))
        by_source = dict(
            self.posted(2022, "model_worker")
            .values("funding_source")
            .annotate(t=Sum("amount"))
            .values_list("funding_source", "t")
        )
        self.assertEqual(to_wan(by_source[FundingSource.CURRENT_FISCAL]), Decimal("777.00"))
        self.assertEqual(to_wan(by_source[FundingSource.OTHER]), Decimal("23.62"))

    def test_2022_roster_4016_living_154_suspended(self):
        pay_day = datetime.date(2022, 11, 25)
        self.assertEqual(ModelWorker.objects.living_on(pay_day).count(), 4016)
        self.assertEqual(ModelWorker.objects.living_on(pay_day).suspended_on(pay_day).count(), 154)
        self.assertEqual(ModelWorker.objects.eligible_on(pay_day).count(), 3862)

    def test_2022_hardship_148_wan_to_1455_households_via_14_prefectures(self):
        html = self.home(2022)
        self.assertEqual(figure(html, "disbursed", "hardship"), "1,480,000.00")
        self.assertEqual(figure(html, "budget", "hardship"), "1,480,000.00")
        self.assertEqual(Household.objects.eligible_on(datetime.date(2022, 5, 17)).count(), 1455)
        self.assertEqual(self.posted(2022, "hardship").aggregate(n=Count("household", distinct=True))["n"], 1455)
        plan = AllocationPlan.objects.get(fiscal_year__year=2022, program__code="hardship")
        self.assertEqual(plan.plan_date, datetime.date(2022, 5, 17))
        self.assertEqual(plan.status, PlanStatus.APPROVED)
        self.assertEqual(plan.lines.count(), 14)
        self.assertEqual(plan.total_amount(), Decimal("1480000"))

    def test_2022_and_2024_fiscal_totals_925_and_900_wan(self):
        for year, expected in [(2022, Decimal("925.00")), (2024, Decimal("900.00"))]:
            # Posted payments: the bank's 退票 in the demo are reversed (and three of them re-issued).
            fiscal = Disbursement.objects.filter(
                fiscal_year__year=year, funding_source=FundingSource.CURRENT_FISCAL, status=DisbursementStatus.POSTED
            ).aggregate(total=Sum("amount"))["total"]
            self.assertEqual(to_wan(fiscal), expected)

    def test_2024_hardship_447_households_1614_persons_in_the_southern_four(self):
        html = self.home(2024)
        self.assertEqual(figure(html, "disbursed", "hardship"), "1,230,000.00")
        self.assertEqual(figure(html, "received", "hardship"), "1,230,000.00")
        self.assertIn("447 户、1,614 人", html)
        paid = Household.objects.filter(disbursements__in=self.posted(2024, "hardship")).distinct()
        self.assertEqual(paid.count(), 447)
        self.assertEqual(paid.aggregate(p=Sum("member_count"))["p"], 1614)
        self.assertFalse(paid.filter(organization__in_southern_xinjiang=False).exists())

    def test_2024_model_workers_3623_paid_777_wan(self):
        html = self.home(2024)
        self.assertEqual(figure(html, "disbursed", "model_worker"), "7,770,000.00")
        self.assertIn("3,623 人", html)

    def test_kashgar_operator_sees_only_kashgar_figures(self):
        html = self.home(2024, "kashgar")
        kashgar_total = (
            self.posted(2024, "hardship").filter(paying_organization__code="653100").aggregate(t=Sum("amount"))["t"]
        )
        self.assertEqual(figure(html, "disbursed", "hardship"), f"{kashgar_total:,.2f}")
        self.assertNotIn("和田地区", html)

    def test_the_auditor_finds_a_finalised_report(self):
        from reports.models import ReportSnapshot

        snapshot = ReportSnapshot.objects.get()
        self.assertEqual((snapshot.report.program.code, snapshot.report.fiscal_year.year), ("model_worker", 2024))
        self.assertEqual((snapshot.requested_by.username, snapshot.finalised_by.username), ("finance", "finance2"))
        self.assertEqual((snapshot.grade, len(snapshot.pdf_sha256)), ("优", 64))

    def test_demo_id_numbers_are_valid(self):
        for worker in ModelWorker.objects.all()[:300]:
            self.assertEqual(resident_id.validate(worker.id_number), worker.id_number)

    def test_loading_again_adds_nothing_and_resets_passwords(self):
        before = Disbursement.objects.count()
        again = load_demo()
        self.assertFalse(again.created)
        self.assertEqual(Disbursement.objects.count(), before)
        self.assertTrue(User.objects.get(username="auditor").check_password(again.passwords["auditor"]))
