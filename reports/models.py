"""A year's self-evaluation reports: editable narrative, explained findings, and immutable finalised snapshots."""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from reports.choices import ReportKind


class Finalisable(models.Model):
    """The maker–checker state of a document finalised into snapshots (the self-evaluation and the monitoring
    reports; reports.services.finalisation_*): one finance user asks, another who wrote none of it confirms."""

    finalisation_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("定稿申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalisation_requested_at = models.DateTimeField(_("定稿申请时间"), null=True, blank=True)
    # What the request asked to finalise: the checker confirms exactly this content, or nothing.
    finalisation_content_hash = models.CharField(_("申请定稿内容哈希"), max_length=64, blank=True)
    # Everyone who wrote the text or the explanations (or asked for finalisation) since the last finalisation:
    # none of them may confirm it.
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("本轮编写人"), related_name="+", blank=True
    )
    # Optimistic concurrency: the edit form carries the version it was opened at.
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        abstract = True

    def content_hash(self) -> str:
        raise NotImplementedError


class Report(Finalisable):
    """The self-evaluation report of one program in a year (项目), or of the whole department (部门整体, no program)."""

    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    kind = models.CharField(_("报告类型"), max_length=20, choices=ReportKind.choices)
    program = models.ForeignKey(
        "funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT, null=True, blank=True
    )
    responsible_persons = models.CharField(_("项目负责人"), max_length=100, blank=True)
    # The cover's 填报时间: the date the report is filed under, chosen by staff before finalising (seed 000 was
    # filed 2025-03-13 for 2024), never the day a file happens to be rendered.
    filed_on = models.DateField(_("填报时间"), null=True, blank=True)
    goal_text = models.TextField(_("年度总体目标·预期目标"), blank=True)
    outcome_text = models.TextField(_("年度总体目标·实际完成情况"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("绩效自评报告")
        verbose_name_plural = _("绩效自评报告")
        ordering = ["-fiscal_year__year", "kind", "program__sort_order"]
        constraints = [
            models.CheckConstraint(
                name="report_program_iff_project",
                violation_error_message=_("项目报告必须选择项目，部门整体报告不选项目。"),
                condition=models.Q(kind=ReportKind.PROJECT, program__isnull=False)
                | models.Q(kind=ReportKind.DEPARTMENT, program__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "program"],
                condition=models.Q(program__isnull=False),
                name="report_one_per_program_year",
                violation_error_message=_("该项目本年度已有自评报告。"),
            ),
            models.UniqueConstraint(
                fields=["fiscal_year"],
                condition=models.Q(kind=ReportKind.DEPARTMENT),
                name="report_one_department_report_per_year",
                violation_error_message=_("本年度已有部门整体支出绩效自评报告。"),
            ),
        ]

    def __str__(self) -> str:
        subject = self.program.name if self.program_id else self.get_kind_display()
        return _("{year}年度 {subject}").format(year=self.fiscal_year.year, subject=subject)

    def content_hash(self) -> str:
        """SHA-256 of what staff wrote: the cover fields, every section and every explanation of a finding."""
        if self.pk is None:
            return hashlib.sha256(b"{}").hexdigest()
        content = {
            "responsible_persons": self.responsible_persons,
            "goal_text": self.goal_text,
            "outcome_text": self.outcome_text,
            "sections": sorted([s.key, s.body] for s in self.sections.all()),
            "explanations": sorted([e.finding_key, e.explanation] for e in self.explanations.all()),
        }
        if self.filed_on is not None:  # absent before the field existed: earlier requests keep their hash
            content["filed_on"] = self.filed_on.isoformat()
        encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(encoded.encode()).hexdigest()

    @property
    def scope(self) -> str:
        from reports.choices import DEPARTMENT_SCOPE

        return self.program.code if self.program_id else DEPARTMENT_SCOPE


class ReportSection(models.Model):
    """The staff-written text of one section; headings come from the outline (reports/outline.py) by `key`."""

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(_("章节"), max_length=40)
    body = models.TextField(_("正文"), blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("报告章节")
        verbose_name_plural = _("报告章节")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "key"],
                name="reportsection_unique_key_per_report",
                violation_error_message=_("同一报告的每个章节只能有一份正文。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.key}"


class FindingExplanation(models.Model):
    """Why a consistency finding may stand in the finalised report (说明). Resolved findings simply disappear."""

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.CASCADE, related_name="explanations")
    finding_key = models.CharField(_("问题标识"), max_length=300)
    finding_message = models.TextField(_("问题"))
    explanation = models.TextField(_("说明"))
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("说明人"), on_delete=models.PROTECT, related_name="+"
    )
    explained_at = models.DateTimeField(_("说明时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("问题说明")
        verbose_name_plural = _("问题说明")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "finding_key"],
                name="findingexplanation_one_per_finding",
                violation_error_message=_("该问题已有说明，请修改已有说明。"),
            ),
            models.CheckConstraint(
                name="findingexplanation_not_blank",
                violation_error_message=_("说明不能为空。"),
                condition=~models.Q(explanation=""),
            ),
        ]

    def __str__(self) -> str:
        return self.finding_message


class ReportSnapshot(models.Model):
    """A finalised report: the PDF and the 自评表 exactly as signed off, never changed afterwards.

    Rows are append-only in the database (reports/migrations, core.db_guards); the files are named by their SHA-256
    and checked against it on every download. `data_version` fingerprints the data the report was computed from:
    when the current data fingerprints differently, the snapshot is shown as outdated — it is never rewritten.
    """

    report = models.ForeignKey(Report, verbose_name=_("报告"), on_delete=models.PROTECT, related_name="snapshots")
    number = models.PositiveIntegerField(_("定稿版本"))
    pdf = models.FileField(_("报告 PDF"), upload_to="snapshots/")
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    xlsx = models.FileField(_("自评表 .xlsx"), upload_to="snapshots/")
    xlsx_sha256 = models.CharField(_("自评表 SHA-256"), max_length=64)
    data_version = models.CharField(_("数据版本"), max_length=64)
    total_score = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("评价等级"), max_length=4, blank=True)
    findings = models.JSONField(_("定稿时的问题及说明"), default=list, blank=True)
    # The hash of the staff-written content the request asked for and the checker confirmed (Report.content_hash).
    content_hash = models.CharField(_("定稿内容哈希"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("定稿申请人"),
        null=True,  # a column added after the first snapshots; every snapshot since names its maker
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("定稿人"), on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("定稿时间"))

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("定稿报告")
        verbose_name_plural = _("定稿报告")
        ordering = ["report", "-number"]
        constraints = [
            models.CheckConstraint(
                name="reportsnapshot_finalised_by_another_user",
                violation_error_message=_("定稿须由申请人以外的另一位财务人员确认。"),
                condition=~models.Q(finalised_by=models.F("requested_by")),
            ),
            models.UniqueConstraint(
                fields=["report", "number"],
                name="reportsnapshot_unique_number",
                violation_error_message=_("该报告已有此定稿版本。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{report} 第{number}版定稿").format(report=self.report, number=self.number)


class MonitoringReport(Finalisable):
    """绩效运行监控报告: a program-year's monitoring at one day (e.g. 06-30, 08-31), its warnings explained.

    The figures are computed (evaluation.monitoring); what staff write is a reason and a 纠偏措施 per warning. The
    maker–checker and the snapshot work as for the self-evaluation report.
    """

    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    as_of = models.DateField(_("监控日期"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("绩效运行监控报告")
        verbose_name_plural = _("绩效运行监控报告")
        ordering = ["-fiscal_year__year", "program__sort_order", "as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year", "as_of"],
                name="monitoringreport_one_per_program_day",
                violation_error_message=_("该项目在这一监控日期已有监控报告。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{year}年{program}绩效运行监控（{day}）").format(
            year=self.fiscal_year.year, program=self.program.short_name, day=self.as_of.isoformat()
        )

    def clean(self) -> None:
        if self.fiscal_year_id and self.as_of and not self.fiscal_year.contains(self.as_of):
            raise ValidationError({"as_of": _("监控日期必须在{year}年内。").format(year=self.fiscal_year.year)})

    def content_hash(self) -> str:
        """SHA-256 of what staff wrote: every warning's reason and 纠偏措施."""
        if self.pk is None:
            return hashlib.sha256(b"[]").hexdigest()
        content = sorted([e.warning_key, e.reason, e.corrective_action] for e in self.explanations.all())
        encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(encoded.encode()).hexdigest()


class WarningExplanation(models.Model):
    """Why a monitoring warning arose and what will be done about it (偏差原因 and 纠偏措施)."""

    report = models.ForeignKey(
        MonitoringReport, verbose_name=_("监控报告"), on_delete=models.CASCADE, related_name="explanations"
    )
    warning_key = models.CharField(_("预警标识"), max_length=300)
    warning_message = models.TextField(_("预警内容"))
    reason = models.TextField(_("偏差原因"))
    corrective_action = models.TextField(_("纠偏措施"))
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("填写人"), on_delete=models.PROTECT, related_name="+"
    )
    explained_at = models.DateTimeField(_("填写时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("预警说明")
        verbose_name_plural = _("预警说明")
        ordering = ["report", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "warning_key"],
                name="warningexplanation_one_per_warning",
                violation_error_message=_("该预警已有说明，请修改已有说明。"),
            ),
            models.CheckConstraint(
                name="warningexplanation_not_blank",
                violation_error_message=_("偏差原因和纠偏措施都不能为空。"),
                condition=~models.Q(reason="") & ~models.Q(corrective_action=""),
            ),
        ]

    def __str__(self) -> str:
        return self.warning_message


class MonitoringSnapshot(models.Model):
    """A finalised monitoring report: its PDF and 绩效运行监控表 .xlsx as signed off, append-only like
    `ReportSnapshot`."""

    report = models.ForeignKey(
        MonitoringReport, verbose_name=_("监控报告"), on_delete=models.PROTECT, related_name="snapshots"
    )
    number = models.PositiveIntegerField(_("定稿版本"))
    pdf = models.FileField(_("监控报告 PDF"), upload_to="snapshots/")
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64)
    xlsx = models.FileField(_("绩效运行监控表 .xlsx"), upload_to="snapshots/")
    xlsx_sha256 = models.CharField(_("监控表 SHA-256"), max_length=64)
    data_version = models.CharField(_("数据版本"), max_length=64)
    warnings = models.JSONField(_("定稿时的预警及说明"), default=list, blank=True)
    content_hash = models.CharField(_("定稿内容哈希"), max_length=64)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("定稿申请人"), on_delete=models.PROTECT, related_name="+"
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("定稿人"), on_delete=models.PROTECT, related_name="+"
    )
    finalised_at = models.DateTimeField(_("定稿时间"))

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("定稿监控报告")
        verbose_name_plural = _("定稿监控报告")
        ordering = ["report", "-number"]
        constraints = [
            models.CheckConstraint(
                name="monitoringsnapshot_finalised_by_another_user",
                violation_error_message=_("定稿须由申请人以外的另一位财务人员确认。"),
                condition=~models.Q(finalised_by=models.F("requested_by")),
            ),
            models.UniqueConstraint(
                fields=["report", "number"],
                name="monitoringsnapshot_unique_number",
                violation_error_message=_("该监控报告已有此定稿版本。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{report} 第{number}版定稿").format(report=self.report, number=self.number)


class ResultApplication(models.Model):
    """结果应用: what finance decided for next year's budget from a finalised self-evaluation (优 → 优先保障 …,
    the labels in settings.RESULT_APPLICATION_LABELS), with the proposed budget and the reasons."""

    snapshot = models.OneToOneField(
        ReportSnapshot, verbose_name=_("定稿报告"), on_delete=models.PROTECT, related_name="result_application"
    )
    grade = models.CharField(_("评价等级"), max_length=4)
    application = models.CharField(_("结果应用"), max_length=40)
    proposed_budget = models.DecimalField(_("下年度拟安排预算（元）"), max_digits=14, decimal_places=2)
    reasons = models.TextField(_("理由"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("评价结果应用")
        verbose_name_plural = _("评价结果应用")
        ordering = ["-snapshot__report__fiscal_year__year", "snapshot__report__program__sort_order"]
        constraints = [
            models.CheckConstraint(
                name="resultapplication_budget_not_negative",
                violation_error_message=_("下年度拟安排预算不能为负数。"),
                condition=models.Q(proposed_budget__gte=0),
            ),
            models.CheckConstraint(
                name="resultapplication_reasons_not_blank",
                violation_error_message=_("请填写理由。"),
                condition=~models.Q(reasons=""),
            ),
        ]

    def __str__(self) -> str:
        return _("{report}：{application}").format(report=self.snapshot.report, application=self.application)
