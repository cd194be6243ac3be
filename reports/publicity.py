"""公示名单: the list an organisation posts before paying — names partly masked (张*明), IDs masked, kind and amount,
the objection period and where to object. PDF (for the notice board) or .xlsx; each one generated is recorded and
audited (oversight.services.publicity_record). Official output: Chinese whatever the interface language."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from beneficiaries import resident_id
from core.exports import ExportColumn, attachment, formatted_workbook, official_language
from core.masking import mask_name
from core.money import ZERO
from core.permissions import ensure_permission
from core.refusals import show_refusal
from core.scoping import Action
from oversight.forms import PublicityForm
from oversight.models import Publicity
from oversight.services import publicity_payments, publicity_record
from reports.pdf import render_pdf


def publicity_rows(payments) -> list[dict]:
    rows = []
    for number, payment in enumerate(payments, start=1):
        person = payment.household or payment.model_worker
        name = person.head_name if payment.household_id else person.name
        rows.append(
            {
                "n": number,
                "name": mask_name(name),
                "id": resident_id.mask(person.id_number),
                "kind": payment.payment_kind.name,
                "amount": payment.amount,
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def publicity_create(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=Publicity, action=Action.ADD)
    form = PublicityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        payments = publicity_payments(
            user=request.user,
            organization=data["organization"],
            program=data["program"],
            fiscal_year=data["fiscal_year"],
            payment_kind=data["payment_kind"],
        )
        if not payments.exists():
            messages.error(request, gettext("所选范围内没有已入账的发放记录，无需公示。"))
        else:
            with official_language():
                title = "{org}{year}年度{what}发放名单公示".format(
                    org=data["organization"].name,
                    year=data["fiscal_year"].year,
                    what=data["payment_kind"].name if data["payment_kind"] else data["program"].name,
                )
                context = {
                    "title": title,
                    "rows": publicity_rows(payments),
                    "total": payments.aggregate(t=Sum("amount"))["t"] or ZERO,
                    "data": data,
                    "today": timezone.localdate(),
                }
                as_xlsx = request.POST.get("format") == "xlsx"
                if as_xlsx:
                    content = formatted_workbook(
                        title=title,
                        columns=[
                            ExportColumn("序号", "number"),
                            ExportColumn("姓名"),
                            ExportColumn("身份证号"),
                            ExportColumn("发放类型"),
                            ExportColumn("金额（元）", "money"),
                        ],
                        rows=([r["n"], r["name"], r["id"], r["kind"], r["amount"]] for r in context["rows"]),
                        totals={4: context["total"]},
                        note="公示期 {a} 至 {b}；异议受理：{c}".format(
                            a=data["starts_on"], b=data["ends_on"], c=data["contact"]
                        ),
                    )
                else:
                    content = render_pdf("reports/publicity_pdf.html", context)
            try:
                publicity_record(acting_user=request.user, pdf_sha256=hashlib.sha256(content).hexdigest(), **data)
            except ValidationError as exc:
                show_refusal(request, exc)
            else:
                if as_xlsx:
                    return attachment(content, f"{title}.xlsx", fallback="publicity.xlsx")
                return attachment(content, f"{title}.pdf", "application/pdf", fallback="publicity.pdf")
    return render(request, "reports/publicity_form.html", {"form": form})
