"""The section structure of the two reports, and the text each section starts with.

Project report: seed 000's 一、基本情况 … 八、其他需要说明的问题 (the seed numbers a stray 五 twice; here 五 to 八 follow
财预〔2020〕10号's template: 主要经验及做法 / 存在的问题及原因分析 / 有关建议 / 其他需要说明的问题). Department-wide report:
seed 001's eight parts, the last being the 自评表 itself.

The starting texts are the seeds' own wording with every figure replaced by its placeholder, so a new report is
already consistent with the data; staff then edit the wording, never the figures.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from funds.choices import BeneficiaryKind
from reports.choices import ReportKind


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    level: int  # 1: 一、 (黑体)  2: （一） (楷体)
    default: dict[str, str] = field(default_factory=dict)  # by beneficiary kind; "" applies to every program
    editable: bool = True  # False: a heading only, or the 自评表 itself
    charts: bool = False  # the charts follow this section's text

    def default_for(self, beneficiary_kind: str) -> str:
        return self.default.get(beneficiary_kind, self.default.get("", ""))


H, M = BeneficiaryKind.HOUSEHOLD, BeneficiaryKind.MODEL_WORKER

PROJECT_OUTLINE = [
    Section("basic", _("一、基本情况"), 1, editable=False),
    Section(
        "overview",
        _("（一）项目概况。"),
        2,
        {
            H: "{{ 年度 }}年{{ 预算来源明细 }}，用于{{ 项目名称 }}，全年预算{{ 全年预算数 }}，"
            "实际到位资金{{ 实际到位资金 }}。"
            "发放对象为符合《新疆维吾尔自治区工会困难家庭认定和档案管理办法》不同困难类型建档认定标准的职工、农民工。"
            "帮扶困难职工{{ 帮扶户数 }}{{ 帮扶人数 }}，使用资金{{ 使用资金 }}，资金使用率达到{{ 资金使用率 }}。",
            M: "{{ 年度 }}年{{ 预算来源明细 }}，用于{{ 项目名称 }}，全年预算{{ 全年预算数 }}，"
            "实际到位资金{{ 实际到位资金 }}。"
            "发放对象为我区在册、健在的自治区劳动模范和先进工作者、全国五一劳动奖章获得者、享受自治区劳模待遇人员。"
            "截至{{ 基准日 }}，我区在册健在劳模{{ 在册健在人数 }}，其中暂停享受待遇{{ 暂停人数 }}，"
            "实际发放专项补助资金{{ 发放人数 }}，合计使用资金{{ 使用资金 }}（{{ 资金来源明细 }}），"
            "资金使用率达到{{ 资金使用率 }}。其中，{{ 发放明细 }}。",
        },
    ),
    Section(
        "goals",
        _("（二）项目绩效目标。"),
        2,
        {
            H: "帮扶在档困难职工家庭，改善困难职工的生活状况。年度绩效目标：{{ 绩效目标 }}。",
            M: "按标准将专项补助资金发放到劳模个人账户，提高劳模满意度、荣誉感。年度绩效目标：{{ 绩效目标 }}。",
        },
    ),
    Section("work", _("二、绩效评价工作开展情况"), 1, editable=False),
    Section(
        "scope",
        _("（一）绩效评价目的、对象和范围。"),
        2,
        {
            H: "按照《新疆维吾尔自治区工会帮扶资金使用管理办法》要求，坚持“分级负责、精准识别、一户一档、动态管理”原则，"
            "明确“先建档、后帮扶、实名制”程序，确保每笔帮扶资金安全、及时落到实处。",
            M: "劳模专项补助资金发放工作在劳模生活状况摸底调查工作完成后方可进行。10月底前完成劳模生活状态摸底调查工作，"
            "11月底至12月初将劳模补助资金发放到劳模手中。",
        },
    ),
    Section(
        "method",
        _("（二）绩效评价原则、评价指标体系、评价方法、评价标准等。"),
        2,
        {"": "年初设定指标值：{{ 指标体系 }}。各指标的年度指标值、实际完成值和得分见附表。"},
    ),
    Section(
        "process",
        _("（三）绩效评价工作过程。"),
        2,
        {
            "": "专项资金由{{ 主管部门 }}统一管理，{{ 实施部门 }}具体组织实施，实行先预算，后经党组会议审议通过，"
            "再实报实销，事后由经费审查委员会办公室进行定期监督检查。"
        },
    ),
    Section(
        "conclusion",
        _("三、综合评价情况及评价结论"),
        1,
        {"": "经自评，{{ 项目名称 }}{{ 年度 }}年度绩效自评得分{{ 总分 }}，评价等级为“{{ 评价等级 }}”。"},
    ),
    Section("analysis", _("四、绩效评价指标分析"), 1, editable=False),
    Section(
        "decision",
        _("（一）项目决策情况。"),
        2,
        {"": "项目立项依据充分，绩效目标明确，资金分配方案经党组会议审议通过。"},
    ),
    Section(
        "process_analysis",
        _("（二）项目过程情况。"),
        2,
        {
            H: "项目下达资金{{ 全年预算数 }}，实际到位项目资金{{ 实际到位资金 }}，由{{ 实施单位数 }}地州市工会"
            "（{{ 实施单位 }}）分别实施，资金到位率达到{{ 资金到位率 }}、资金使用率达到{{ 资金使用率 }}。",
            M: "项目下达资金{{ 全年预算数 }}，实际到位项目资金{{ 实际到位资金 }}，已拨付至劳模个人账户中，"
            "资金到位率{{ 资金到位率 }}、资金使用率{{ 资金使用率 }}、覆盖率{{ 覆盖率 }}。",
        },
    ),
    Section(
        "outputs",
        _("（三）项目产出情况。"),
        2,
        {
            H: "帮扶困难职工{{ 帮扶户数 }}{{ 帮扶人数 }}，户均补助{{ 户均补助 }}。对象界定准确率{{ 对象界定准确率 }}，"
            "补助标准执行准确率{{ 补助标准执行准确率 }}，发放方式合规率{{ 发放方式合规率 }}，按时发放率{{ 按时发放率 }}。",
            M: "发放专项补助资金{{ 发放人数 }}，人均补助{{ 人均补助 }}。对象界定准确率{{ 对象界定准确率 }}，"
            "补助标准执行准确率{{ 补助标准执行准确率 }}，发放方式合规率{{ 发放方式合规率 }}，按时发放率{{ 按时发放率 }}。",
        },
        charts=True,
    ),
    Section(
        "benefits",
        _("（四）项目效益情况。"),
        2,
        {
            H: "缓解了困难职工的困难状况，架起了困难职工与党和政府的“连心桥”。受益对象满意度{{ 受益对象满意度 }}。",
            M: "弘扬了劳模精神、劳动精神、工匠精神，在全社会进一步树立起尊重劳模、崇尚劳动的社会氛围。"
            "受益对象满意度{{ 受益对象满意度 }}。",
        },
    ),
    Section("experience", _("五、主要经验及做法"), 1, {"": ""}),
    Section("problems", _("六、存在的问题及原因分析"), 1, {"": ""}),
    Section("suggestions", _("七、有关建议"), 1, {"": "无"}),
    Section("other", _("八、其他需要说明的问题"), 1, {"": "无"}),
]

DEPARTMENT_OUTLINE = [
    Section(
        "overview",
        _("一、基本概况"),
        1,
        {
            "": "{{ 部门名称 }}是全区地方工会、产业工会的领导机关，是职工自愿结合的工人阶级的群众组织，"
            "属于自治区财政一级预算单位。"
        },
    ),
    Section(
        "spending",
        _("二、部门单位整体支出管理及使用情况"),
        1,
        {
            "": "{{ 年度 }}年度，自治区财政预算专项资金{{ 专项资金财政拨款 }}，{{ 专项资金财政拨款明细 }}；"
            "连同其他资金，专项资金全年预算{{ 专项资金预算 }}（{{ 专项资金明细 }}）。其他预算支出{{ 其他预算支出 }}：{{ 其他预算明细 }}。部门预算合计{{ 部门预算合计 }}，"
            "全年执行{{ 部门执行合计 }}，预算执行率{{ 部门预算执行率 }}。"
        },
        charts=True,
    ),
    Section(
        "implementation",
        _("三、部门单位专项组织实施情况"),
        1,
        {
            "": "专项帮扶资金坚持“分级负责、精准识别、一户一档、动态管理”原则，明确“先建档、后帮扶、实名制”程序。"
            "劳模专项补助资金在劳模生活状况摸底调查完成后发放到劳模个人账户。"
        },
    ),
    Section(
        "assets",
        _("四、资产管理情况"),
        1,
        {
            "": "专项资金严格按照相关专项资金使用管理办法予以监管，明确专项经费的使用范围、使用计划、审批报账等程序，"
            "事后由经费审查委员会办公室进行定期监督检查。"
        },
    ),
    Section(
        "performance",
        _("五、部门单位整体支出绩效情况"),
        1,
        {
            "": "专项帮扶资金：帮扶困难职工{{ 帮扶资金·帮扶户数 }}{{ 帮扶资金·帮扶人数 }}，"
            "使用资金{{ 帮扶资金·使用资金 }}，资金使用率{{ 帮扶资金·资金使用率 }}，自评得分{{ 帮扶资金·总分 }}。"
            "劳模专项补助资金：截至{{ 劳模补助·基准日 }}，在册健在劳模{{ 劳模补助·在册健在人数 }}，"
            "其中暂停享受待遇{{ 劳模补助·暂停人数 }}，实际发放{{ 劳模补助·发放人数 }}，"
            "{{ 劳模补助·发放明细 }}；共使用资金{{ 劳模补助·使用资金 }}（{{ 劳模补助·资金来源明细 }}），"
            "自评得分{{ 劳模补助·总分 }}。"
        },
    ),
    Section("problems", _("六、存在的主要问题"), 1, {"": ""}),
    Section("improvements", _("七、改进措施和建议"), 1, {"": ""}),
    Section("appendix", _("八、附表：《部门整体支出绩效目标自评表》"), 1, editable=False),
]

OUTLINES = {ReportKind.PROJECT: PROJECT_OUTLINE, ReportKind.DEPARTMENT: DEPARTMENT_OUTLINE}


def outline_for(kind: str) -> list[Section]:
    return OUTLINES[ReportKind(kind)]
