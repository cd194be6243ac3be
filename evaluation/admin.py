from django.contrib import admin

from core.admin import RestrictedAdmin
from evaluation.models import (
    Indicator,
    IndicatorTemplate,
    ProgramYearSettings,
    SatisfactionSurvey,
    ScoringPolicy,
    ScoringRule,
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
