"""绩效运行监控 on the demo's 2024: time elapsed, execution, projections, flags and the warning rules (as data)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.test import TestCase, override_settings

from demo.loader import load_demo
from evaluation.choices import DeviationFlag, ProjectionMethod
from evaluation.models import WarningRule
from evaluation.monitoring import linear_projection, monitor, time_elapsed
from evaluation.selectors import evaluate
from funds.models import Disbursement, FiscalYear, Program, User

JUNE = datetime.date(2024, 6, 30)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class MonitoringTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()
        cls.auditor = User.objects.get(username="auditor")
        cls.year = FiscalYear.objects.get(year=2024)
        cls.hardship = Program.objects.get(code="hardship")
        cls.model_worker = Program.objects.get(code="model_worker")

    def monitor(self, program, day=JUNE):
        return monitor(user=self.auditor, program=program, fiscal_year=self.year, as_of=day)

    def test_time_elapsed_counts_days_in_the_year(self):
        self.assertEqual(time_elapsed(self.year, JUNE), Decimal("49.73"))  # 182 of 366 days (a leap year)
        self.assertEqual(time_elapsed(self.year, datetime.date(2024, 12, 31)), Decimal("100.00"))
        self.assertEqual(time_elapsed(self.year, datetime.date(2025, 3, 1)), Decimal("100.00"))
        self.assertEqual(linear_projection(Decimal(76), Decimal("49.73")), Decimal("152.83"))

    def test_june_execution_per_source_and_organisation(self):
        result = self.monitor(self.hardship)
        paid = Disbursement.objects.filter(
            program=self.hardship, fiscal_year=self.year, status="posted", paid_on__lte=JUNE
        )
        executed = paid.aggregate(t=Sum("amount"))["t"]
        self.assertEqual(result.execution.executed, executed)
        self.assertEqual(result.execution.budget, Decimal("1230000.00"))
        self.assertEqual(result.execution.rate, (executed * 100 / Decimal(1230000)).quantize(Decimal("0.01")))
        self.assertEqual(result.execution.lag, result.elapsed - result.execution.rate)
        (fiscal,) = [line for line in result.by_source if line.budget]
        self.assertEqual(fiscal.executed, executed)
        kashgar = next(line for line in result.by_organization if line.label == "喀什地区")
        self.assertEqual(kashgar.budget, Decimal("424800.00"))  # its approved allocation
        self.assertEqual(
            kashgar.executed, paid.filter(paying_organization__short_name="喀什地区").aggregate(t=Sum("amount"))["t"]
        )
        self.assertEqual(sum(line.executed for line in result.by_organization), executed)

    def test_projections_say_their_method_and_flag_deviations(self):
        result = self.monitor(self.hardship)
        by_name = {p.scored.indicator.name: p for p in result.projections}
        households = by_name["帮扶困难职工户数"]
        self.assertEqual(households.method, ProjectionMethod.LINEAR_ROSTER)
        self.assertEqual(households.projected, linear_projection(households.so_far, result.elapsed).quantize(1))
        self.assertEqual(households.flag, DeviationFlag.MISS)  # 447 wanted
        accuracy = by_name["帮扶对象界定准确率"]
        self.assertEqual(
            (accuracy.method, accuracy.projected, accuracy.flag), (ProjectionMethod.RATE, accuracy.so_far, None)
        )
        self.assertEqual(by_name["困难职工生活状况改善"].method, ProjectionMethod.NONE)
        self.assertIsNone(by_name["受益对象满意度"].projected)  # surveyed in December
        self.assertTrue(all(p.method_label for p in result.projections))

    def test_coverage_is_projected_against_the_roster(self):
        result = self.monitor(self.model_worker, datetime.date(2024, 12, 5))
        coverage = next(p for p in result.projections if p.method == ProjectionMethod.ROSTER)
        ctx = result.evaluation.context
        roster = ctx.eligible_population().count()
        expected = min(linear_projection(Decimal(ctx.beneficiaries_paid), result.elapsed), Decimal(roster))
        self.assertEqual(coverage.projected, (expected * 100 / roster).quantize(Decimal("0.01")))
        self.assertLessEqual(coverage.projected, Decimal(100))

    def test_the_year_end_monitoring_is_the_self_evaluation(self):
        for program in (self.hardship, self.model_worker):
            result = self.monitor(program, datetime.date(2024, 12, 31))
            whole = evaluate(user=self.auditor, program=program, fiscal_year=self.year)
            self.assertEqual(result.evaluation.total, whole.total)
            for projection in result.projections:
                if projection.projected is not None and projection.method != ProjectionMethod.ROSTER:
                    self.assertEqual(projection.projected, projection.so_far)

    def test_execution_behind_the_time_line_by_more_than_the_rule_says(self):
        keys = {w.key for w in self.monitor(self.hardship).warnings}
        self.assertIn("execution-behind-10:program", keys)
        WarningRule.objects.filter(code="execution-behind-10").update(lag_points=Decimal(40))  # 30.97 points behind
        self.assertNotIn("execution-behind-10:program", {w.key for w in self.monitor(self.hardship).warnings})

    def test_large_project_rule_applies_from_the_end_of_august(self):
        def fired(day):
            return "large-project-august-60:program" in {w.key for w in self.monitor(self.model_worker, day).warnings}

        self.assertFalse(fired(datetime.date(2024, 8, 30)))
        self.assertTrue(fired(datetime.date(2024, 8, 31)))  # 777 万元, nothing paid before November
        self.assertFalse(
            "large-project-august-60:program"
            in {w.key for w in self.monitor(self.hardship, datetime.date(2024, 9, 30)).warnings}
        )  # 123 万元: under 200 万元

    def test_organisations_behind_are_one_warning_naming_them(self):
        (warning,) = [w for w in self.monitor(self.hardship).warnings if w.rule.code == "organization-behind-20"]
        self.assertEqual(warning.key, "organization-behind-20:organizations")
        self.assertIn("喀什地区（17.94%）", warning.message)

    def test_indicator_rules_miss_and_overshoot(self):
        warnings = {w.key: w for w in self.monitor(self.hardship).warnings}
        self.assertIn("indicator-miss:帮扶困难职工户数", warnings)
        self.assertIn("预计年末 153", warnings["indicator-miss:帮扶困难职工户数"].message)
        # The overshoot rule ships switched off; on, a target set far too low is warned about.
        self.hardship.indicators.filter(fiscal_year=self.year, name="帮扶困难职工户数").update(target_value=50)
        self.assertNotIn("indicator-overshoot:帮扶困难职工户数", {w.key for w in self.monitor(self.hardship).warnings})
        WarningRule.objects.filter(code="indicator-overshoot").update(is_active=True)
        self.assertIn("indicator-overshoot:帮扶困难职工户数", {w.key for w in self.monitor(self.hardship).warnings})

    def test_a_rule_needs_the_thresholds_of_its_kind(self):
        rule = WarningRule(code="x", name="x", kind="large_project_low", min_rate=Decimal(60))
        with self.assertRaises(ValidationError) as caught:
            rule.full_clean()
        self.assertEqual(set(caught.exception.message_dict), {"min_budget", "applies_from_month", "applies_from_day"})
        rule = WarningRule(
            code="y",
            name="y",
            kind="execution_behind",
            lag_points=Decimal(10),
            applies_from_month=2,
            applies_from_day=30,
        )
        with self.assertRaises(ValidationError):
            rule.full_clean()
