"""The payments list: every payment the user may see, across import batches, filtered, sorted and exported."""

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from core.lists import list_page
from core.money import ZERO
from core.permissions import ensure_permission
from core.scoping import Action
from funds.filters import DisbursementFilterSet
from funds.models import Disbursement
from funds.tables import DisbursementTable


def _totals(rows) -> dict:
    # Summed by the database over every filtered row, not over the page shown.
    return {"amount": rows.aggregate(amount=Sum("amount"))["amount"] or ZERO}


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
        totals=_totals,
        personal_data=True,
    )
