from django.contrib import admin

from core.admin import ReadOnlyAdmin
from oversight.models import DuplicateCase, Objection, Publicity, VerificationRound, Visit


@admin.register(Publicity)
class PublicityAdmin(ReadOnlyAdmin):
    list_display = ("organization", "program", "fiscal_year", "starts_on", "ends_on", "line_count", "generated_by")
    list_filter = ("program", "fiscal_year")
    search_fields = ("organization__name", "contact")


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("kind", "organization", "received_on", "channel", "deadline", "status", "outcome")
    list_filter = ("kind", "status", "channel", "outcome")
    search_fields = ("content", "resolution", "household__head_name", "model_worker__name")


@admin.register(VerificationRound)
class VerificationRoundAdmin(ReadOnlyAdmin):
    list_display = ("name", "organization", "program", "fiscal_year", "population", "sample_size", "created_by")
    list_filter = ("program", "fiscal_year", "method")
    search_fields = ("name", "organization__name")


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ("round", "disbursement", "receipt", "satisfied", "visited_on", "recorded_by")
    list_filter = ("receipt", "satisfied")
    search_fields = ("round__name", "remarks")


@admin.register(DuplicateCase)
class DuplicateCaseAdmin(ReadOnlyAdmin):
    list_display = ("kind", "description", "decision", "decided_by", "found_at")
    list_filter = ("kind", "decision")
    search_fields = ("description", "reason")
