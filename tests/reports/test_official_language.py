"""Official outputs are Chinese whatever the interface language: the finalised snapshot, every draft, the 自评表, the
evidence, the error report, the templates — and their file names (RFC 5987, with an ASCII fallback)."""

import io
import re
from urllib.parse import unquote

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from evaluation.choices import ComputedKey
from reports.document import build_document, data_version, report_for
from tests.reports.pdf_text import pdf_text
from tests.reports.test_report import ReportTestCase

ENGLISH_TRACES = ("Basic information", "10k yuan", "Self-evaluation", "Indicator", "Total")


def names(response) -> tuple[str, str]:
    """(ASCII fallback, the UTF-8 name) of a download."""
    header = response["Content-Disposition"]
    fallback = re.search(r'filename="([^"]+)"', header).group(1)
    utf8 = unquote(re.search(r"filename\*=UTF-8''(.+)$", header).group(1))
    return fallback, utf8


class OfficialLanguageTest(ReportTestCase):
    def english_client(self, user):
        self.client.force_login(user)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        assert "Fund overview" in self.client.get(reverse("funds:home")).content.decode()
        return self.client

    def test_a_report_finalised_from_the_english_interface_is_stored_in_chinese(self):
        with translation.override("en"):
            snapshot = self.finalise(report_for(fiscal_year=self.y2024, scope="hardship"))
            english_version = data_version(build_document(report=snapshot.report, user=self.finance))
        text = pdf_text(snapshot.pdf.read())
        for chinese in ("一、基本情况", "八、其他需要说明的问题", "项目支出绩效自评表", "万元"):
            self.assertIn(chinese, text)
        for english in ENGLISH_TRACES:
            self.assertNotIn(english, text)
        workbook = load_workbook(io.BytesIO(snapshot.xlsx.read()))
        for sheet in workbook.worksheets:
            self.assertFalse(re.search(r"[A-Za-z]{3}", sheet.title), sheet.title)
        cells = " ".join(str(c.value) for row in workbook.worksheets[0].iter_rows() for c in row if c.value)
        self.assertIn("年度指标值", cells)
        for english in ENGLISH_TRACES:
            self.assertNotIn(english, cells)
        # The same data gives the same data version in either interface language (so "outdated" cannot flip).
        self.assertEqual(english_version, snapshot.data_version)

    def test_downloads_from_the_english_interface_are_chinese_and_named_in_chinese(self):
        client = self.english_client(self.finance)
        draft = client.get(reverse("reports:report_pdf", args=["hardship", 2024]))
        self.assertEqual(
            names(draft),
            ("self-evaluation-report-2024-hardship-draft.pdf", "2024年度自治区专项帮扶资金绩效自评报告（草稿）.pdf"),
        )
        self.assertIn("一、基本情况", pdf_text(draft.content))
        table = client.get(reverse("reports:self_evaluation_xlsx", args=["model_worker", 2024]))
        self.assertEqual(names(table)[1], "2024年度劳模专项补助资金绩效自评表.xlsx")

        evidence = client.get(
            reverse("evaluation:evidence", args=["model_worker", 2024, ComputedKey.TARGETING_ACCURACY]),
            {"format": "xlsx", "part": "excluded"},
        )
        self.assertEqual(names(evidence)[1], "2024年度劳模补助对象界定准确率计算明细（未计入分子的记录）.xlsx")
        header = [c.value for c in load_workbook(io.BytesIO(evidence.content)).active[2]]
        self.assertEqual(header[:3], ["发放日期", "姓名", "身份证号（脱敏）"])

        template = client.get(reverse("imports:import_template", args=["disbursements"]), {"program": "hardship"})
        self.assertEqual(names(template), ("template-disbursements-hardship.xlsx", "发放明细模板（帮扶资金）.xlsx"))
        sheets = load_workbook(io.BytesIO(template.content)).sheetnames
        self.assertEqual(sheets, ["数据", "填写说明"])
