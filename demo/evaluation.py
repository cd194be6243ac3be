"""The demo's evaluation inputs: deadlines, reference days, indicator systems, hand-entered values, one finalised
report."""

import datetime
from decimal import Decimal

from django.conf import settings

from evaluation.indicators import compute_all
from evaluation.models import Indicator, ProgramYearSettings, SatisfactionSurvey
from evaluation.services import indicator_system_start
from evaluation.targets import target_table_review, target_table_save, target_table_start, target_table_submit
from funds.models import (
    FiscalYear,
    Program,
    User,
)
from reports.document import report_for, section_sources
from reports.models import MonitoringReport, Report
from reports.monitoring import build_monitoring
from reports.monitoring_services import (
    monitoring_finalise,
    monitoring_report_create,
    monitoring_request_finalisation,
    warning_explain,
)
from reports.services import report_finalise, report_request_finalisation, report_save, result_application_record


def evaluation_inputs(years: dict[int, FiscalYear], programs: dict[str, Program], finance: User) -> None:
    """Deadlines, the coverage reference day, and each year's indicator system with its hand-entered values."""
    dates = {
        # program: (payment deadline, eligibility reference day) per year
        "hardship": {2022: ((2022, 12, 31), (2022, 5, 17)), 2024: ((2024, 12, 31), (2024, 6, 1))},
        "model_worker": {2022: ((2022, 12, 10), (2022, 11, 25)), 2024: ((2024, 12, 10), (2024, 11, 25))},
    }
    for code, by_year in dates.items():
        for year, (deadline, reference) in by_year.items():
            settings_row = ProgramYearSettings(
                program=programs[code],
                fiscal_year=years[year],
                payment_deadline=datetime.date(*deadline),
                eligibility_date=datetime.date(*reference),
                # The year's performance calendar (seed 000 was filed on 13 March of the following year).
                targets_due=datetime.date(year, 3, 31),
                first_monitoring_on=datetime.date(year, 6, 30),
                second_monitoring_on=datetime.date(year, 8, 31),
                self_evaluation_due=datetime.date(year + 1, 3, 31),
            )
            settings_row.full_clean()
            settings_row.save()
            indicator_system_start(program=programs[code], fiscal_year=years[year], acting_user=finance)
    # The built-in system carries seed 000's 2024 targets; 2022's plan aimed at every archived household (seed 001).
    values_2022 = compute_all(programs["hardship"], years[2022])
    for key in ("households_assisted", "persons_assisted"):
        Indicator.objects.filter(program=programs["hardship"], fiscal_year=years[2022], computed_key=key).update(
            target_value=values_2022[key].value
        )
    # What staff judge and enter by hand: the qualitative benefit (percent of its weight) and the manual surveys.
    Indicator.objects.filter(comparator="qualitative").update(manual_value=Decimal(90), manual_text="达到预期效果")
    Indicator.objects.filter(value_source="manual").exclude(comparator="qualitative").update(manual_value=Decimal(96))


def signed_report(year: FiscalYear, scope: str, finance: User) -> Report:
    """The report of `scope` with its cover filled in as seed 000 signs it: the two responsible persons, filed on
    13 March of the following year; whatever text the report has is kept."""
    report = report_for(fiscal_year=year, scope=scope)
    return report_save(
        report=report,
        sections=section_sources(report),
        goal_text=report.goal_text,
        outcome_text=report.outcome_text,
        responsible_persons=report.responsible_persons or "刘腾、顾宗明",
        filed_on=report.filed_on or datetime.date(year.year + 1, 3, 13),
        acting_user=finance,
    )


def finalised_report(year: FiscalYear, checker: User) -> None:
    """So the auditor finds a finalised report to download: 2024 劳模补助, asked by finance, confirmed by finance2."""
    finance = User.objects.get(username="finance")
    report = signed_report(year, "model_worker", finance)
    report = report_request_finalisation(report=report, acting_user=finance)
    snapshot = report_finalise(report=report, acting_user=checker)
    # 结果应用: the 2024 result into the 2025 budget.
    result_application_record(
        snapshot=snapshot,
        application=settings.RESULT_APPLICATION_LABELS.get(snapshot.grade, "按需安排"),
        proposed_budget=Decimal("7770000.00"),
        reasons="2024年度自评等级为优，在册健在劳模人数稳定，2025年按原标准足额安排。",
        acting_user=finance,
    )


def satisfaction_surveys(years: dict[int, FiscalYear], programs: dict[str, Program]) -> None:
    """受益对象满意度 as the seeds report it: 2022 hardship 1,398 of 1,455 satisfied, model workers all satisfied."""
    for year, program, respondents, satisfied in [
        (2022, "hardship", 1455, 1398),
        (2022, "model_worker", 3862, 3862),
        (2024, "hardship", 447, 429),
        (2024, "model_worker", 3623, 3623),
    ]:
        survey = SatisfactionSurvey(
            program=programs[program],
            fiscal_year=years[year],
            respondents=respondents,
            satisfied=satisfied,
            surveyed_on=datetime.date(year, 12, 20),
            method="电话回访与问卷调查",
        )
        survey.full_clean()
        survey.save()


# What a finance officer writes for each kind of warning the demo's June data raises (the demo pays hardship from
# June to October, after the allocation plan of 20 May).
DEMO_WARNING_TEXTS = {
    "execution_behind": (
        "分配方案5月20日下达，各地州工会6月初起集中发放，上半年执行进度低于时间进度。",
        "督促各地州工会按分配方案于10月底前发放完毕，每月5日前报送发放进度。",
    ),
    "organization_behind": (
        "各地州工会6月初才开始发放，入户核实尚未完成。",
        "向落后单位发函督办，9月底前完成分配额的80%以上。",
    ),
    "indicator_miss": (
        "按发放进度线性推算偏低；帮扶对象已按档案名册确定，随发放推进将全部覆盖。",
        "按名册逐户发放，10月底前完成全部帮扶对象的发放。",
    ),
}


def june_monitoring(year: FiscalYear, program: Program, finance: User, checker: User) -> MonitoringReport:
    """The 2024 hardship monitoring at 30 June: every warning explained by finance, finalised by finance2."""
    report = monitoring_report_create(
        program=program, fiscal_year=year, as_of=datetime.date(year.year, 6, 30), acting_user=finance
    )
    for warning in build_monitoring(report=report, user=finance).monitoring.warnings:
        reason, action = DEMO_WARNING_TEXTS.get(warning.rule.kind, DEMO_WARNING_TEXTS["indicator_miss"])
        warning_explain(
            report=report, warning_key=warning.key, reason=reason, corrective_action=action, acting_user=finance
        )
    report = monitoring_request_finalisation(report=report, acting_user=finance)
    monitoring_finalise(report=report, acting_user=checker)
    return report


# 年度总体目标 as seed 000 and the 劳模 plan state them.
DEMO_GOALS = {
    "hardship": "对447户困难职工家庭实施帮扶，帮扶1614人，资金按标准、按时足额发放到户，"
    "困难职工生活状况得到进一步改善。",
    "model_worker": "向在册健在、符合条件的劳模按标准发放专项补助，确保覆盖率100%、发放准确及时，"
    "劳模荣誉感和获得感进一步提高。",
}


def approved_targets(year: FiscalYear, programs: dict[str, Program], checker: User) -> None:
    """The year's 绩效目标表 for each fund: drafted and submitted by the department, approved by finance."""
    department = User.objects.get(username="department")
    for code, program in programs.items():
        table = target_table_start(program=program, fiscal_year=year, acting_user=department)
        table = target_table_save(table=table, overall_goal=DEMO_GOALS[code], acting_user=department)
        table = target_table_submit(table=table, acting_user=department)
        target_table_review(table=table, approve=True, comment="目标明确、指标可衡量，同意。", acting_user=checker)
