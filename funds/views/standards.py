from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import apply_service_error
from core.lists import list_page
from core.permissions import ensure_permission
from core.scoping import Action
from funds.filters import PaymentStandardFilterSet
from funds.forms import PaymentStandardForm
from funds.models import FiscalYear, PaymentStandard
from funds.services.standards import payment_standard_save, payment_standards_copy, payment_standards_copy_plan
from funds.tables import PaymentStandardTable


@login_required
@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=PaymentStandard, action=Action.VIEW)
    standards = PaymentStandard.objects.restrict(request.user).select_related(
        "fiscal_year", "payment_kind__program", "organization"
    )
    return list_page(
        request,
        queryset=standards,
        filterset_class=PaymentStandardFilterSet,
        table_class=PaymentStandardTable,
        template_name="funds/standard_list.html",
        title=gettext_lazy("补助标准"),
        export_name=gettext_lazy("补助标准"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def standard_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if pk is None:
        ensure_permission(user=request.user, model=PaymentStandard, action=Action.ADD)
        standard = None
    else:
        standard = get_object_or_404(PaymentStandard.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = PaymentStandardForm(request.POST or None, instance=standard, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            payment_standard_save(standard=form.instance, acting_user=request.user)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("补助标准已保存。"))
            return redirect("funds:standard_list")
    return render(request, "funds/standard_form.html", {"form": form, "standard": standard})


@login_required
@require_http_methods(["GET", "POST"])
def standard_copy(request: HttpRequest) -> HttpResponse:
    """复制上年补助标准: choose the years, see what will be created (and what the target year already has), copy."""
    ensure_permission(user=request.user, model=PaymentStandard, action=Action.ADD)
    years = list(FiscalYear.objects.restrict(request.user).order_by("-year"))
    data = request.POST if request.method == "POST" else request.GET
    by_year = {str(y.year): y for y in years}
    to_year = by_year.get(data.get("to", ""))
    from_year = by_year.get(data.get("from", ""))
    if to_year is None and years:
        to_year = years[0]
    if from_year is None and to_year is not None:
        from_year = next((y for y in years if y.year < to_year.year), None)
    plan = None
    companions = [import_module(path) for path in settings.STANDARD_COPY_COMPANIONS]
    also = []
    if from_year and to_year and from_year != to_year:
        plan = payment_standards_copy_plan(from_year=from_year, to_year=to_year, user=request.user)
        also = [line for c in companions for line in c.preview(from_year=from_year, to_year=to_year, user=request.user)]
        if request.method == "POST":
            try:
                with transaction.atomic():
                    created = payment_standards_copy(from_year=from_year, to_year=to_year, acting_user=request.user)
                    done = [c.apply(from_year=from_year, to_year=to_year, acting_user=request.user) for c in companions]
            except (ValidationError, PermissionDenied) as exc:
                for message in getattr(exc, "messages", [str(exc)]):
                    messages.error(request, message)
            else:
                messages.success(
                    request,
                    _("已把 {source} 年的 {n} 项补助标准复制到 {target} 年。").format(
                        source=from_year.year, n=len(created), target=to_year.year
                    )
                    + "".join(done),
                )
                return redirect("funds:standard_list")
    return render(
        request,
        "funds/standard_copy.html",
        {"years": years, "from_year": from_year, "to_year": to_year, "plan": plan, "also": also},
    )
