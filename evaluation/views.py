from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from evaluation.models import Indicator
from evaluation.selectors import evaluate
from funds.models import Program
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
