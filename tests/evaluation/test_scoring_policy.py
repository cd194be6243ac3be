"""Scoring policies as data: execution-rate caps and the overshoot deduction on top of 财预〔2020〕10号."""

from decimal import Decimal

from django.test import TestCase, override_settings

from demo.loader import load_demo
from evaluation.models import ProgramYearSettings, ScoringPolicy
from evaluation.scoring import execution_cap, overshoot_deduction
from evaluation.selectors import evaluate
from funds.choices import FundingSource
from funds.models import AppropriationLine, FiscalYear, Program, User
from reports.document import build_document, report_for
from reports.rendering import table_workbook
from tests.reports.pdf_text import pdf_text

D = Decimal
BANDS = [(D(70), D(80), D(89)), (D(60), D(70), D(79)), (D(50), D(60), D(69)), (D(0), D(50), D(59))]


class RuleTest(TestCase):
    def test_execution_caps_by_band(self):
        for rate, cap in [("79.99", 89), ("70", 89), ("69.99", 79), ("60", 79), ("55", 69), ("49.99", 59), ("0", 59)]:
            self.assertEqual(execution_cap(execution_rate=D(rate), bands=BANDS), D(cap), rate)
        self.assertIsNone(execution_cap(execution_rate=D(80), bands=BANDS))
        self.assertIsNone(execution_cap(execution_rate=None, bands=BANDS))
        # Overlapping bands (“below 60 % at 69, below 50 % at 59” as written): the lowest cap wins.
        self.assertEqual(execution_cap(execution_rate=D(40), bands=[(D(0), D(60), D(69)), *BANDS[3:]]), D(59))

    def test_overshoot_deduction(self):
        def lost(comparator, target, actual):
            return overshoot_deduction(
                comparator=comparator, target=D(target), actual=D(actual), threshold=D(30), points=D(2)
            )

        self.assertEqual(lost("gte", 100, 130), D(2))
        self.assertEqual(lost("gte", 100, "129.99"), D(0))
        self.assertEqual(lost("lte", 10, 7), D(2))
        self.assertEqual(lost("lte", 10, "7.01"), D(0))
        self.assertEqual(lost("eq", 100, 200), D(0))


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class PolicyOnTheDemoTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.auditor = User.objects.get(username="auditor")
        cls.year = FiscalYear.objects.get(year=2024)
        cls.hardship = Program.objects.get(code="hardship")
        cls.policy = ScoringPolicy.objects.get(code="execution-cap", version=1)

    def choose(self, policy):
        ProgramYearSettings.objects.filter(program=self.hardship, fiscal_year=self.year).update(scoring_policy=policy)

    def score(self):
        return evaluate(user=self.auditor, program=self.hardship, fiscal_year=self.year)

    def test_without_a_policy_the_ministry_rules_stand(self):
        result = self.score()
        self.assertEqual(result.total, D("98.50"))
        self.assertEqual(result.scoring_rules, "评分规则：财预〔2020〕10号")

    def test_the_cap_binds_at_half_execution(self):
        self.choose(self.policy)
        AppropriationLine.objects.filter(
            appropriation__program=self.hardship,
            appropriation__fiscal_year=self.year,
            source=FundingSource.CURRENT_FISCAL,
        ).update(annual_budget=D("2460000.00"))  # 123 万元 of 246 万元: 50.00 %
        result = self.score()
        self.assertEqual(result.execution_rate, D("50.00"))
        self.assertEqual(result.uncapped_total, D("78.50"))  # 5 for execution, 资金使用率 (=100 %) lost its 15
        self.assertEqual((result.cap, result.total, str(result.grade)), (D(69), D("69.00"), "中"))
        # Printed on the 自评表 with the rule and the total before the cap.
        report = report_for(fiscal_year=self.year, scope="hardship")
        document = build_document(report=report, user=self.auditor)
        self.assertEqual(document.table.total, D("69.00"))
        rows = [[c.value for c in row] for row in _sheet(table_workbook(document)).iter_rows()]
        rules = next(r[0] for r in rows if r[0] and str(r[0]).startswith("评分规则："))
        self.assertIn("财预〔2020〕10号加执行率封顶和超目标扣分（第1版）", rules)
        self.assertIn("预算执行率50%（含）至60%的总分不高于69分", rules)
        from reports.rendering import table_pdf

        text = pdf_text(table_pdf(document)).replace("\n", "")
        self.assertIn("各项得分合计 78.50 分，按执行率封顶", text)

    def test_an_indicator_far_past_a_low_target_loses_two_points(self):
        self.choose(self.policy)
        self.hardship.indicators.filter(fiscal_year=self.year, name="帮扶困难职工户数").update(target_value=300)
        result = self.score()
        row = next(r for r in result.rows if r.indicator.name == "帮扶困难职工户数")
        self.assertEqual((row.score, row.deduction, row.final_score), (D("10.00"), D("2.00"), D("8.00")))
        self.assertEqual(result.total, D("96.50"))
        self.choose(None)
        self.assertEqual(self.score().total, D("98.50"))


def _sheet(content: bytes):
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content)).active
