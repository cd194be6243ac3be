from django.contrib import admin

from core.admin import ReadOnlyAdmin, RestrictedAdmin
from evaluation.models import (
    Indicator,
    IndicatorTemplate,
    ProgramYearSettings,
    SatisfactionSurvey,
    ScoringPolicy,
    ScoringRule,
    TargetAdjustment,
    TargetTable,
    TargetTableVersion,
    WarningRule,
)

INDICATOR_COLUMNS = ["name", "level1", "level2", "comparator", "target_display", "weight", "value_source"]


@admin.register(IndicatorTemplate)
class IndicatorTemplateAdmin(RestrictedAdmin):
    list_display = ["program", *INDICATOR_COLUMNS]
    list_filter = ["program", "level1", "level2", "value_source"]
    search_fields = ["name"]


@admin.register(Indicator)
class IndicatorAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "program", *INDICATOR_COLUMNS]
    list_filter = ["fiscal_year", "program", "level1", "level2", "value_source"]
    search_fields = ["name"]


@admin.register(SatisfactionSurvey)
class SatisfactionSurveyAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "program", "respondents", "satisfied", "surveyed_on", "method"]
    list_filter = ["fiscal_year", "program"]
    search_fields = ["method", "note"]


@admin.register(ProgramYearSettings)
class ProgramYearSettingsAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "program", "payment_deadline", "eligibility_date"]
    list_filter = ["fiscal_year", "program"]
    search_fields = ["program__name"]


@admin.register(WarningRule)
class WarningRuleAdmin(RestrictedAdmin):
    list_display = ["name", "kind", "lag_points", "min_budget", "min_rate", "is_active", "sort_order"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


class ScoringRuleInline(admin.TabularInline):
    model = ScoringRule
    extra = 0


@admin.register(ScoringPolicy)
class ScoringPolicyAdmin(RestrictedAdmin):
    list_display = ["name", "code", "version", "basis"]
    list_filter = ["code"]
    search_fields = ["name", "code"]
    inlines = [ScoringRuleInline]


@admin.register(ScoringRule)
class ScoringRuleAdmin(RestrictedAdmin):
    list_display = ["policy", "kind", "low", "high", "points", "sort_order"]
    list_filter = ["policy", "kind"]
    search_fields = ["policy__name"]


@admin.register(TargetTable)
class TargetTableAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "program", "department", "status", "submitted_by", "reviewed_by"]
    list_filter = ["fiscal_year", "program", "status"]
    search_fields = ["department", "overall_goal"]


@admin.register(TargetTableVersion)
class TargetTableVersionAdmin(ReadOnlyAdmin):
    """The history of a 绩效目标表, written only by its workflow and never changed (the database refuses it too)."""

    list_display = ["table", "number", "event", "actor", "at"]
    list_filter = ["event", "table__fiscal_year", "table__program"]
    search_fields = ["comment"]


@admin.register(TargetAdjustment)
class TargetAdjustmentAdmin(ReadOnlyAdmin):
    """目标调整 are asked for and decided on the 绩效目标表 page (two people)."""

    list_display = ["indicator", "old_target", "new_target_value", "new_target_text", "status", "requested_by"]
    list_filter = ["status", "indicator__fiscal_year", "indicator__program"]
    search_fields = ["reason", "indicator__name"]
