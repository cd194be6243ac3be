"""The payments list (every payment the user may see, across import batches, filtered, sorted and exported) and one
payment's page, where a single wrong payment is reversed by two people."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.lists import list_page, summed
from core.models import DecisionStatus
from core.permissions import ensure_permission
from core.scoping import Action
from funds.choices import DisbursementStatus
from funds.filters import DisbursementFilterSet
from funds.models import Disbursement, DisbursementReversal, PaymentReversalRequest
from funds.services.disbursements import payment_reversal_decide, payment_reversal_request
from funds.tables import DisbursementTable


@login_required
@require_GET
def payment_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=Disbursement, action=Action.VIEW)
    payments = Disbursement.objects.restrict(request.user).select_related(
        "household", "model_worker", "paying_organization", "program", "payment_kind"
    )
    return list_page(
        request,
        queryset=payments,
        filterset_class=DisbursementFilterSet,
        table_class=DisbursementTable,
        template_name="funds/payment_list.html",
        title=_("发放明细"),
        export_name=_("发放明细"),
        totals=summed("amount"),
        personal_data=True,
    )


def _payment(request: HttpRequest, pk: int) -> Disbursement:
    ensure_permission(user=request.user, model=Disbursement, action=Action.VIEW)
    return get_object_or_404(
        Disbursement.objects.restrict(request.user).select_related(
            "household", "model_worker", "paying_organization", "program", "payment_kind", "fiscal_year", "batch"
        ),
        pk=pk,
    )


@login_required
@require_GET
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One payment: what was paid to whom, its reversal if any, and the single-payment reversal requests."""
    payment = _payment(request, pk)
    requests = PaymentReversalRequest.objects.restrict(request.user).filter(disbursement=payment)
    pending = next((r for r in requests if r.status == DecisionStatus.PENDING), None)
    return render(
        request,
        "funds/payment_detail.html",
        {
            "payment": payment,
            "person": payment.household or payment.model_worker,
            "reversal": DisbursementReversal.objects.filter(disbursement=payment).select_related("created_by").first(),
            "requests": requests.select_related("requested_by", "decided_by"),
            "pending": pending,
            "can_request": payment.status == DisbursementStatus.POSTED
            and pending is None
            and request.user.has_perm("funds.add_paymentreversalrequest"),
            "can_decide": pending is not None
            and pending.requested_by_id != request.user.pk
            and request.user.has_perm("funds.change_paymentreversalrequest"),
        },
    )


@login_required
@require_POST
def payment_reversal_request_view(request: HttpRequest, pk: int) -> HttpResponse:
    payment = _payment(request, pk)
    ensure_permission(user=request.user, model=PaymentReversalRequest, action=Action.ADD)
    try:
        payment_reversal_request(disbursement=payment, reason=request.POST.get("reason", ""), acting_user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, gettext("已申请冲销，须由申请人以外的财务人员确认后执行。"))
    return redirect("funds:payment_detail", pk=payment.pk)


@login_required
@require_POST
def payment_reversal_decide_view(request: HttpRequest, pk: int, verdict: str) -> HttpResponse:
    if verdict not in ("confirm", "reject"):
        raise Http404
    payment = _payment(request, pk)
    ensure_permission(user=request.user, model=PaymentReversalRequest, action=Action.CHANGE)
    pending = get_object_or_404(
        PaymentReversalRequest.objects.restrict(request.user), disbursement=payment, status=DecisionStatus.PENDING
    )
    try:
        payment_reversal_decide(request=pending, approve=verdict == "confirm", acting_user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, gettext("已冲销该笔发放。") if verdict == "confirm" else gettext("已驳回冲销申请。"))
    return redirect("funds:payment_detail", pk=payment.pk)
