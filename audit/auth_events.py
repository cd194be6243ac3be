"""Sign-in events, from Django's authentication signals and django-axes' lockout signal."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from audit.choices import AuditAction
from audit.services import audit_record

LOGIN_AT = "login_at"  # session key: when this session signed in (the 12-hour absolute limit)


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = timezone.now().timestamp()
    audit_record(action=AuditAction.LOGIN, actor=user, obj=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, actor=user, obj=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    audit_record(action=AuditAction.LOGIN_FAILED, username=credentials.get("username", ""))


@receiver(user_locked_out, dispatch_uid="audit_locked_out")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    audit_record(action=AuditAction.LOCKED_OUT, username=username or "", detail=f"ip {ip_address}")
