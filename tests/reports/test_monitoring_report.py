"""The 绩效运行监控 report: warnings explained before finalising, maker–checker, what the snapshot holds, pages."""

import datetime
import io
from urllib.parse import unquote

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from demo.loader import load_demo
from evaluation.models import WarningRule
from funds.choices import Role
from funds.models import FiscalYear, Program, User
from reports.models import MonitoringReport, MonitoringSnapshot, WarningExplanation
from reports.monitoring import build_monitoring
from reports.monitoring_services import (
    monitoring_finalise,
    monitoring_report_create,
    monitoring_request_finalisation,
    warning_explain,
)
from tests.factories import UserFactory
from tests.reports.pdf_text import pdf_text

AUGUST = datetime.date(2024, 8, 31)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], TWO_FACTOR_REQUIRED=False)
class MonitoringReportTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.finance = User.objects.get(username="finance")
        cls.checker = User.objects.get(username="finance2")
        cls.third = UserFactory(username="finance3", role=Role.FINANCE)
        cls.year = FiscalYear.objects.get(year=2024)
        cls.hardship = Program.objects.get(code="hardship")
        cls.model_worker = Program.objects.get(code="model_worker")

    def open_report(self, program=None, day=AUGUST):
        return monitoring_report_create(
            program=program or self.model_worker, fiscal_year=self.year, as_of=day, acting_user=self.finance
        )

    def explain_all(self, report, user=None):
        for warning in build_monitoring(report=report, user=self.finance).monitoring.warnings:
            warning_explain(
                report=report,
                warning_key=warning.key,
                reason="补助于11月底统一发放。",
                corrective_action="按计划12月上旬前发放完毕。",
                acting_user=user or self.finance,
            )

    def test_the_demo_june_report_is_finalised_with_every_warning_explained(self):
        report = MonitoringReport.objects.get(program=self.hardship, as_of=datetime.date(2024, 6, 30))
        snapshot = report.snapshots.get()
        self.assertEqual((snapshot.requested_by.username, snapshot.finalised_by.username), ("finance", "finance2"))
        self.assertGreaterEqual(len(snapshot.warnings), 1)
        self.assertTrue(all(w["reason"] and w["corrective_action"] for w in snapshot.warnings))
        with snapshot.pdf.open("rb") as stored:
            text = pdf_text(stored.read()).replace("\n", "")
        for expected in (
            "2024年度自治区专项帮扶资金",
            "绩效运行监控报告",
            "截至2024年6月30日",
            "执行进度18.76%",
            "时间进度49.73%",
            "项目支出绩效目标执行监控表",
            "纠偏措施：督促各地州工会按分配方案于10月底前发放完毕",
            "预测方法",
        ):
            self.assertIn(expected, text.replace(" ", ""), expected)
        self.assertNotIn("草稿", text)
        with snapshot.xlsx.open("rb") as stored:
            sheet = load_workbook(io.BytesIO(stored.read())).active
        values = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertEqual(values[0][0], "项目支出绩效目标执行监控表")
        header = next(row for row in values if row[0] == "绩效指标")
        self.assertEqual(header[5:8], ["1—6月执行情况", "全年预计完成情况", "预计能否完成"])
        households = next(row for row in values if row[3] == "帮扶困难职工户数")
        self.assertEqual((households[4], households[7]), ("≥447户", "预计无法完成"))
        self.assertIn("原因：", households[8])
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        merged = {str(r) for r in sheet.merged_cells.ranges}
        self.assertIn("A1:I1", merged)  # the title over the nine columns
        first = values.index(households) + 1
        self.assertTrue(any(r.startswith(f"B{first}:B") for r in merged))  # 一级 merged over its run

    def test_an_unexplained_warning_blocks_the_request(self):
        report = self.open_report()
        document = build_monitoring(report=report, user=self.finance)
        self.assertIn("large-project-august-60:program", {w.key for w in document.monitoring.warnings})
        with self.assertRaises(ValidationError) as raised:
            monitoring_request_finalisation(report=report, acting_user=self.finance)
        self.assertEqual(len(raised.exception.messages), len(document.monitoring.warnings))
        self.assertTrue(all(m.startswith("未说明原因和纠偏措施：") for m in raised.exception.messages))

    def test_an_explanation_needs_both_reason_and_action_and_a_current_warning(self):
        report = self.open_report()
        with self.assertRaises(ValidationError):
            warning_explain(
                report=report,
                warning_key="large-project-august-60:program",
                reason="只有原因",
                corrective_action="",
                acting_user=self.finance,
            )
        with self.assertRaises(ValidationError):
            warning_explain(
                report=report,
                warning_key="no-such:warning",
                reason="x",
                corrective_action="y",
                acting_user=self.finance,
            )
        self.assertFalse(WarningExplanation.objects.filter(report=report).exists())

    def test_maker_checker_and_a_writer_of_the_round_cannot_confirm(self):
        report = self.open_report()
        self.explain_all(report)
        report = monitoring_request_finalisation(report=report, acting_user=self.finance)
        with self.assertRaises(PermissionDenied):
            monitoring_finalise(report=report, acting_user=self.finance)
        # The checker changes an explanation: the request is withdrawn, and the checker is now a writer.
        warning_explain(
            report=report,
            warning_key="large-project-august-60:program",
            reason="劳模补助每年11月底统一发放。",
            corrective_action="12月10日前发放完毕。",
            acting_user=self.checker,
        )
        report.refresh_from_db()
        self.assertIsNone(report.finalisation_requested_by)
        report = monitoring_request_finalisation(report=report, acting_user=self.finance)
        with self.assertRaises(PermissionDenied):
            monitoring_finalise(report=report, acting_user=self.checker)
        snapshot = monitoring_finalise(
            report=report, acting_user=self.third, expected_content_hash=report.finalisation_content_hash
        )
        self.assertEqual(snapshot.content_hash, report.content_hash())
        self.assertEqual(snapshot.number, 1)

    def test_a_warning_that_arises_after_the_request_blocks_the_confirmation(self):
        report = self.open_report(self.hardship)
        self.explain_all(report)
        report = monitoring_request_finalisation(report=report, acting_user=self.finance)
        WarningRule.objects.filter(code="indicator-overshoot").update(is_active=True)
        self.hardship.indicators.filter(fiscal_year=self.year, name="帮扶对象界定准确率").update(target_value=50)
        with self.assertRaises(ValidationError):
            monitoring_finalise(report=report, acting_user=self.checker)
        self.assertFalse(MonitoringSnapshot.objects.filter(report=report).exists())

    def test_one_report_per_program_and_day_within_the_year(self):
        self.open_report()
        with self.assertRaises(ValidationError):
            self.open_report()
        with self.assertRaises(ValidationError):
            self.open_report(day=datetime.date(2025, 1, 31))

    def test_pages_open_explain_and_download(self):
        self.client.force_login(self.finance)
        url = reverse("reports:monitoring_list") + "?year=2024"
        response = self.client.post(url, {"program": self.model_worker.pk, "as_of": "2025-02-01"})
        self.assertContains(response, "监控日期必须在2024年内")
        response = self.client.post(url, {"program": self.model_worker.pk, "as_of": "2024-08-31"})
        report = MonitoringReport.objects.get(program=self.model_worker, as_of=AUGUST)
        self.assertRedirects(response, reverse("reports:monitoring_detail", args=[report.pk]))
        page = self.client.get(reverse("reports:monitoring_detail", args=[report.pk]))
        self.assertContains(page, "200 万元以上项目 8 月底执行率低于 60%")
        response = self.client.post(
            reverse("reports:monitoring_explain", args=[report.pk]),
            {
                "prefix": "w0",
                "w0-warning_key": "execution-behind-10:program",
                "w0-reason": "补助于11月底统一发放。",
                "w0-corrective_action": "12月10日前发放完毕。",
            },
            follow=True,
        )
        self.assertContains(response, "偏差原因和纠偏措施已保存")
        self.assertTrue(report.explanations.filter(warning_key="execution-behind-10:program").exists())
        draft = self.client.get(reverse("reports:monitoring_draft", args=[report.pk, "pdf"]))
        self.assertIn("草稿", pdf_text(draft.content))
        self.assertIn(
            "2024年度劳模专项补助资金绩效运行监控报告（截至2024-08-31，草稿）.pdf",
            unquote(draft["Content-Disposition"]),
        )
        workbook = self.client.get(reverse("reports:monitoring_draft", args=[report.pk, "xlsx"]))
        self.assertEqual(load_workbook(io.BytesIO(workbook.content)).active["A1"].value, "项目支出绩效目标执行监控表")

    def test_the_dashboard_shows_warnings_as_of_a_day(self):
        self.client.force_login(self.finance)
        page = self.client.get(reverse("evaluation:dashboard") + "?year=2024&as_of=2024-08-31")
        self.assertContains(page, "截至 2024-08-31")
        self.assertContains(page, "200 万元以上项目 8 月底执行率低于 60%")
        closed = self.client.get(reverse("evaluation:dashboard") + "?year=2024")
        self.assertContains(closed, "本年度已结束")
