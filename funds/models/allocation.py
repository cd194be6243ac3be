import datetime
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from core.money import ZERO
from core.scoping import RestrictedQuerySet
from funds.choices import PlanStatus
from funds.models.budget import MONEY


def plan_content_hash(
    *,
    program: str,
    fiscal_year: int,
    title: str,
    plan_date: datetime.date,
    approval_reference: str,
    lines: Iterable[tuple[str, Decimal, str]],
) -> str:
    """Canonical JSON of a plan's content, hashed; a plain function so the migration that backfills it can call it."""
    content = {
        "program": program,
        "fiscal_year": fiscal_year,
        "title": title,
        "plan_date": plan_date.isoformat(),
        "approval_reference": approval_reference,
        "lines": sorted([code, str(amount), note] for code, amount, note in lines),
    }
    encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


class AllocationPlan(models.Model):
    """分配方案: how a program's received funds are split among sub-units. Draft → submitted → approved."""

    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    title = models.CharField(_("方案名称"), max_length=200)
    plan_date = models.DateField(_("方案日期"))
    approval_reference = models.CharField(
        _("审议会议"), max_length=200, blank=True, help_text=_("如：党组会议审议通过的会议名称与日期")
    )
    status = models.CharField(_("状态"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("编制人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("编制时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    # Maker–checker needs to know who wrote the content, not only who created the plan: everyone who saved or
    # submitted it is an author, and no author may approve it.
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("编写人"), related_name="+", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The hash of the content as submitted, and as approved: an approval covers exactly what was submitted.
    submitted_content_hash = models.CharField(_("提交内容哈希"), max_length=64, blank=True)
    approved_content_hash = models.CharField(_("审批内容哈希"), max_length=64, blank=True)
    review_comment = models.CharField(_("审批意见"), max_length=500, blank=True)
    # Optimistic concurrency: every form carries the version it was opened at; a write at another version is stale.
    version = models.PositiveIntegerField(_("版本"), default=1)

    objects = RestrictedQuerySet.as_manager()
    # An operator sees the plans that allocate to their organisation (their own line only, see selectors).
    scope_path = "lines__organization"

    class Meta:
        verbose_name = _("资金分配方案")
        verbose_name_plural = _("资金分配方案")
        ordering = ["-fiscal_year__year", "program__sort_order", "-plan_date", "-pk"]
        permissions = [("approve_allocationplan", _("可以审批资金分配方案"))]
        constraints = [
            models.CheckConstraint(
                name="allocationplan_approver_is_not_author",
                violation_error_message=_("分配方案不能由编制人本人审批。"),
                condition=models.Q(approved_by__isnull=True) | ~models.Q(approved_by=models.F("created_by")),
            ),
            models.CheckConstraint(
                name="allocationplan_approver_is_not_submitter",
                violation_error_message=_("分配方案不能由提交人本人审批。"),
                condition=models.Q(approved_by__isnull=True)
                | models.Q(submitted_by__isnull=True)
                | ~models.Q(approved_by=models.F("submitted_by")),
            ),
            models.CheckConstraint(
                name="allocationplan_approved_covers_submitted_content",
                violation_error_message=_("已审批的方案必须记录所审批内容的哈希，且与提交内容一致。"),
                condition=~models.Q(status=PlanStatus.APPROVED)
                | (
                    ~models.Q(approved_content_hash="")
                    & models.Q(approved_content_hash=models.F("submitted_content_hash"))
                ),
            ),
            models.CheckConstraint(
                name="allocationplan_approved_has_approver",
                violation_error_message=_("已审批的方案必须记录审批人和审批时间。"),
                condition=~models.Q(status=PlanStatus.APPROVED)
                | models.Q(approved_by__isnull=False, approved_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status == PlanStatus.DRAFT

    def total_amount(self):
        return self.lines.aggregate(total=Sum("amount"))["total"] or ZERO

    def content_hash(self) -> str:
        """SHA-256 of what an approval approves: the plan's fields and every line (see `plan_content_hash`)."""
        return plan_content_hash(
            program=self.program.code,
            fiscal_year=self.fiscal_year.year,
            title=self.title,
            plan_date=self.plan_date,
            approval_reference=self.approval_reference,
            lines=[
                (line.organization.code, line.amount, line.note) for line in self.lines.select_related("organization")
            ],
        )

    def clean(self) -> None:
        if self.approved_by_id is not None and self.approved_by_id == self.created_by_id:
            raise ValidationError(_("分配方案不能由编制人本人审批。"))
        if self.approved_by_id is not None and self.pk and self.authors.filter(pk=self.approved_by_id).exists():
            raise ValidationError(_("修改或提交过该方案的人不能审批它。"))


class AllocationLine(models.Model):
    plan = models.ForeignKey(AllocationPlan, verbose_name=_("分配方案"), on_delete=models.CASCADE, related_name="lines")
    organization = models.ForeignKey(
        "funds.Organization", verbose_name=_("分配单位"), on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(_("分配金额（元）"), **MONEY)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"

    class Meta:
        verbose_name = _("分配明细")
        verbose_name_plural = _("分配明细")
        ordering = ["plan", "organization__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "organization"],
                name="allocationline_one_per_organization",
                violation_error_message=_("同一方案中每个单位只能有一行。"),
            ),
            models.CheckConstraint(
                name="allocationline_amount_positive",
                violation_error_message=_("分配金额必须大于 0。"),
                condition=models.Q(amount__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.amount}"
