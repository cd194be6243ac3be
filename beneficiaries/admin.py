from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR

from beneficiaries import resident_id
from beneficiaries.models import Household, LivingSurvey, ModelWorker, RosterEvent, resident_id_digest
from core.admin import ReadOnlyAdmin, RestrictedAdmin
from core.search_tokens import redirect_without_term, term_behind


class PersonalDataMixin:
    """Clear ID numbers and bank accounts only for users with the unmask permission (then each view is logged);
    everyone else sees the masked values and cannot change them here."""

    sensitive = ("id_number", "bank_account")

    def _may_unmask(self, request) -> bool:
        return request.user.has_perm("beneficiaries.unmask_personal_data")

    def get_exclude(self, request, obj=None):
        excluded = list(super().get_exclude(request, obj) or [])
        return excluded if self._may_unmask(request) else excluded + list(self.sensitive)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if self._may_unmask(request) else [*fields, "id_number_masked"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if self._may_unmask(request) and request.method == "GET":
            from audit.services import audit_record

            audit_record(
                action="unmask",
                actor=request.user,
                object_type=self.model._meta.label_lower,
                object_id=object_id,
                detail="admin change form",
            )
        return super().change_view(request, object_id, form_url, extra_context)


class ResidentIDSearchMixin:
    """ID numbers are encrypted, so a search term that is a whole ID number is matched by its digest, and leaves
    the address bar at once (core.search_tokens). (The access log never holds query strings: gunicorn.conf.py.)"""

    def changelist_view(self, request, extra_context=None):
        term = resident_id.normalize(request.GET.get(SEARCH_VAR, ""))
        if len(term) == 18 and request.method == "GET":
            return redirect_without_term(request, parameter=SEARCH_VAR, term=term, masked=resident_id.mask(term))
        return super().changelist_view(request, extra_context)

    def get_search_results(self, request, queryset, search_term):
        term = resident_id.normalize(term_behind(request, search_term))
        if len(term) == 18:  # found by digest, whether through the token or from a caller that skipped the redirect
            return queryset.filter(id_number_digest=resident_id_digest(term)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(Household)
class HouseholdAdmin(PersonalDataMixin, ResidentIDSearchMixin, RestrictedAdmin):
    list_display = [
        "archive_no",
        "head_name",
        "id_number_masked",
        "organization",
        "hardship_type",
        "member_count",
        "archived_on",
        "status",
    ]
    list_filter = ["organization", "status", "hardship_type", "worker_category"]
    search_fields = ["archive_no", "head_name"]
    list_select_related = ["organization"]


@admin.register(ModelWorker)
class ModelWorkerAdmin(PersonalDataMixin, ResidentIDSearchMixin, RestrictedAdmin):
    list_display = ["name", "id_number_masked", "organization", "honour_type", "award_year", "status", "is_retired"]
    list_filter = ["organization", "status", "honour_type", "is_retired", "is_farmer_herder", "lives_outside_region"]
    search_fields = ["name"]
    list_select_related = ["organization"]


@admin.register(LivingSurvey)
class LivingSurveyAdmin(RestrictedAdmin):
    list_display = ["model_worker", "fiscal_year", "surveyed_on", "condition", "monthly_income", "surveyor"]
    list_filter = ["fiscal_year", "condition", "model_worker__organization"]
    search_fields = ["model_worker__name", "surveyor"]
    list_select_related = ["model_worker", "fiscal_year"]
    raw_id_fields = ["model_worker"]


@admin.register(RosterEvent)
class RosterEventAdmin(ReadOnlyAdmin):
    """The archive history is written by the roster services and imports only (and the database refuses edits)."""

    list_display = ["effective_on", "kind", "household", "model_worker", "organization", "recorded_by", "recorded_at"]
    list_filter = ["kind", "organization"]
    search_fields = ["household__head_name", "household__archive_no", "model_worker__name", "reason"]
    list_select_related = ["household", "model_worker", "organization", "recorded_by"]
