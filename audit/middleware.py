"""Request context for the audit log, and the events only the request layer sees: refusals and downloads."""

from collections.abc import Callable
from urllib.parse import unquote

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from audit.choices import AuditAction
from audit.services import RequestContext, audit_record, current_request

# Browsers ask for these on their own; a missing one is not someone reaching for data.
UNAUDITED_404_PREFIXES = ("/static/", "/favicon.ico", "/robots.txt", "/apple-touch-icon")


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is whatever the client says unless a trusted proxy sets REMOTE_ADDR for us.
    return request.META.get("REMOTE_ADDR", "")


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(
            RequestContext(ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
        )
        try:
            response = self.get_response(request)
            self._after(request, response)
            return response
        finally:
            current_request.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            request._audit_refused = True
            audit_record(
                action=AuditAction.AUTHORIZATION_FAILURE,
                actor=getattr(request, "user", None),
                detail=f"403 {request.method} {request.get_full_path()}",
            )

    def _after(self, request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        authenticated = user is not None and user.is_authenticated
        if response.status_code == 403 and not getattr(request, "_audit_refused", False):
            audit_record(
                action=AuditAction.AUTHORIZATION_FAILURE,
                actor=user,
                detail=f"403 {request.method} {request.get_full_path()}",
            )
        elif response.status_code == 404 and authenticated and not request.path.startswith(UNAUDITED_404_PREFIXES):
            # Objects outside the user's scope answer 404 like missing ones; both are recorded.
            audit_record(
                action=AuditAction.AUTHORIZATION_FAILURE,
                actor=user,
                detail=f"404 {request.method} {request.get_full_path()}",
            )
        disposition = response.get("Content-Disposition", "")
        if response.status_code == 200 and disposition.startswith("attachment") and authenticated:
            filename = unquote(disposition.split("''", 1)[-1]) if "''" in disposition else disposition
            audit_record(
                action=AuditAction.DOWNLOAD,
                actor=user,
                object_repr=filename,
                detail=f"{request.method} {request.get_full_path()}",
            )
