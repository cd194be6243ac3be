import datetime
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
    ScoringRuleKind,
    Unit,
    ValueSource,
    WarningKind,
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


class SatisfactionSurvey(models.Model):
    """Results of a beneficiary satisfaction survey (受益对象满意度) for a program and year."""

    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    respondents = models.PositiveIntegerField(_("有效问卷数"))
    satisfied = models.PositiveIntegerField(_("满意人数"))
    surveyed_on = models.DateField(_("调查日期"))
    method = models.CharField(_("调查方式"), max_length=100, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("满意度调查")
        verbose_name_plural = _("满意度调查")
        ordering = ["-fiscal_year__year", "program__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year"],
                name="satisfactionsurvey_one_per_program_year",
                violation_error_message=_("该项目本年度已有满意度调查结果。"),
            ),
            models.CheckConstraint(
                name="satisfactionsurvey_satisfied_within_respondents",
                violation_error_message=_("满意人数不能超过有效问卷数，且问卷数必须大于 0。"),
                condition=models.Q(respondents__gt=0, satisfied__lte=models.F("respondents")),
            ),
        ]

    def __str__(self) -> str:
        return _("{year}年{program}满意度调查").format(year=self.fiscal_year.year, program=self.program.short_name)

    def clean(self) -> None:
        if self.respondents is not None and self.satisfied is not None and self.satisfied > self.respondents:
            raise ValidationError({"satisfied": _("满意人数不能超过有效问卷数。")})


class ScoringPolicy(models.Model):
    """A named, versioned set of scoring rules a program-year is scored by, on top of 财预〔2020〕10号.

    No policy (or one without rules) is the ministry's rules as they stand. A changed rule is a new version, so a
    finalised 自评表 keeps naming the rules it was scored by (defaults in fixtures/scoring_policies.json).
    """

    code = models.SlugField(_("规则代码"), max_length=40)
    version = models.PositiveSmallIntegerField(_("版本"), default=1)
    name = models.CharField(_("评分规则名称"), max_length=100)
    basis = models.CharField(_("依据"), max_length=200, blank=True)

    objects = NaturalKeyManager()
    scope_path = None
    natural_key_fields = ("code", "version")

    class Meta:
        verbose_name = _("评分规则")
        verbose_name_plural = _("评分规则")
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                name="scoringpolicy_unique_version",
                violation_error_message=_("该评分规则已有此版本。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{name}（第{version}版）").format(name=self.name, version=self.version)

    def natural_key(self) -> tuple[str, int]:
        return (self.code, self.version)


class ScoringRule(models.Model):
    """One rule of a scoring policy. 封顶: an execution rate in [`low`, `high`) % caps the total at `points`;
    扣分: an indicator at or past its target by `low` % loses `points`."""

    policy = models.ForeignKey(
        ScoringPolicy, verbose_name=_("评分规则"), on_delete=models.CASCADE, related_name="rules"
    )
    kind = models.CharField(_("规则类型"), max_length=30, choices=ScoringRuleKind.choices)
    low = models.DecimalField(_("下限（%）"), max_digits=6, decimal_places=2)
    high = models.DecimalField(_("上限（%，不含）"), max_digits=6, decimal_places=2, null=True, blank=True)
    points = models.DecimalField(_("封顶分 / 扣减分"), max_digits=5, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(_("排序"))

    objects = NaturalKeyManager()
    scope_path = None
    natural_key_fields = ("policy__code", "policy__version", "sort_order")

    class Meta:
        verbose_name = _("评分规则条款")
        verbose_name_plural = _("评分规则条款")
        ordering = ["policy", "sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["policy", "sort_order"],
                name="scoringrule_unique_order_per_policy",
                violation_error_message=_("同一评分规则中排序号不能重复。"),
            ),
            models.CheckConstraint(
                name="scoringrule_points_in_range",
                violation_error_message=_("封顶分 / 扣减分应在 0 到 100 之间。"),
                condition=models.Q(points__gte=0, points__lte=100),
            ),
            models.CheckConstraint(
                name="scoringrule_band_ordered",
                violation_error_message=_("上限须大于下限。"),
                condition=models.Q(high__isnull=True) | models.Q(high__gt=models.F("low")),
            ),
        ]

    def __str__(self) -> str:
        return self.describe()

    def natural_key(self) -> tuple[str, int, int]:
        return (*self.policy.natural_key(), self.sort_order)

    natural_key.dependencies = ["evaluation.scoringpolicy"]

    def clean(self) -> None:
        if self.kind == ScoringRuleKind.EXECUTION_CAP and self.high is None:
            raise ValidationError({"high": _("执行率封顶须填写区间上限。")})
        if self.low is not None and self.low < 0:
            raise ValidationError({"low": _("下限不能为负数。")})

    def describe(self) -> str:
        """The rule as the 自评表 prints it under “评分规则：”."""
        low = format(self.low.normalize(), "f")
        points = format(self.points.normalize(), "f")
        if self.kind == ScoringRuleKind.EXECUTION_CAP:
            high = format(self.high.normalize(), "f")
            if self.low == 0:
                return _("预算执行率低于{high}%的总分不高于{points}分").format(high=high, points=points)
            return _("预算执行率{low}%（含）至{high}%的总分不高于{points}分").format(low=low, high=high, points=points)
        return _("指标超过年度指标值{low}%及以上的扣{points}分").format(low=low, points=points)


class ProgramYearSettings(models.Model):
    """Inputs the indicator formulas need for one program and year, set by finance staff (never in code)."""

    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT)
    fiscal_year = models.ForeignKey("funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT)
    payment_deadline = models.DateField(
        _("发放截止日期"), help_text=_("按时发放率：在此日期（含）之前发放的算按时，如劳模补助为12月上旬")
    )
    eligibility_date = models.DateField(
        _("覆盖率基准日"), help_text=_("覆盖率的分母：这一天符合条件的对象数（在档困难家庭 / 在册健在未暂停的劳模）")
    )
    # The organisations' calendar for the year: shown on their home pages as deadlines; the survey deadline is also
    # what a living-survey upload is checked against (imports, through settings.SURVEY_DEADLINE_PROVIDER).
    payments_open_on = models.DateField(
        _("发放报送开始日期"), null=True, blank=True, help_text=_("各单位从这一天起报送发放明细，如劳模补助为11月下旬")
    )
    survey_deadline = models.DateField(
        _("生活状况调查截止日期"), null=True, blank=True, help_text=_("仅劳模补助：留空即 10 月 31 日")
    )
    scoring_policy = models.ForeignKey(
        ScoringPolicy,
        verbose_name=_("评分规则"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("留空即按财预〔2020〕10号评分，不加封顶或扣分"),
    )

    objects = RestrictedQuerySet.as_manager()
    scope_path = None

    class Meta:
        verbose_name = _("年度评价参数")
        verbose_name_plural = _("年度评价参数")
        ordering = ["-fiscal_year__year", "program__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "fiscal_year"],
                name="programyearsettings_one_per_program_year",
                violation_error_message=_("该项目本年度已设置评价参数。"),
            ),
            models.CheckConstraint(
                name="programyearsettings_payments_open_before_deadline",
                condition=models.Q(payments_open_on__isnull=True)
                | models.Q(payments_open_on__lte=models.F("payment_deadline")),
                violation_error_message=_("发放报送开始日期不能晚于发放截止日期。"),
            ),
        ]

    def __str__(self) -> str:
        return _("{year}年{program}评价参数").format(year=self.fiscal_year.year, program=self.program.short_name)

    def clean(self) -> None:
        if self.fiscal_year_id:
            for name in ("payment_deadline", "eligibility_date", "payments_open_on", "survey_deadline"):
                value = getattr(self, name)
                if value and not self.fiscal_year.contains(value):
                    raise ValidationError({name: _("日期必须在{year}年内。").format(year=self.fiscal_year.year)})
        if self.payments_open_on and self.payment_deadline and self.payments_open_on > self.payment_deadline:
            raise ValidationError({"payments_open_on": _("发放报送开始日期不能晚于发放截止日期。")})


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
