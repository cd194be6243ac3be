"""Monitoring pages (a year's monitoring reports, one with its warnings, explaining, finalising, downloads) and the
绩效目标表's official files."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exports import XLSX_CONTENT_TYPE, attachment
from core.forms import apply_service_error
from core.permissions import ensure_permission
from core.scoping import Action
from evaluation.models import TargetTable, WarningRule
from funds.models import FiscalYear, Program
from funds.selectors import fiscal_year_chosen, fiscal_years_for
from reports.forms import MonitoringReportForm, WarningExplanationForm
from reports.models import MonitoringReport, MonitoringSnapshot, WarningExplanation
from reports.monitoring import build_monitoring, monitoring_data_version, monitoring_file_name, monitoring_sections
from reports.monitoring_services import (
    monitoring_finalise,
    monitoring_report_create,
    monitoring_request_finalisation,
    warning_explain,
)
from reports.rendering import monitoring_pdf, monitoring_xlsx
from reports.target_table import target_table_document, target_table_pdf, target_table_workbook
from reports.views import finalisation_step, verified_snapshot_file

# The monitoring days most provinces set: the half year, and the end of August (the 200 万元 / 60 % rule).
USUAL_DAYS = ((6, 30), (8, 31))


def _monitoring_report(request: HttpRequest, pk: int) -> MonitoringReport:
    ensure_permission(user=request.user, model=MonitoringReport, action=Action.VIEW)
    report = get_object_or_404(
        MonitoringReport.objects.restrict(request.user).select_related("program", "fiscal_year"), pk=pk
    )
    get_object_or_404(Program.objects.restrict(request.user), pk=report.program_id)
    return report


@login_required
@require_http_methods(["GET", "POST"])
def monitoring_list(request: HttpRequest) -> HttpResponse:
    """The year's monitoring reports per program, and (finance) opening one for a day."""
    ensure_permission(user=request.user, model=MonitoringReport, action=Action.VIEW)
    years = fiscal_years_for(user=request.user)
    selected = fiscal_year_chosen(years, request.GET.get("year"))
    can_create = request.user.has_perm("reports.add_monitoringreport")
    form = MonitoringReportForm(request.POST or None, user=request.user)
    if request.method == "POST":
        ensure_permission(user=request.user, model=MonitoringReport, action=Action.ADD)
        if selected is None:
            raise Http404
        if form.is_valid():
            try:
                report = monitoring_report_create(
                    program=form.cleaned_data["program"],
                    fiscal_year=selected,
                    as_of=form.cleaned_data["as_of"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("监控报告已建立，数据截至 {day}。").format(day=report.as_of.isoformat()))
                return redirect("reports:monitoring_detail", pk=report.pk)
    reports = (
        MonitoringReport.objects.restrict(request.user)
        .filter(fiscal_year=selected, program__in=Program.objects.restrict(request.user))
        .select_related("program", "finalisation_requested_by")
        .prefetch_related("snapshots")
        if selected
        else MonitoringReport.objects.none()
    )
    usual = [datetime.date(selected.year, month, day) for month, day in USUAL_DAYS] if selected else []
    return render(
        request,
        "reports/monitoring_list.html",
        {
            "years": years,
            "selected_year": selected,
            "reports": reports,
            "form": form if can_create else None,
            "usual_days": usual,
            "rules": WarningRule.objects.filter(is_active=True),
        },
    )


@login_required
@require_GET
def monitoring_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _monitoring_report(request, pk)
    document = build_monitoring(report=report, user=request.user)
    current = monitoring_data_version(document)
    snapshots = MonitoringSnapshot.objects.restrict(request.user).filter(report=report).select_related("finalised_by")
    warnings = [
        (
            warning,
            explanation,
            WarningExplanationForm(
                initial={
                    "warning_key": warning.key,
                    "reason": explanation.reason if explanation else "",
                    "corrective_action": explanation.corrective_action if explanation else "",
                },
                prefix=f"w{index}",
            ),
        )
        for index, (warning, explanation) in enumerate(document.warnings)
    ]
    return render(
        request,
        "reports/monitoring_detail.html",
        {
            "report": report,
            "document": document,
            "sections": monitoring_sections(document),
            "warnings": warnings,
            "snapshots": [(s, s.data_version != current) for s in snapshots],
            "can_edit": request.user.has_perm("reports.add_warningexplanation"),
            "can_finalise": request.user.has_perm("reports.add_monitoringsnapshot"),
            "is_author": report.authors.filter(pk=request.user.pk).exists(),
        },
    )


@login_required
@require_POST
def monitoring_explain(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=WarningExplanation, action=Action.ADD)
    report = _monitoring_report(request, pk)
    prefix = request.POST.get("prefix", "")
    form = WarningExplanationForm(request.POST, prefix=prefix or None)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        saved = warning_explain(
            report=report,
            warning_key=form.cleaned_data["warning_key"],
            reason=form.cleaned_data["reason"],
            corrective_action=form.cleaned_data["corrective_action"],
            acting_user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("偏差原因和纠偏措施已保存。") if saved else _("说明已撤回。"))
    return redirect("reports:monitoring_detail", pk=report.pk)


@login_required
@require_POST
def monitoring_finalise_view(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=MonitoringSnapshot, action=Action.ADD)
    report = _monitoring_report(request, pk)
    finalisation_step(
        request,
        request_step=lambda version: monitoring_request_finalisation(
            report=report, acting_user=request.user, expected_version=version
        ),
        confirm_step=lambda content_hash: monitoring_finalise(
            report=report, acting_user=request.user, expected_content_hash=content_hash
        ),
        wrong_page=_("请从监控报告页面申请或确认定稿。"),
    )
    return redirect("reports:monitoring_detail", pk=report.pk)


@login_required
@require_GET
def monitoring_draft(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """The draft PDF or 绩效运行监控表 .xlsx, from the data as it stands now."""
    report = _monitoring_report(request, pk)
    if part not in ("pdf", "xlsx"):
        raise Http404
    document = build_monitoring(report=report, user=request.user)
    if part == "pdf":
        content, content_type = monitoring_pdf(document, draft=True), "application/pdf"
    else:
        content, content_type = monitoring_xlsx(document), XLSX_CONTENT_TYPE
    fallback = f"monitoring-{report.fiscal_year.year}-{report.program.code}-{report.as_of.isoformat()}-draft.{part}"
    return attachment(content, monitoring_file_name(report, part), content_type, fallback=fallback)


@login_required
@require_GET
def monitoring_snapshot_download(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """A finalised file, served only if it still hashes to what was recorded when it was finalised."""
    ensure_permission(user=request.user, model=MonitoringSnapshot, action=Action.VIEW)
    snapshot = get_object_or_404(MonitoringSnapshot.objects.restrict(request.user).select_related("report"), pk=pk)
    _monitoring_report(request, snapshot.report_id)
    report = snapshot.report
    return verified_snapshot_file(
        request,
        snapshot,
        part,
        monitoring_file_name(report, part, snapshot.number),
        f"monitoring-{report.fiscal_year.year}-{report.program.code}-v{snapshot.number}.{part}",
    )


@login_required
@require_GET
def target_table_file(request: HttpRequest, program: str, year: int, part: str) -> HttpResponse:
    """The 绩效目标表 as PDF or .xlsx in the official layout (a draft says so on the file)."""
    ensure_permission(user=request.user, model=TargetTable, action=Action.VIEW)
    program_obj = get_object_or_404(Program.objects.restrict(request.user), code=program)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    table = get_object_or_404(TargetTable.objects.restrict(request.user), program=program_obj, fiscal_year=fiscal_year)
    if part not in ("pdf", "xlsx"):
        raise Http404
    document = target_table_document(table)
    if part == "pdf":
        content, content_type = target_table_pdf(document), "application/pdf"
    else:
        content, content_type = target_table_workbook(document), XLSX_CONTENT_TYPE
    return attachment(
        content, f"{document.file_stem}.{part}", content_type, fallback=f"targets-{year}-{program}.{part}"
    )
