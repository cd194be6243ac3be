from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from evaluation.models import Indicator
from evaluation.selectors import Evaluation, evaluate
from funds.exports import XLSX_CONTENT_TYPE, attachment
from funds.models import FiscalYear, Program
from funds.scoping import Action
from funds.services.common import ensure_permission
from reports.self_evaluation import self_evaluation_pdf, self_evaluation_workbook


def _self_evaluation_download(
    request: HttpRequest,
    program: str,
    year: int,
    render: Callable[[Evaluation], bytes],
    extension: str,
    content_type: str,
) -> HttpResponse:
    ensure_permission(user=request.user, model=Indicator, action=Action.VIEW)
    program_obj = get_object_or_404(Program.objects.restrict(request.user), code=program)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    content = render(evaluate(user=request.user, program=program_obj, fiscal_year=fiscal_year))
    return attachment(content, f"self-evaluation-{year}-{program}.{extension}", content_type)


@login_required
@require_GET
def self_evaluation_xlsx(request: HttpRequest, program: str, year: int) -> HttpResponse:
    return _self_evaluation_download(request, program, year, self_evaluation_workbook, "xlsx", XLSX_CONTENT_TYPE)


@login_required
@require_GET
def self_evaluation_pdf_view(request: HttpRequest, program: str, year: int) -> HttpResponse:
    return _self_evaluation_download(request, program, year, self_evaluation_pdf, "pdf", "application/pdf")
