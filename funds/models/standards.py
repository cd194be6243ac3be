from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from funds.choices import StandardType
from funds.models.budget import MONEY


class PaymentStandard(models.Model):
    """补助标准: a fixed amount or a min–max range per payment kind and year, province-wide or per organisation.

    Per-organisation standards exist because caps depend on the local 低保 line (生活救助 per household per
    year ≤ the local 低保 annual total); an organisation's own standard wins over the province-wide one.
    """

    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    payment_kind = models.ForeignKey("funds.PaymentKind", verbose_name=_("发放类型"), on_delete=models.PROTECT)
    organization = models.ForeignKey(
        "funds.Organization",
        verbose_name=_("适用单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("留空表示全区统一标准"),
    )
    standard_type = models.CharField(_("标准类型"), max_length=10, choices=StandardType.choices)
    fixed_amount = models.DecimalField(_("固定金额（元）"), null=True, blank=True, **MONEY)
    min_amount = models.DecimalField(_("最低金额（元）"), null=True, blank=True, **MONEY)
    max_amount = models.DecimalField(_("最高金额（元）"), null=True, blank=True, **MONEY)
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    # An import's confirm compares it (with the roster's and the surveys') to what its preview checked against.
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "organization"
    scope_null_is_shared = True

    class Meta:
        verbose_name = _("补助标准")
        verbose_name_plural = _("补助标准")
        ordering = ["-fiscal_year__year", "payment_kind__program__sort_order", "payment_kind__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "payment_kind"],
                condition=models.Q(organization__isnull=True),
                name="paymentstandard_one_provincewide_per_kind_year",
                violation_error_message=_("该发放类型本年度已有全区统一标准。"),
            ),
            models.UniqueConstraint(
                fields=["fiscal_year", "payment_kind", "organization"],
                condition=models.Q(organization__isnull=False),
                name="paymentstandard_one_per_kind_year_organization",
                violation_error_message=_("该单位该发放类型本年度已有标准。"),
            ),
            models.CheckConstraint(
                name="paymentstandard_fixed_or_range_consistent",
                violation_error_message=_("固定标准只填固定金额；区间标准只填最低、最高金额，且最高不低于最低。"),
                condition=(
                    models.Q(
                        standard_type=StandardType.FIXED,
                        fixed_amount__gt=0,
                        min_amount__isnull=True,
                        max_amount__isnull=True,
                    )
                    | models.Q(
                        standard_type=StandardType.RANGE,
                        fixed_amount__isnull=True,
                        min_amount__gt=0,
                        max_amount__gte=models.F("min_amount"),
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        scope = self.organization.short_name if self.organization_id else _("全区")
        return f"{self.fiscal_year.year} {self.payment_kind} {scope}: {self.describe()}"

    def describe(self) -> str:
        if self.standard_type == StandardType.FIXED:
            return _("{amount} 元").format(amount=self.fixed_amount)
        return _("{low}–{high} 元").format(low=self.min_amount, high=self.max_amount)

    def admits(self, amount: Decimal) -> bool:
        if self.standard_type == StandardType.FIXED:
            return amount == self.fixed_amount
        return self.min_amount <= amount <= self.max_amount

    def clean(self) -> None:
        errors = {}
        if self.standard_type == StandardType.FIXED:
            if not self.fixed_amount or self.fixed_amount <= 0:
                errors["fixed_amount"] = _("固定标准必须填写大于 0 的固定金额。")
            if self.min_amount is not None or self.max_amount is not None:
                errors["min_amount"] = _("固定标准不填写最低、最高金额。")
        elif self.standard_type == StandardType.RANGE:
            if self.fixed_amount is not None:
                errors["fixed_amount"] = _("区间标准不填写固定金额。")
            if not self.min_amount or self.min_amount <= 0:
                errors["min_amount"] = _("区间标准必须填写大于 0 的最低金额。")
            if self.max_amount is None or (self.min_amount and self.max_amount < self.min_amount):
                errors["max_amount"] = _("最高金额不能低于最低金额。")
        if errors:
            raise ValidationError(errors)
