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
from openpyxl import Workbook

from audit.choices import AuditAction
from audit.models import AuditEvent
from audit.presentation import object_type_label, present_page
from audit.services import audit_record
from audit.verify import verify_audit_chain, verify_disbursements
from core.exports import attachment, official, safe_cell, workbook_bytes
from core.permissions import ensure_permission
from core.scoping import Action

HEADERS = [
    gettext_lazy("序号"),
    gettext_lazy("时间（北京时间）"),
    gettext_lazy("用户名"),
    gettext_lazy("来源地址"),
    gettext_lazy("操作"),
    gettext_lazy("对象类型"),
    gettext_lazy("对象编号"),
    gettext_lazy("对象"),
    gettext_lazy("说明"),
    gettext_lazy("变更（前/后）"),
    gettext_lazy("本条哈希"),
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
        "since": _date(request.GET.get("since")),
        "until": _date(request.GET.get("until")),
    }
    if filters["user"]:
        events = events.filter(actor_username=filters["user"])
    if filters["action"] in AuditAction.values:
        events = events.filter(action=filters["action"])
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
            "usernames": list(
                restricted.exclude(actor_username="")
                .order_by("actor_username")
                .values_list("actor_username", flat=True)
                .distinct()
            ),
            "query": query.urlencode(),
        },
    )


@official
def _xlsx(events) -> HttpResponse:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("审计日志"))
    sheet.append([_("审计日志导出：不含身份证号等个人敏感信息的明文。")])
    sheet.append([str(header) for header in HEADERS])
    for event in events.iterator(chunk_size=2000):
        sheet.append(
            [
                safe_cell(value)
                for value in [
                    event.sequence,
                    timezone.localtime(event.occurred_at).strftime("%Y-%m-%d %H:%M:%S %z"),
                    event.actor_username,
                    event.ip_address,
                    event.get_action_display(),
                    event.object_type,
                    event.object_id,
                    event.object_repr,
                    event.detail,
                    str(event.changes) if event.changes else "",
                    event.chain_hash,
                ]
            ]
        )
    today = timezone.localdate()
    return attachment(
        workbook_bytes(workbook), f"审计日志{today:%Y%m%d}.xlsx", fallback=f"audit-log-{today:%Y%m%d}.xlsx"
    )


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
