from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.todos import collect_todos
from funds.selectors import fiscal_year_chosen, fiscal_years_for, fund_flow, recent_uploads


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    # The administrators of 三权分立 hold no right on money: they land on their own work, not on a dashboard of zeros.
    user = request.user
    if not user.has_perm("funds.view_disbursement"):
        if user.has_perm("audit.view_auditevent"):
            return redirect("audit:event_list")
        if user.has_perm("funds.change_user"):
            return redirect("users:user_list")
        if user.is_staff:
            return redirect("admin:index")
    years = fiscal_years_for(user=request.user)
    selected = fiscal_year_chosen(years, request.GET.get("year"))
    flows = fund_flow(user=request.user, fiscal_year=selected) if selected else []
    todos = collect_todos(user=request.user, fiscal_year=selected)
    return render(
        request,
        "funds/home.html",
        {
            "years": years,
            "selected_year": selected,
            "flows": flows,
            "todos": todos,
            "recent_uploads": recent_uploads(user=request.user),
        },
    )
