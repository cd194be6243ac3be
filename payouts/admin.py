from django.contrib import admin

from core.admin import ReadOnlyAdmin, RestrictedAdmin
from payouts.models import BankBatch, BankBatchLine, BankFileTemplate, BankResultFile


@admin.register(BankFileTemplate)
class BankFileTemplateAdmin(RestrictedAdmin):
    list_display = ("name", "code", "purpose", "file_format", "is_active")
    list_filter = ("purpose", "file_format", "is_active")
    search_fields = ("name", "code", "note")


@admin.register(BankBatch)
class BankBatchAdmin(ReadOnlyAdmin):
    list_display = ("number", "organization", "program", "fiscal_year", "status", "line_count", "total_amount")
    list_filter = ("status", "program", "fiscal_year")
    search_fields = ("number", "organization__name", "purpose")


@admin.register(BankBatchLine)
class BankBatchLineAdmin(ReadOnlyAdmin):
    list_display = ("batch", "sequence", "payee_name", "account_masked", "amount", "outcome", "follow_up")
    list_filter = ("outcome", "follow_up")
    search_fields = ("batch__number", "payee_name")
    exclude = ("account",)


@admin.register(BankResultFile)
class BankResultFileAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "batch", "status", "succeeded_count", "failed_count", "uploaded_at")
    list_filter = ("status",)
    search_fields = ("file_name", "batch__number")
