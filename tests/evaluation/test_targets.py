"""绩效目标申报: draft → 送审 → 退回 / 审核通过, versions kept, frozen targets, 目标调整 by two people, the files."""

import io
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from demo.loader import load_demo
from evaluation.choices import TargetEvent, TargetStatus
from evaluation.models import Indicator, TargetTable
from evaluation.selectors import evaluate
from evaluation.services import indicator_save
from evaluation.targets import (
    target_adjustment_decide,
    target_adjustment_request,
    target_table_review,
    target_table_save,
    target_table_start,
    target_table_submit,
)
from funds.models import FiscalYear, Program, User
from reports.document import build_document, report_for
from reports.target_table import target_table_document, target_table_pdf, target_table_workbook
from tests.reports.pdf_text import pdf_text


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], TWO_FACTOR_REQUIRED=False)
class TargetTableTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.department = User.objects.get(username="department")
        cls.finance = User.objects.get(username="finance")
        cls.checker = User.objects.get(username="finance2")
        cls.y2022 = FiscalYear.objects.get(year=2022)
        cls.y2024 = FiscalYear.objects.get(year=2024)
        cls.hardship = Program.objects.get(code="hardship")

    def test_the_demo_2024_targets_are_approved(self):
        for table in TargetTable.objects.filter(fiscal_year=self.y2024):
            self.assertEqual(table.status, TargetStatus.APPROVED)
            self.assertEqual(
                [(v.number, v.event, v.actor.username) for v in table.versions.order_by("number")],
                [(1, TargetEvent.SUBMITTED, "department"), (2, TargetEvent.APPROVED, "finance2")],
            )
        hardship = TargetTable.objects.get(fiscal_year=self.y2024, program=self.hardship)
        self.assertEqual(hardship.department, "权益保障部")
        self.assertEqual(hardship.versions.get(number=1).content["indicators"][0]["target"], "≥447户")

    def test_submitted_returned_once_then_approved(self):
        table = target_table_start(program=self.hardship, fiscal_year=self.y2022, acting_user=self.department)
        with self.assertRaises(ValidationError) as raised:
            target_table_submit(table=table, acting_user=self.department)
        self.assertIn("请填写年度总体目标。", raised.exception.messages)
        table = target_table_save(table=table, overall_goal="帮扶1455户困难职工家庭。", acting_user=self.department)
        table = target_table_submit(table=table, acting_user=self.department)
        with self.assertRaises(ValidationError):
            target_table_save(table=table, overall_goal="改写", acting_user=self.department)  # frozen once submitted
        with self.assertRaises(ValidationError):  # returning needs the reviewer's comment
            target_table_review(table=table, approve=False, comment="", acting_user=self.finance)
        table = target_table_review(
            table=table, approve=False, comment="户数与分配方案不符。", acting_user=self.finance
        )
        self.assertEqual(table.status, TargetStatus.RETURNED)
        table = target_table_save(table=table, overall_goal="帮扶1455户、4063人。", acting_user=self.department)
        table = target_table_submit(table=table, acting_user=self.department)
        table = target_table_review(table=table, approve=True, comment="", acting_user=self.checker)
        self.assertEqual(table.status, TargetStatus.APPROVED)
        events = [(v.number, v.event, v.comment) for v in table.versions.order_by("number")]
        self.assertEqual(
            events,
            [
                (1, TargetEvent.SUBMITTED, ""),
                (2, TargetEvent.RETURNED, "户数与分配方案不符。"),
                (3, TargetEvent.SUBMITTED, ""),
                (4, TargetEvent.APPROVED, ""),
            ],
        )
        self.assertEqual(table.versions.get(number=1).content["overall_goal"], "帮扶1455户困难职工家庭。")
        self.assertEqual(table.versions.get(number=3).content["overall_goal"], "帮扶1455户、4063人。")

    def test_the_submitter_cannot_approve_and_the_department_cannot_review(self):
        table = target_table_start(program=self.hardship, fiscal_year=self.y2022, acting_user=self.finance)
        table = target_table_save(table=table, overall_goal="目标。", acting_user=self.finance)
        table = target_table_submit(table=table, acting_user=self.finance)
        with self.assertRaises(PermissionDenied):
            target_table_review(table=table, approve=True, comment="", acting_user=self.finance)
        with self.assertRaises(PermissionDenied):
            target_table_review(table=table, approve=True, comment="", acting_user=self.department)

    def test_approved_targets_are_frozen_but_results_are_not(self):
        indicator = Indicator.objects.get(program=self.hardship, fiscal_year=self.y2024, name="帮扶困难职工户数")
        indicator.target_value = Decimal(400)
        with self.assertRaises(ValidationError) as raised:
            indicator_save(indicator=indicator, acting_user=self.finance)
        self.assertIn("目标调整", raised.exception.messages[0])
        manual = Indicator.objects.get(program=self.hardship, fiscal_year=self.y2024, name="在档及已脱困职工认可度")
        manual.manual_value = Decimal(97)
        manual.target_value = Decimal(95)  # as a form gives back the stored 95.0000: the same target
        indicator_save(indicator=manual, acting_user=self.finance)  # a result, not a target
        manual.refresh_from_db()
        self.assertEqual(manual.manual_value, Decimal(97))

    def test_an_adjustment_needs_a_second_person_and_shows_in_the_self_evaluation(self):
        indicator = Indicator.objects.get(program=self.hardship, fiscal_year=self.y2024, name="帮扶困难职工户数")
        with self.assertRaises(ValidationError):
            target_adjustment_request(
                indicator=indicator,
                new_target_value=Decimal(440),
                new_target_text="",
                reason="",
                acting_user=self.department,
            )
        adjustment = target_adjustment_request(
            indicator=indicator,
            new_target_value=Decimal(440),
            new_target_text="",
            reason="7户年中脱困，分配方案调减。",
            acting_user=self.finance,
        )
        with self.assertRaises(PermissionDenied):
            target_adjustment_decide(adjustment=adjustment, approve=True, acting_user=self.finance)
        target_adjustment_decide(adjustment=adjustment, approve=True, acting_user=self.checker)
        indicator.refresh_from_db()
        self.assertEqual(indicator.target_value, Decimal(440))
        table = TargetTable.objects.get(program=self.hardship, fiscal_year=self.y2024)
        latest = table.versions.order_by("-number").first()
        self.assertEqual(latest.event, TargetEvent.ADJUSTED)
        self.assertIn("≥447户 → ≥440户", latest.comment)
        document = build_document(report=report_for(fiscal_year=self.y2024, scope="hardship"), user=self.finance)
        line = next(line for line in document.table.indicators if line.name == "帮扶困难职工户数")
        self.assertRegex(line.target, r"^≥440户（目标已于\d{4}-\d{2}-\d{2}调整）$")
        self.assertEqual(
            evaluate(user=self.finance, program=self.hardship, fiscal_year=self.y2024).total, Decimal("98.50")
        )

    def test_the_official_files(self):
        table = TargetTable.objects.get(program=self.hardship, fiscal_year=self.y2024)
        document = target_table_document(table)
        sheet = load_workbook(io.BytesIO(target_table_workbook(document))).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[0][0], "项目支出绩效目标表")
        header = next(r for r in rows if r[0] == "一级指标")
        self.assertEqual(
            header,
            [
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值类型",
                "年度指标值",
                "计量单位",
                "指标解释",
                "评（扣）分标准",
                "分值",
            ],
        )
        households = next(r for r in rows if r[2] == "帮扶困难职工户数")
        self.assertEqual(households[3:6], ["定量", "≥447户", "户"])
        self.assertTrue(households[6].startswith("帮扶户数 = "))  # the formula the system computes
        self.assertEqual(households[7], "达到年度指标值得满分；未达到的按实际完成值占指标值的比例计分")
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        text = pdf_text(target_table_pdf(document)).replace("\n", "")
        self.assertIn("项目支出绩效目标表", text)
        self.assertIn("审核通过（", text)
        self.assertNotIn("草稿", text)

    def test_the_page_submits_and_returns(self):
        target_table_start(program=self.hardship, fiscal_year=self.y2022, acting_user=self.department)
        url = reverse("evaluation:target_table", args=["hardship", 2022])
        self.client.force_login(self.department)
        table = TargetTable.objects.get(program=self.hardship, fiscal_year=self.y2022)
        self.client.post(url, {"action": "save", "overall_goal": "目标。", "version": table.version})
        response = self.client.post(url, {"action": "submit"}, follow=True)
        self.assertContains(response, "已送审，等待财务审核")
        self.assertEqual(self.client.post(url, {"action": "approve"}).status_code, 403)  # not a reviewer
        self.client.force_login(self.finance)
        response = self.client.post(url, {"action": "return", "comment": ""}, follow=True)
        self.assertContains(response, "退回时请填写审核意见")
        response = self.client.post(url, {"action": "return", "comment": "请补充指标解释。"}, follow=True)
        self.assertContains(response, "请补充指标解释。")
        table.refresh_from_db()
        self.assertEqual(table.status, TargetStatus.RETURNED)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], TWO_FACTOR_REQUIRED=False)
class FrozenIndicatorPageTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_the_indicator_page_locks_approved_targets_and_still_takes_results(self):
        finance = User.objects.get(username="finance")
        self.client.force_login(finance)
        url = reverse("evaluation:indicators_edit", args=["hardship", 2024])
        indicators = list(
            Indicator.objects.filter(fiscal_year__year=2024, program__code="hardship").order_by("sort_order")
        )
        page = self.client.get(url)
        self.assertContains(page, "请在绩效目标表中提出目标调整")
        self.assertContains(page, 'name="form-0-target_value" value="447" step="any" disabled')
        data = {"form-TOTAL_FORMS": str(len(indicators)), "form-INITIAL_FORMS": str(len(indicators))}
        for i, indicator in enumerate(indicators):
            data[f"form-{i}-id"] = indicator.pk
            data[f"form-{i}-manual_value"] = "" if indicator.manual_value is None else str(indicator.manual_value)
            data[f"form-{i}-manual_text"] = indicator.manual_text
        data["form-0-target_value"] = "1"  # a disabled field: what is posted is ignored
        manual = next(i for i, ind in enumerate(indicators) if ind.name == "在档及已脱困职工认可度")
        data[f"form-{manual}-manual_value"] = "97"
        self.assertEqual(self.client.post(url, data).status_code, 302)
        self.assertEqual(Indicator.objects.get(pk=indicators[0].pk).target_value, Decimal(447))
        self.assertEqual(Indicator.objects.get(pk=indicators[manual].pk).manual_value, Decimal(97))
