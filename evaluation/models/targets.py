"""绩效目标申报: a program-year's 绩效目标表 (its overall goal; its indicators are the year's `Indicator` rows), the
draft → 送审 → 审核通过 / 退回 workflow with every version kept, and 目标调整 after approval by two people."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TwoPersonDecision, decided_by_another_person
from core.scoping import RestrictedQuerySet
from evaluation.choices import TargetEvent, TargetStatus


class TargetTable(models.Model):
    """The 绩效目标表 of one program-year. Its indicators are `Indicator` rows of the same program and year (one
    model for the targets and the self-evaluation); once approved, they are what the self-evaluation scores against
    and change only by a `TargetAdjustment`."""

    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    department = models.CharField(_("责任部门"), max_length=50, help_text=_("默认为项目的实施部门"))
    overall_goal = models.TextField(_("年度总体目标"), blank=True)
    status = models.CharField(_("状态"), max_length=20, choices=TargetStatus.choices, default=TargetStatus.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("送审人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("送审时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("绩效目标表")
        verbose_name_plural = _("绩效目标表")
        ordering = ["-fiscal_year__year", "program__sort_order"]
        permissions = [("review_targettable", _("审核绩效目标表"))]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year"],
                name="targettable_one_per_program_year",
                violation_error_message=_("该项目本年度已有绩效目标表。"),
            ),
            models.CheckConstraint(
                name="targettable_reviewed_by_another_person",
                violation_error_message=_("绩效目标表须由送审人以外的财务人员审核。"),
                condition=models.Q(reviewed_by__isnull=True)
                | models.Q(submitted_by__isnull=True)
                | ~models.Q(reviewed_by=models.F("submitted_by")),
            ),
        ]

    def __str__(self) -> str:
        return _("{year}年{program}绩效目标表").format(year=self.fiscal_year.year, program=self.program.short_name)

    @property
    def is_frozen(self) -> bool:
        """Submitted or approved: the targets are not edited in place (returned or drafted ones are)."""
        return self.status in (TargetStatus.SUBMITTED, TargetStatus.APPROVED)


class TargetTableVersion(models.Model):
    """The table as it stood at each step (送审, 退回, 审核通过, 目标调整); append-only: the history is the record."""

    table = models.ForeignKey(
        TargetTable, verbose_name=_("绩效目标表"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    event = models.CharField(_("事项"), max_length=20, choices=TargetEvent.choices)
    content = models.JSONField(_("目标表内容"))
    comment = models.TextField(_("意见或事由"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"))

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("绩效目标表版本")
        verbose_name_plural = _("绩效目标表版本")
        ordering = ["table", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["table", "number"],
                name="targettableversion_unique_number",
                violation_error_message=_("该绩效目标表已有此版本号。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{table} 第{number}版（{event}）").format(
            table=self.table, number=self.number, event=self.get_event_display()
        )


class TargetAdjustment(TwoPersonDecision):
    """目标调整: a changed target (value or description) of one indicator of an approved table, with a reason,
    approved by someone other than the asker."""

    indicator = models.ForeignKey(
        "evaluation.Indicator", verbose_name=_("绩效指标"), on_delete=models.PROTECT, related_name="adjustments"
    )
    old_target = models.CharField(_("原年度指标值"), max_length=200)
    new_target_value = models.DecimalField(_("新指标值"), max_digits=16, decimal_places=4, null=True, blank=True)
    new_target_text = models.CharField(_("新定性指标值"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta(TwoPersonDecision.Meta):
        verbose_name = _("绩效目标调整")
        verbose_name_plural = _("绩效目标调整")
        constraints = [
            decided_by_another_person(_("目标调整须由申请人以外的另一位人员审核。")),
            models.UniqueConstraint(
                fields=["indicator"],
                condition=models.Q(status="pending"),
                name="targetadjustment_one_pending_per_indicator",
                violation_error_message=_("该指标已有待审核的目标调整。"),
            ),
        ]

    def __str__(self) -> str:
        return _("目标调整：{indicator}").format(indicator=self.indicator)
