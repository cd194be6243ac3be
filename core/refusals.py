"""A refused write told on the page it was asked from: each message of a ValidationError, or a PermissionDenied's."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _


def show_refusal(request: HttpRequest, exc: ValidationError | PermissionDenied) -> None:
    """The service's own words, one message each (a PermissionDenied without words says the user may not)."""
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or _("您无权执行此操作。"))
