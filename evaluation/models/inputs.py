"""What the formulas need besides the ledger: survey results, a program-year's parameters and its scoring policy."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import NaturalKeyManager, RestrictedQuerySet
from evaluation.choices import (
    ScoringRuleKind,
)


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
    # The budget-performance calendar (reports.calendar): when each stage is due; blank = not planned.
    targets_due = models.DateField(
        _("绩效目标申报截止日期"), null=True, blank=True, help_text=_("责任部门送审、财务审核通过绩效目标表的期限")
    )
    first_monitoring_on = models.DateField(_("第一次运行监控日期"), null=True, blank=True, help_text=_("如 6 月 30 日"))
    second_monitoring_on = models.DateField(
        _("第二次运行监控日期"), null=True, blank=True, help_text=_("如 8 月 31 日（200 万元以上项目执行率检查）")
    )
    self_evaluation_due = models.DateField(
        _("自评报告报送截止日期"), null=True, blank=True, help_text=_("可在次年，如次年 3 月底")
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
            for name in (
                "payment_deadline",
                "eligibility_date",
                "payments_open_on",
                "survey_deadline",
                "targets_due",
                "first_monitoring_on",
                "second_monitoring_on",
            ):
                value = getattr(self, name)
                if value and not self.fiscal_year.contains(value):
                    raise ValidationError({name: _("日期必须在{year}年内。").format(year=self.fiscal_year.year)})
            due = self.self_evaluation_due
            if due and not (self.fiscal_year.starts_on <= due and due.year <= self.fiscal_year.year + 1):
                raise ValidationError(
                    {"self_evaluation_due": _("应在{year}年或次年内。").format(year=self.fiscal_year.year)}
                )
        if self.payments_open_on and self.payment_deadline and self.payments_open_on > self.payment_deadline:
            raise ValidationError({"payments_open_on": _("发放报送开始日期不能晚于发放截止日期。")})
