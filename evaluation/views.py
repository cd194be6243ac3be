from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from evaluation.forms import IndicatorFormSet
from evaluation.models import Indicator
from evaluation.selectors import evaluate
from evaluation.services import indicator_save, indicator_system_start
from funds.models import FiscalYear, Program
from funds.scoping import Action
from funds.selectors import fiscal_years_for
from funds.services.common import ensure_permission


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Per fiscal year and program: every indicator computed from the data, scored, with its status."""
    ensure_permission(user=request.user, model=Indicator, action=Action.VIEW)
    years = fiscal_years_for(user=request.user)
    selected = next((y for y in years if str(y.year) == request.GET.get("year")), years[0] if years else None)
    evaluations = (
        [evaluate(user=request.user, program=p, fiscal_year=selected) for p in Program.objects.restrict(request.user)]
        if selected
        else []
    )
    return render(
        request, "evaluation/dashboard.html", {"years": years, "selected_year": selected, "evaluations": evaluations}
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicators_edit(request: HttpRequest, program: str, year: int) -> HttpResponse:
    """Finance staff keep a program-year's indicator system: start it, then edit targets, values and reasons."""
    ensure_permission(user=request.user, model=Indicator, action=Action.CHANGE)
    program_obj = get_object_or_404(Program.objects.restrict(request.user), code=program)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    queryset = (
        Indicator.objects.restrict(request.user, Action.CHANGE)
        .filter(program=program_obj, fiscal_year=fiscal_year)
        .order_by("sort_order")
    )
    if request.method == "POST" and request.POST.get("start") in ("template", "last_year"):
        try:
            indicator_system_start(
                program=program_obj,
                fiscal_year=fiscal_year,
                from_last_year=request.POST["start"] == "last_year",
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("evaluation:indicators_edit", program=program, year=year)
    formset = IndicatorFormSet(request.POST or None, queryset=queryset)
    if request.method == "POST" and formset.is_valid():
        for form in formset.forms:
            if form.has_changed():
                indicator_save(indicator=form.instance, acting_user=request.user)
        messages.success(request, _("绩效指标已保存。"))
        return redirect("evaluation:indicators_edit", program=program, year=year)
    return render(
        request,
        "evaluation/indicators_edit.html",
        {"program": program_obj, "fiscal_year": fiscal_year, "formset": formset},
    )
