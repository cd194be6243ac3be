"""The self-evaluation report: figures from the data, findings fixed or explained, immutable finalised snapshots."""

import datetime
import hashlib
import io
import tempfile
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DatabaseError, transaction
from django.test import TestCase
from django.urls import reverse
from openpyxl import load_workbook

from demo.evaluation import signed_report
from demo.loader import load_demo
from evaluation.models import Indicator
from funds.choices import FundingSource, PaymentMethod
from funds.models import FiscalYear, Organization, PaymentKind, Program, User
from funds.services.disbursements import disbursement_build
from reports.document import build_document, data_version, report_for
from reports.figures import fill
from reports.models import Report, ReportSnapshot
from reports.rendering import report_pdf, table_workbook
from reports.services import finding_explain, report_finalise, report_request_finalisation, report_save
from tests.reports.pdf_text import pdf_text

PROJECT_HEADINGS = [
    "一、基本情况",
    "（一）项目概况。",
    "二、绩效评价工作开展情况",
    "三、综合评价情况及评价结论",
    "四、绩效评价指标分析",
    "五、主要经验及做法",
    "六、存在的问题及原因分析",
    "七、有关建议",
    "八、其他需要说明的问题",
]
DEPARTMENT_HEADINGS = [
    "一、基本概况",
    "二、部门单位整体支出管理及使用情况",
    "三、部门单位专项组织实施情况",
    "四、资产管理情况",
    "五、部门单位整体支出绩效情况",
    "六、存在的主要问题",
    "七、改进措施和建议",
    "八、附表：《部门整体支出绩效目标自评表》",
]


class ReportTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.finance = User.objects.get(username="finance")
        cls.checker = User.objects.get(username="finance2")
        cls.y2022 = FiscalYear.objects.get(year=2022)
        cls.y2024 = FiscalYear.objects.get(year=2024)

    def sign(self, report):
        """The cover's signature block, which finalising needs: seed 000's responsible persons and 填报时间."""
        return signed_report(report.fiscal_year, report.scope, self.finance)

    def finalise(self, report):
        """Maker–checker: `finance` asks, `finance2` finalises."""
        report = report_request_finalisation(report=self.sign(report), acting_user=self.finance)
        return report_finalise(report=report, acting_user=self.checker)

    def document(self, year: FiscalYear, scope: str):
        return build_document(report=report_for(fiscal_year=year, scope=scope), user=self.finance)

    def save_text(self, year: FiscalYear, scope: str, **sections: str):
        report = report_for(fiscal_year=year, scope=scope)
        from reports.document import section_sources

        texts = section_sources(report) | sections
        return report_save(
            report=report,
            sections=texts,
            goal_text="",
            outcome_text="",
            responsible_persons="",
            acting_user=self.finance,
        )


class FiguresTest(ReportTestCase):
    def test_the_project_figures_are_the_seed_figures(self):
        figures = self.document(self.y2024, "hardship").figures
        self.assertEqual(figures["使用资金"], "123.00万元")
        self.assertEqual(figures["帮扶户数"], "447户")
        self.assertEqual(figures["帮扶人数"], "1614人")
        self.assertEqual(figures["资金使用率"], "100%")
        self.assertEqual(figures["评价等级"], "优")
        workers = self.document(self.y2022, "model_worker").figures
        self.assertEqual(workers["发放人数"], "3862人")
        self.assertEqual(workers["使用资金"], "800.62万元")
        self.assertEqual(workers["资金来源明细"], "其中当年财政拨款777.00万元、其他资金23.62万元")
        self.assertIn("春节慰问金发放3859人，拨付资金385.90万元", workers["发放明细"])
        self.assertIn("特殊困难帮扶金发放127人，拨付资金138.51万元", workers["发放明细"])

    def test_the_roster_on_the_reference_day_and_the_budget_by_source_as_seed_001_states_them(self):
        """Seed 001: “在册健在劳模4,016人，其中暂停享受待遇154人，实际发放3,862人”; 777 万 fiscal + 23.62 万 other."""
        workers = self.document(self.y2022, "model_worker").figures
        self.assertEqual(
            [workers[n] for n in ("基准日", "在册健在人数", "暂停人数", "符合条件对象数", "发放人数", "已故（当年）")],
            ["2022年11月25日", "4016人", "154人", "3862人", "3862人", "0人"],
        )
        self.assertEqual(workers["预算来源明细"], "自治区财政安排777.00万元，部门预算安排23.62万元")
        self.assertEqual((workers["当年财政拨款"], workers["其他资金"]), ("777.00万元", "23.62万元"))
        overview = next(s for s in self.document(self.y2022, "model_worker").sections if s.key == "overview").text
        self.assertIn("2022年自治区财政安排777.00万元，部门预算安排23.62万元，用于劳模专项补助资金", overview)
        self.assertIn("我区在册健在劳模4016人，其中暂停享受待遇154人，实际发放专项补助资金3862人", overview)
        self.assertNotIn("自治区财政安排劳模专项补助资金，预算资金800.62万元", overview)
        department = self.document(self.y2022, "department")
        self.assertEqual(department.figures["劳模补助·暂停人数"], "154人")
        performance = next(s for s in department.sections if s.key == "performance").text
        self.assertIn("在册健在劳模4016人，其中暂停享受待遇154人，实际发放3862人", performance)

    def test_the_department_report_covers_the_other_budget_lines(self):
        figures = self.document(self.y2022, "department").figures
        self.assertEqual(figures["专项资金财政拨款"], "925.00万元")
        self.assertEqual(figures["其他预算支出"], "632.11万元")
        self.assertEqual(figures["部门预算合计"], "1,580.73万元")
        self.assertEqual(figures["劳模补助·发放人数"], "3862人")

    def test_placeholders_are_substituted_never_executed(self):
        figures = {"资金使用率": "100%"}
        self.assertEqual(fill("资金使用率达到{{资金使用率}}。", figures), "资金使用率达到100%。")
        self.assertEqual(fill("{{ 资金使用率 }}", figures), "100%")
        # Template syntax stays literal text: the narrative is staff input, not a template.
        for text in ("{{ 未知 }}", "{% load static %}", "{{ 资金使用率|safe }}", "{{ settings.SECRET_KEY }}"):
            self.assertEqual(fill(text, figures), text)


class NarrativeTest(ReportTestCase):
    def test_unknown_placeholders_are_refused_on_saving_naming_the_section(self):
        with self.assertRaises(ValidationError) as caught:
            self.save_text(self.y2024, "hardship", overview="使用资金{{ 已用资金 }}。")
        self.assertIn("section_overview", caught.exception.error_dict)
        self.assertIn("已用资金", str(caught.exception))

    def test_a_typed_figure_that_contradicts_the_data_is_a_finding_to_fix_or_explain(self):
        self.save_text(self.y2024, "hardship", process_analysis="项目下达资金133万元，由14个地州市工会分别实施。")
        findings = self.document(self.y2024, "hardship").findings
        messages = [f.message for f in findings]
        self.assertTrue(any("项目下达资金133万元" in m and "123" in m for m in messages), messages)
        self.assertTrue(any("14个地州市工会" in m for m in messages), messages)
        self.assertTrue(all(not f.blocking for f in findings))
        self.assertTrue(all(m.startswith("【（二）项目过程情况。】") for m in messages))

    def test_a_year_other_than_the_reports_is_found(self):
        self.save_text(self.y2024, "hardship", benefits="截止2023年5月17日，全区在档困难职工1081户。2023年已完成。")
        findings = {f.finding.code: f.message for f in self.document(self.y2024, "hardship").findings}
        self.assertIn("other_year", findings)  # the bare year
        # The date is the reference day the sentence speaks of: it names the one the data holds.
        self.assertIn(
            "基准日应为 2024年6月1日", " ".join(f.message for f in self.document(self.y2024, "hardship").findings)
        )

    def test_an_empty_section_or_one_holding_only_its_heading_blocks_unless_written_as_none(self):
        self.save_text(self.y2024, "hardship", experience="", problems="六、存在的问题及原因分析", suggestions="无")
        blocking = {f.where: f.finding.code for f in self.document(self.y2024, "hardship").findings if f.blocking}
        self.assertEqual(blocking, {"五、主要经验及做法": "empty_section", "六、存在的问题及原因分析": "empty_section"})

    def test_the_seeds_wording_starts_sections_five_to_seven_with_figures_from_the_data(self):
        sections = {s.key: s.text for s in self.document(self.y2022, "model_worker").sections}
        self.assertIn("在各级工会的积极配合和努力下，此项工作取得了一定的成绩", sections["experience"])
        self.assertIn("我区在册健在劳模4016人，其中退休劳模", sections["problems"])
        self.assertIn("建议相关部门给予业务指导", sections["suggestions"])
        self.assertNotIn("{{", "".join(sections.values()))
        self.assertFalse([f for f in self.document(self.y2022, "model_worker").findings if f.blocking])


class FinalisationTest(ReportTestCase):
    def test_finalising_stores_both_files_with_their_hashes_and_the_data_version(self):
        report = report_for(fiscal_year=self.y2024, scope="hardship")
        snapshot = self.finalise(report)
        self.assertEqual(snapshot.number, 1)
        pdf = snapshot.pdf.read()
        self.assertEqual(hashlib.sha256(pdf).hexdigest(), snapshot.pdf_sha256)
        self.assertEqual(hashlib.sha256(snapshot.xlsx.read()).hexdigest(), snapshot.xlsx_sha256)
        self.assertEqual(snapshot.total_score, Decimal("98.50"))
        self.assertEqual((snapshot.requested_by, snapshot.finalised_by), (self.finance, self.checker))
        document = self.document(self.y2024, "hardship")
        self.assertEqual(snapshot.data_version, data_version(document))
        text = pdf_text(pdf)
        self.assertNotIn("草稿", text)
        self.assertIn("447户1614人", text.replace("\n", ""))
        self.assertEqual(self.finalise(snapshot.report).number, 2)

    def test_unexplained_findings_block_finalising_until_explained(self):
        self.save_text(self.y2024, "hardship", process_analysis="项目下达资金133万元。")
        report = report_for(fiscal_year=self.y2024, scope="hardship")
        with self.assertRaises(ValidationError) as caught:
            self.finalise(report)
        self.assertIn("未说明", str(caught.exception))
        self.assertFalse(ReportSnapshot.objects.filter(report__program__code="hardship").exists())
        finding = self.document(self.y2024, "hardship").findings[0]
        finding_explain(
            report=report,
            finding_key=finding.key,
            explanation="133万元为年初申报数，已核实。",
            acting_user=self.finance,
        )
        snapshot = self.finalise(report)
        self.assertEqual(snapshot.findings[0]["explanation"], "133万元为年初申报数，已核实。")

    def test_a_missing_deviation_reason_blocks_and_cannot_be_explained_away(self):
        Indicator.objects.filter(
            program__code="hardship", fiscal_year=self.y2024, computed_key="households_assisted"
        ).update(target_value=500)
        report = report_for(fiscal_year=self.y2024, scope="hardship")
        finding = next(f for f in self.document(self.y2024, "hardship").findings if f.blocking)
        self.assertIn("偏差原因", finding.message)
        with self.assertRaises(ValidationError):
            finding_explain(report=report, finding_key=finding.key, explanation="不重要", acting_user=self.finance)
        with self.assertRaises(ValidationError) as caught:
            self.finalise(report)
        self.assertIn("帮扶困难职工户数", str(caught.exception))

    def test_a_later_data_change_marks_the_snapshot_outdated_without_touching_it(self):
        report = report_for(fiscal_year=self.y2024, scope="hardship")
        snapshot = self.finalise(report)
        url = reverse("reports:report_detail", args=["hardship", 2024])
        self.client.force_login(User.objects.get(username="auditor"))
        self.assertNotContains(self.client.get(url), "data-outdated")
        hardship = Program.objects.get(code="hardship")
        kashgar = Organization.objects.get(code="653100")
        paid = hardship.disbursement_set.filter(fiscal_year=self.y2024, paying_organization=kashgar).first()
        disbursement_build(
            household_id=paid.household_id,
            payment_kind=PaymentKind.objects.get(program=hardship, code="medical_aid"),
            fiscal_year=self.y2024,
            amount=Decimal("900.00"),
            paid_on=datetime.date(2024, 12, 20),
            payment_method=PaymentMethod.BANK_AGENCY,
            paying_organization=kashgar,
            funding_source=FundingSource.CURRENT_FISCAL,
            account_masked="****1234",
            acting_user=self.finance,
        ).save()
        self.assertContains(self.client.get(url), "data-outdated")
        stored = ReportSnapshot.objects.get(pk=snapshot.pk)
        self.assertEqual(
            (stored.pdf_sha256, stored.data_version, stored.number),
            (snapshot.pdf_sha256, snapshot.data_version, 1),
        )
        self.assertEqual(hashlib.sha256(stored.pdf.read()).hexdigest(), stored.pdf_sha256)

    def test_snapshots_cannot_be_changed_or_deleted_even_bypassing_the_application(self):
        snapshot = self.finalise(report_for(fiscal_year=self.y2024, scope="hardship"))
        with self.assertRaises(DatabaseError), transaction.atomic():
            ReportSnapshot.objects.filter(pk=snapshot.pk).update(grade="差")
        with self.assertRaises(DatabaseError), transaction.atomic():
            ReportSnapshot.objects.filter(pk=snapshot.pk).delete()
        self.assertEqual(ReportSnapshot.objects.get(pk=snapshot.pk).grade, "优")

    def test_a_stored_file_altered_on_disk_is_refused_on_download(self):
        snapshot = self.finalise(report_for(fiscal_year=self.y2024, scope="hardship"))
        self.client.force_login(User.objects.get(username="auditor"))
        url = reverse("reports:snapshot_download", args=[snapshot.pk, "pdf"])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(hashlib.sha256(response.content).hexdigest(), snapshot.pdf_sha256)
        Path(snapshot.pdf.path).write_bytes(b"%PDF-1.7 forged")
        response = self.client.get(url)
        self.assertEqual(response.status_code, 409)
        self.assertContains(response, "SHA-256", status_code=409)


class DocumentOutputTest(ReportTestCase):
    def test_the_project_pdf_has_seed_000s_sections_the_chart_and_the_table(self):
        text = pdf_text(report_pdf(self.document(self.y2024, "hardship"), draft=True))
        flat = text.replace("\n", "")
        for heading in PROJECT_HEADINGS:
            self.assertIn(heading, text)
        for expected in (
            "帮扶困难职工447户1614人，使用资金123.00万元",
            "资金使用率达到100%",
            "98.50分",
            "由4个地州市工会",
        ):
            self.assertIn(expected, flat)
        self.assertIn("图1", text)  # the SVG chart with its caption
        self.assertIn("资金流向", text)
        self.assertIn("项目支出绩效自评表", text)
        self.assertIn("评价等级：优", text)
        self.assertIn("草稿", text)

    def test_the_department_pdf_has_seed_001s_parts_and_the_other_budget_lines(self):
        text = pdf_text(report_pdf(self.document(self.y2022, "department"), draft=True))
        flat = text.replace("\n", "")
        for heading in DEPARTMENT_HEADINGS:
            self.assertIn(heading, flat)
        self.assertIn("自治区财政预算专项资金925.00万元", flat)
        self.assertIn("人员工资、医保、访惠聚经费预算632.11万元", flat)
        self.assertIn("部门整体支出绩效目标自评表", text)
        self.assertIn("1,580.73", text)

    def test_the_department_workbook_holds_every_budget_line_and_each_programs_table(self):
        workbook = load_workbook(io.BytesIO(table_workbook(self.document(self.y2022, "department"))))
        rows = [[c.value for c in row] for row in workbook.worksheets[0].iter_rows()]
        # The official grid: the line's name over A:D, then 年初预算数 (E), 全年预算数 (F), 全年执行数 (G:H).
        self.assertEqual(next(r for r in rows if r[0] == "人员工资、医保、访惠聚经费")[4:7], [632.11, 632.11, 632.11])
        self.assertEqual(next(r for r in rows if r[0] == "劳模专项补助资金")[5:7], [800.62, 800.62])
        self.assertEqual(next(r for r in rows if r[0] == "合计")[5], 1580.73)
        self.assertEqual(len(workbook.worksheets), 3)

    def test_render_report_writes_the_pdf_or_the_table(self):
        with tempfile.TemporaryDirectory() as folder:
            pdf, xlsx = Path(folder, "r.pdf"), Path(folder, "t.xlsx")
            call_command("render_report", year=2024, program="model_worker", output=str(pdf), stdout=io.StringIO())
            call_command("render_report", year=2022, program="department", output=str(xlsx), stdout=io.StringIO())
            text = pdf_text(pdf.read_bytes())
            self.assertIn("劳模专项补助资金绩效自评报告", text)
            self.assertIn("3623人", text.replace("\n", ""))
            self.assertEqual(load_workbook(xlsx).worksheets[0]["A1"].value, "部门整体支出绩效目标自评表")


class ReportPermissionTest(ReportTestCase):
    """anonymous / other organisation (a prefecture operator) / own organisation (finance) / auditor."""

    def status(self, username: str | None, method: str, url: str, data: dict | None = None) -> int:
        self.client.logout()
        if username:
            self.client.force_login(User.objects.get(username=username))
        return getattr(self.client, method)(url, data or {}).status_code

    def test_reading_pages_and_downloads(self):
        snapshot = self.finalise(report_for(fiscal_year=self.y2024, scope="hardship"))
        for url in [
            reverse("reports:report_list"),
            reverse("reports:report_detail", args=["hardship", 2024]),
            reverse("reports:report_detail", args=["department", 2022]),
            reverse("reports:report_pdf", args=["model_worker", 2024]),
            reverse("reports:self_evaluation_xlsx", args=["department", 2022]),
            reverse("reports:snapshot_download", args=[snapshot.pk, "xlsx"]),
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.status(None, "get", url), 302)
                self.assertEqual(self.status("kashgar", "get", url), 403)
                self.assertEqual(self.status("finance", "get", url), 200)
                self.assertEqual(self.status("auditor", "get", url), 200)

    def test_writing_is_for_finance_staff_only(self):
        detail = reverse("reports:report_detail", args=["hardship", 2024])
        self.client.force_login(User.objects.get(username="auditor"))
        page = self.client.get(detail).content.decode()
        self.assertNotIn("编辑正文", page)
        self.assertNotIn('action="/reports/hardship/2024/finalise/"', page)
        for name in ("report_edit", "report_explain", "report_finalise"):
            url = reverse(f"reports:{name}", args=["hardship", 2024])
            with self.subTest(url=url):
                self.assertEqual(self.status("auditor", "post", url, {"finding_key": "x"}), 403)
                self.assertEqual(self.status("kashgar", "post", url, {"finding_key": "x"}), 403)
        self.assertFalse(ReportSnapshot.objects.filter(report__program__code="hardship").exists())
        finalise = reverse("reports:report_finalise", args=["hardship", 2024])
        version = self.sign(report_for(fiscal_year=self.y2024, scope="hardship")).version
        request = {"intent": "request", "version": str(version)}
        self.assertEqual(self.status("finance", "post", finalise, request), 302)  # asks for finalisation
        self.assertFalse(ReportSnapshot.objects.filter(report__program__code="hardship").exists())
        confirm = {
            "intent": "confirm",
            "content_hash": Report.objects.get(program__code="hardship").finalisation_content_hash,
        }
        self.assertEqual(self.status("finance", "post", finalise, confirm), 302)  # the maker cannot finalise
        self.assertFalse(ReportSnapshot.objects.filter(report__program__code="hardship").exists())
        # A request form posted again (opened before the request) is not a confirmation.
        self.assertEqual(self.status("finance2", "post", finalise, request), 302)
        self.assertFalse(ReportSnapshot.objects.filter(report__program__code="hardship").exists())
        self.assertEqual(self.status("finance2", "post", finalise, confirm), 302)  # a second finance user can
        self.assertEqual(ReportSnapshot.objects.filter(report__program__code="hardship").count(), 1)

    def test_unknown_years_and_programs_are_404(self):
        for url in [
            reverse("reports:report_detail", args=["hardship", 2030]),
            reverse("reports:report_detail", args=["pensions", 2024]),
        ]:
            self.assertEqual(self.status("finance", "get", url), 404)

    def test_editing_in_the_browser(self):
        url = reverse("reports:report_edit", args=["hardship", 2024])
        self.client.force_login(self.finance)
        form = self.client.get(url)
        self.assertContains(form, "{{ 资金使用率 }}")
        response = self.client.post(url, {"section_overview": "资金使用率{{ 资金使用率 }}，{{ 不存在 }}。"})
        self.assertContains(response, "没有名为“不存在”的数据项")
        response = self.client.post(url, {"section_overview": "资金使用率达到{{ 资金使用率 }}。"}, follow=True)
        self.assertContains(response, "资金使用率达到100%。")


class FinalisationMakerCheckerTest(ReportTestCase):
    def test_the_maker_cannot_finalise_and_a_request_is_needed(self):
        report = self.sign(report_for(fiscal_year=self.y2024, scope="hardship"))
        with self.assertRaises(ValidationError):
            report_finalise(report=report, acting_user=self.checker)
        report = report_request_finalisation(report=report, acting_user=self.finance)
        from django.core.exceptions import PermissionDenied

        with self.assertRaises(PermissionDenied):
            report_finalise(report=report, acting_user=self.finance)
        snapshot = report_finalise(report=report, acting_user=self.checker)
        report.refresh_from_db()
        self.assertIsNone(report.finalisation_requested_by)
        self.assertEqual(snapshot.requested_by, self.finance)
        from audit.models import AuditEvent

        self.assertEqual(
            AuditEvent.objects.filter(action="request_finalisation").latest("sequence").actor, self.finance
        )
        finalised = AuditEvent.objects.filter(action="finalisation").latest("sequence")
        self.assertEqual((finalised.actor, finalised.object_id), (self.checker, str(snapshot.pk)))
        self.assertIn(snapshot.pdf_sha256, finalised.detail)

    def test_the_database_refuses_a_snapshot_finalised_by_its_requester(self):
        from django.db import IntegrityError

        snapshot = self.finalise(report_for(fiscal_year=self.y2024, scope="hardship"))
        with self.assertRaises(IntegrityError), transaction.atomic():
            ReportSnapshot.objects.create(
                report=snapshot.report,
                number=99,
                pdf=snapshot.pdf.name,
                pdf_sha256=snapshot.pdf_sha256,
                xlsx=snapshot.xlsx.name,
                xlsx_sha256=snapshot.xlsx_sha256,
                data_version=snapshot.data_version,
                requested_by=self.finance,
                finalised_by=self.finance,
                finalised_at=snapshot.finalised_at,
            )
