"""The rosters (困难职工档案, 劳模名册) as lists, and showing a person's full ID number and bank account: only with the
unmask permission, and every time logged."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from audit.choices import AuditAction
from audit.services import audit_record
from beneficiaries.filters import HouseholdFilterSet, LivingSurveyFilterSet, ModelWorkerFilterSet
from beneficiaries.models import Household, LivingSurvey, ModelWorker
from beneficiaries.tables import HouseholdTable, LivingSurveyTable, ModelWorkerTable
from core.lists import list_page
from core.permissions import ensure_permission
from core.scoping import Action, permission_name

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


def _roster(request: HttpRequest, model, filterset_class, table_class, title, kind: str) -> HttpResponse:
    ensure_permission(user=request.user, model=model, action=Action.VIEW)
    return list_page(
        request,
        queryset=model.objects.restrict(request.user).select_related("organization"),
        context={"kind": kind, "can_add": request.user.has_perm(permission_name(model, Action.ADD))},
        filterset_class=filterset_class,
        table_class=table_class,
        template_name="beneficiaries/roster_list.html",
        title=title,
        export_name=title,
        personal_data=True,
    )


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    return _roster(request, Household, HouseholdFilterSet, HouseholdTable, gettext_lazy("困难职工档案"), "household")


@login_required
@require_GET
def model_worker_list(request: HttpRequest) -> HttpResponse:
    return _roster(
        request, ModelWorker, ModelWorkerFilterSet, ModelWorkerTable, gettext_lazy("劳模名册"), "model_worker"
    )


@login_required
@require_GET
def living_survey_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=LivingSurvey, action=Action.VIEW)
    return list_page(
        request,
        queryset=LivingSurvey.objects.restrict(request.user).select_related(
            "fiscal_year", "model_worker", "model_worker__organization"
        ),
        filterset_class=LivingSurveyFilterSet,
        table_class=LivingSurveyTable,
        template_name="beneficiaries/roster_list.html",
        title=gettext_lazy("劳模生活状况调查"),
        export_name=gettext_lazy("劳模生活状况调查"),
        personal_data=True,
    )
