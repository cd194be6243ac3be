"""The text cannot contradict the data: every number and date staff type is tied to its figure and checked.

Seed 000 (2024) and seed 001 (2022, the department report) as they stand: their known contradictions are found, their
correct sentences pass; and mutations of correct sentences — another number, another unit, 万 for 元, a year off by
one, a percentage in another figure's place — are each caught."""

from django.test import TestCase, override_settings

from demo.loader import load_demo
from evaluation.indicators import IndicatorContext
from evaluation.selectors import evaluate
from funds.models import FiscalYear, Program, User
from reports.claim_figures import claim_figures
from reports.claims import check_claims, claims_in

SEED_000_FUNDS = (
    "2024年自治区财政拨付自治区总工会项目资金共计900万元，其中自治区专项帮扶资金123万元、劳模专项补助资金777万元。"
)
SEED_000_HARDSHIP = (
    "自治区专项帮扶资金。自治区财政2024年度预算资金123万元，实际拨付123万元。发放对象为符合《新疆维吾尔自治区工会困难"
    "家庭认定和档案管理办法》不同困难类型建档认定标准的职工、农民工。帮扶困难职工447户1614人，使用资金123万元，资金使用率"
    "达到100%，帮扶对象界定准确率、帮扶标准执行准确率及资金发放方式合规率达到100%。困难职工的生活状况得到进一步改善，受益"
    "对象满意度达到95%以上。"
)
SEED_000_MODEL_WORKERS = (
    "劳模专项补助资金。发放对象为符合《新疆维吾尔自治区总工会劳模专项补助资金使用管理办法（试行）》的我区在册、健在的"
    "自治区劳动模范和先进工作者。发放专项补助资金3623人，使用资金777万元，资金使用率达到100%，发放对象界定准确率、补助"
    "标准执行准确率及资金发放方式合规率达到100%。劳模满意度、荣誉感得到进一步提高，受益对象满意度达到95%以上。"
)
SEED_000_PROCESS = (
    "自治区专项帮扶资金。项目下达资金123万元，实际到位项目资金123万元，已在规定时限内由南疆四地州市工会分别实施，并完成"
    "系统录入工作，资金到位率达到100%、资金使用率达到100%。在档困难职工及已脱困职工对帮扶工作成效满意度及认可度均达到"
    "95%以上。劳模专项补助资金。项目下达资金777万元，实际到位项目资金777万元，已在规定时限内拨付至劳模个人账户中，资金"
    "到位率、使用率、覆盖率均达到100%，劳模满意度达到100%。"
)
SEED_000_INDICATORS = (
    "年初设定指标值：一级指标四类，分别为项目产出指标、项目成本指标、项目效益指标及满意度指标；二级指标六类，分别为数量"
    "指标2个、质量指标1个、时效指标1个、经济成本指标2个、社会效益指标2个及满意度指标2个。"
)
SEED_000_CONTRADICTING = (
    "职工困难帮扶资金。项目下达资金133万元，实际到位项目资金133万元，已在规定时限内由14个地州市工会分别实施，"
    "并完成系统录入工作，资金到位率达到100%、资金使用率达到100%。截止2023年5月17日，全区在档困难职工人数1081户，"
    "专项资金帮扶困难职工1081户，帮扶人数完成率100%，在档困难职工及已脱困职工对帮扶工作成效满意度及认可度均达到95%以上。"
)
SEED_001_SPENDING = (
    "2022年度，自治区财政预算专项帮扶资金及劳模慰问资金925万元，其中专项帮扶资金148万元、劳模专项补助资金777万元。"
    "专项帮扶资金主要用于对不同困难类型的困难职工家庭实施分类施策、精准帮扶。根据《新疆维吾尔自治区工会帮扶资金使用管理"
    "办法》，自治区总工会权益保障部于2022年5月17日制定《自治区财政“三节”送温暖资金分配方案》，分配资金总额148万元，下拨"
    "14个地州市工会实施，资金使用率100%。\n劳模专项补助资金主要用于解决劳模生活困难和落实劳模待遇。自治区总工会经保部于"
    "2021年8月5日制定《2022年自治区劳模专项补助资金分配方案》，发放对象为我区在册且健在的自治区劳模，我区在册健在劳模"
    "4016人，分配资金总额777万元，已发放至劳模个人账户中。\n人员工资、医保、访惠聚经费等资金财政预算632.11万元，都已发放"
    "到位。"
)
SEED_001_PERFORMANCE = (
    "截止2022年5月17日，我区已建档困难职工1455户，按照《中央财政专项帮扶资金使用管理办法》中规定的使用范围，共使用"
    "“三节”送温暖资金148万元，主要用于困难职工生活救助、医疗救助、助学救助、职业培训和职业介绍、法律援助等五个方面。\n"
    "我区在册、健在且符合发放条件的劳模共计4016人（因违法违纪行为或去向不明且失去联系等，暂停享受相关待遇154人，实际"
    "发放专项补助资金劳模3862人），其中，春节慰问金发放3859人，拨付资金385.9万元；生活困难补助金发放322人，拨付资金"
    "276.21万元；特殊困难帮扶金发放127人，拨付资金138.51万元。共使用资金800.62万元，其中财政资金777万元，从自治区总工会"
    "部门预算劳模保障资金中列支23.62万元。"
)
SEED_001_OFFICE = "自治区总工会内设16个处室，有干部职工100余人。"

# (correct text, mutated text) — each mutation must be caught (2024 hardship / model workers, or the 2022 department)
MUTATIONS_2024_HARDSHIP = [
    ("使用资金123万元", "使用资金124万元"),  # another number
    ("使用资金123万元", "使用资金123元"),  # another unit: 万 for 元
    ("实际拨付123万元", "实际拨付1230万元"),
    ("帮扶困难职工447户1614人", "帮扶困难职工446户1614人"),
    ("帮扶困难职工447户1614人", "帮扶困难职工447户1641人"),
    ("帮扶困难职工447户1614人", "帮扶困难职工447人1614人"),  # a count in another unit
    ("资金使用率达到100%", "资金使用率达到90%"),
    ("受益对象满意度达到95%以上", "受益对象满意度达到99%以上"),
    ("自治区财政2024年度预算资金", "自治区财政2023年度预算资金"),  # a year off by one
    ("资金使用率达到100%，帮扶对象", "资金使用率达到53.41%，帮扶对象"),  # the coverage rate in another figure's place
]
MUTATIONS_2024_MODEL_WORKERS = [
    ("发放专项补助资金3623人", "发放专项补助资金3800人"),
    ("使用资金777万元", "使用资金770万元"),
    ("使用资金777万元", "使用资金7770万元"),
]
MUTATIONS_2022_DEPARTMENT = [
    ("劳模慰问资金925万元", "劳模慰问资金952万元"),
    ("其中专项帮扶资金148万元", "其中专项帮扶资金184万元"),
    ("其中财政资金777万元", "其中财政资金770万元"),
    ("列支23.62万元", "列支23.26万元"),
    ("暂停享受相关待遇154人", "暂停享受相关待遇145人"),
    ("春节慰问金发放3859人", "春节慰问金发放3895人"),
    ("拨付资金385.9万元", "拨付资金358.9万元"),
    ("共使用资金800.62万元", "共使用资金8006.2万元"),  # 万 vs 元: the figure in the wrong unit's digits
    ("截止2022年5月17日", "截止2022年5月18日"),  # a date off by a day
    ("于2021年8月5日制定", "于2021年8月15日制定"),
    ("实际发放专项补助资金劳模3862人", "实际发放专项补助资金劳模3801人"),  # the issue's own variants
    ("下拨14个地州市工会", "下拨13个地州市工会"),
    ("资金财政预算632.11万元", "资金财政预算623.11万元"),
]


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class ClaimsTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.auditor = User.objects.get(username="auditor")
        cls.years = {y.year: y for y in FiscalYear.objects.all()}

    def findings(self, text: str, year: int, scope: str):
        """The findings of `text` as a section of the `scope` report (a program code, or "department")."""
        fiscal_year = self.years[year]
        programs = list(Program.objects.all())
        if scope == "department":
            evaluations = [evaluate(user=self.auditor, program=p, fiscal_year=fiscal_year) for p in programs]
            others = []
        else:
            own = next(p for p in programs if p.code == scope)
            evaluations = [evaluate(user=self.auditor, program=own, fiscal_year=fiscal_year)]
            others = [IndicatorContext(program=p, fiscal_year=fiscal_year) for p in programs if p != own]
        figures, words = claim_figures(fiscal_year, evaluations, others)
        default = "" if scope == "department" else scope
        return check_claims(text, figures=figures, programs=words, default_program=default, fiscal_year=year)

    def assert_passes(self, text: str, year: int, scope: str):
        findings = [f.message for f in self.findings(text, year, scope) if f.code != "unverifiable_number"]
        self.assertEqual(findings, [], text)

    def test_seed_000s_correct_sentences_pass(self):
        for text in (SEED_000_FUNDS, SEED_000_HARDSHIP, SEED_000_PROCESS, SEED_000_INDICATORS):
            self.assertEqual(self.findings(text, 2024, "hardship"), [], text)
        for text in (SEED_000_FUNDS, SEED_000_MODEL_WORKERS, SEED_000_INDICATORS):
            self.assertEqual(self.findings(text, 2024, "model_worker"), [], text)

    def test_seed_000s_known_contradictions_are_found_each_naming_the_sentence(self):
        findings = self.findings(SEED_000_CONTRADICTING, 2024, "hardship")
        differs = [f.message for f in findings if f.code == "figure_differs"]
        for claim, truth in (
            ("项目下达资金133万元", "全年预算数应为 123.00万元"),
            ("实际到位项目资金133万元", "实际到位资金应为 123.00万元"),
            ("14个地州市工会", "实施单位数应为 4个"),
            ("截止2023年5月17日", "基准日应为 2024年6月1日"),
            ("困难职工人数1081户", "符合条件对象数应为 837户"),
            ("帮扶困难职工1081户", "帮扶户数应为 447户"),
        ):
            self.assertTrue(any(claim[-8:] in m and truth in m for m in differs), (claim, differs))
        self.assertTrue(all(m.startswith("文中“") for m in differs))
        # “帮扶人数完成率100%” names no figure the data holds: it must be explained or replaced.
        unverifiable = [f.message for f in findings if f.code == "unverifiable_number"]
        self.assertEqual(len(unverifiable), 1)
        self.assertIn("“100%”无法与任何数据项对应核对", unverifiable[0])

    def test_seed_001s_department_report_passes(self):
        self.assert_passes(SEED_001_SPENDING, 2022, "department")
        self.assert_passes(SEED_001_PERFORMANCE, 2022, "department")
        self.assertEqual(self.findings(SEED_001_SPENDING + SEED_001_PERFORMANCE, 2022, "department"), [])

    def test_numbers_the_data_does_not_hold_are_findings_of_their_own_kind(self):
        findings = self.findings(SEED_001_OFFICE, 2022, "department")
        self.assertEqual([f.code for f in findings], ["unverifiable_number", "unverifiable_number"])
        self.assertIn("“16个”", findings[0].message)

    def test_every_mutation_of_a_correct_sentence_is_caught(self):
        cases = (
            [(SEED_000_HARDSHIP, 2024, "hardship", m) for m in MUTATIONS_2024_HARDSHIP]
            + [(SEED_000_MODEL_WORKERS, 2024, "model_worker", m) for m in MUTATIONS_2024_MODEL_WORKERS]
            + [(SEED_001_SPENDING + SEED_001_PERFORMANCE, 2022, "department", m) for m in MUTATIONS_2022_DEPARTMENT]
        )
        self.assertGreaterEqual(len(cases), 20)
        for text, year, scope, (correct, mutated) in cases:
            with self.subTest(mutated=mutated):
                self.assertIn(correct, text)
                findings = self.findings(text.replace(correct, mutated, 1), year, scope)
                self.assertTrue(
                    any(f.code in ("figure_differs", "other_year") for f in findings),
                    (mutated, [f.message for f in findings]),
                )

    def test_the_issues_department_example_is_caught_three_times(self):
        text = "劳模专项补助资金：发放专项补助资金3800人，共使用资金800万元，资金使用率90%。"
        codes = [f.code for f in self.findings(text, 2022, "department")]
        self.assertEqual(codes, ["figure_differs"] * 3)

    def test_numbers_inserted_by_placeholders_and_inside_titles_are_not_read_as_claims(self):
        text = "根据《2019年劳模管理办法（试行）》第3条，使用资金123.00万元。"
        claims, years = claims_in(text, spans=[(text.index("123"), text.index("元") + 1)])
        self.assertEqual((claims, years), ([], []))
