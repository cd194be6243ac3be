from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.services import password_reset_by_administrator, role_grant_request
from core.admin import DecisionAdmin, EmergencyOnlyAdmin, ReadOnlyAdmin, RestrictedAdmin
from core.models import DecisionStatus
from funds.choices import Role
from funds.models import (
    AllocationLine,
    AllocationPlan,
    Appropriation,
    AppropriationLine,
    DepartmentBudgetLine,
    Disbursement,
    DisbursementReversal,
    FiscalYear,
    FundsReceipt,
    ImportBatch,
    Organization,
    OrganizationMove,
    PaymentKind,
    PaymentReversalRequest,
    PaymentStandard,
    PaymentSummary,
    Program,
    User,
)
from funds.services.disbursements import payment_reversal_decide
from funds.services.organizations import organization_move_decide, organization_move_request


@admin.register(Organization)
class OrganizationAdmin(RestrictedAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent", "in_southern_xinjiang"]
    list_filter = ["kind", "in_southern_xinjiang"]
    search_fields = ["code", "name", "short_name"]

    def save_model(self, request, obj, form, change):
        # A new parent changes whose data the organisation's users (and those above) may see: it goes through the
        # service, which moves an empty organisation at once and otherwise waits for a second administrator.
        # A superuser (the documented emergency account) moves directly.
        if change and "parent" in form.changed_data and not request.user.is_superuser:
            new_parent = obj.parent
            obj.parent = Organization.objects.get(pk=obj.pk).parent
            super().save_model(request, obj, form, change)
            move = organization_move_request(organization=obj, to_parent=new_parent, acting_user=request.user)
            if move.status == DecisionStatus.PENDING:
                self.message_user(
                    request,
                    _("“{org}”已有用户或数据，调整到“{parent}”之下须由另一位管理员确认后生效。").format(
                        org=obj.short_name, parent=new_parent.short_name
                    ),
                    level=messages.WARNING,
                )
            else:
                obj.refresh_from_db()
            return
        super().save_model(request, obj, form, change)


@admin.register(PaymentReversalRequest)
class PaymentReversalRequestAdmin(DecisionAdmin):
    """Single-payment reversals are asked and executed on the payment's page; the admin lists them (and decides)."""

    list_display = ["disbursement", "status", "requested_by", "requested_at", "decided_by", "decided_at"]
    list_filter = ["status", "disbursement__program"]
    search_fields = ["reason", "requested_by__username"]
    readonly_fields = [*list_display, "reason"]

    def decide(self, request, obj, *, approve: bool) -> None:
        payment_reversal_decide(request=obj, approve=approve, acting_user=request.user)


@admin.register(OrganizationMove)
class OrganizationMoveAdmin(DecisionAdmin):
    list_display = ["organization", "from_parent", "to_parent", "status", "requested_by", "requested_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["organization__name", "organization__code", "requested_by__username"]
    readonly_fields = [*list_display, "reason", "decided_at"]

    def decide(self, request, obj, *, approve: bool) -> None:
        organization_move_decide(move=obj, approve=approve, acting_user=request.user)


class OneRoleUserChangeForm(UserChangeForm):
    """A user holds exactly one role: two would add up permissions (and skip the stricter second-factor rule)."""

    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        if groups is None:
            return groups
        roles = [g for g in groups if g.name in Role.values]
        if len(roles) > 1:
            raise forms.ValidationError(
                _("一个用户只能担任一个角色（所选：{roles}）。如需变更角色，请先取消原角色。").format(
                    roles="、".join(str(Role(g.name).label) for g in roles)
                )
            )
        return groups


@admin.register(User)
class ScopedUserAdmin(EmergencyOnlyAdmin, RestrictedAdmin, UserAdmin):
    """The emergency account's way to an account; everyone else uses 用户管理 (accounts.views.users)."""

    form = OneRoleUserChangeForm
    list_display = ["username", "first_name", "last_name", "organization", "is_active", "is_staff"]
    list_filter = ["groups", "organization", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name"]
    fieldsets = [*UserAdmin.fieldsets, (_("所属单位"), {"fields": ["organization", "must_change_password"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, (_("所属单位"), {"fields": ["organization"]})]

    def get_readonly_fields(self, request, obj=None):
        # The security administrator assigns roles (groups) but cannot make anyone a superuser or hand out single
        # permissions past the roles, nor edit their own account's rights.
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions"]
            if obj is not None and obj.pk == request.user.pk:
                fields += ["groups", "is_staff", "is_active"]
        return fields

    def save_related(self, request, form, formsets, change):
        # A role chosen here is a proposal: finance, auditor and the administrator roles take effect only when another
        # administrator confirms them (数据维护 → 角色授予). Removing a role takes effect at once. A superuser (the
        # documented emergency account) assigns directly.
        chosen = form.cleaned_data.get("groups")
        if chosen is not None and not request.user.is_superuser:
            user = form.instance
            old = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True)) if change else set()
            new = {group.name for group in chosen if group.name in Role.values}
            others = [group for group in chosen if group.name not in Role.values]
            roles = Group.objects.filter(name__in=new)
            if new - old:
                role = Role(sorted(new - old)[0])
                grant = role_grant_request(user=user, role=role, acting_user=request.user)
                if grant.status == DecisionStatus.PENDING:
                    roles = Group.objects.filter(name__in=old)
                    self.message_user(
                        request,
                        _("角色“{role}”已提交，须由另一位安全管理员或审计管理员确认后生效。").format(role=role.label),
                        level=messages.WARNING,
                    )
            form.cleaned_data["groups"] = [*others, *roles]
        super().save_related(request, form, formsets, change)

    def user_change_password(self, request, id, form_url=""):
        # A password an administrator sets is a one-time password: the user must replace it at the next sign-in,
        # and the user's sessions end now (the admin page itself only saves the hash).
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                user = self.get_object(request, unquote(id))
                if user is not None and user.pk != request.user.pk:
                    password_reset_by_administrator(user=user, acting_user=request.user)
        return response


@admin.register(FiscalYear)
class FiscalYearAdmin(RestrictedAdmin):
    list_display = ["year", "is_closed"]
    list_filter = ["is_closed"]
    search_fields = ["year"]


class PaymentKindInline(admin.TabularInline):
    model = PaymentKind
    extra = 0


@admin.register(Program)
class ProgramAdmin(RestrictedAdmin):
    list_display = ["code", "name", "beneficiary_kind", "managing_department"]
    list_filter = ["beneficiary_kind"]
    search_fields = ["code", "name"]
    inlines = [PaymentKindInline]


@admin.register(PaymentKind)
class PaymentKindAdmin(RestrictedAdmin):
    list_display = ["name", "program", "code", "frequency"]
    list_filter = ["program", "frequency"]
    search_fields = ["name", "code"]


class AppropriationLineInline(admin.TabularInline):
    model = AppropriationLine
    extra = 0


@admin.register(Appropriation)
class AppropriationAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "program", "document", "created_by", "created_at"]
    list_filter = ["fiscal_year", "program"]
    search_fields = ["document"]
    inlines = [AppropriationLineInline]
    readonly_fields = ["created_by", "created_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AppropriationLine)
class AppropriationLineAdmin(ReadOnlyAdmin):
    list_display = ["appropriation", "source", "initial_budget", "annual_budget"]
    list_filter = ["appropriation__fiscal_year", "appropriation__program", "source"]
    search_fields = ["appropriation__document"]


@admin.register(FundsReceipt)
class FundsReceiptAdmin(ReadOnlyAdmin):
    list_display = ["appropriation", "source", "amount", "received_on", "document"]
    list_filter = ["appropriation__fiscal_year", "appropriation__program", "source"]
    search_fields = ["document", "note"]


@admin.register(PaymentSummary)
class PaymentSummaryAdmin(ReadOnlyAdmin):
    """Kept by the database's triggers; shown so an auditor can compare it with the ledger (verify_audit does)."""

    list_display = ["fiscal_year", "program", "paying_organization", "payment_kind", "funding_source", "status"]
    list_display += ["payments", "amount"]
    list_filter = ["fiscal_year", "program", "status", "funding_source"]
    search_fields = ["paying_organization__name", "paying_organization__code"]


@admin.register(DepartmentBudgetLine)
class DepartmentBudgetLineAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "name", "initial_budget", "annual_budget", "executed"]
    list_filter = ["fiscal_year"]
    search_fields = ["name", "note"]


class AllocationLineInline(admin.TabularInline):
    model = AllocationLine
    extra = 0

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_editable

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(AllocationPlan)
class AllocationPlanAdmin(ReadOnlyAdmin):
    """Plans are edited, submitted and approved in the application (maker–checker); the admin only reads."""

    list_display = ["title", "fiscal_year", "program", "plan_date", "status", "created_by", "approved_by"]
    list_filter = ["fiscal_year", "program", "status"]
    search_fields = ["title", "approval_reference"]
    inlines = [AllocationLineInline]


@admin.register(AllocationLine)
class AllocationLineAdmin(ReadOnlyAdmin):
    list_display = ["plan", "organization", "amount", "note"]
    list_filter = ["plan__fiscal_year", "plan__program", "plan__status", "organization"]
    search_fields = ["plan__title", "organization__name", "note"]
    list_select_related = ["plan", "organization"]


@admin.register(PaymentStandard)
class PaymentStandardAdmin(RestrictedAdmin):
    list_display = ["fiscal_year", "payment_kind", "organization", "standard_type", "describe"]
    list_filter = ["fiscal_year", "payment_kind__program", "standard_type"]
    search_fields = ["payment_kind__name", "basis"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "kind", "organization", "file_name", "row_count", "total_amount", "status"]
    list_filter = ["kind", "status", "fiscal_year", "program"]
    search_fields = ["file_name", "file_sha256"]


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = [
        "paid_on",
        "program",
        "payment_kind",
        "beneficiary",
        "amount",
        "paying_organization",
        "funding_source",
        "status",
    ]
    list_filter = ["fiscal_year", "program", "payment_kind", "status", "funding_source", "payment_method"]
    search_fields = ["household__head_name", "household__archive_no", "model_worker__name"]
    list_select_related = ["program", "payment_kind", "household", "model_worker", "paying_organization"]
    date_hierarchy = "paid_on"


@admin.register(DisbursementReversal)
class DisbursementReversalAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "disbursement", "reason", "created_by"]
    list_filter = ["disbursement__fiscal_year", "disbursement__program"]
    search_fields = ["reason"]
