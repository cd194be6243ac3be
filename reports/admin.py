from django.contrib import admin

from core.admin import ReadOnlyAdmin, RestrictedAdmin
from reports.models import (
    FindingExplanation,
    MonitoringReport,
    MonitoringSnapshot,
    Report,
    ReportSection,
    ReportSnapshot,
    ResultApplication,
    WarningExplanation,
)


@admin.register(Report)
class ReportAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "kind", "program", "updated_by", "updated_at"]
    list_filter = ["fiscal_year", "kind", "program"]
    search_fields = ["responsible_persons", "goal_text", "outcome_text"]


@admin.register(ReportSection)
class ReportSectionAdmin(RestrictedAdmin):
    list_display = ["report", "key"]
    list_filter = ["report__fiscal_year", "report__kind", "key"]
    search_fields = ["body"]


@admin.register(FindingExplanation)
class FindingExplanationAdmin(RestrictedAdmin):
    list_display = ["report", "finding_message", "explained_by", "explained_at"]
    list_filter = ["report__fiscal_year", "report__kind"]
    search_fields = ["finding_message", "explanation"]


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnlyAdmin):
    """Finalised reports are made only by finalising, and never changed or deleted (the database refuses it too)."""

    list_display = ["report", "number", "finalised_by", "finalised_at", "total_score", "grade", "pdf_sha256"]
    list_filter = ["report__fiscal_year", "report__kind"]
    search_fields = ["pdf_sha256", "xlsx_sha256", "data_version"]


@admin.register(MonitoringReport)
class MonitoringReportAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "program", "as_of", "created_by", "created_at"]
    list_filter = ["fiscal_year", "program"]
    search_fields = ["program__name"]


@admin.register(WarningExplanation)
class WarningExplanationAdmin(RestrictedAdmin):
    list_display = ["report", "warning_message", "explained_by", "explained_at"]
    list_filter = ["report__fiscal_year", "report__program"]
    search_fields = ["warning_message", "reason", "corrective_action"]


@admin.register(MonitoringSnapshot)
class MonitoringSnapshotAdmin(ReadOnlyAdmin):
    """Made only by finalising a monitoring report; never changed or deleted (the database refuses it too)."""

    list_display = ["report", "number", "finalised_by", "finalised_at", "pdf_sha256"]
    list_filter = ["report__fiscal_year", "report__program"]
    search_fields = ["pdf_sha256", "xlsx_sha256", "data_version"]


@admin.register(ResultApplication)
class ResultApplicationAdmin(ReadOnlyAdmin):
    """Recorded on the report's page by finance (结果应用); read here."""

    list_display = ["snapshot", "grade", "application", "proposed_budget", "recorded_by", "recorded_at"]
    list_filter = ["application", "grade", "snapshot__report__fiscal_year"]
    search_fields = ["reasons"]
