from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import apply_service_error
from core.lists import list_page, summed
from core.permissions import ensure_permission
from core.scoping import Action
from funds.choices import PlanStatus
from funds.filters import AllocationPlanFilterSet
from funds.forms import AllocationLineFormSet, AllocationPlanForm
from funds.models import AllocationLine, AllocationPlan
from funds.selectors import allocation_capacity
from funds.services.allocation import (
    PlanLineInput,
    allocation_plan_approve,
    allocation_plan_return,
    allocation_plan_save,
    allocation_plan_submit,
)
from funds.tables import AllocationPlanTable


def _scoped_plans(request: HttpRequest, action: Action = Action.VIEW):
    # Operators see only their own lines of a plan; finance staff and auditors see all of them.
    lines = AllocationLine.objects.restrict(request.user).select_related("organization")
    return (
        AllocationPlan.objects.restrict(request.user, action)
        .select_related("program", "fiscal_year", "created_by", "approved_by")
        .prefetch_related(Prefetch("lines", queryset=lines))
    )


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=AllocationPlan, action=Action.VIEW)
    # The amount of the lines the user may see (an operator's own line, not the whole plan).
    visible_lines = (
        AllocationLine.objects.restrict(request.user)
        .filter(plan=OuterRef("pk"))
        .values("plan")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    plans = (
        AllocationPlan.objects.restrict(request.user)
        .select_related("program", "fiscal_year", "created_by", "approved_by")
        .annotate(visible_total=Subquery(visible_lines))
    )
    return list_page(
        request,
        queryset=plans,
        filterset_class=AllocationPlanFilterSet,
        table_class=AllocationPlanTable,
        template_name="funds/plan_list.html",
        title=gettext_lazy("资金分配方案"),
        export_name=gettext_lazy("资金分配方案"),
        totals=summed("visible_total"),
    )


def _form_version(form: AllocationPlanForm) -> int:
    version = form.cleaned_data.get("version")
    return -1 if version is None else version


def _plan_form_page(request: HttpRequest, plan: AllocationPlan | None) -> HttpResponse:
    if plan is None:
        initial, line_initial = {}, []
    else:
        initial = {
            "program": plan.program,
            "fiscal_year": plan.fiscal_year,
            "title": plan.title,
            "plan_date": plan.plan_date,
            "approval_reference": plan.approval_reference,
        }
        line_initial = [
            {"organization": line.organization, "amount": line.amount, "note": line.note} for line in plan.lines.all()
        ]
    if plan is not None:
        initial["version"] = plan.version
    form = AllocationPlanForm(request.POST or None, user=request.user, initial=initial)
    formset = AllocationLineFormSet(
        request.POST or None, initial=line_initial, prefix="lines", form_kwargs={"user": request.user}
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = allocation_plan_save(
                plan=plan,
                program=form.cleaned_data["program"],
                fiscal_year=form.cleaned_data["fiscal_year"],
                title=form.cleaned_data["title"],
                plan_date=form.cleaned_data["plan_date"],
                approval_reference=form.cleaned_data["approval_reference"],
                lines=[
                    PlanLineInput(organization=row["organization"], amount=row["amount"], note=row["note"])
                    for row in formset.line_data()
                ],
                acting_user=request.user,
                expected_version=_form_version(form) if plan is not None else None,
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("分配方案已保存为草稿。"))
            return redirect("funds:plan_detail", pk=plan.pk)
    # After a service error the form is no longer valid, but its cleaned data still says which program-year.
    data = getattr(form, "cleaned_data", None) or initial
    capacity = None
    if data.get("program") and data.get("fiscal_year"):
        capacity = allocation_capacity(program=data["program"], fiscal_year=data["fiscal_year"], excluding_plan=plan)
    return render(
        request, "funds/plan_form.html", {"form": form, "formset": formset, "plan": plan, "capacity": capacity}
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=AllocationPlan, action=Action.ADD)
    return _plan_form_page(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_scoped_plans(request, Action.CHANGE), pk=pk)
    if plan.status != PlanStatus.DRAFT:
        messages.error(request, _("已提交或已审批的分配方案不能修改。"))
        return redirect("funds:plan_detail", pk=plan.pk)
    return _plan_form_page(request, plan)


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(_scoped_plans(request), pk=pk)
    user = request.user
    lines = list(plan.lines.all())
    lines_total = AllocationLine.objects.restrict(user).filter(plan=plan).aggregate(total=Sum("amount"))["total"]
    is_author = plan.created_by_id == user.pk or plan.authors.filter(pk=user.pk).exists()
    return render(
        request,
        "funds/plan_detail.html",
        {
            "plan": plan,
            "lines": lines,
            "lines_total": lines_total,
            "can_edit": plan.status == PlanStatus.DRAFT
            and AllocationPlan.objects.restrict(user, Action.CHANGE).filter(pk=plan.pk).exists(),
            "can_review": plan.status == PlanStatus.SUBMITTED
            and AllocationPlan.objects.restrict(user, Action.APPROVE).filter(pk=plan.pk).exists(),
            "is_author": is_author,
            "authors": list(plan.authors.all()),
        },
    )


def _posted_version(request: HttpRequest) -> int:
    # A form without a readable version is treated as stale (-1 matches no plan), never as "skip the check".
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1


def _plan_transition(request: HttpRequest, pk: int, action: Action, service, success: str, **arguments) -> HttpResponse:
    plan = get_object_or_404(AllocationPlan.objects.restrict(request.user, action), pk=pk)
    try:
        service(plan=plan, acting_user=request.user, expected_version=_posted_version(request), **arguments)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("您无权执行此操作。"))
    else:
        messages.success(request, success)
    return redirect("funds:plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_transition(
        request, pk, Action.CHANGE, allocation_plan_submit, _("分配方案已提交，等待另一位财务人员审批。")
    )


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_transition(
        request,
        pk,
        Action.APPROVE,
        allocation_plan_approve,
        _("分配方案已审批通过。"),
        comment=request.POST.get("comment", ""),
    )


@login_required
@require_POST
def plan_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_transition(
        request,
        pk,
        Action.APPROVE,
        allocation_plan_return,
        _("分配方案已退回修改。"),
        comment=request.POST.get("comment", ""),
    )
