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
