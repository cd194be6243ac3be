from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import apply_service_error
from core.permissions import ensure_permission
from core.scoping import Action
from funds.forms import PaymentStandardForm
from funds.models import PaymentStandard
from funds.services.standards import payment_standard_save


@login_required
@require_GET
def standard_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=PaymentStandard, action=Action.VIEW)
    standards = PaymentStandard.objects.restrict(request.user).select_related(
        "fiscal_year", "payment_kind__program", "organization"
    )
    return render(request, "funds/standard_list.html", {"standards": standards})


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
