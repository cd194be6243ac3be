"""Showing a person's full ID number and bank account: only with the unmask permission, and every time logged."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.choices import AuditAction
from audit.services import audit_record
from beneficiaries.models import Household, ModelWorker

UNMASK_PERMISSION = "beneficiaries.unmask_personal_data"
KINDS = {"household": Household, "model_worker": ModelWorker}


@login_required
@require_POST  # never a GET: nothing prefetches or caches it, and the number is not in any URL
def unmask(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    person = get_object_or_404(model.objects.restrict(request.user), pk=pk)
    if not request.user.has_perm(UNMASK_PERMISSION):
        raise PermissionDenied(_("您无权查看完整的个人信息。"))
    fields = ["id_number"] + (["bank_account"] if kind == "model_worker" else [])
    audit_record(action=AuditAction.UNMASK, actor=request.user, obj=person, detail=", ".join(fields))
    return render(request, "beneficiaries/unmask.html", {"person": person, "kind": kind})
