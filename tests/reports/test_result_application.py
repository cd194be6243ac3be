"""结果应用: finance records what a finalised result means for next year; the department report says it; next
year's 绩效目标表 starts from this year's actual values."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse

from demo.loader import load_demo
from evaluation.models import Indicator
from evaluation.targets import target_table_start
from funds.models import FiscalYear, Program, User
from funds.services.fiscal_years import fiscal_year_get_or_create
from reports.document import build_document, report_for
from reports.models import ReportSnapshot, ResultApplication
from reports.services import result_application_record


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], TWO_FACTOR_REQUIRED=False)
class ResultApplicationTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.finance = User.objects.get(username="finance")
        cls.y2024 = FiscalYear.objects.get(year=2024)
        cls.snapshot = ReportSnapshot.objects.get(report__program__code="model_worker", report__fiscal_year=cls.y2024)

    def test_the_demo_applies_the_2024_result_to_2025(self):
        row = ResultApplication.objects.get(snapshot=self.snapshot)
        self.assertEqual((row.grade, row.application), ("优", "优先保障"))
        self.assertEqual(row.proposed_budget, Decimal("7770000.00"))
        document = build_document(report=report_for(fiscal_year=self.y2024, scope="department"), user=self.finance)
        text = next(s for s in document.sections if s.key == "improvements").paragraphs[-1]
        self.assertIn("劳模专项补助资金评价等级“优”，优先保障，下年度拟安排777.00万元", text)
        self.assertIn("自治区专项帮扶资金尚未记录结果应用", text)

    def test_refusals(self):
        for application, budget, reasons in [("照常", "1", "理由"), ("压减", "-1", "理由"), ("压减", "1", " ")]:
            with self.subTest(application=application, budget=budget), self.assertRaises(ValidationError):
                result_application_record(
                    snapshot=self.snapshot,
                    application=application,
                    proposed_budget=Decimal(budget),
                    reasons=reasons,
                    acting_user=self.finance,
                )

    def test_the_report_page_records_it(self):
        self.client.force_login(self.finance)
        url = reverse("reports:result_application", args=["model_worker", 2024])
        response = self.client.post(url, {"application": "压减", "proposed_budget": "abc", "reasons": "x"}, follow=True)
        self.assertContains(response, "下年度拟安排预算应为金额")
        response = self.client.post(
            url, {"application": "按需安排", "proposed_budget": "7,000,000", "reasons": "在册人数减少。"}, follow=True
        )
        self.assertContains(response, "结果应用已记录")
        self.assertContains(response, "按需安排，下年度拟安排 700.00 万元")
        self.assertEqual(ResultApplication.objects.get(snapshot=self.snapshot).proposed_budget, Decimal("7000000"))

    def test_next_years_targets_start_from_this_years_actual_values(self):
        hardship = Program.objects.get(code="hardship")
        Indicator.objects.filter(program=hardship, fiscal_year=self.y2024, name="帮扶困难职工户数").update(
            target_value=400
        )
        y2025 = fiscal_year_get_or_create(year=2025)
        target_table_start(program=hardship, fiscal_year=y2025, from_last_year=True, acting_user=self.finance)
        targets = dict(
            Indicator.objects.filter(program=hardship, fiscal_year=y2025).values_list("name", "target_value")
        )
        self.assertEqual(targets["帮扶困难职工户数"], Decimal(447))  # 2024's actual, not its target of 400
        self.assertEqual(targets["帮扶困难职工人数"], Decimal(1614))
        self.assertEqual(targets["帮扶对象界定准确率"], Decimal(100))  # a rate keeps its target
