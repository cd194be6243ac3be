"""Writes to monitoring reports: open one for a day, explain its warnings, finalise it (maker–checker, snapshot)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.permissions import ensure_permission
from core.scoping import Action
from funds.models import FiscalYear, Program, User
from reports.models import MonitoringReport, MonitoringSnapshot, WarningExplanation
from reports.monitoring import build_monitoring, monitoring_data_version
from reports.rendering import monitoring_pdf, monitoring_xlsx
from reports.services import (
    check_version,
    finalisation_check,
    finalisation_request,
    finalisation_store,
    record_authorship,
)


@transaction.atomic
def monitoring_report_create(
    *, program: Program, fiscal_year: FiscalYear, as_of: datetime.date, acting_user: User
) -> MonitoringReport:
    """Open the monitoring of a program-year at a day (06-30, 08-31 …); its figures are computed, never typed."""
    ensure_permission(user=acting_user, model=MonitoringReport, action=Action.ADD)
    report = MonitoringReport(program=program, fiscal_year=fiscal_year, as_of=as_of, created_by=acting_user)
    report.full_clean()
    report.save()
    audit_record(action=AuditAction.CREATE, actor=acting_user, obj=report, detail=str(report))
    return report


def _open_warnings(report: MonitoringReport, user: User) -> list[str]:
    document = build_monitoring(report=report, user=user)
    return [_("未说明原因和纠偏措施：{message}").format(message=w.message) for w in document.unexplained]


@transaction.atomic
def warning_explain(
    *, report: MonitoringReport, warning_key: str, reason: str, corrective_action: str, acting_user: User
) -> WarningExplanation | None:
    """Record a warning's 偏差原因 and 纠偏措施 (both needed), or withdraw them with both empty. Only a current
    warning can be explained."""
    ensure_permission(user=acting_user, model=WarningExplanation, action=Action.ADD)
    report = MonitoringReport.objects.select_for_update().get(pk=report.pk)
    document = build_monitoring(report=report, user=acting_user)
    warning = next((w for w in document.monitoring.warnings if w.key == warning_key), None)
    if warning is None:
        raise ValidationError(_("该预警已不存在（数据已变化），无需说明。"))
    existing = report.explanations.filter(warning_key=warning_key).first()
    reason, corrective_action = reason.strip(), corrective_action.strip()
    if not reason and not corrective_action:
        if existing:
            existing.delete()
            audit_record(
                action=AuditAction.DELETE,
                actor=acting_user,
                obj=report,
                detail=f"warning explanation withdrawn: {warning.message}",
            )
            record_authorship(report, acting_user)
        return None
    if not reason or not corrective_action:
        raise ValidationError(_("请同时填写偏差原因和纠偏措施。"))
    row = existing or WarningExplanation(report=report, warning_key=warning_key)
    before = [row.reason, row.corrective_action]
    row.warning_message = warning.message
    row.reason = reason
    row.corrective_action = corrective_action
    row.explained_by = acting_user
    row.full_clean()
    row.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=row,
        detail=warning.message,
        changes={"reason": [before[0], reason], "corrective_action": [before[1], corrective_action]},
    )
    record_authorship(report, acting_user)
    return row


@transaction.atomic
def monitoring_request_finalisation(
    *, report: MonitoringReport, acting_user: User, expected_version: int | None = None
) -> MonitoringReport:
    """Ask for the monitoring report to be finalised as it stands (the maker): every warning explained."""
    ensure_permission(user=acting_user, model=MonitoringSnapshot, action=Action.ADD)
    report = MonitoringReport.objects.select_for_update().get(pk=report.pk)
    check_version(report, expected_version)
    return finalisation_request(
        row=report, acting_user=acting_user, problems=lambda: _open_warnings(report, acting_user)
    )


@transaction.atomic
def monitoring_finalise(
    *, report: MonitoringReport, acting_user: User, expected_content_hash: str | None = None
) -> MonitoringSnapshot:
    """Freeze the monitoring report (the checker): PDF and 绩效运行监控表 stored with their SHA-256 and the data
    version. Needs another finance user's request, for exactly this content, with every warning still explained."""
    ensure_permission(user=acting_user, model=MonitoringSnapshot, action=Action.ADD)
    report = MonitoringReport.objects.select_for_update().get(pk=report.pk)
    content_hash = finalisation_check(
        row=report,
        acting_user=acting_user,
        expected_content_hash=expected_content_hash,
        author_refusal=_("您在本轮填写过预警说明，不能确认定稿；请由未参与填写的另一位财务人员确认。"),
    )
    document = build_monitoring(report=report, user=acting_user)
    if document.unexplained:
        raise ValidationError(
            [_("未说明原因和纠偏措施：{message}").format(message=w.message) for w in document.unexplained]
        )
    pdf, xlsx = monitoring_pdf(document, draft=False), monitoring_xlsx(document)
    number = (report.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    stem = f"monitoring-{report.fiscal_year.year}-{report.program.code}-{report.as_of.isoformat()}-v{number}"
    snapshot = MonitoringSnapshot(
        report=report,
        number=number,
        data_version=monitoring_data_version(document),
        warnings=[
            {
                "message": warning.message,
                "reason": explanation.reason,
                "corrective_action": explanation.corrective_action,
                "explained_by": explanation.explained_by.get_username(),
            }
            for warning, explanation in document.warnings
        ],
        content_hash=content_hash,
        requested_by=report.finalisation_requested_by,
        finalised_by=acting_user,
        finalised_at=timezone.now(),
    )
    return finalisation_store(snapshot=snapshot, row=report, pdf=pdf, xlsx=xlsx, stem=stem, acting_user=acting_user)
