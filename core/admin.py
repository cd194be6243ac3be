"""Admin base classes: every queryset and foreign-key choice narrowed through `restrict()`, like the views, and every
change made in the admin recorded in the audit trail."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from core import audit_hooks
from core.changes import diff, snapshot
from core.scoping import Action


class RestrictedAdmin(admin.ModelAdmin):
    """Scoped like the views, and every change made here is also in the audit trail."""

    def log_addition(self, request, obj, message):
        audit_hooks.record(
            action="create", actor=request.user, obj=obj, detail="admin", changes=diff({}, snapshot(obj))
        )
        return super().log_addition(request, obj, message)

    def save_model(self, request, obj, form, change):
        # The row as stored before this save, so the log shows before/after (a re-parented organisation widens an
        # operator's scope: the auditor must see from where to where), not only "parent changed".
        before = snapshot(type(obj)._base_manager.filter(pk=obj.pk).first()) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        if before is not None:
            request._admin_audit_changes = diff(before, snapshot(obj))

    def log_change(self, request, obj, message):
        changes = getattr(request, "_admin_audit_changes", None) or None
        audit_hooks.record(
            action="update", actor=request.user, obj=obj, detail=f"admin: {message}"[:500], changes=changes
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_hooks.record(action="delete", actor=request.user, obj=obj, detail="admin")
        return super().log_deletions(request, queryset)

    def get_queryset(self, request: HttpRequest):
        return self.model.objects.restrict(request.user, Action.VIEW)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if hasattr(related.objects, "restrict"):
            kwargs["queryset"] = related.objects.restrict(request.user, Action.VIEW)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _within(self, request: HttpRequest, obj, action: Action) -> bool:
        return obj is None or self.model.objects.restrict(request.user, action).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._within(request, obj, Action.VIEW)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._within(request, obj, Action.CHANGE)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._within(request, obj, Action.DELETE)


class ReadOnlyAdmin(RestrictedAdmin):
    """For ledgers written only by services (payments, reversals, import batches)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionAdmin(RestrictedAdmin):
    """The admin of a two-person decision (core.models.TwoPersonDecision): proposals arrive from elsewhere (a role
    chosen on a user's page, a new parent on an organisation's), and are confirmed or rejected here, one by one through
    the subclass's `decide(request, obj, approve=…)` service, which refuses the proposer."""

    actions = ["confirm_selected", "reject_selected"]

    def decide(self, request, obj, *, approve: bool) -> None:
        raise NotImplementedError

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # The list's actions need the change permission; a proposal's own page only reads.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _decide_all(self, request, queryset, *, approve: bool) -> None:
        done = 0
        for obj in queryset.filter(status="pending"):
            try:
                self.decide(request, obj, approve=approve)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                reasons = " ".join(getattr(exc, "messages", [str(exc)]))
                self.message_user(request, f"{obj}: {reasons}", level=messages.ERROR)
        if done:
            self.message_user(request, _("已处理 {n} 项。").format(n=done))

    @admin.action(description=_("确认所选申请"), permissions=["change"])
    def confirm_selected(self, request, queryset) -> None:
        self._decide_all(request, queryset, approve=True)

    @admin.action(description=_("驳回所选申请"), permissions=["change"])
    def reject_selected(self, request, queryset) -> None:
        self._decide_all(request, queryset, approve=False)


class EmergencyOnlyAdmin(admin.ModelAdmin):
    """Kept in the admin for the documented emergency account (a superuser) only. Everyone else does this work on the
    app's own pages (accounts: 用户管理), under that page's rules; two ways to one change
    would be two rule sets."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser and super().has_delete_permission(request, obj)
