"""The consistency checks catch seed 000's contradictions when its text is pasted in, and data contradictions."""

import datetime
from decimal import Decimal

from django.test import TestCase, override_settings

from demo.loader import load_demo
from evaluation.consistency import data_findings, narrative_findings
from funds.choices import FundingSource, PaymentMethod
from funds.models import Disbursement, FiscalYear, Organization, PaymentKind, Program, User
from funds.services.disbursements import disbursement_build

SEED_000_CORRECT = (
    "自治区财政2024年度预算资金123万元，实际拨付123万元。发放对象为符合《新疆维吾尔自治区工会困难家庭认定和档案管理办法》"
    "不同困难类型建档认定标准的职工、农民工。帮扶困难职工447户1614人，使用资金123万元，资金使用率达到100%。"
)
SEED_000_CONTRADICTING = (
    "职工困难帮扶资金。项目下达资金133万元，实际到位项目资金133万元，已在规定时限内由14个地州市工会分别实施，"
    "并完成系统录入工作，资金到位率达到100%、资金使用率达到100%。截止2023年5月17日，全区在档困难职工人数1081户，"
    "专项资金帮扶困难职工1081户，帮扶人数完成率100%。"
)
SEED_000_MODEL_WORKERS = "发放专项补助资金3623人，使用资金777万元，资金使用率达到100%。"


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class ConsistencyTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.year = FiscalYear.objects.get(year=2024)
        cls.hardship = Program.objects.get(code="hardship")

    def test_the_correct_seed_paragraphs_pass(self):
        self.assertEqual(narrative_findings(SEED_000_CORRECT, self.hardship, self.year), [])
        model_workers = Program.objects.get(code="model_worker")
        self.assertEqual(narrative_findings(SEED_000_MODEL_WORKERS, model_workers, self.year), [])

    def test_the_seed_000_contradictions_are_caught(self):
        messages = [f.message for f in narrative_findings(SEED_000_CONTRADICTING, self.hardship, self.year)]
        self.assertIn("文中“项目下达资金133万元”与数据不符：下达（预算）资金（万元）应为 123。", messages)
        self.assertIn("文中“实际到位项目资金133万元”与数据不符：实际到位资金（万元）应为 123。", messages)
        self.assertIn("文中“由14个地州市工会”与数据不符：实施的地州市工会数应为 4。", messages)
        self.assertIn("文中“帮扶困难职工1081户”与数据不符：帮扶户数应为 447。", messages)
        self.assertIn("文中提到 2023 年，而本报告是 2024 年度的。", messages)
        self.assertEqual(len(messages), 5)  # 使用率 100% and 到位率 100% are right

    def test_the_demo_data_is_consistent(self):
        for program in Program.objects.all():
            for year in FiscalYear.objects.all():
                self.assertEqual(data_findings(program, year), [], (program.code, year.year))

    def test_a_union_paying_past_its_allocation_is_found(self):
        kashgar = Organization.objects.get(code="653100")
        household = self.hardship.disbursement_set.filter(fiscal_year=self.year, paying_organization=kashgar).first()
        payment = disbursement_build(
            household_id=household.household_id,
            payment_kind=PaymentKind.objects.get(program=self.hardship, code="medical_aid"),
            fiscal_year=self.year,
            amount=Decimal("900.00"),
            paid_on=datetime.date(2024, 12, 20),
            payment_method=PaymentMethod.BANK_AGENCY,
            paying_organization=kashgar,
            funding_source=FundingSource.CURRENT_FISCAL,
            account_masked="****1234",
            acting_user=User.objects.get(username="finance"),
        )
        payment.save()
        codes = {f.code for f in data_findings(self.hardship, self.year)}
        self.assertEqual(codes, {"disbursed_over_allocated", "executed_over_budget"})
        self.assertTrue(Disbursement.objects.filter(pk=payment.pk).exists())

    def test_the_dashboard_lists_data_findings(self):
        from django.urls import reverse

        self.client.force_login(User.objects.get(username="auditor"))
        url = reverse("evaluation:dashboard") + "?year=2024"
        self.assertNotContains(self.client.get(url), 'id="findings-')
        self.test_a_union_paying_past_its_allocation_is_found()
        self.assertContains(self.client.get(url), "超过其分配额度")
