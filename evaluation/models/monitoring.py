"""The 绩效运行监控 warning rules."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import NaturalKeyManager
from evaluation.choices import (
    WarningKind,
)


class WarningRule(models.Model):
    """One 绩效运行监控 warning rule with its thresholds (defaults in fixtures/monitoring_rules.json).

    Which thresholds a kind uses: 落后时间进度 — `lag_points`; 大额项目 — `min_budget`, `min_rate` and the day of the
    year it applies from; indicator rules — none (the indicator's own target).
    """

    code = models.SlugField(_("规则代码"), max_length=40, unique=True)
    name = models.CharField(_("规则名称"), max_length=100)
    kind = models.CharField(_("规则类型"), max_length=30, choices=WarningKind.choices)
    lag_points = models.DecimalField(
        _("落后时间进度超过（百分点）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_budget = models.DecimalField(
        _("全年预算数不低于（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    min_rate = models.DecimalField(_("执行率低于（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    applies_from_month = models.PositiveSmallIntegerField(_("适用起始月"), null=True, blank=True)
    applies_from_day = models.PositiveSmallIntegerField(_("适用起始日"), null=True, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = NaturalKeyManager()
    scope_path = None
    natural_key_fields = ("code",)

    class Meta:
        verbose_name = _("监控预警规则")
        verbose_name_plural = _("监控预警规则")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                name="warningrule_thresholds_in_range",
                violation_error_message=_("百分点和执行率应在 0 到 100 之间，预算金额不能为负数。"),
                condition=(models.Q(lag_points__isnull=True) | models.Q(lag_points__gte=0, lag_points__lte=100))
                & (models.Q(min_rate__isnull=True) | models.Q(min_rate__gte=0, min_rate__lte=100))
                & (models.Q(min_budget__isnull=True) | models.Q(min_budget__gte=0)),
            ),
            models.CheckConstraint(
                name="warningrule_applies_from_valid_day",
                violation_error_message=_("适用起始日期须同时填写月和日，且为有效日期。"),
                condition=models.Q(applies_from_month__isnull=True, applies_from_day__isnull=True)
                | models.Q(
                    applies_from_month__gte=1,
                    applies_from_month__lte=12,
                    applies_from_day__gte=1,
                    applies_from_day__lte=31,
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    REQUIRED = {
        WarningKind.EXECUTION_BEHIND: ("lag_points",),
        WarningKind.ORGANIZATION_BEHIND: ("lag_points",),
        WarningKind.LARGE_PROJECT_LOW: ("min_budget", "min_rate", "applies_from_month", "applies_from_day"),
    }

    def clean(self) -> None:
        errors = {}
        for name in self.REQUIRED.get(self.kind, ()):
            if getattr(self, name) is None:
                errors[name] = _("“{kind}”规则必须填写此项。").format(kind=self.get_kind_display())
        if self.applies_from_month and self.applies_from_day:
            try:
                datetime.date(2024, self.applies_from_month, self.applies_from_day)  # a leap year admits 02-29
            except ValueError:
                errors["applies_from_day"] = _("不是有效的日期。")
        if errors:
            raise ValidationError(errors)

    def applies_on(self, day: datetime.date) -> bool:
        if self.applies_from_month is None or self.applies_from_day is None:
            return True
        return (day.month, day.day) >= (self.applies_from_month, self.applies_from_day)
