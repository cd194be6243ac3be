from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import apply_service_error
from core.lists import list_page, summed
from core.permissions import ensure_permission
from core.scoping import Action
from funds.choices import FundingSource
from funds.filters import AppropriationFilterSet, FundsReceiptFilterSet
from funds.forms import AppropriationForm, DepartmentBudgetLineForm, FundsReceiptForm
from funds.models import Appropriation, AppropriationLine, DepartmentBudgetLine, FundsReceipt
from funds.selectors import appropriations_with_totals
from funds.services.budget import appropriation_save, department_budget_line_save, funds_receipt_create
from funds.services.fiscal_years import fiscal_year_get_or_create
from funds.tables import AppropriationTable, FundsReceiptTable


@login_required
@require_GET
def appropriation_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=Appropriation, action=Action.VIEW)
    appropriations = appropriations_with_totals(user=request.user)
    department_lines = DepartmentBudgetLine.objects.restrict(request.user).select_related("fiscal_year")
    return list_page(
        request,
        queryset=appropriations,
        filterset_class=AppropriationFilterSet,
        table_class=AppropriationTable,
        template_name="funds/appropriation_list.html",
        title=gettext_lazy("预算与资金到位"),
        export_name=gettext_lazy("预算与资金到位"),
        totals=summed("initial_budget", "annual_budget", "received"),
        context={"department_lines": department_lines},
    )


@login_required
@require_GET
def receipt_list(request: HttpRequest) -> HttpResponse:
    """到位记录: every receipt of funds across appropriations, filtered and exported with its 合计."""
    ensure_permission(user=request.user, model=FundsReceipt, action=Action.VIEW)
    receipts = FundsReceipt.objects.restrict(request.user).select_related(
        "appropriation__fiscal_year", "appropriation__program", "created_by"
    )
    return list_page(
        request,
        queryset=receipts,
        filterset_class=FundsReceiptFilterSet,
        table_class=FundsReceiptTable,
        template_name="funds/receipt_list.html",
        title=gettext_lazy("资金到位记录"),
        export_name=gettext_lazy("资金到位记录"),
        totals=summed("amount"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def appropriation_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Enter a program's budget for a year, or change it; program and year are fixed once entered."""
    if pk is None:
        ensure_permission(user=request.user, model=Appropriation, action=Action.ADD)
        appropriation, initial = None, {}
    else:
        appropriation = get_object_or_404(Appropriation.objects.restrict(request.user, Action.CHANGE), pk=pk)
        initial = {
            "program": appropriation.program,
            "year": appropriation.fiscal_year.year,
            "document": appropriation.document,
            "note": appropriation.note,
        }
        for line in appropriation.lines.all():
            initial[f"initial_{line.source}"] = line.initial_budget
            initial[f"annual_{line.source}"] = line.annual_budget
    form = AppropriationForm(
        request.POST or None, user=request.user, editing=appropriation is not None, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            # One transaction, so a refused budget does not leave a new, empty fiscal year behind.
            with transaction.atomic():
                appropriation = appropriation_save(
                    appropriation=appropriation,
                    program=form.cleaned_data["program"],
                    fiscal_year=fiscal_year_get_or_create(year=form.cleaned_data["year"]),
                    budgets=form.budgets(),
                    document=form.cleaned_data["document"],
                    note=form.cleaned_data["note"],
                    acting_user=request.user,
                )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("预算已保存。"))
            return redirect("funds:appropriation_detail", pk=appropriation.pk)
    return render(
        request,
        "funds/appropriation_form.html",
        {"form": form, "creating": appropriation is None, "appropriation": appropriation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def appropriation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget by source, the receipts, and (for finance staff) the form to record a receipt."""
    appropriation = get_object_or_404(
        Appropriation.objects.restrict(request.user)
        .select_related("program", "fiscal_year")
        .prefetch_related(Prefetch("lines", queryset=AppropriationLine.objects.restrict(request.user))),
        pk=pk,
    )
    can_add_receipt = request.user.has_perm("funds.add_fundsreceipt")
    form = FundsReceiptForm(request.POST or None) if can_add_receipt else None
    if request.method == "POST":
        ensure_permission(user=request.user, model=FundsReceipt, action=Action.ADD)
        if form.is_valid():
            try:
                funds_receipt_create(appropriation=appropriation, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("资金到位已登记。"))
                return redirect("funds:appropriation_detail", pk=appropriation.pk)
    receipts = FundsReceipt.objects.restrict(request.user).filter(appropriation=appropriation)
    received_by_source = dict(receipts.values("source").annotate(total=Sum("amount")).values_list("source", "total"))
    order = list(FundingSource)  # the 自评表's order: 当年财政拨款, 上年结转, 其他资金
    lines = [
        (line, received_by_source.get(line.source))
        for line in sorted(appropriation.lines.all(), key=lambda line: order.index(line.source))
    ]
    totals = appropriation.lines.aggregate(initial=Sum("initial_budget"), annual=Sum("annual_budget"))
    return render(
        request,
        "funds/appropriation_detail.html",
        {
            "appropriation": appropriation,
            "lines": lines,
            "totals": totals,
            "received_total": receipts.aggregate(total=Sum("amount"))["total"],
            "receipts": receipts.select_related("created_by"),
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_line_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The department's other budget lines (salaries, medical insurance …) for the department-wide report."""
    if pk is None:
        ensure_permission(user=request.user, model=DepartmentBudgetLine, action=Action.ADD)
        line = DepartmentBudgetLine()
    else:
        line = get_object_or_404(DepartmentBudgetLine.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = DepartmentBudgetLineForm(request.POST or None, instance=line)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if line.pk is None:
                    form.instance.fiscal_year = fiscal_year_get_or_create(year=form.cleaned_data["year"])
                department_budget_line_save(line=form.instance, acting_user=request.user)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("部门其他预算支出已保存。"))
            return redirect("funds:appropriation_list")
    return render(request, "funds/department_line_form.html", {"form": form, "line": line if line.pk else None})
