from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("审计日志")

    def ready(self) -> None:
        # Django's own authentication signals are the documented hook for sign-in events.
        from audit import auth_events  # noqa: F401
        from audit.services import audit_record
        from core import audit_hooks

        # Changes made through core's admin bases are recorded here (core cannot import this app).
        audit_hooks.register_recorder(audit_record)
