from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from evaluation.models import Indicator
from evaluation.selectors import evaluate
from funds.exports import XLSX_CONTENT_TYPE
from funds.models import FiscalYear, Program
from funds.scoping import Action
from funds.services.common import ensure_permission
from reports.self_evaluation import self_evaluation_pdf, self_evaluation_workbook


@login_required
@require_GET
def self_evaluation_xlsx(request: HttpRequest, program: str, year: int) -> HttpResponse:
    ensure_permission(user=request.user, model=Indicator, action=Action.VIEW)
    program_obj = get_object_or_404(Program.objects.restrict(request.user), code=program)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    content = self_evaluation_workbook(evaluate(user=request.user, program=program_obj, fiscal_year=fiscal_year))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''self-evaluation-{year}-{program}.xlsx"
    return response


@login_required
@require_GET
def self_evaluation_pdf_view(request: HttpRequest, program: str, year: int) -> HttpResponse:
    ensure_permission(user=request.user, model=Indicator, action=Action.VIEW)
    program_obj = get_object_or_404(Program.objects.restrict(request.user), code=program)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    content = self_evaluation_pdf(evaluate(user=request.user, program=program_obj, fiscal_year=fiscal_year))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''self-evaluation-{year}-{program}.pdf"
    return response
