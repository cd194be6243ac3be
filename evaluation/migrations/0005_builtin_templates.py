"""The built-in indicator system, mirroring seed 000 (2024): ten level-3 indicators per program —
数量 2, 质量 1, 时效 1, 经济成本 2, 社会效益 2, 满意度 2 — plus 预算执行率 (10 points, scored apart).

Weights follow the default split: 产出 and 成本 50 (数量 10 + 10, 质量 10, 时效 10, 经济成本 5 + 5), 效益 30 (15 + 15),
满意度 10 (5 + 5). Targets are seed 000's figures; finance staff edit them per year.
"""

from django.db import migrations

# (level1, level2, name, comparator, target value, target text, unit, weight, source, computed key)
SYSTEMS = {
    "hardship": [
        ("output", "quantity", "帮扶困难职工户数", "gte", 447, "", "households", 10, "computed", "households_assisted"),
        ("output", "quantity", "帮扶困难职工人数", "gte", 1614, "", "persons", 10, "computed", "persons_assisted"),
        ("output", "quality", "帮扶对象界定准确率", "eq", 100, "", "percent", 10, "computed", "targeting_accuracy"),
        ("output", "timeliness", "资金按时发放率", "eq", 100, "", "percent", 10, "computed", "on_time_rate"),
        ("cost", "economic_cost", "帮扶标准执行准确率", "eq", 100, "", "percent", 5, "computed", "standard_accuracy"),
        ("cost", "economic_cost", "资金发放方式合规率", "eq", 100, "", "percent", 5, "computed",
         "payment_method_compliance"),
        ("benefit", "social_benefit", "困难职工生活状况改善", "qualitative", None, "困难职工生活状况得到进一步改善", "none",
         15, "manual", ""),
        ("benefit", "social_benefit", "资金使用率", "eq", 100, "", "percent", 15, "computed", "budget_execution_rate"),
        ("satisfaction", "satisfaction", "受益对象满意度", "gte", 95, "", "percent", 5, "computed", "satisfaction_rate"),
        ("satisfaction", "satisfaction", "在档及已脱困职工认可度", "gte", 95, "", "percent", 5, "manual", ""),
    ],
    "model_worker": [
        ("output", "quantity", "劳模补助发放人数", "gte", 3623, "", "persons", 10, "computed", "persons_paid"),
        ("output", "quantity", "在册健在劳模覆盖率", "eq", 100, "", "percent", 10, "computed", "coverage_rate"),
        ("output", "quality", "发放对象界定准确率", "eq", 100, "", "percent", 10, "computed", "targeting_accuracy"),
        ("output", "timeliness", "资金按时发放率", "eq", 100, "", "percent", 10, "computed", "on_time_rate"),
        ("cost", "economic_cost", "补助标准执行准确率", "eq", 100, "", "percent", 5, "computed", "standard_accuracy"),
        ("cost", "economic_cost", "资金发放方式合规率", "eq", 100, "", "percent", 5, "computed",
         "payment_method_compliance"),
        ("benefit", "social_benefit", "劳模荣誉感和获得感", "qualitative", None, "劳模满意度、荣誉感得到进一步提高", "none",
         15, "manual", ""),
        ("benefit", "social_benefit", "资金使用率", "eq", 100, "", "percent", 15, "computed", "budget_execution_rate"),
        ("satisfaction", "satisfaction", "受益对象满意度", "gte", 95, "", "percent", 5, "computed", "satisfaction_rate"),
        ("satisfaction", "satisfaction", "劳模对补助发放工作满意度", "gte", 95, "", "percent", 5, "manual", ""),
    ],
}


def create(apps, schema_editor):
    Program = apps.get_model("funds", "Program")
    IndicatorTemplate = apps.get_model("evaluation", "IndicatorTemplate")
    for code, rows in SYSTEMS.items():
        program = Program.objects.get(code=code)
        for order, (l1, l2, name, comparator, value, text, unit, weight, source, key) in enumerate(rows, start=1):
            IndicatorTemplate.objects.create(
                program=program,
                level1=l1,
                level2=l2,
                name=name,
                comparator=comparator,
                target_value=value,
                target_text=text,
                unit=unit,
                weight=weight,
                value_source=source,
                computed_key=key,
                sort_order=order,
            )


def remove(apps, schema_editor):
    apps.get_model("evaluation", "IndicatorTemplate").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0004_settings_permissions"), ("funds", "0002_reference_data")]
    operations = [migrations.RunPython(create, remove)]
