"""The 绩效目标表 page: start, draft the goal, 送审, 审核通过 / 退回, the versions, and 目标调整."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.models import DecisionStatus
from core.permissions import ensure_permission
from core.refusals import show_refusal
from core.scoping import Action
from evaluation.choices import Comparator
from evaluation.models import Indicator, TargetAdjustment, TargetTable
from evaluation.targets import (
    target_adjustment_decide,
    target_adjustment_request,
    target_table_review,
    target_table_save,
    target_table_start,
    target_table_submit,
)
from funds.models import FiscalYear, Program


def _program_year(request: HttpRequest, program: str, year: int) -> tuple[Program, FiscalYear]:
    return (
        get_object_or_404(Program.objects.restrict(request.user), code=program),
        get_object_or_404(FiscalYear.objects.restrict(request.user), year=year),
    )


@login_required
@require_http_methods(["GET", "POST"])
def target_table(request: HttpRequest, program: str, year: int) -> HttpResponse:
    """One program-year's 绩效目标表. POST `action`: start, save, submit (the department); approve, return (finance)."""
    ensure_permission(
        user=request.user, model=TargetTable, action=Action.CHANGE if request.method == "POST" else Action.VIEW
    )
    program_obj, fiscal_year = _program_year(request, program, year)
    table = TargetTable.objects.restrict(request.user).filter(program=program_obj, fiscal_year=fiscal_year).first()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action in ("approve", "return"):
            ensure_permission(user=request.user, model=TargetTable, action="review")
        try:
            if action in ("template", "last_year"):
                target_table_start(
                    program=program_obj,
                    fiscal_year=fiscal_year,
                    from_last_year=action == "last_year",
                    acting_user=request.user,
                )
                messages.success(request, _("绩效目标表已建立，请填写年度总体目标并检查各项指标。"))
            elif table is None:
                raise Http404
            elif action == "save":
                version = request.POST.get("version", "")
                target_table_save(
                    table=table,
                    overall_goal=request.POST.get("overall_goal", ""),
                    acting_user=request.user,
                    expected_version=int(version) if version.isdigit() else -1,
                )
                messages.success(request, _("年度总体目标已保存。"))
            elif action == "submit":
                target_table_submit(table=table, acting_user=request.user)
                messages.success(request, _("已送审，等待财务审核。"))
            elif action in ("approve", "return"):
                target_table_review(
                    table=table,
                    approve=action == "approve",
                    comment=request.POST.get("comment", ""),
                    acting_user=request.user,
                )
                messages.success(
                    request, _("已审核通过。") if action == "approve" else _("已退回，请责任部门修改后重新送审。")
                )
            else:
                raise ValidationError(_("请从绩效目标表页面操作。"))
        except (ValidationError, PermissionDenied) as exc:
            show_refusal(request, exc)
        return redirect("evaluation:target_table", program=program, year=year)
    indicators = Indicator.objects.filter(program=program_obj, fiscal_year=fiscal_year).order_by("sort_order")
    adjustments = (
        TargetAdjustment.objects.restrict(request.user)
        .filter(indicator__program=program_obj, indicator__fiscal_year=fiscal_year)
        .select_related("indicator", "requested_by", "decided_by")
    )
    return render(
        request,
        "evaluation/target_table.html",
        {
            "program": program_obj,
            "fiscal_year": fiscal_year,
            "table": table,
            "indicators": indicators,
            "versions": table.versions.select_related("actor") if table else [],
            "adjustments": adjustments,
            "pending": [a for a in adjustments if a.status == DecisionStatus.PENDING],
            "can_edit": request.user.has_perm("evaluation.change_targettable"),
            "can_review": request.user.has_perm("evaluation.review_targettable"),
            "can_adjust": request.user.has_perm("evaluation.add_targetadjustment"),
        },
    )


@login_required
@require_POST
def target_adjustment_new(request: HttpRequest, program: str, year: int) -> HttpResponse:
    ensure_permission(user=request.user, model=TargetAdjustment, action=Action.ADD)
    program_obj, fiscal_year = _program_year(request, program, year)
    indicator = get_object_or_404(
        Indicator.objects.restrict(request.user),
        program=program_obj,
        fiscal_year=fiscal_year,
        pk=request.POST.get("indicator") if str(request.POST.get("indicator", "")).isdigit() else None,
    )
    raw = request.POST.get("new_target", "").strip()
    qualitative = indicator.comparator == Comparator.QUALITATIVE
    try:
        value = Decimal(raw.rstrip("%户人元万")) if raw and not qualitative else None
    except InvalidOperation:
        messages.error(request, _("“{name}”是定量指标，新指标值应为数字。").format(name=indicator.name))
        return redirect("evaluation:target_table", program=program, year=year)
    try:
        target_adjustment_request(
            indicator=indicator,
            new_target_value=value,
            new_target_text=raw if qualitative else "",
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
        )
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("目标调整申请已提交，须由另一位人员审核。"))
    return redirect("evaluation:target_table", program=program, year=year)


@login_required
@require_POST
def target_adjustment_verdict(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    ensure_permission(user=request.user, model=TargetTable, action="review")
    adjustment = get_object_or_404(
        TargetAdjustment.objects.restrict(request.user).select_related("indicator__program", "indicator__fiscal_year"),
        pk=pk,
    )
    indicator = adjustment.indicator
    get_object_or_404(Program.objects.restrict(request.user), pk=indicator.program_id)
    if verdict not in ("approve", "reject"):
        raise Http404
    try:
        target_adjustment_decide(adjustment=adjustment, approve=verdict == "approve", acting_user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, _("目标已调整。") if verdict == "approve" else _("目标调整申请已驳回。"))
    return redirect("evaluation:target_table", program=indicator.program.code, year=indicator.fiscal_year.year)
