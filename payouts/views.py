"""Pages of the bank's part of paying: the batch list, 制单, one batch (pre-check, release, file, result, 退票), the
退票 list and the bank file templates. Views are thin: services write, selectors read."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exports import attachment
from core.lists import list_page, summed
from core.money import format_yuan
from core.permissions import ensure_permission
from core.refusals import show_refusal
from core.scoping import Action
from payouts.choices import BankBatchStatus, FollowUp, LineOutcome
from payouts.filters import BankBatchFilterSet, BankBatchLineFilterSet, ReturnedPaymentFilterSet
from payouts.forms import BankBatchForm, BankFileTemplateForm, ReissueForm, ResultUploadForm
from payouts.models import BankBatch, BankBatchLine, BankFileTemplate
from payouts.precheck import precheck
from payouts.selectors import batch_reconciliation
from payouts.services import (
    bank_batch_cancel,
    bank_batch_download,
    bank_batch_prepare,
    bank_batch_release,
    bank_batch_remove_line,
    bank_file_template_save,
    bank_line_recover,
    bank_line_reissue,
)
from payouts.tables import BankBatchLineTable, BankBatchTable, ReturnedPaymentTable


@login_required
@require_GET
def batch_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=BankBatch, action=Action.VIEW)
    batches = BankBatch.objects.restrict(request.user).select_related(
        "organization", "program", "fiscal_year", "prepared_by", "released_by"
    )
    return list_page(
        request,
        queryset=batches,
        filterset_class=BankBatchFilterSet,
        table_class=BankBatchTable,
        template_name="payouts/batch_list.html",
        title=_("银行代发批次"),
        export_name=_("银行代发批次"),
        totals=summed("line_count", "total_amount"),
    )


@login_required
@require_GET
def returned_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=BankBatchLine, action=Action.VIEW)
    lines = BankBatchLine.objects.restrict(request.user).select_related("batch__organization")
    return list_page(
        request,
        queryset=lines,
        filterset_class=ReturnedPaymentFilterSet,
        table_class=ReturnedPaymentTable,
        template_name="payouts/returned_list.html",
        title=_("退票处理"),
        export_name=_("退票处理"),
        totals=summed("amount"),
        personal_data=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def batch_create(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=BankBatch, action=Action.ADD)
    last = BankBatch.objects.restrict(request.user).order_by("-prepared_at").first()
    initial = (
        {"payer_name": last.payer_name, "payer_account": last.payer_account, "payer_bank": last.payer_bank}
        if (last)
        else {}
    )
    form = BankBatchForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            batch = bank_batch_prepare(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(
                request,
                gettext("已制单 {number}：{n} 笔，合计 {amount} 元。请另一位财务人员核对预检结果后放行。").format(
                    number=batch.number, n=batch.line_count, amount=format_yuan(batch.total_amount)
                ),
            )
            return redirect("payouts:batch_detail", pk=batch.pk)
    return render(request, "payouts/batch_form.html", {"form": form})


def _batch(request: HttpRequest, pk: int) -> BankBatch:
    ensure_permission(user=request.user, model=BankBatch, action=Action.VIEW)
    return get_object_or_404(
        BankBatch.objects.restrict(request.user).select_related(
            "organization", "program", "fiscal_year", "payment_kind", "template", "prepared_by", "released_by"
        ),
        pk=pk,
    )


@login_required
@require_GET
def batch_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One batch: facts, reconciliation, the pre-check (before release), the bank's result files, the 退票 waiting
    for 补发 or 追回, and every line (filtered, paginated, exported with masked accounts)."""
    batch = _batch(request, pk)
    lines = batch.lines.select_related("disbursement__model_worker", "disbursement__household")
    user = request.user
    findings = precheck(batch, list(lines.order_by("sequence"))) if batch.status == BankBatchStatus.PREPARED else []
    by_sequence = {line.sequence: line for line in lines.filter(sequence__in={f.sequence for f in findings})}
    is_finance = user.has_perm("payouts.add_bankbatch")
    context = {
        "batch": batch,
        "findings": [(finding, by_sequence.get(finding.sequence)) for finding in findings],
        "blocking": [f for f in findings if f.blocking],
        "figures": batch_reconciliation(batch),
        "results": batch.results.select_related("uploaded_by", "template"),
        "returned": [
            (line, ReissueForm(auto_id=f"id_%s_{line.pk}", initial={"paid_on": timezone.localdate()}))
            for line in lines.filter(outcome=LineOutcome.FAILED, follow_up=FollowUp.OPEN).order_by("sequence")
        ],
        "can_release": user.has_perm("payouts.release_bankbatch")
        and batch.status == BankBatchStatus.PREPARED
        and batch.prepared_by_id != user.pk,
        "can_prepare": is_finance and batch.status == BankBatchStatus.PREPARED,
        "can_download": user.has_perm("payouts.download_bankbatch")
        and batch.status in (BankBatchStatus.RELEASED, BankBatchStatus.SETTLED),
        "can_upload": user.has_perm("payouts.add_bankresultfile") and batch.status == BankBatchStatus.RELEASED,
        "can_follow_up": user.has_perm("payouts.change_bankbatchline"),
        "upload_form": ResultUploadForm(user=user),
    }
    return list_page(
        request,
        queryset=lines,
        filterset_class=BankBatchLineFilterSet,
        table_class=BankBatchLineTable,
        template_name="payouts/batch_detail.html",
        title=_("代发明细"),
        export_name=_("代发明细-{number}").format(number=batch.number),
        totals=summed("amount"),
        personal_data=True,
        context=context,
    )


@login_required
@require_POST
def batch_release(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=BankBatch, action="release")
    batch = _batch(request, pk)
    try:
        bank_batch_release(batch=batch, acting_user=request.user, expected_sha256=request.POST.get("sha256", ""))
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, gettext("已放行，可以下载代发文件送银行。"))
    return redirect("payouts:batch_detail", pk=batch.pk)


@login_required
@require_POST
def batch_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=BankBatch, action=Action.ADD)
    batch = _batch(request, pk)
    try:
        bank_batch_cancel(batch=batch, reason=request.POST.get("reason", ""), acting_user=request.user)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, gettext("批次已作废，其中的发放可重新制单。"))
    return redirect("payouts:batch_detail", pk=batch.pk)


@login_required
@require_POST
def line_remove(request: HttpRequest, pk: int, line: int) -> HttpResponse:
    ensure_permission(user=request.user, model=BankBatch, action=Action.ADD)
    batch = _batch(request, pk)
    target = get_object_or_404(BankBatchLine.objects.restrict(request.user), pk=line, batch=batch)
    try:
        bank_batch_remove_line(
            batch=batch, line=target, reason=request.POST.get("reason", ""), acting_user=request.user
        )
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, gettext("第 {n} 笔已移出本批次。").format(n=target.sequence))
    return redirect("payouts:batch_detail", pk=batch.pk)


@login_required
@require_GET
def batch_file(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=BankBatch, action="download")
    batch = _batch(request, pk)
    try:
        data, extension, content_type = bank_batch_download(batch=batch, acting_user=request.user)
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect("payouts:batch_detail", pk=batch.pk)
    response = attachment(
        data,
        f"代发文件-{batch.number}.{extension}",
        content_type,
        fallback=f"bank-batch-{batch.number}.{extension}",
    )
    response["Cache-Control"] = "no-store"
    return response


def _line(request: HttpRequest, pk: int) -> BankBatchLine:
    ensure_permission(user=request.user, model=BankBatchLine, action=Action.CHANGE)
    return get_object_or_404(BankBatchLine.objects.restrict(request.user).select_related("batch"), pk=pk)


@login_required
@require_POST
def line_reissue(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    form = ReissueForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("payouts:batch_detail", pk=line.batch_id)
    try:
        payment = bank_line_reissue(line=line, acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(
            request,
            gettext("已补发（发放记录 #{pk}），将进入下一个代发批次。").format(pk=payment.pk),
        )
    return redirect("payouts:batch_detail", pk=line.batch_id)


@login_required
@require_POST
def line_recover(request: HttpRequest, pk: int) -> HttpResponse:
    line = _line(request, pk)
    try:
        bank_line_recover(line=line, note=request.POST.get("note", ""), acting_user=request.user)
    except ValidationError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, gettext("已登记追回。"))
    return redirect("payouts:batch_detail", pk=line.batch_id)


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=BankFileTemplate, action=Action.VIEW)
    templates = BankFileTemplate.objects.restrict(request.user)
    return render(
        request,
        "payouts/template_list.html",
        {"templates": templates, "can_add": request.user.has_perm("payouts.add_bankfiletemplate")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    template = None
    if pk is None:
        ensure_permission(user=request.user, model=BankFileTemplate, action=Action.ADD)
    else:
        ensure_permission(user=request.user, model=BankFileTemplate, action=Action.CHANGE)
        template = get_object_or_404(BankFileTemplate.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = BankFileTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        saved = bank_file_template_save(template=form.save(commit=False), acting_user=request.user)
        messages.success(request, gettext("已保存模板“{name}”。").format(name=saved.name))
        return redirect("payouts:template_list")
    return render(request, "payouts/template_form.html", {"form": form, "template": template})
