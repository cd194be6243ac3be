"""The audit log's part of "what needs me now" (core.todos): when the integrity of the log and the ledger was last
checked, and whether it held."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.models import AuditEvent
from core.todos import Todo

STALE_DAYS = 30


def integrity_todos(user, fiscal_year) -> list[Todo]:
    if not user.has_perm("audit.verify_auditevent"):
        return []
    url = reverse("audit:verify")
    last = AuditEvent.objects.filter(action=AuditAction.VERIFY).order_by("-sequence").first()
    if last is None:
        return [Todo(_("尚未做过审计日志与发放记录的完整性校验。"), url, urgent=True)]
    # audit.views.verify records "<what>: OK" or "<what>: <first problem>" per check.
    held = all(part.strip().endswith(": OK") for part in last.detail.split(";"))
    age = (timezone.now() - last.occurred_at).days
    message = _("最近一次完整性校验：{at}，{who}，{result}").format(
        at=timezone.localtime(last.occurred_at).strftime("%Y-%m-%d %H:%M"),
        who=last.actor_username,
        result=_("通过") if held else _("发现问题"),
    )
    return [Todo(message, url, urgent=not held or age > STALE_DAYS)]
