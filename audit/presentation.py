"""The audit log as people read it: a sentence per event, the object as a link, the changes under field names.

"财务人员 finance2 审批 资金分配方案“2025年劳模补助分配方案” #6" instead of "approve funds.allocationplan:6",
and "分配金额（元）: 2,000.00 → 50,000,000.00" instead of "amount: 2000.00 → 50000000.00". Nothing here is
stored: the chain keeps what it kept; this only reads it.
"""

from dataclasses import dataclass
from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from audit.models import AuditEvent
from funds.choices import Role
from funds.models import User

# Where an object of a type is shown (URL name, taking the object's id as `pk`).
OBJECT_PAGES = {
    "funds.allocationplan": "funds:plan_detail",
    "funds.importbatch": "imports:import_detail",
    "funds.appropriation": "funds:appropriation_detail",
}


@cache
def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def field_label(object_type: str, field: str) -> str:
    model = _model(object_type)
    if model is None:
        return field
    named = {"lines": _("分配明细"), "content_hash": _("内容哈希"), "role": _("角色")}
    if field in named:
        return str(named[field])
    try:
        found = model._meta.get_field(field.removesuffix("_id"))
    except FieldDoesNotExist:
        return field
    # A reverse relation (a plan's "lines") has no verbose name of its own: its model's plural is the label.
    label = getattr(found, "verbose_name", None) or getattr(found.related_model._meta, "verbose_name_plural", field)
    return str(label)


def value_label(field: str, value: object) -> str:
    """A stored value as people name it: a role by its Chinese name (the log keeps the code it recorded)."""
    text = str(value)
    if field == "role" and text in Role.values:
        return str(Role(text).label)
    return text


@dataclass(frozen=True)
class EventView:
    event: AuditEvent
    sentence: str
    object_url: str | None
    changes: list[tuple[str, str, str]]


def present(event: AuditEvent, roles: dict[int, str]) -> EventView:
    who = event.actor_username or _("系统")
    role = roles.get(event.actor_id, "") if event.actor_id else ""
    target = object_type_label(event.object_type) if event.object_type else ""
    if event.object_repr:
        target += f"“{event.object_repr}”"
    if event.object_id:
        target += f" #{event.object_id}"
    sentence = " ".join(part for part in (role, who, event.get_action_display(), target) if part)
    url = None
    page = OBJECT_PAGES.get(event.object_type)
    if page and event.object_id.isdigit():
        try:
            url = reverse(page, kwargs={"pk": int(event.object_id)})
        except NoReverseMatch:
            url = None
    changes = [
        (field_label(event.object_type, field), value_label(field, change[0]), value_label(field, change[1]))
        for field, change in (event.changes or {}).items()
        if isinstance(change, list | tuple) and len(change) == 2
    ]
    return EventView(event, sentence, url, changes)


def present_page(events: list[AuditEvent]) -> list[EventView]:
    """Sentences for one page of events (the actors' roles read in one query)."""
    actor_ids = {e.actor_id for e in events if e.actor_id}
    roles = {user.pk: str(user.role.label) if user.role else "" for user in User.objects.filter(pk__in=actor_ids)}
    return [present(event, roles) for event in events]
