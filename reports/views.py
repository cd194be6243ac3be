"""Report pages: the year's reports, one report's preview with its findings, editing, finalising, downloads."""

import hashlib
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.exports import XLSX_CONTENT_TYPE, attachment
from core.forms import apply_service_error
from core.permissions import ensure_permission
from core.scoping import Action
from funds.models import FiscalYear, Program
from funds.selectors import fiscal_year_chosen, fiscal_years_for
from reports.choices import DEPARTMENT_SCOPE
from reports.document import (
    ReportDocument,
    build_document,
    data_version,
    report_for,
    section_sources,
    snapshot_file_name,
)
from reports.figures import known_placeholders
from reports.forms import ExplanationForm, ReportForm
from reports.models import MonitoringSnapshot, Report, ReportSnapshot, ResultApplication
from reports.rendering import cached_draft, report_pdf, table_pdf, table_workbook
from reports.services import (
    finding_explain,
    report_finalise,
    report_request_finalisation,
    report_save,
    result_application_record,
)


def _report(request: HttpRequest, scope: str, year: int) -> Report:
    """The report of a program code or 'department' in a year, as far as the user may see it (else 404)."""
    ensure_permission(user=request.user, model=Report, action=Action.VIEW)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    if scope != DEPARTMENT_SCOPE:
        get_object_or_404(Program.objects.restrict(request.user), code=scope)
    return report_for(fiscal_year=fiscal_year, scope=scope)


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=Report, action=Action.VIEW)
    years = fiscal_years_for(user=request.user)
    selected = fiscal_year_chosen(years, request.GET.get("year"))
    rows = []
    if selected:
        scopes = [p.code for p in Program.objects.restrict(request.user)] + [DEPARTMENT_SCOPE]
        for scope in scopes:
            report = report_for(fiscal_year=selected, scope=scope)
            latest = (
                ReportSnapshot.objects.restrict(request.user).filter(report=report).order_by("-number").first()
                if report.pk
                else None
            )
            rows.append((scope, report, latest))
    return render(request, "reports/report_list.html", {"years": years, "selected_year": selected, "rows": rows})


@login_required
@require_GET
def report_detail(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    report = _report(request, scope, year)
    document = build_document(report=report, user=request.user)
    current_version = data_version(document)
    explanations = {e.finding_key: e for e in report.explanations.all()} if report.pk else {}
    findings = [
        (finding, explanations.get(finding.key), ExplanationForm(initial={"finding_key": finding.key}))
        for finding in document.findings
    ]
    snapshots = (
        ReportSnapshot.objects.restrict(request.user).filter(report=report).select_related("finalised_by")
        if report.pk
        else ReportSnapshot.objects.none()
    )
    open_findings = [f for f, explained, _form in findings if f.blocking or explained is None]
    latest = snapshots.first() if report.program_id else None
    labels = settings.RESULT_APPLICATION_LABELS
    return render(
        request,
        "reports/report_detail.html",
        {
            "document": document,
            "report": report,
            "scope": scope,
            "findings": findings,
            "open_findings": open_findings,
            "snapshots": [(s, s.data_version != current_version) for s in snapshots],
            "can_finalise": request.user.has_perm("reports.add_reportsnapshot"),
            "can_edit": request.user.has_perm("reports.change_report"),
            "is_author": bool(report.pk) and report.authors.filter(pk=request.user.pk).exists(),
            "latest_snapshot": latest,
            "result_application": ResultApplication.objects.filter(snapshot=latest).first() if latest else None,
            "application_labels": list(labels.values()),
            "suggested_application": labels.get(latest.grade, "") if latest else "",
            "can_apply": request.user.has_perm("reports.add_resultapplication"),
        },
    )


@login_required
@require_POST
def result_application_view(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    """Finance records what the finalised result means for next year's budget (结果应用)."""
    ensure_permission(user=request.user, model=ResultApplication, action=Action.ADD)
    report = _report(request, scope, year)
    snapshot = (
        ReportSnapshot.objects.restrict(request.user).filter(report=report).order_by("-number").first()
        if report.pk
        else None
    )
    if snapshot is None:
        messages.error(request, _("报告定稿后才能记录结果应用。"))
        return redirect("reports:report_detail", scope=scope, year=year)
    try:
        budget = Decimal(request.POST.get("proposed_budget", "").replace(",", "").strip())
    except InvalidOperation:
        messages.error(request, _("下年度拟安排预算应为金额（元），如 1230000.00。"))
        return redirect("reports:report_detail", scope=scope, year=year)
    try:
        result_application_record(
            snapshot=snapshot,
            application=request.POST.get("application", ""),
            proposed_budget=budget,
            reasons=request.POST.get("reasons", ""),
            acting_user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("结果应用已记录。"))
    return redirect("reports:report_detail", scope=scope, year=year)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    ensure_permission(user=request.user, model=Report, action=Action.CHANGE)
    report = _report(request, scope, year)
    initial = {
        "responsible_persons": report.responsible_persons,
        "filed_on": report.filed_on,
        "goal_text": report.goal_text,
        "outcome_text": report.outcome_text,
        "version": report.version,
    }
    form = ReportForm(request.POST or None, report=report, sources=section_sources(report), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report_save(
                report=report,
                sections=form.section_texts(),
                goal_text=form.cleaned_data.get("goal_text", ""),
                outcome_text=form.cleaned_data.get("outcome_text", ""),
                responsible_persons=form.cleaned_data.get("responsible_persons", ""),
                filed_on=form.cleaned_data.get("filed_on"),
                acting_user=request.user,
                expected_version=-1 if form.cleaned_data.get("version") is None else form.cleaned_data["version"],
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("报告正文已保存。"))
            return redirect("reports:report_detail", scope=scope, year=year)
    placeholders = known_placeholders(report.kind, list(Program.objects.restrict(request.user)))
    return render(
        request,
        "reports/report_edit.html",
        {"report": report, "scope": scope, "form": form, "placeholders": placeholders},
    )


@login_required
@require_POST
def report_explain(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    ensure_permission(user=request.user, model=Report, action=Action.CHANGE)
    report = _report(request, scope, year)
    form = ExplanationForm(request.POST)
    if form.is_valid():
        try:
            saved = finding_explain(
                report=report,
                finding_key=form.cleaned_data["finding_key"],
                explanation=form.cleaned_data["explanation"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("说明已保存。") if saved else _("说明已撤回。"))
    return redirect("reports:report_detail", scope=scope, year=year)


@login_required
@require_POST
def report_finalise_view(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    ensure_permission(user=request.user, model=ReportSnapshot, action=Action.ADD)
    report = _report(request, scope, year)
    finalisation_step(
        request,
        request_step=lambda version: report_request_finalisation(
            report=report, acting_user=request.user, expected_version=version
        ),
        confirm_step=lambda content_hash: report_finalise(
            report=report, acting_user=request.user, expected_content_hash=content_hash
        ),
        wrong_page=_("请从报告页面申请或确认定稿。"),
    )
    return redirect("reports:report_detail", scope=scope, year=year)


def finalisation_step(
    request: HttpRequest,
    *,
    request_step: Callable[[int], object],
    confirm_step: Callable[[str], ReportSnapshot | MonitoringSnapshot],
    wrong_page: str,
) -> None:
    """The maker's or the checker's step, as the form says which one the user saw: a request page posted after
    someone else's request never finalises. The outcome goes to the messages."""
    intent = request.POST.get("intent", "")
    try:
        if intent == "confirm":
            snapshot = confirm_step(request.POST.get("content_hash", ""))
            done = _("已定稿（第{number}版）。").format(number=snapshot.number)
        elif intent == "request":
            version = request.POST.get("version", "")
            request_step(int(version) if version.isdigit() else -1)
            done = _("定稿申请已提交，须由另一位财务人员确认定稿。")
        else:
            raise ValidationError(wrong_page)
    except ValidationError as exc:
        messages.error(request, _("尚不能定稿："))
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)


def verified_snapshot_file(
    request: HttpRequest, snapshot: ReportSnapshot | MonitoringSnapshot, part: str, name: str, fallback: str
) -> HttpResponse:
    """A finalised file, served only if it still hashes to what was recorded when it was finalised."""
    if part not in ("pdf", "xlsx"):
        raise Http404
    field, expected = (snapshot.pdf, snapshot.pdf_sha256) if part == "pdf" else (snapshot.xlsx, snapshot.xlsx_sha256)
    with field.open("rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != expected:
        return render(request, "reports/snapshot_tampered.html", {"snapshot": snapshot}, status=409)
    return attachment(content, name, XLSX_CONTENT_TYPE if part == "xlsx" else "application/pdf", fallback=fallback)


def _draft_download(
    request: HttpRequest,
    scope: str,
    year: int,
    render_bytes: Callable[[ReportDocument], bytes],
    name: str,
    official_name: Callable[[ReportDocument], str],
) -> HttpResponse:
    report = _report(request, scope, year)
    document = build_document(report=report, user=request.user)
    content_type = XLSX_CONTENT_TYPE if name.endswith(".xlsx") else "application/pdf"
    return attachment(
        render_bytes(document),
        official_name(document),
        content_type,
        fallback=f"{document.filename_stem}-{name}",
    )


@login_required
@require_GET
def report_pdf_view(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    return _draft_download(
        request,
        scope,
        year,
        lambda d: cached_draft("report", d, lambda document: report_pdf(document, draft=True)),
        "draft.pdf",
        lambda d: f"{d.official_name}（草稿）.pdf",
    )


@login_required
@require_GET
def self_evaluation_xlsx(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    return _draft_download(request, scope, year, table_workbook, "table.xlsx", lambda d: f"{d.table_name}.xlsx")


@login_required
@require_GET
def self_evaluation_pdf_view(request: HttpRequest, scope: str, year: int) -> HttpResponse:
    return _draft_download(
        request,
        scope,
        year,
        lambda d: cached_draft("table", d, table_pdf),
        "table.pdf",
        lambda d: f"{d.table_name}.pdf",
    )


@login_required
@require_GET
def snapshot_download(request: HttpRequest, pk: int, part: str) -> HttpResponse:
    """A finalised file, served only if it still hashes to what was recorded when it was finalised."""
    ensure_permission(user=request.user, model=ReportSnapshot, action=Action.VIEW)
    snapshot = get_object_or_404(ReportSnapshot.objects.restrict(request.user).select_related("report"), pk=pk)
    report = snapshot.report
    return verified_snapshot_file(
        request,
        snapshot,
        part,
        snapshot_file_name(report, snapshot.number, part),
        f"self-evaluation-report-{report.fiscal_year.year}-{report.scope}-v{snapshot.number}.{part}",
    )
