"""The 自评表 downloads as .xlsx, opens with openpyxl and holds the same figures as the evaluation."""

import io

from django.test import TestCase, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from demo.loader import load_demo
from funds.models import User
from tests.reports.pdf_text import pdf_text


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SelfEvaluationWorkbookTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def rows(self, program: str, year: int, username: str = "auditor"):
        self.client.force_login(User.objects.get(username=username))
        response = self.client.get(reverse("reports:self_evaluation_xlsx", args=[program, year]))
        self.assertEqual(response.status_code, 200)
        sheet = load_workbook(io.BytesIO(response.content)).active
        return [[cell.value for cell in row] for row in sheet.iter_rows()]

    def test_2024_hardship_table(self):
        rows = self.rows("hardship", 2024)
        self.assertEqual(rows[0][0], "项目支出绩效自评表")
        total_funds = next(r for r in rows if r[1] == "年度资金总额")
        self.assertEqual(total_funds[3:9], [123, 123, 123, 10, 1, 10])  # 执行率 a number shown as 100.00%
        self.assertEqual(next(r for r in rows if r[1] == "其中：当年财政拨款")[4], 123)
        households = next(r for r in rows if r[3] == "帮扶困难职工户数")
        self.assertEqual(households[4:8], ["≥447户", "447户", 10, 10])
        total = next(r for r in rows if r[0] == "总分")
        self.assertEqual(total[7], 98.5)
        self.assertEqual(total[8], "评价等级：优")
        self.assertIn("四舍五入", rows[-1][0])

    def test_2022_model_workers_show_the_department_budget_as_other_funds(self):
        rows = self.rows("model_worker", 2022)
        total_funds = next(r for r in rows if r[1] == "年度资金总额")
        self.assertEqual(total_funds[4:6], [800.62, 800.62])
        self.assertEqual(next(r for r in rows if r[1] == "其他资金")[4:6], [23.62, 23.62])

    @override_settings(CURRENT_FISCAL_LABEL="本年财政拨款")
    def test_the_current_appropriation_label_is_configurable(self):
        labels = [r[1] for r in self.rows("hardship", 2024)]
        self.assertIn("其中：本年财政拨款", labels)

    def sheet(self, program: str, year: int):
        self.client.force_login(User.objects.get(username="auditor"))
        response = self.client.get(reverse("reports:self_evaluation_xlsx", args=[program, year]))
        return load_workbook(io.BytesIO(response.content)).active

    def test_the_official_layout_merges_prints_and_formats(self):
        sheet = self.sheet("hardship", 2024)
        merged = {str(r) for r in sheet.merged_cells.ranges}
        header = next(row[0].row for row in sheet.iter_rows() if row[1].value == "一级指标")
        last = next(row[0].row for row in sheet.iter_rows() if row[0].value == "总分") - 1
        self.assertIn(f"A{header}:A{last}", merged)  # 绩效指标 over the header and every indicator
        self.assertEqual(sheet[f"A{header}"].value, "绩效指标")
        # 一级 产出指标 covers its four indicators; 二级 数量指标 its two.
        self.assertIn(f"B{header + 1}:B{header + 4}", merged)
        self.assertEqual(sheet[f"B{header + 1}"].value, "产出指标")
        self.assertIn(f"C{header + 1}:C{header + 2}", merged)
        funds = next(row[0].row for row in sheet.iter_rows() if row[0].value == "项目资金（万元）")
        self.assertIn(f"A{funds}:A{funds + 4}", merged)  # its header row, 年度资金总额 and three sources
        # Numbers are numbers with the official formats; targets are text as written, with no apostrophe.
        households = header + 1
        self.assertEqual(sheet[f"G{households}"].number_format, "0")
        self.assertEqual(sheet[f"H{households}"].number_format, "0.00")
        self.assertEqual(sheet[f"D{funds + 1}"].number_format, "#,##0.00")
        self.assertEqual(sheet[f"H{funds + 1}"].number_format, "0.00%")
        targets = [sheet[f"E{row}"] for row in range(header + 1, last + 1)]
        self.assertIn("=100%", [cell.value for cell in targets])
        for cell in targets:
            self.assertEqual(cell.data_type, "s", cell.value)
            self.assertFalse(str(cell.value).startswith("'"), cell.value)
        self.assertEqual(sheet[f"D{households}"].font.name, "宋体")
        self.assertEqual(sheet[f"D{households}"].border.left.style, "thin")
        # Print: A4 landscape, one page wide, the indicator header repeated; 130 character-widths in all.
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertEqual(str(sheet.page_setup.paperSize), str(sheet.PAPERSIZE_A4))
        self.assertEqual((sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight), (1, 0))
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(sheet.print_title_rows, f"${header}:${header}")
        self.assertLessEqual(sum(sheet.column_dimensions[c].width for c in "ABCDEFGHI"), 130)

    def test_operators_cannot_download_it(self):
        self.client.force_login(User.objects.get(username="kashgar"))
        url = reverse("reports:self_evaluation_xlsx", args=["hardship", 2024])
        self.assertEqual(self.client.get(url).status_code, 403)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class SelfEvaluationPdfTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()

    def test_the_pdf_holds_the_table_and_figures_with_official_page_numbers(self):
        self.client.force_login(User.objects.get(username="auditor"))
        response = self.client.get(reverse("reports:self_evaluation_pdf", args=["hardship", 2024]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        text = pdf_text(response.content)
        fonts = pdf_text(response.content, tool="pdffonts")
        for expected in ("项目支出绩效自评表", "（2024年度）", "447户", "1,614人", "98.50", "评价等级：优", "四舍五入"):
            self.assertIn(expected, text)
        self.assertRegex(text, r"—\s*1\s*—")  # page numbers as "— N —"
        self.assertRegex(text, r"—\s*2\s*—")
        self.assertEqual(text.count("三级指标"), 2)  # the table's header repeats on the second page
        self.assertIn("CJK", fonts)  # a CJK face is embedded, so no tofu boxes

    def test_the_report_body_is_set_in_the_shipped_fangsong_face_subset_embedded(self):
        self.client.force_login(User.objects.get(username="auditor"))
        response = self.client.get(reverse("reports:report_pdf", args=["model_worker", 2024]))
        fangsong = [line for line in pdf_text(response.content, tool="pdffonts").splitlines() if "FandolFang" in line]
        self.assertTrue(fangsong, "the body face is embedded")
        # pdffonts: name type encoding emb sub uni — a subset ("ABCDEF+FandolFang") embedded with a Unicode map.
        self.assertRegex(fangsong[0], r"^[A-Z]{6}\+FandolFang")
        self.assertRegex(fangsong[0], r"\byes\s+yes\s+yes\b")
