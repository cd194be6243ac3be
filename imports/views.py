import contextlib
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.choices import AuditAction
from audit.services import audit_record
from core.exports import attachment, official_language
from core.forms import apply_service_error
from core.lists import list_page
from core.permissions import ensure_permission
from core.scoping import Action
from funds.choices import ImportKind, ImportStatus
from funds.models import ImportBatch, Program
from imports.errors import RowError
from imports.filters import ImportBatchFilterSet
from imports.forms import ConfirmImportForm, ReverseImportForm, UploadForm
from imports.history import ImportBatchTable
from imports.outcome import read_progress
from imports.services import (
    KINDS,
    import_batch_confirm,
    import_batch_create,
    import_batch_discard,
    import_batch_queue_confirm,
    import_batch_release_if_stale,
    import_batch_request_reversal,
    import_batch_reverse,
)
from imports.spreadsheets import stored_error_report, template_workbook
from imports.tasks import fail_batch, validate_import


def _in_background(batch: ImportBatch) -> bool:
    # A batch without its file (the demo's, or one whose file was lost) is refused quickly, in the request.
    return bool(batch.source_file) and batch.source_file.size > settings.IMPORT_BACKGROUND_BYTES


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=ImportBatch, action=Action.VIEW)
    batches = ImportBatch.objects.restrict(request.user).select_related(
        "organization", "program", "fiscal_year", "created_by"
    )
    return list_page(
        request,
        queryset=batches,
        filterset_class=ImportBatchFilterSet,
        table_class=ImportBatchTable,
        template_name="imports/import_list.html",
        title=gettext_lazy("导入记录"),
        export_name=gettext_lazy("导入记录"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=ImportBatch, action=Action.ADD)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = import_batch_create(
                kind=form.cleaned_data["kind"],
                organization=form.cleaned_data["organization"],
                program=form.cleaned_data["program"],
                fiscal_year=form.cleaned_data["fiscal_year"],
                unknown_status_date=form.cleaned_data["unknown_status_date"],
                sheet_name=form.cleaned_data["sheet_name"],
                file_name=upload.name,
                data=upload.read(),
                acting_user=request.user,
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            if _in_background(batch):
                validate_import.enqueue(batch.pk)
            else:
                # A failure is recorded on the batch (处理失败) and logged by the task; the batch's page says so.
                with contextlib.suppress(Exception):
                    validate_import.call(batch.pk)
            return redirect("imports:import_detail", pk=batch.pk)
    templates = [(kind, label) for kind, label in UploadForm.base_fields["kind"].choices]
    return render(
        request,
        "imports/import_upload.html",
        {"form": form, "templates": templates, "programs": Program.objects.restrict(request.user)},
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(
        ImportBatch.objects.restrict(request.user).select_related("organization", "program", "fiscal_year"), pk=pk
    )
    batch = import_batch_release_if_stale(batch=batch)
    errors = Paginator([RowError(**e) for e in batch.errors], 100).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/import_detail.html",
        {
            "batch": batch,
            "errors": errors,
            "warnings": [RowError(**w) for w in batch.warnings],
            # Why a row touching another union's data was refused: for finance staff, never for the operator.
            "show_detail": request.user.has_perm("beneficiaries.unmask_personal_data"),
            "running": batch.status in (ImportStatus.VALIDATING, ImportStatus.IMPORTING),
            "can_confirm": batch.status == ImportStatus.PREVIEWED
            and ImportBatch.objects.restrict(request.user, Action.CHANGE).filter(pk=batch.pk).exists(),
            "can_reverse": batch.status == ImportStatus.IMPORTED
            and batch.kind == ImportKind.DISBURSEMENTS
            and request.user.has_perm("funds.reverse_importbatch"),
            "confirm_form": ConfirmImportForm(),
            "reverse_form": ReverseImportForm(),
            "totals": list(batch.summary.get("totals", {}).items()),
            "sources": list(batch.summary.get("sources", {}).items()),
            "sample_headers": batch.summary.get("sample_headers", []),
            "sample": batch.summary.get("sample", []),
            "allocation": {k: Decimal(v) for k, v in (batch.summary.get("allocation") or {}).items()},
        },
    )


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    batch = import_batch_release_if_stale(batch=get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk))
    progress = read_progress(batch.pk) or {}
    total = progress.get("total") or batch.progress_total or 0
    done = progress.get("done", 0)
    return JsonResponse(
        {
            "status": batch.status,
            "status_display": batch.get_status_display(),
            "phase": progress.get("phase", ""),
            "done": done,
            "total": total,
            "percent": round(100 * done / total) if total else 0,
            "finished": batch.status not in (ImportStatus.VALIDATING, ImportStatus.IMPORTING),
        }
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = ConfirmImportForm(request.POST)
    acknowledged = form.is_valid() and form.cleaned_data["warnings_acknowledged"]
    if batch.warnings and not acknowledged:
        messages.error(request, _("请先核实并勾选确认预览中提示的可能重复发放。"))
        return redirect("imports:import_detail", pk=batch.pk)
    try:
        if _in_background(batch):
            import_batch_queue_confirm(batch=batch, acting_user=request.user, warnings_acknowledged=acknowledged)
        else:
            try:
                batch = import_batch_confirm(batch=batch, acting_user=request.user, warnings_acknowledged=acknowledged)
            except (ValidationError, PermissionDenied):
                raise
            except Exception:
                fail_batch(batch.pk)
                return redirect("imports:import_detail", pk=batch.pk)
            if batch.status == ImportStatus.IMPORTED:
                messages.success(request, _("导入完成：共 {rows} 行。").format(rows=batch.row_count))
            else:
                messages.error(request, _("数据在预览后发生了变化，重新校验未通过，未导入任何数据。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("imports:import_detail", pk=batch.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.restrict(request.user, Action.CHANGE), pk=pk)
    try:
        import_batch_discard(batch=batch, acting_user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已放弃该批次，未导入任何数据。"))
    return redirect("imports:import_detail", pk=batch.pk)


@login_required
@require_POST
def import_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.has_perm("funds.reverse_importbatch"):
        raise Http404
    batch = get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk)
    form = ReverseImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写冲销原因。"))
        return redirect("imports:import_detail", pk=batch.pk)
    # The form says which step its user saw: a request form posted after someone else's request never executes it.
    intent = request.POST.get("intent", "")
    try:
        if intent == "execute":
            import_batch_reverse(
                batch=batch, acting_user=request.user, expected_request=request.POST.get("request_token", "")
            )
            done = _("该批次已整批冲销。")
        elif intent == "request":
            import_batch_request_reversal(batch=batch, reason=form.cleaned_data["reason"], acting_user=request.user)
            done = _("冲销申请已提交，须由另一位财务人员执行。")
        else:
            raise ValidationError(_("请从批次页面申请或执行冲销。"))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        if not request.user.has_perm("funds.reverse_importbatch"):
            raise Http404 from None
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("imports:import_detail", pk=batch.pk)


@login_required
@require_GET
def import_error_report(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.restrict(request.user), pk=pk)
    if not batch.error_count:
        raise Http404
    unmask = request.user.has_perm("beneficiaries.unmask_personal_data")
    content = stored_error_report(batch, unmask=unmask)
    if content is None:
        raise Http404
    if unmask:
        # The report shows the rows' ID numbers and accounts in clear: a disclosure like any other unmasking.
        audit_record(action=AuditAction.UNMASK, actor=request.user, obj=batch, detail="error report with clear numbers")
    return attachment(
        content,
        f"导入批次{batch.pk}错误报告.xlsx",
        fallback=f"error-report-{batch.pk}.xlsx",
    )


@login_required
@require_GET
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        kind = ImportKind(kind)
        spec = KINDS[kind]
    except (ValueError, KeyError):
        raise Http404 from None
    program = None
    if kind == ImportKind.DISBURSEMENTS and request.GET.get("program"):
        program = Program.objects.restrict(request.user).filter(code=request.GET["program"]).first()
    suffix = f"-{program.code}" if program else ""
    with official_language():
        name = f"{kind.label}模板（{program.short_name}）.xlsx" if program else f"{kind.label}模板.xlsx"
    return attachment(
        template_workbook(kind, spec.columns, program), name, fallback=f"template-{kind.value}{suffix}.xlsx"
    )
