from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from funds.choices import FundingSource

MONEY = {"max_digits": 14, "decimal_places": 2}


class Appropriation(models.Model):
    """The budget of one program in one fiscal year; its amounts are split by funding source in its lines."""

    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    document = models.CharField(_("预算文件"), max_length=200, blank=True)
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("预算批复")
        verbose_name_plural = _("预算批复")
        ordering = ["-fiscal_year__year", "program__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year"],
                name="appropriation_one_per_program_year",
                violation_error_message=_("该项目本年度的预算已录入，请修改已有记录。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{year}年{program}预算").format(year=self.fiscal_year.year, program=self.program.short_name)


class AppropriationLine(models.Model):
    """年初预算数 and 全年预算数 of one funding source (当年财政拨款 / 上年结转 / 其他资金)."""

    appropriation = models.ForeignKey(
        Appropriation, verbose_name=_("预算批复"), on_delete=models.CASCADE, related_name="lines"
    )
    source = models.CharField(_("资金来源"), max_length=20, choices=FundingSource.choices)
    initial_budget = models.DecimalField(_("年初预算数（元）"), **MONEY)
    annual_budget = models.DecimalField(_("全年预算数（元）"), **MONEY)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("预算明细")
        verbose_name_plural = _("预算明细")
        ordering = ["appropriation", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["appropriation", "source"],
                name="appropriationline_one_per_source",
                violation_error_message=_("同一预算的每个资金来源只能有一行。"),
            ),
            models.CheckConstraint(
                name="appropriationline_budgets_not_negative",
                violation_error_message=_("预算数不能为负数。"),
                condition=models.Q(initial_budget__gte=0, annual_budget__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appropriation} · {self.get_source_display()}"


class FundsReceipt(models.Model):
    """Money actually received (实际到位) for an appropriation, on a date, from one funding source."""

    appropriation = models.ForeignKey(
        Appropriation, verbose_name=_("预算批复"), on_delete=models.PROTECT, related_name="receipts"
    )
    source = models.CharField(_("资金来源"), max_length=20, choices=FundingSource.choices)
    amount = models.DecimalField(_("到位金额（元）"), **MONEY)
    received_on = models.DateField(_("到位日期"))
    document = models.CharField(_("拨款文号"), max_length=200, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("资金到位")
        verbose_name_plural = _("资金到位")
        ordering = ["-received_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="fundsreceipt_amount_positive",
                violation_error_message=_("到位金额必须大于 0。"),
                condition=models.Q(amount__gt=0),
            ),
        ]

    def __str__(self) -> str:
        return _("{appropriation} 到位 {amount} 元（{date}）").format(
            appropriation=self.appropriation, amount=self.amount, date=self.received_on
        )

    def clean(self) -> None:
        if self.appropriation_id and self.received_on:
            year = self.appropriation.fiscal_year.year
            # Funds for a year may arrive in the last weeks of the year before (提前下达), never after it ends.
            if not (year - 1 <= self.received_on.year <= year):
                raise ValidationError(
                    {"received_on": _("到位日期必须在{year}年度内或上一年度提前下达。").format(year=year)}
                )


class DepartmentBudgetLine(models.Model):
    """Another line of the federation's own department budget, without beneficiaries (人员工资、医保、访惠聚经费 …).

    Only the department-wide report (部门整体支出绩效自评报告) uses these: it covers the whole budget, not just the
    two special funds, so finance staff enter the other lines' budget and execution here.
    """

    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    name = models.CharField(_("支出项目"), max_length=100)
    initial_budget = models.DecimalField(_("年初预算数（元）"), **MONEY)
    annual_budget = models.DecimalField(_("全年预算数（元）"), **MONEY)
    executed = models.DecimalField(_("全年执行数（元）"), **MONEY)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("录入人"), on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("部门其他预算支出")
        verbose_name_plural = _("部门其他预算支出")
        ordering = ["-fiscal_year__year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "name"],
                name="departmentbudgetline_unique_name_per_year",
                violation_error_message=_("本年度已有同名的支出项目。"),
            ),
            models.CheckConstraint(
                name="departmentbudgetline_amounts_not_negative",
                violation_error_message=_("预算数和执行数不能为负数。"),
                condition=models.Q(initial_budget__gte=0, annual_budget__gte=0, executed__gte=0),
            ),
            models.CheckConstraint(
                name="departmentbudgetline_executed_within_budget",
                violation_error_message=_("全年执行数不能超过全年预算数。"),
                condition=models.Q(executed__lte=models.F("annual_budget")),
            ),
        ]

    def __str__(self) -> str:
        return _("{year}年 {name}").format(year=self.fiscal_year.year, name=self.name)

    def clean(self) -> None:
        if self.executed is not None and self.annual_budget is not None and self.executed > self.annual_budget:
            raise ValidationError({"executed": _("全年执行数不能超过全年预算数。")})
