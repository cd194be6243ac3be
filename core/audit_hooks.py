"""How shared code (the admin bases) writes to the audit trail without importing it.

`core` may not depend on a domain app, yet every change made through `core.admin` must be audited. The audit app
registers its recorder when Django starts (`AuditConfig.ready`), the way apps register with the admin site. Without
a recorder, recording fails loudly instead of letting a change through unaudited.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured

Recorder = Callable[..., Any]
_recorder: Recorder | None = None


def register_recorder(recorder: Recorder) -> None:
    """`recorder(action=..., actor=..., obj=..., detail=..., changes=...)` appends one event to the audit trail."""
    global _recorder
    _recorder = recorder


def record(**event: Any) -> Any:
    if _recorder is None:
        raise ImproperlyConfigured("no audit recorder registered: add the audit app to INSTALLED_APPS")
    return _recorder(**event)
