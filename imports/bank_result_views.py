"""回盘 pages: upload on a bank batch's page, the preview (every error by row and column), confirm or discard."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from core.permissions import ensure_permission
from core.refusals import show_refusal
from core.scoping import Action
from imports.bank_results import bank_result_upload
from imports.errors import RowError
from payouts.choices import ResultFileStatus
from payouts.forms import ResultUploadForm
from payouts.models import BankBatch, BankResultFile
from payouts.services import bank_result_apply, bank_result_discard


@login_required
@require_POST
def result_upload(request: HttpRequest, batch: int) -> HttpResponse:
    ensure_permission(user=request.user, model=BankResultFile, action=Action.ADD)
    bank_batch = get_object_or_404(BankBatch.objects.restrict(request.user), pk=batch)
    form = ResultUploadForm(request.POST, request.FILES, user=request.user)
    upload = request.FILES.get("file")
    if upload is not None and upload.size > settings.IMPORT_MAX_FILE_BYTES:
        form.add_error("file", gettext("文件过大，请分批上传。"))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("payouts:batch_detail", pk=bank_batch.pk)
    try:
        result = bank_result_upload(
            batch=bank_batch,
            template=form.cleaned_data["template"],
            file_name=upload.name,
            data=upload.read(),
            acting_user=request.user,
        )
    except ValidationError as exc:
        show_refusal(request, exc)
        return redirect("payouts:batch_detail", pk=bank_batch.pk)
    return redirect("imports:bank_result_detail", pk=result.pk)


def _result(request: HttpRequest, pk: int) -> BankResultFile:
    ensure_permission(user=request.user, model=BankResultFile, action=Action.VIEW)
    return get_object_or_404(
        BankResultFile.objects.restrict(request.user).select_related("batch", "template", "uploaded_by"), pk=pk
    )


@login_required
@require_GET
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = _result(request, pk)
    errors = [RowError(**error) for error in result.errors]
    lines = {line.pk: line for line in result.batch.lines.all()}
    failures = [
        (lines[line_id], reason) for line_id, outcome, reason, _settled in result.outcomes if outcome == "failed"
    ]
    return render(
        request,
        "payouts/result_detail.html",
        {
            "result": result,
            "errors": errors,
            "failures": failures,
            "can_confirm": request.user.has_perm("payouts.add_bankresultfile")
            and result.status == ResultFileStatus.PREVIEWED,
            "can_discard": request.user.has_perm("payouts.add_bankresultfile")
            and result.status in (ResultFileStatus.PREVIEWED, ResultFileStatus.REFUSED),
        },
    )


@login_required
@require_POST
def result_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=BankResultFile, action=Action.ADD)
    result = _result(request, pk)
    try:
        bank_result_apply(result=result, acting_user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
        return redirect("imports:bank_result_detail", pk=result.pk)
    messages.success(
        request,
        gettext("回盘已入账：成功 {ok} 笔，失败（退票）{bad} 笔。").format(
            ok=result.succeeded_count, bad=result.failed_count
        ),
    )
    return redirect("payouts:batch_detail", pk=result.batch_id)


@login_required
@require_POST
def result_discard(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=BankResultFile, action=Action.ADD)
    result = _result(request, pk)
    try:
        bank_result_discard(result=result, acting_user=request.user)
    except ValidationError as exc:
        show_refusal(request, exc)
    return redirect("payouts:batch_detail", pk=result.batch_id)
