import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import NaturalKeyManager, RestrictedQuerySet
from funds.choices import BeneficiaryKind, PaymentFrequency


class FiscalYear(models.Model):
    """A budget year (the calendar year in China)."""

    year = models.PositiveSmallIntegerField(
        _("年度"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    is_closed = models.BooleanField(_("已结账"), default=False)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("预算年度")
        verbose_name_plural = _("预算年度")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="fiscalyear_year_range",
                violation_error_message=_("年度必须在 2000 至 2100 之间。"),
                condition=models.Q(year__gte=2000, year__lte=2100),
            )
        ]

    def __str__(self) -> str:
        return _("{year}年度").format(year=self.year)

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class Program(models.Model):
    """One of the special funds (专项资金): `hardship` or `model_worker`."""

    code = models.SlugField(_("项目代码"), max_length=30, unique=True)
    name = models.CharField(_("项目名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=30)
    beneficiary_kind = models.CharField(_("发放对象类型"), max_length=20, choices=BeneficiaryKind.choices)
    managing_department = models.CharField(_("实施部门"), max_length=50, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = NaturalKeyManager()
    scope_path = None
    natural_key_fields = ("code",)

    class Meta:
        verbose_name = _("专项资金项目")
        verbose_name_plural = _("专项资金项目")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class PaymentKind(models.Model):
    """What a payment is for (春节慰问金, 生活救助 …); says whether it may recur within a year."""

    program = models.ForeignKey(Program, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="payment_kinds")
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("发放类型"), max_length=50)
    frequency = models.CharField(_("发放频次"), max_length=20, choices=PaymentFrequency.choices)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = NaturalKeyManager()
    scope_path = None
    natural_key_fields = ("program__code", "code")

    class Meta:
        verbose_name = _("发放类型")
        verbose_name_plural = _("发放类型")
        ordering = ["program__sort_order", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "code"],
                name="paymentkind_unique_code_per_program",
                violation_error_message=_("该项目下已有相同代码的发放类型。"),
            ),
            models.UniqueConstraint(
                fields=["program", "name"],
                name="paymentkind_unique_name_per_program",
                violation_error_message=_("该项目下已有同名的发放类型。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (*self.program.natural_key(), self.code)

    natural_key.dependencies = ["funds.program"]

    @property
    def once_per_year(self) -> bool:
        return self.frequency == PaymentFrequency.ONCE_PER_YEAR
