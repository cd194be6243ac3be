"""The report PDF as GB/T 9704 lays it out: the cover and its signature block, the 22 × 28 grid, headings kept
with their text, the 自评表 on landscape pages with unbroken labels, charts at a readable size."""

import datetime
import re
import subprocess
import tempfile

from django.template.loader import render_to_string
from django.test import TestCase, override_settings
from django.urls import reverse
from weasyprint import HTML

from demo.loader import load_demo
from evaluation.charts import PROGRAM_COLOURS, fund_flow_chart
from evaluation.indicators import IndicatorContext
from funds.models import FiscalYear, Program, User
from reports.document import build_document, report_for, section_sources
from reports.pdf import render_pdf
from reports.rendering import report_pdf
from reports.services import report_save

LONG_PARAGRAPH = "困难职工帮扶资金实名制发放到户" * 60  # 900 characters, all CJK: 32 full lines


def pages(content: bytes) -> list[str]:
    """Each page's text as `pdftotext -layout` sets it out."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(content)
        pdf.flush()
        text = subprocess.run(["pdftotext", "-layout", pdf.name, "-"], capture_output=True, text=True, check=True)
        info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", pdf.name], capture_output=True, text=True)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info.stdout)
    texts = text.stdout.split("\f")[: len(sizes)]
    return [(t, (float(w), float(h))) for t, (w, h) in zip(texts, sizes, strict=True)]


def body_lines(text: str) -> list[str]:
    """Non-empty lines other than the page number."""
    return [
        line.strip() for line in text.splitlines() if line.strip() and not re.fullmatch(r"—\s*\d+\s*—", line.strip())
    ]


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class ReportLayoutTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.finance = User.objects.get(username="finance")
        cls.y2024 = FiscalYear.objects.get(year=2024)

    def render(self, **sections):
        report = report_for(fiscal_year=self.y2024, scope="hardship")
        report = report_save(
            report=report,
            sections=section_sources(report) | sections,
            goal_text="",
            outcome_text="",
            responsible_persons="刘腾、顾宗明",
            filed_on=datetime.date(2025, 3, 13),
            acting_user=self.finance,
        )
        return pages(report_pdf(build_document(report=report, user=self.finance), draft=False))

    def test_the_cover_carries_the_signature_block_and_the_text_starts_at_page_one(self):
        result = self.render()
        cover = body_lines(result[0][0])
        for expected in (
            "自治区专项帮扶资金绩效自评报告",
            "项目名称：自治区专项帮扶资金",
            "实施单位（公章）：新疆维吾尔自治区总工会",
            "主管部门（公章）：新疆维吾尔自治区总工会",
            "项目负责人（签章）：刘腾、顾宗明",
            "填报时间：2025年03月13日",  # the report's field, not the day it was rendered
        ):
            self.assertIn(expected, cover)
        self.assertNotRegex(result[0][0], r"—\s*\d+\s*—")  # the cover is not numbered
        self.assertEqual(body_lines(result[1][0]), [])  # its back is blank, so the text starts on a right page
        self.assertRegex(result[2][0], r"—\s*1\s*—")
        self.assertEqual(body_lines(result[2][0])[0], "一、基本情况")

    def test_a_page_of_body_text_holds_22_lines_of_28_characters(self):
        result = self.render(overview=LONG_PARAGRAPH)
        first = body_lines(result[2][0])
        self.assertLessEqual(abs(len(first) - 22), 1, first)
        full = [line for line in first if re.fullmatch(r"[\u4e00-\u9fff]+", line)]
        self.assertTrue(full)
        self.assertEqual({len(line) for line in full[1:-1]}, {28}, full)

    def test_the_table_is_on_landscape_pages_and_labels_are_not_broken(self):
        result = self.render()
        landscape = [text for text, (width, height) in result if width > height]
        self.assertTrue(landscape)
        self.assertIn("项目支出绩效自评表", landscape[0])
        portrait = [text for text, (width, height) in result if width < height]
        self.assertTrue(all("偏差原因分析及改进措施" not in text for text in portrait))
        table = "\n".join(landscape)
        for label in ("产出指标", "效益指标", "满意度指标", "社会效益指标", "经济成本指标", "服务对象满意度"):
            self.assertIn(label, table)
        self.assertGreaterEqual(table.count("三级指标"), len(landscape))  # the header on every table page

    def test_a_short_last_section_never_stands_alone_on_a_page(self):
        style = render_to_string("reports/_pdf_style.html")
        line = "<p class='body'>" + "资" * 20 + "</p>"

        def last_page(heading_class: str) -> list[str]:
            html = style + line * 21 + f"<h2 class='{heading_class}'>八、其他需要说明的问题</h2><p class='body'>无</p>"
            return body_lines(pages(HTML(string=html).write_pdf())[-1][0])

        self.assertEqual(last_page(""), ["八、其他需要说明的问题", "无"])  # what the rule prevents
        kept = last_page("short")
        self.assertGreater(len(kept), 2)
        self.assertEqual(kept[-2:], ["八、其他需要说明的问题", "无"])

    def test_the_rule_applies_to_the_report_s_short_sections(self):
        document = build_document(report=report_for(fiscal_year=self.y2024, scope="hardship"), user=self.finance)
        other = next(s for s in document.sections if s.key == "other")
        self.assertTrue(other.is_short)
        self.assertFalse(next(s for s in document.sections if s.key == "overview").is_short)

    def test_charts_print_at_ten_points_or_more_with_one_colour_per_fund_and_a_chinese_axis(self):
        contexts = [IndicatorContext(program=p, fiscal_year=self.y2024) for p in Program.objects.order_by("pk")]
        svg = str(fund_flow_chart(contexts).svg)
        width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
        size = float(re.search(r'font-size="([\d.]+)"', svg).group(1))
        # The PDF draws the chart 156 mm (442 pt) wide: a unit prints as 442 / width points.
        self.assertGreaterEqual(size * 442 / width, 10)
        fills = re.findall(r'<rect [^>]*fill="(#[0-9a-f]+)"', svg)
        self.assertEqual(fills, [PROGRAM_COLOURS["hardship"]] * 4 + [PROGRAM_COLOURS["model_worker"]] * 4)
        self.assertIn("金额（万元）", svg)

    def test_the_pdf_helper_embeds_every_face_it_uses(self):
        content = render_pdf(
            "reports/self_evaluation_pdf.html",
            {
                "table": build_document(
                    report=report_for(fiscal_year=self.y2024, scope="hardship"), user=self.finance
                ).table
            },
        )
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(content)
            pdf.flush()
            fonts = subprocess.run(["pdffonts", pdf.name], capture_output=True, text=True, check=True).stdout
        for line in fonts.splitlines()[2:]:
            self.assertRegex(line, r"\byes\s+yes\b", line)  # embedded and subset


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class DraftCacheTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.finance = User.objects.get(username="finance")

    def test_a_second_download_of_unchanged_data_is_not_rendered_again(self):
        from unittest import mock

        from django.core.cache import cache

        from reports import rendering

        cache.clear()
        self.client.force_login(self.finance)
        url = reverse("reports:report_pdf", args=["hardship", 2024])
        # A spy, not a stand-in: the real renderer runs, and the test counts how often.
        with mock.patch("reports.views.report_pdf", wraps=rendering.report_pdf) as made:
            first = self.client.get(url, {"download_token": "abcdefgh12"})
            second = self.client.get(url)
            self.assertEqual(made.call_count, 1)
            self.assertEqual(first.content, second.content)
            # The page learns that the file arrived (app.js stops showing 正在生成).
            self.assertEqual(first.cookies["download_abcdefgh12"].value, "1")
            self.assertNotIn("download_abcdefgh12", second.cookies)
            # Text staff change is a new file.
            report = report_for(fiscal_year=FiscalYear.objects.get(year=2024), scope="hardship")
            report_save(
                report=report,
                sections=section_sources(report) | {"other": "另有说明。"},
                goal_text="",
                outcome_text="",
                responsible_persons="",
                acting_user=self.finance,
            )
            third = self.client.get(url)
            self.assertEqual(made.call_count, 2)
            self.assertNotEqual(third.content, first.content)
