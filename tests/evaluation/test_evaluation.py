"""The scored self-evaluation on the demo data: seed 000's system, every figure from the data."""

from decimal import Decimal

from django.db.models import Sum
from django.test import TestCase, override_settings

from demo.loader import load_demo
from evaluation.choices import ComputedKey
from evaluation.models import Indicator
from evaluation.scoring import Grade
from evaluation.selectors import evaluate
from evaluation.services import indicator_system_start
from funds.models import FiscalYear, Program, User
from funds.services.fiscal_years import fiscal_year_get_or_create


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class EvaluationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.auditor = User.objects.get(username="auditor")
        cls.finance = User.objects.get(username="finance")

    def evaluation(self, code: str, year: int):
        return evaluate(
            user=self.auditor, program=Program.objects.get(code=code), fiscal_year=FiscalYear.objects.get(year=year)
        )

    def test_seed_000_system_ten_indicators_and_weights(self):
        indicators = Indicator.objects.filter(program__code="hardship", fiscal_year__year=2024)
        self.assertEqual(indicators.count(), 10)
        by_level2 = {}
        for indicator in indicators:
            by_level2[indicator.level2] = by_level2.get(indicator.level2, 0) + 1
        self.assertEqual(
            by_level2,
            {"quantity": 2, "quality": 1, "timeliness": 1, "economic_cost": 2, "social_benefit": 2, "satisfaction": 2},
        )
        self.assertEqual(sum(i.weight for i in indicators), Decimal(90))  # + 预算执行率 10 = 100

    def test_2024_hardship_scores_from_the_data(self):
        result = self.evaluation("hardship", 2024)
        self.assertEqual(result.execution_rate, Decimal("100.00"))
        self.assertEqual(result.execution_score, Decimal("10.00"))
        rows = {row.indicator.computed_key or row.indicator.name: row for row in result.rows}
        self.assertEqual(rows[ComputedKey.HOUSEHOLDS_ASSISTED].actual, Decimal(447))
        self.assertEqual(rows[ComputedKey.PERSONS_ASSISTED].actual, Decimal(1614))
        self.assertTrue(all(row.score is not None for row in result.rows))
        # Every computed and manual target met; the qualitative one judged at 90 % of its 15 points.
        self.assertEqual(result.total, Decimal("98.50"))
        self.assertEqual(result.grade, Grade.EXCELLENT)
        self.assertEqual(result.reasons_missing, [])

    def test_2022_model_workers_against_2024_targets(self):
        result = self.evaluation("model_worker", 2022)
        rows = {row.indicator.computed_key: row for row in result.rows if row.indicator.computed_key}
        self.assertEqual(rows[ComputedKey.PERSONS_PAID].actual, Decimal(3862))
        self.assertEqual(rows[ComputedKey.COVERAGE_RATE].actual, Decimal("100.00"))
        # 3,862 paid against a target of 3,623 is under 30 % over: no reason owed.
        self.assertFalse(rows[ComputedKey.PERSONS_PAID].needs_reason)

    def test_a_missed_target_scores_proportionally_and_requires_a_reason(self):
        indicator = Indicator.objects.get(
            program__code="hardship", fiscal_year__year=2024, computed_key=ComputedKey.HOUSEHOLDS_ASSISTED
        )
        indicator.target_value = Decimal(500)
        indicator.save()
        result = self.evaluation("hardship", 2024)
        row = next(r for r in result.rows if r.indicator.pk == indicator.pk)
        self.assertEqual(row.score, Decimal("8.94"))  # 10 × 447 ÷ 500
        self.assertFalse(row.met)
        self.assertEqual(result.reasons_missing, [row])
        indicator.deviation_reason = "南疆四地州以外的困难职工由地方资金帮扶。"
        indicator.save()
        self.assertEqual(self.evaluation("hardship", 2024).reasons_missing, [])

    def test_a_year_starts_from_the_template_or_from_last_year(self):
        year = fiscal_year_get_or_create(year=2025)
        program = Program.objects.get(code="hardship")
        copied = indicator_system_start(
            program=program, fiscal_year=year, from_last_year=True, acting_user=self.finance
        )
        self.assertEqual(
            [i.name for i in copied],
            list(
                Indicator.objects.filter(program=program, fiscal_year__year=2024)
                .order_by("sort_order")
                .values_list("name", flat=True)
            ),
        )
        self.assertEqual(evaluate(user=self.auditor, program=program, fiscal_year=year).total, Decimal("0.00"))

    def test_dashboard_shows_the_same_scores_to_finance_and_auditors_only(self):
        from django.urls import reverse

        url = reverse("evaluation:dashboard") + "?year=2024"
        self.assertEqual(self.client.get(url).status_code, 302)
        self.client.force_login(User.objects.get(username="kashgar"))
        self.assertEqual(self.client.get(url).status_code, 403)
        for username in ("finance", "auditor"):
            self.client.force_login(User.objects.get(username=username))
            html = self.client.get(url).content.decode()
            section = html.split('id="evaluation-hardship"', 1)[1]
            self.assertIn('data-figure="total">98.50<', section)
            self.assertIn('data-figure="grade">优<', section)
            self.assertIn("1614人", section)
            self.assertIn("447户", section)

    def test_finance_starts_and_edits_a_year_in_the_browser(self):
        from django.urls import reverse

        fiscal_year_get_or_create(year=2025)
        url = reverse("evaluation:indicators_edit", args=["hardship", 2025])
        for username, status in (("kashgar", 403), ("auditor", 403)):
            self.client.force_login(User.objects.get(username=username))
            self.assertEqual(self.client.get(url).status_code, status)
        self.client.force_login(self.finance)
        self.client.post(url, {"start": "template"})
        indicators = list(
            Indicator.objects.filter(fiscal_year__year=2025, program__code="hardship").order_by("sort_order")
        )
        self.assertEqual(len(indicators), 10)
        data = {"form-TOTAL_FORMS": "10", "form-INITIAL_FORMS": "10"}
        for i, indicator in enumerate(indicators):
            data[f"form-{i}-id"] = indicator.pk
            data[f"form-{i}-weight"] = str(indicator.weight)
            data[f"form-{i}-target_value"] = "" if indicator.target_value is None else str(indicator.target_value)
            data[f"form-{i}-target_text"] = indicator.target_text
        qualitative = next(i for i, ind in enumerate(indicators) if ind.comparator == "qualitative")
        data[f"form-{qualitative}-manual_value"] = "150"
        refused = self.client.post(url, data)
        self.assertContains(refused, "应为 0 到 100 之间的数")
        data[f"form-{qualitative}-manual_value"] = "85"
        data["form-0-target_value"] = "500"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(Indicator.objects.get(pk=indicators[0].pk).target_value, Decimal(500))
        self.assertEqual(Indicator.objects.get(pk=indicators[qualitative].pk).manual_value, Decimal(85))

    def test_evidence_lists_the_exceptions_behind_a_rate_and_downloads(self):
        import datetime
        import io

        from django.urls import reverse
        from openpyxl import load_workbook

        from beneficiaries.models import ModelWorker
        from funds.models import Disbursement

        payment = Disbursement.objects.filter(program__code="model_worker", fiscal_year__year=2024).first()
        ModelWorker.objects.filter(pk=payment.model_worker_id).update(
            status="suspended", suspension_reason="violation", suspended_on=datetime.date(2024, 1, 1)
        )
        url = reverse("evaluation:evidence", args=["model_worker", 2024, "targeting_accuracy"])
        self.client.force_login(User.objects.get(username="kashgar"))
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.auditor)
        excluded = self.client.get(url, {"part": "excluded"})
        # Posted payments only: the demo's bank returned one of this worker's payments (reversed, it counts nowhere).
        theirs = Disbursement.objects.filter(
            model_worker_id=payment.model_worker_id, fiscal_year__year=2024, status="posted"
        ).count()
        self.assertEqual(excluded.context["page"].paginator.count, theirs)
        self.assertContains(excluded, payment.model_worker.name)
        self.assertNotContains(excluded, payment.model_worker.id_number)  # masked
        self.assertEqual(self.client.get(url, {"part": "denominator"}).context["page"].paginator.count, 4063)
        download = self.client.get(url, {"part": "excluded", "format": "xlsx"})
        sheet = load_workbook(io.BytesIO(download.content)).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertIn("个人信息", values[0][0])
        self.assertEqual(len(values), 2 + theirs + 1)  # title, header, the rows, 合计
        self.assertEqual(values[2][1], payment.model_worker.name)
        paid = Disbursement.objects.filter(
            model_worker_id=payment.model_worker_id, fiscal_year__year=2024, status="posted"
        )
        self.assertEqual(values[-1][0], "合计")
        self.assertEqual(Decimal(str(values[-1][5])), paid.aggregate(t=Sum("amount"))["t"])
        self.assertEqual(sheet.freeze_panes, "A3")
        self.assertEqual(sheet["F3"].number_format, "#,##0.00")
        self.assertEqual(
            self.client.get(reverse("evaluation:evidence", args=["model_worker", 2024, "nope"])).status_code, 404
        )
