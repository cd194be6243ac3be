"""Writes to reports: the narrative, explanations of findings, and finalisation into an immutable snapshot."""

import datetime
import hashlib
from collections.abc import Callable, Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.changes import diff
from core.changes import snapshot as snapshot_fields
from core.permissions import ensure_permission
from core.scoping import Action
from funds.models import Program, User
from reports.document import build_document, data_version
from reports.figures import known_placeholders, unknown_placeholders
from reports.models import (
    Finalisable,
    FindingExplanation,
    MonitoringSnapshot,
    Report,
    ReportSection,
    ReportSnapshot,
    ResultApplication,
)
from reports.outline import outline_for
from reports.rendering import report_pdf, table_workbook


def _ensure_saved(report: Report, acting_user: User) -> Report:
    """A report is stored the first time staff change anything in it; until then the outline stands in for it."""
    if report.pk is None:
        ensure_permission(user=acting_user, model=Report, action=Action.ADD)
        report.updated_by = acting_user
        report.full_clean()
        report.save()
    return report


def check_version(report: Finalisable, expected_version: int | None) -> None:
    if expected_version is not None and report.pk is not None and expected_version != report.version:
        raise ValidationError(
            _("报告已被他人修改（您打开页面后又有保存或定稿申请），请刷新页面，看过最新内容后再修改。"), code="stale"
        )


def record_authorship(report: Finalisable, acting_user: User) -> None:
    """Whoever changes the content becomes an author of this round; a pending finalisation request is withdrawn,
    because it asked for content that no longer stands (a requested finalisation is frozen)."""
    report.authors.add(acting_user)
    report.version += 1
    fields = ["version"]
    if report.finalisation_requested_by_id is not None:
        audit_record(
            action=AuditAction.UPDATE,
            actor=acting_user,
            obj=report,
            detail="finalisation request withdrawn: the content changed",
            changes={"finalisation_requested_by": [report.finalisation_requested_by.get_username(), ""]},
        )
        report.finalisation_requested_by = None
        report.finalisation_requested_at = None
        report.finalisation_content_hash = ""
        fields += ["finalisation_requested_by", "finalisation_requested_at", "finalisation_content_hash"]
    report.save(update_fields=fields)


@transaction.atomic
def report_save(
    *,
    report: Report,
    sections: Mapping[str, str],
    goal_text: str,
    outcome_text: str,
    responsible_persons: str,
    acting_user: User,
    expected_version: int | None = None,
    filed_on: datetime.date | None = None,
) -> Report:
    """Save the staff-written parts. Placeholders must name known figures; typed figures are checked at finalising.

    Saving withdraws a pending finalisation request, and makes the writer an author who cannot confirm it.
    """
    ensure_permission(user=acting_user, model=Report, action=Action.CHANGE)
    if report.pk is not None:
        report = Report.objects.select_for_update().get(pk=report.pk)
        check_version(report, expected_version)
    editable = [section for section in outline_for(report.kind) if section.editable]
    known = known_placeholders(report.kind, list(Program.objects.restrict(acting_user)))
    errors: dict[str, list[str]] = {}
    texts = {f"section_{s.key}": sections.get(s.key, "") for s in editable}
    texts.update(goal_text=goal_text, outcome_text=outcome_text)
    for field, text in texts.items():
        for name in unknown_placeholders(text, known):
            errors.setdefault(field, []).append(_("没有名为“{name}”的数据项，请从右侧列表中选择。").format(name=name))
    if errors:
        raise ValidationError(errors)
    report = _ensure_saved(report, acting_user)
    before = _text_snapshot(report)
    report.goal_text = goal_text
    report.outcome_text = outcome_text
    report.responsible_persons = responsible_persons
    report.filed_on = filed_on
    report.updated_by = acting_user
    report.full_clean()
    report.save()
    for section in editable:
        row = ReportSection.objects.filter(report=report, key=section.key).first() or ReportSection(
            report=report, key=section.key
        )
        row.body = sections.get(section.key, "")
        row.full_clean()
        row.save()
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=report, changes=diff(before, _text_snapshot(report)))
    record_authorship(report, acting_user)
    return report


def _text_snapshot(report: Report) -> dict[str, str]:
    values = {
        "responsible_persons": report.responsible_persons,
        "filed_on": report.filed_on.isoformat() if report.filed_on else "",
        "goal_text": report.goal_text,
        "outcome_text": report.outcome_text,
    }
    values.update({f"section.{s.key}": s.body for s in report.sections.all()})
    return values


@transaction.atomic
def finding_explain(
    *, report: Report, finding_key: str, explanation: str, acting_user: User
) -> FindingExplanation | None:
    """Record why a finding may stand (or withdraw the explanation with an empty text). Only current, explainable
    findings can be explained; blocking ones must be fixed."""
    ensure_permission(user=acting_user, model=FindingExplanation, action=Action.ADD)
    document = build_document(report=report, user=acting_user)
    finding = next((f for f in document.findings if f.key == finding_key), None)
    if finding is None:
        raise ValidationError(_("该问题已不存在（数据或文字已修改），无需说明。"))
    if finding.blocking:
        raise ValidationError(_("此问题必须修正，不能以说明代替。"))
    report = _ensure_saved(report, acting_user)
    report = Report.objects.select_for_update().get(pk=report.pk)
    existing = FindingExplanation.objects.filter(report=report, finding_key=finding_key).first()
    if not explanation.strip():
        if existing:
            existing.delete()
            audit_record(
                action=AuditAction.DELETE,
                actor=acting_user,
                obj=report,
                detail=f"explanation withdrawn: {finding.message}",
            )
            record_authorship(report, acting_user)
        return None
    row = existing or FindingExplanation(report=report, finding_key=finding_key)
    row.finding_message = finding.message
    row.explanation = explanation.strip()
    row.explained_by = acting_user
    row.full_clean()
    row.save()
    audit_record(
        action=AuditAction.UPDATE,
        actor=acting_user,
        obj=row,
        detail=finding.message,
        changes={"explanation": ["", row.explanation]},
    )
    record_authorship(report, acting_user)
    return row


def _open_problems(document, explained: set[str] | dict) -> list[str]:
    """What still stands between the document and finalisation: the cover's blanks, blocking findings, and
    unexplained ones."""
    problems = _cover_problems(document.report)
    problems += [f.message for f in document.findings if f.blocking]
    problems += [
        _("未说明：{message}").format(message=f.message)
        for f in document.findings
        if not f.blocking and f.key not in explained
    ]
    return problems


def _cover_problems(report: Report) -> list[str]:
    """The signature block is part of what is signed: the responsible persons and the 填报时间 must be set."""
    person = _("项目负责人") if report.program_id else _("单位负责人")
    missing = [
        label for label, value in ((person, report.responsible_persons), (_("填报时间"), report.filed_on)) if not value
    ]
    if not missing:
        return []
    return [_("封面尚未填写：{fields}（请在“编辑正文”中填写）。").format(fields="、".join(missing))]


@transaction.atomic
def report_request_finalisation(*, report: Report, acting_user: User, expected_version: int | None = None) -> Report:
    """Ask for the report to be finalised as it stands (the maker); another finance user, who wrote none of it,
    finalises it. The request records the hash of the content it asks for; the content is frozen until then."""
    ensure_permission(user=acting_user, model=ReportSnapshot, action=Action.ADD)
    report = _ensure_saved(report, acting_user)
    report = Report.objects.select_for_update().get(pk=report.pk)
    check_version(report, expected_version)

    def problems() -> list[str]:
        explained = set(report.explanations.values_list("finding_key", flat=True))
        return _open_problems(build_document(report=report, user=acting_user), explained)

    return finalisation_request(row=report, acting_user=acting_user, problems=problems)


FINALISATION_FIELDS = ["finalisation_requested_by", "finalisation_requested_at", "finalisation_content_hash", "version"]


def finalisation_request(*, row: Finalisable, acting_user: User, problems: Callable[[], list[str]]) -> Finalisable:
    """The maker's step for any finalisable document (locked by the caller): refused while `problems()` stand
    (computed only when no request is pending); records who asks and the hash of the content asked for, which is
    frozen until confirmed."""
    if row.finalisation_requested_by_id is not None:
        raise ValidationError(_("已有定稿申请，等待另一位财务人员确认。"), code="already_requested")
    open_problems = problems()
    if open_problems:
        raise ValidationError(open_problems)
    row.finalisation_requested_by = acting_user
    row.finalisation_requested_at = timezone.now()
    row.finalisation_content_hash = row.content_hash()
    row.version += 1
    row.save(update_fields=FINALISATION_FIELDS)
    row.authors.add(acting_user)
    audit_record(
        action=AuditAction.REQUEST_FINALISATION,
        actor=acting_user,
        obj=row,
        changes={"content_hash": ["", row.finalisation_content_hash]},
    )
    return row


def finalisation_check(
    *, row: Finalisable, acting_user: User, expected_content_hash: str | None, author_refusal: str
) -> str:
    """The checker's conditions for any finalisable document (locked by the caller): a request by someone else,
    a checker who wrote none of this round, and exactly the content that was asked for. Returns its hash."""
    if row.finalisation_requested_by_id is None:
        raise ValidationError(_("请先提出定稿申请，再由另一位财务人员确认定稿。"))
    if row.finalisation_requested_by_id == acting_user.pk:
        raise PermissionDenied(_("定稿须由申请人以外的另一位财务人员确认。"))
    if row.authors.filter(pk=acting_user.pk).exists():
        raise PermissionDenied(author_refusal)
    if expected_content_hash is not None and expected_content_hash != row.finalisation_content_hash:
        raise ValidationError(
            _("定稿申请已变化（您打开页面后报告被修改或重新申请），请刷新页面，看过最新内容后再确认。"), code="stale"
        )
    content_hash = row.content_hash()
    if content_hash != row.finalisation_content_hash:
        # Only possible by writing around the services: what would be finalised is not what was asked for.
        raise ValidationError(_("报告内容与定稿申请时不一致，不能确认定稿；请重新申请定稿。"), code="content_changed")
    return content_hash


def finalisation_store(
    *,
    snapshot: ReportSnapshot | MonitoringSnapshot,
    row: Finalisable,
    pdf: bytes,
    xlsx: bytes,
    stem: str,
    acting_user: User,
) -> ReportSnapshot | MonitoringSnapshot:
    """Store a finalised document's snapshot with its files' SHA-256 (append-only), end the request, audit it."""
    snapshot.pdf_sha256, snapshot.xlsx_sha256 = hashlib.sha256(pdf).hexdigest(), hashlib.sha256(xlsx).hexdigest()
    # Named by content hash: a stored file is never overwritten, and a changed file no longer matches its name.
    snapshot.pdf.save(f"{stem}-{snapshot.pdf_sha256[:16]}.pdf", ContentFile(pdf), save=False)
    snapshot.xlsx.save(f"{stem}-{snapshot.xlsx_sha256[:16]}.xlsx", ContentFile(xlsx), save=False)
    snapshot.full_clean()
    snapshot.save()
    finalisation_close(row)
    audit_record(
        action=AuditAction.FINALISATION,
        actor=acting_user,
        obj=snapshot,
        detail=f"requested by {snapshot.requested_by.get_username()}; "
        f"pdf {snapshot.pdf_sha256}; xlsx {snapshot.xlsx_sha256}",
        changes={"data_version": ["", snapshot.data_version], "content_hash": ["", snapshot.content_hash]},
    )
    return snapshot


def finalisation_close(row: Finalisable) -> None:
    """After a snapshot: the request is used up and a new round of writing starts from the finalised content."""
    row.finalisation_requested_by = None
    row.finalisation_requested_at = None
    row.finalisation_content_hash = ""
    row.version += 1
    row.save(update_fields=FINALISATION_FIELDS)
    row.authors.clear()


@transaction.atomic
def report_finalise(*, report: Report, acting_user: User, expected_content_hash: str | None = None) -> ReportSnapshot:
    """Freeze the report as it now stands (the checker): PDF and 自评表 .xlsx stored with their SHA-256 and the
    data version. Needs a request by another finance user; refused while a blocking finding remains or an
    explainable one is neither fixed nor explained (checked again: the data may have moved since the request).
    The report row is locked: of two checkers acting at once, one finalises and the other finds no request left.
    """
    ensure_permission(user=acting_user, model=ReportSnapshot, action=Action.ADD)
    if report.pk is None:
        raise ValidationError(_("请先提出定稿申请，再由另一位财务人员确认定稿。"))
    report = Report.objects.select_for_update().get(pk=report.pk)
    content_hash = finalisation_check(
        row=report,
        acting_user=acting_user,
        expected_content_hash=expected_content_hash,
        author_refusal=_("您在本轮修改过报告正文或问题说明，不能确认定稿；请由未参与编写的另一位财务人员确认。"),
    )
    document = build_document(report=report, user=acting_user)
    explanations = {e.finding_key: e for e in report.explanations.all()}
    problems = _open_problems(document, explanations)
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    pdf = report_pdf(document, draft=False)
    xlsx = table_workbook(document)
    number = (report.snapshots.aggregate(n=Max("number"))["n"] or 0) + 1
    stem = f"{report.fiscal_year.year}-{report.scope}-v{number}"
    total = document.evaluations[0].total if len(document.evaluations) == 1 and report.program_id else None
    snapshot = ReportSnapshot(
        report=report,
        number=number,
        data_version=data_version(document),
        total_score=total,
        grade=str(document.evaluations[0].grade) if total is not None else "",
        findings=[
            {
                "message": f.message,
                "explanation": explanations[f.key].explanation,
                "explained_by": explanations[f.key].explained_by.get_username(),
            }
            for f in document.findings
        ],
        content_hash=content_hash,
        requested_by=report.finalisation_requested_by,
        finalised_by=acting_user,
        finalised_at=now,
    )
    return finalisation_store(snapshot=snapshot, row=report, pdf=pdf, xlsx=xlsx, stem=stem, acting_user=acting_user)


@transaction.atomic
def result_application_record(
    *, snapshot: ReportSnapshot, application: str, proposed_budget: Decimal, reasons: str, acting_user: User
) -> ResultApplication:
    """结果应用 of a finalised project report: the decision for next year (one of settings.RESULT_APPLICATION_LABELS),
    the proposed budget and the reasons. Recorded again, it is corrected (the audit log keeps the earlier one)."""
    ensure_permission(user=acting_user, model=ResultApplication, action=Action.ADD)
    if not snapshot.grade or snapshot.report.program_id is None:
        raise ValidationError(_("只有已定稿、有评价等级的项目自评报告可以记录结果应用。"))
    labels = list(settings.RESULT_APPLICATION_LABELS.values())
    if application not in labels:
        raise ValidationError({"application": _("请选择：{labels}。").format(labels="、".join(labels))})
    existing = ResultApplication.objects.filter(snapshot=snapshot).first()
    before = snapshot_fields(existing) if existing else {}
    row = existing or ResultApplication(snapshot=snapshot)
    row.grade = snapshot.grade
    row.application = application
    row.proposed_budget = proposed_budget
    row.reasons = reasons.strip()
    row.recorded_by = acting_user
    row.full_clean()
    row.save()
    audit_record(
        action=AuditAction.UPDATE if existing else AuditAction.CREATE,
        actor=acting_user,
        obj=row,
        changes=diff(before, snapshot_fields(row)),
    )
    return row
