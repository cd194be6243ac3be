"""报送进度: per program-year, how far each organisation is with its roster, surveys and payments."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.lists import rows_page
from core.money import ZERO
from core.permissions import ensure_permission
from core.scoping import Action
from funds.models import Disbursement, Program
from funds.selectors import fiscal_year_chosen, fiscal_years_for, submission_board
from funds.tables import SubmissionBoardTable


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=Disbursement, action=Action.VIEW)
    years = fiscal_years_for(user=request.user)
    selected = fiscal_year_chosen(years, request.GET.get("year"))
    programs = list(Program.objects.restrict(request.user))
    program = next((p for p in programs if p.code == request.GET.get("program")), programs[0] if programs else None)
    rows = submission_board(user=request.user, program=program, fiscal_year=selected) if selected and program else []
    totals = {
        name: sum((getattr(row, name) for row in rows), ZERO)
        for name in ("allocated", "disbursed_from_plans", "disbursed")
    }
    # The performance calendar of the program-year (computed in reports, which funds may not import).
    calendar = import_string(settings.BOARD_CALENDAR_PROVIDER)(program, selected) if selected and program else []
    title = (
        _("{year}年{program}报送进度").format(year=selected.year, program=program.short_name)
        if selected and program
        else _("报送进度")
    )
    return rows_page(
        request,
        rows=rows,
        table_class=SubmissionBoardTable,
        template_name="funds/board.html",
        title=title,
        export_name=title,
        totals=totals,
        context={
            "years": years,
            "selected_year": selected,
            "programs": programs,
            "program": program,
            "calendar": calendar,
        },
    )
