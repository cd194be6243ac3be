from django.db import models
from django.utils.translation import gettext_lazy as _


class Level1(models.TextChoices):
    OUTPUT = "output", _("产出指标")
    COST = "cost", _("成本指标")
    BENEFIT = "benefit", _("效益指标")
    SATISFACTION = "satisfaction", _("满意度指标")


class Level2(models.TextChoices):
    QUANTITY = "quantity", _("数量指标")
    QUALITY = "quality", _("质量指标")
    TIMELINESS = "timeliness", _("时效指标")
    ECONOMIC_COST = "economic_cost", _("经济成本指标")
    SOCIAL_BENEFIT = "social_benefit", _("社会效益指标")
    SATISFACTION = "satisfaction", _("服务对象满意度指标")


# Which level-2 categories may sit under each level-1 category (财预〔2020〕10号 framework).
LEVEL2_UNDER_LEVEL1 = {
    Level1.OUTPUT: {Level2.QUANTITY, Level2.QUALITY, Level2.TIMELINESS},
    Level1.COST: {Level2.ECONOMIC_COST},
    Level1.BENEFIT: {Level2.SOCIAL_BENEFIT},
    Level1.SATISFACTION: {Level2.SATISFACTION},
}


class Comparator(models.TextChoices):
    EQ = "eq", "="
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    QUALITATIVE = "qualitative", _("定性")


class Unit(models.TextChoices):
    PERCENT = "percent", "%"
    HOUSEHOLDS = "households", _("户")
    PERSONS = "persons", _("人")
    WAN_YUAN = "wan_yuan", _("万元")
    YUAN = "yuan", _("元")
    YUAN_PER_PERSON = "yuan_per_person", _("元/人")
    YUAN_PER_HOUSEHOLD = "yuan_per_household", _("元/户")
    NONE = "none", _("无")


class ValueSource(models.TextChoices):
    COMPUTED = "computed", _("系统计算")
    MANUAL = "manual", _("手工填报")


class ComputedKey(models.TextChoices):
    """The indicator functions of the evaluation engine (evaluation.indicators, issue 4) by key."""

    FUNDS_RECEIVED_RATE = "funds_received_rate", _("资金到位率")
    BUDGET_EXECUTION_RATE = "budget_execution_rate", _("预算执行率（资金使用率）")
    HOUSEHOLDS_ASSISTED = "households_assisted", _("帮扶户数")
    PERSONS_ASSISTED = "persons_assisted", _("帮扶人数")
    PERSONS_PAID = "persons_paid", _("发放人数")
    COVERAGE_RATE = "coverage_rate", _("覆盖率")
    TARGETING_ACCURACY = "targeting_accuracy", _("对象界定准确率")
    STANDARD_ACCURACY = "standard_accuracy", _("补助标准执行准确率")
    PAYMENT_METHOD_COMPLIANCE = "payment_method_compliance", _("发放方式合规率")
    ON_TIME_RATE = "on_time_rate", _("按时发放率")
    AVERAGE_PER_HOUSEHOLD = "average_per_household", _("户均补助")
    AVERAGE_PER_PERSON = "average_per_person", _("人均补助")
    SATISFACTION_RATE = "satisfaction_rate", _("受益对象满意度")


class WarningKind(models.TextChoices):
    """The kinds of 绩效运行监控 warning rule; a rule's thresholds are data (evaluation.WarningRule)."""

    EXECUTION_BEHIND = "execution_behind", _("预算执行进度落后于时间进度")
    LARGE_PROJECT_LOW = "large_project_low", _("大额项目执行率偏低")
    ORGANIZATION_BEHIND = "organization_behind", _("单位执行进度落后于时间进度")
    INDICATOR_MISS = "indicator_miss", _("绩效指标预计无法完成")
    INDICATOR_OVERSHOOT = "indicator_overshoot", _("绩效指标预计大幅超额完成")


class ProjectionMethod(models.TextChoices):
    """How a monitoring report projects an indicator to the year's end (printed beside each figure)."""

    LINEAR = "linear", _("按时间进度线性推算（截至监控日完成值 ÷ 时间进度）")
    LINEAR_ROSTER = "linear_roster", _("按时间进度线性推算，以监控日名册中符合条件的对象数为上限")
    ROSTER = "roster", _("按名册推算：预计发放人数（线性推算，以名册为上限） ÷ 监控日名册中符合条件的对象数")
    RATE = "rate", _("按已发放部分的比率推算（比率不随时间累积）")
    AS_IS = "as_is", _("按截至监控日实际数，不外推")
    NONE = "none", _("年末调查或手工填报，不作预测")


class DeviationFlag(models.TextChoices):
    MISS = "miss", _("预计无法完成")
    OVERSHOOT = "overshoot", _("预计超额 30% 以上")


class ScoringRuleKind(models.TextChoices):
    """What a province adds to 财预〔2020〕10号's scoring (evaluation.ScoringRule)."""

    EXECUTION_CAP = "execution_cap", _("预算执行率封顶：执行率在区间内的，总分不高于封顶分")
    OVERSHOOT_DEDUCTION = "overshoot_deduction", _("超目标扣分：指标超过年度指标值达规定比例的，扣减分值")


class TargetStatus(models.TextChoices):
    """绩效目标申报: the department drafts and submits (送审), finance approves (审核通过) or returns (退回)."""

    DRAFT = "draft", _("编制中")
    SUBMITTED = "submitted", _("已送审")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("审核通过")


class TargetEvent(models.TextChoices):
    SUBMITTED = "submitted", _("送审")
    RETURNED = "returned", _("退回")
    APPROVED = "approved", _("审核通过")
    ADJUSTED = "adjusted", _("目标调整")
