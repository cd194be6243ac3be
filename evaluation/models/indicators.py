"""The indicator system: templates and a program-year's three-level indicators."""

from decimal import Decimal

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import NaturalKeyManager, RestrictedQuerySet
from evaluation.choices import (
    LEVEL2_UNDER_LEVEL1,
    Comparator,
    ComputedKey,
    Level1,
    Level2,
    Unit,
    ValueSource,
)


class IndicatorDefinition(models.Model):
    """What an indicator is and how it is judged; shared by templates and a year's indicators."""

    level1 = models.CharField(_("一级指标"), max_length=20, choices=Level1.choices)
    level2 = models.CharField(_("二级指标"), max_length=20, choices=Level2.choices)
    name = models.CharField(_("三级指标"), max_length=100)
    comparator = models.CharField(_("比较方式"), max_length=12, choices=Comparator.choices)
    target_value = models.DecimalField(_("指标值"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_text = models.CharField(_("定性指标值"), max_length=200, blank=True)
    unit = models.CharField(_("计量单位"), max_length=20, choices=Unit.choices, default=Unit.NONE)
    weight = models.DecimalField(_("分值"), max_digits=5, decimal_places=2)
    value_source = models.CharField(_("取值方式"), max_length=10, choices=ValueSource.choices)
    computed_key = models.CharField(_("计算公式"), max_length=40, choices=ComputedKey.choices, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    # The 绩效目标表's columns beside the target: what the indicator means and how it is scored.
    explanation = models.CharField(_("指标解释"), max_length=300, blank=True)
    scoring_standard = models.CharField(_("评（扣）分标准"), max_length=300, blank=True)

    class Meta:
        abstract = True
        constraints = []

    def clean(self) -> None:
        errors = {}
        allowed = LEVEL2_UNDER_LEVEL1.get(self.level1, set())
        if self.level1 and self.level2 and self.level2 not in allowed:
            errors["level2"] = _("二级指标“{level2}”不属于一级指标“{level1}”。").format(
                level2=self.get_level2_display(), level1=self.get_level1_display()
            )
        if self.comparator == Comparator.QUALITATIVE:
            if not self.target_text:
                errors["target_text"] = _("定性指标必须填写指标值描述。")
        elif self.target_value is None:
            errors["target_value"] = _("定量指标必须填写指标值。")
        if self.value_source == ValueSource.COMPUTED and not self.computed_key:
            errors["computed_key"] = _("系统计算的指标必须选择计算公式。")
        if self.value_source == ValueSource.MANUAL and self.computed_key:
            errors["computed_key"] = _("手工填报的指标不选择计算公式。")
        if self.weight is not None and self.weight < 0:
            errors["weight"] = _("分值不能为负数。")
        if errors:
            raise ValidationError(errors)

    @property
    def value_type(self) -> str:
        """指标值类型: 定性 or 定量."""
        return str(_("定性")) if self.comparator == Comparator.QUALITATIVE else str(_("定量"))

    @admin.display(description=_("年度指标值"))
    def target_display(self) -> str:
        if self.comparator == Comparator.QUALITATIVE:
            return self.target_text
        value = self.target_value.normalize() if isinstance(self.target_value, Decimal) else self.target_value
        unit = "" if self.unit == Unit.NONE else self.get_unit_display()
        return f"{self.get_comparator_display()}{value:f}{unit}"


def _definition_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(
            name=f"{prefix}_weight_not_negative",
            condition=models.Q(weight__gte=0),
            violation_error_message=_("分值不能为负数。"),
        ),
        models.CheckConstraint(
            name=f"{prefix}_computed_has_key",
            violation_error_message=_("系统计算的指标必须选择计算公式，手工填报的指标不选。"),
            condition=models.Q(value_source=ValueSource.MANUAL, computed_key="")
            | (models.Q(value_source=ValueSource.COMPUTED) & ~models.Q(computed_key="")),
        ),
        models.CheckConstraint(
            name=f"{prefix}_quantitative_has_target",
            violation_error_message=_("定量指标必须填写指标值。"),
            condition=models.Q(comparator=Comparator.QUALITATIVE) | models.Q(target_value__isnull=False),
        ),
    ]


class IndicatorTemplate(IndicatorDefinition):
    """A built-in or house indicator that a year's system starts from (e.g. seed 000's ten level-3 indicators)."""

    program = models.ForeignKey(
        "funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="indicator_templates"
    )

    objects = NaturalKeyManager()
    scope_path = None
    natural_key_fields = ("program__code", "name")

    class Meta:
        verbose_name = _("绩效指标模板")
        verbose_name_plural = _("绩效指标模板")
        ordering = ["program__sort_order", "sort_order"]
        constraints = [
            *_definition_constraints("indicatortemplate"),
            models.UniqueConstraint(
                fields=["program", "name"],
                name="indicatortemplate_unique_name_per_program",
                violation_error_message=_("该项目已有同名的指标模板。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program.short_name} · {self.name}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.program.natural_key(), self.name)

    natural_key.dependencies = ["funds.program"]


class Indicator(IndicatorDefinition):
    """One level-3 indicator of a program's system in a fiscal year, with its result once evaluated."""

    program = models.ForeignKey(
        "funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT, related_name="indicators"
    )
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    manual_value = models.DecimalField(_("手工填报完成值"), max_digits=16, decimal_places=4, null=True, blank=True)
    manual_text = models.CharField(_("完成情况描述"), max_length=500, blank=True)
    deviation_reason = models.TextField(_("偏差原因分析及改进措施"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("绩效指标")
        verbose_name_plural = _("绩效指标")
        ordering = ["-fiscal_year__year", "program__sort_order", "sort_order"]
        constraints = [
            *_definition_constraints("indicator"),
            models.UniqueConstraint(
                fields=["program", "fiscal_year", "name"],
                name="indicator_unique_name_per_program_year",
                violation_error_message=_("该项目本年度已有同名指标。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year.year} {self.program.short_name} · {self.name}"

    def clean(self) -> None:
        super().clean()
        bounded = self.comparator == Comparator.QUALITATIVE or self.unit == Unit.PERCENT
        if bounded and self.manual_value is not None and not (0 <= self.manual_value <= 100):
            raise ValidationError({"manual_value": _("应为 0 到 100 之间的数（百分比）。")})
