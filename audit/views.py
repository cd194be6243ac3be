"""The audit log for auditors and the audit administrator: browse, filter, export, verify."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.presentation import object_type_label, present_page
from audit.services import audit_record
from audit.verify import verify_audit_chain, verify_disbursements
from core.exports import ExportColumn, attachment, formatted_workbook, official_language
from core.lists import EXPORT_ROW_LIMIT
from core.permissions import ensure_permission
from core.scoping import Action
from funds.models import Organization

EXPORT_COLUMNS = [
    ExportColumn(gettext_lazy("序号"), "number"),
    ExportColumn(gettext_lazy("时间（北京时间）"), "datetime"),
    ExportColumn(gettext_lazy("事件"), "text"),
    ExportColumn(gettext_lazy("用户名"), "text"),
    ExportColumn(gettext_lazy("来源地址"), "text"),
    ExportColumn(gettext_lazy("操作"), "text"),
    ExportColumn(gettext_lazy("对象类型"), "text"),
    ExportColumn(gettext_lazy("对象编号"), "text"),
    ExportColumn(gettext_lazy("说明"), "text"),
    ExportColumn(gettext_lazy("变更（前 → 后）"), "text"),
    ExportColumn(gettext_lazy("本条哈希"), "text"),
]


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filtered(request: HttpRequest):
    events = AuditEvent.objects.restrict(request.user)
    filters = {
        "user": request.GET.get("user", "").strip(),
        "action": request.GET.get("action", ""),
        "object_type": request.GET.get("object_type", "").strip(),
        "organization": request.GET.get("organization", ""),
        "since": _date(request.GET.get("since")),
        "until": _date(request.GET.get("until")),
    }
    if filters["user"]:
        events = events.filter(actor_username=filters["user"])
    if filters["action"] in AuditAction.values:
        events = events.filter(action=filters["action"])
    if filters["organization"].isdigit():
        # The acting user's organisation (an event names its actor; the object may be anywhere).
        events = events.filter(actor__organization_id=int(filters["organization"]))
    if filters["object_type"]:
        events = events.filter(object_type=filters["object_type"])
    zone = timezone.get_current_timezone()
    if filters["since"]:
        events = events.filter(occurred_at__gte=datetime.datetime.combine(filters["since"], datetime.time(), zone))
    if filters["until"]:
        end = datetime.datetime.combine(filters["until"] + datetime.timedelta(days=1), datetime.time(), zone)
        events = events.filter(occurred_at__lt=end)
    return events.order_by("-sequence"), filters


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=AuditEvent, action=Action.VIEW)
    events, filters = _filtered(request)
    if request.GET.get("format") == "xlsx":
        return _xlsx(events)
    page = Paginator(events.select_related("actor"), 50).get_page(request.GET.get("page"))
    restricted = AuditEvent.objects.restrict(request.user)
    object_types = sorted(
        {t for t in restricted.exclude(object_type="").values_list("object_type", flat=True).distinct()},
        key=object_type_label,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "page": page,
            "rows": present_page(list(page.object_list)),
            "filters": filters,
            "actions": AuditAction.choices,
            "object_types": [(t, object_type_label(t)) for t in object_types],
            "organizations": Organization.objects.filter(
                pk__in=restricted.exclude(actor=None).values("actor__organization")
            ).order_by("code"),
            "usernames": list(
                restricted.exclude(actor_username="")
                .order_by("actor_username")
                .values_list("actor_username", flat=True)
                .distinct()
            ),
            "query": query.urlencode(),
        },
    )


def _xlsx(events) -> HttpResponse:
    """The filtered log through the one export helper, each event as the page says it (a sentence, the changes
    under field names), with the raw user name, address and hash kept for whoever checks the chain."""
    with official_language():
        limited = events.select_related("actor")[:EXPORT_ROW_LIMIT]

        def rows():
            chunk: list[AuditEvent] = []
            for event in limited.iterator(chunk_size=2000):
                chunk.append(event)
                if len(chunk) == 2000:
                    yield from _export_rows(chunk)
                    chunk = []
            yield from _export_rows(chunk)

        content = formatted_workbook(
            title=_("审计日志"),
            columns=[ExportColumn(str(column.header), column.kind) for column in EXPORT_COLUMNS],
            rows=rows(),
            note=_("不含身份证号等个人敏感信息的明文。"),
        )
    today = timezone.localdate()
    return attachment(content, f"审计日志{today:%Y%m%d}.xlsx", fallback=f"audit-log-{today:%Y%m%d}.xlsx")


def _export_rows(events: list[AuditEvent]):
    for view in present_page(events):
        event = view.event
        yield [
            event.sequence,
            event.occurred_at,
            view.sentence,
            event.actor_username,
            event.ip_address,
            event.get_action_display(),
            object_type_label(event.object_type) if event.object_type else "",
            event.object_id,
            event.detail,
            "；".join(f"{label}：{before or '∅'} → {after or '∅'}" for label, before, after in view.changes),
            event.chain_hash,
        ]


@login_required
@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=AuditEvent, action="verify")
    results = [verify_audit_chain(), verify_disbursements()]
    audit_record(
        action=AuditAction.VERIFY,
        actor=request.user,
        detail="; ".join(f"{r.what}: {'OK' if r.ok else r.first_problem}" for r in results),
    )
    return render(request, "audit/verify.html", {"results": results})
