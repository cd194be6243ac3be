"""The computed performance indicators — one small named function each, its formula in the docstring.

Every function takes an `IndicatorContext` (a program and fiscal year) and returns an `IndicatorValue` that keeps
its numerator and denominator, so the report, the dashboard and the evidence pages show the same figure and an
auditor can open the rows behind both. Everything is counted and summed in the database.

Percent indicators are expressed in percentage points (96.25 means 96.25 %), rounded half-up to two places.

A context may be evaluated "as of" a day (绩效运行监控): the same functions then see only what had happened by that day
— payments paid and funds received on or before it, the roster as it stood then, a satisfaction survey only once
held. Without a day (or with the year's last day) they see the whole year: one code path for monitoring and the
self-evaluation.
"""

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from beneficiaries import eligibility
from beneficiaries.models import Household, LivingSurvey, ModelWorker
from core.money import ZERO, quantize, ratio
from core.versions import cached_for_version, table_stamp
from evaluation.choices import ComputedKey, Unit
from evaluation.models import ProgramYearSettings, SatisfactionSurvey
from funds.choices import BeneficiaryKind, DisbursementStatus, OrganizationKind, PaymentMethod, StandardType
from funds.models import (
    AppropriationLine,
    Disbursement,
    FiscalYear,
    FundsReceipt,
    Organization,
    PaymentKind,
    PaymentStandard,
    Program,
)
from funds.selectors import ledger_version
from oversight.choices import Receipt
from oversight.models import Visit
from payouts.models import BankBatchLine, BankResultFile

HUNDRED = Decimal(100)
# Where a payment went to the bank in a batch (payouts), the bank's result file decides: the money arrived on the
# 入账日期 (the payment's own date where the bank gave none), and only a payment the bank confirmed reached the
# payee's own account. A payment never sent in a batch keeps what its upload says.
NOT_SENT = Q(bank_line__isnull=True)
BANK_CONFIRMED = Q(bank_line__outcome="succeeded")
# 发放方式合规: paid by real name to a personal account (bank agency or a transfer, with the account recorded), and
# confirmed by the bank where it went through a batch.
COMPLIANT_Q = (
    Q(payment_method__in=[PaymentMethod.BANK_AGENCY, PaymentMethod.PERSONAL_TRANSFER])
    & ~Q(account_masked="")
    & (NOT_SENT | BANK_CONFIRMED)
)


def arrived_by(deadline: datetime.date) -> Q:
    """The payments whose money reached the payee by `deadline`: by the bank's 入账日期 for a batch payment the bank
    confirmed, by the payment's date otherwise."""
    return (NOT_SENT & Q(paid_on__lte=deadline)) | (
        BANK_CONFIRMED
        & (Q(bank_line__settled_on__lte=deadline) | Q(bank_line__settled_on__isnull=True, paid_on__lte=deadline))
    )


@dataclass(frozen=True)
class IndicatorValue:
    key: str
    value: Decimal | None  # None: undefined (a zero denominator, or an input not yet entered)
    numerator: Decimal | int | None
    denominator: Decimal | int | None
    unit: str

    @property
    def defined(self) -> bool:
        return self.value is not None


def _percent(key: str, numerator, denominator) -> IndicatorValue:
    rate = ratio(numerator or 0, denominator or 0)
    value = None if rate is None else quantize(rate * HUNDRED)
    return IndicatorValue(key, value, numerator, denominator, Unit.PERCENT)


@dataclass
class IndicatorContext:
    program: Program
    fiscal_year: FiscalYear
    as_of: datetime.date | None = None  # None: the whole year

    @cached_property
    def cutoff(self) -> datetime.date:
        """The last day the figures count: the as-of day, at most the year's last day."""
        return min(self.as_of, self.fiscal_year.ends_on) if self.as_of else self.fiscal_year.ends_on

    @cached_property
    def is_partial(self) -> bool:
        return self.cutoff < self.fiscal_year.ends_on

    @cached_property
    def for_households(self) -> bool:
        return self.program.beneficiary_kind == BeneficiaryKind.HOUSEHOLD

    @cached_property
    def beneficiary_field(self) -> str:
        return "household" if self.for_households else "model_worker"

    @cached_property
    def payments(self) -> QuerySet[Disbursement]:
        """Posted (not reversed) payments of the program-year paid by the cutoff: the payment indicators' population.

        A payment reversed since counts as never made, also for an earlier day: a reversal corrects an error.
        """
        payments = Disbursement.objects.filter(
            program=self.program, fiscal_year=self.fiscal_year, status=DisbursementStatus.POSTED
        )
        return payments.filter(paid_on__lte=self.cutoff) if self.is_partial else payments

    @cached_property
    def data_version(self) -> str:
        """What the formulas over payments and rosters read, stamped: the ledger, the bank's lines and result files
        (a line's outcome only changes when a result file is applied), the rosters, the year's surveys and standards,
        the year's settings and the cutoff. Their results are cached under it (`_cached`), so a page computes a
        figure once per change of the data, and never serves one the data no longer gives."""
        settings = self.settings
        return repr(
            (
                ledger_version(),
                table_stamp(BankBatchLine.objects.all()),
                table_stamp(BankResultFile.objects.all()),
                table_stamp(Household.objects.all()),
                table_stamp(ModelWorker.objects.all()),
                table_stamp(LivingSurvey.objects.filter(fiscal_year=self.fiscal_year)),
                table_stamp(PaymentStandard.objects.filter(fiscal_year=self.fiscal_year)),
                (settings.payment_deadline, settings.eligibility_date) if settings else None,
                self.cutoff,
                # The names and orders the per-organisation and per-kind figures carry (a few dozen rows).
                list(Organization.objects.values_list("pk", "code", "short_name", "sort_order", "kind")),
                list(PaymentKind.objects.values_list("pk", "name", "sort_order", "frequency")),
            )
        )

    def _cached(self, name: str, compute: Callable[[], object]):
        key = ("indicators", self.program.pk, self.fiscal_year.pk, name)
        return cached_for_version(self.data_version, key, compute)

    @cached_property
    def settings(self) -> ProgramYearSettings | None:
        return ProgramYearSettings.objects.filter(program=self.program, fiscal_year=self.fiscal_year).first()

    @cached_property
    def annual_budget(self) -> Decimal:
        return (
            AppropriationLine.objects.filter(
                appropriation__program=self.program, appropriation__fiscal_year=self.fiscal_year
            ).aggregate(total=Sum("annual_budget"))["total"]
            or ZERO
        )

    @cached_property
    def payment_totals(self) -> dict[str, Decimal | int | None]:
        """One pass over the payments for what several indicators count or sum: rows, amount, distinct persons,
        compliant rows and on-time rows (at a million payments each separate scan costs a tenth of a second)."""
        aggregates = {
            "n": Count("pk"),
            "total": Sum("amount"),
            "beneficiaries": Count(self.beneficiary_field, distinct=True),
            "compliant": Count("pk", filter=COMPLIANT_Q),
        }
        if self.settings is not None:
            aggregates["on_time"] = Count("pk", filter=arrived_by(self.settings.payment_deadline))
        return self._cached("payment_totals", lambda: self.payments.aggregate(**aggregates))

    @cached_property
    def disbursed(self) -> Decimal:
        return self.payment_totals["total"] or ZERO

    @cached_property
    def payment_count(self) -> int:
        return self.payment_totals["n"]

    @cached_property
    def beneficiaries_paid(self) -> int:
        return self.payment_totals["beneficiaries"]

    @cached_property
    def persons_assisted(self) -> int:
        """Household members (each household counted once) for households; the persons paid for model workers."""
        if not self.for_households:
            return self.beneficiaries_paid
        # A semi-join on the paid households, not a DISTINCT over the join: one pass over the payments.
        households = Household.objects.filter(pk__in=self.payments.values("household"))
        return self._cached("persons_assisted", lambda: households.aggregate(n=Sum("member_count"))["n"] or 0)

    @cached_property
    def received(self) -> Decimal:
        receipts = FundsReceipt.objects.filter(
            appropriation__program=self.program, appropriation__fiscal_year=self.fiscal_year
        )
        if self.is_partial:
            receipts = receipts.filter(received_on__lte=self.cutoff)
        return receipts.aggregate(total=Sum("amount"))["total"] or ZERO

    @cached_property
    def paid_by_organization_and_source(self) -> list[dict]:
        """Totals per paying organisation and funding source, in organisation order (charts, consistency checks)."""
        return self._cached(
            "paid_by_organization_and_source",
            lambda: list(
                self.payments.values(
                    "paying_organization",
                    "paying_organization__code",
                    "paying_organization__short_name",
                    "paying_organization__kind",
                    "paying_organization__sort_order",
                    "funding_source",
                )
                .annotate(total=Sum("amount"))
                .order_by("paying_organization__sort_order", "paying_organization__code", "funding_source")
            ),
        )

    @cached_property
    def paid_by_kind(self) -> list[dict]:
        """Persons (households) paid and amount per payment kind, in the kinds' order (发放明细, the claims check)."""
        return self._cached(
            "paid_by_kind",
            lambda: list(
                self.payments.values("payment_kind__name", "payment_kind__sort_order")
                .annotate(n=Count(self.beneficiary_field, distinct=True), total=Sum("amount"))
                .order_by("payment_kind__sort_order")
            ),
        )

    @cached_property
    def prefectures_paying(self) -> int:
        """How many prefecture unions paid anything (实施单位数)."""
        return len(
            {
                row["paying_organization"]
                for row in self.paid_by_organization_and_source
                if row["paying_organization__kind"] == OrganizationKind.PREFECTURE
            }
        )

    def count_within_standard(self) -> int:
        return self._cached("count_within_standard", self._count_within_standard)

    def _count_within_standard(self) -> int:
        """How many payments the applicable standard admits — judged per (kind, organisation, amount) group.

        Same rule as `payments_within_standard` (the evidence rows), but decided once per distinct group instead of
        by two correlated subqueries per payment: a year has a few thousand such groups and up to millions of rows.
        """
        standards = list(
            PaymentStandard.objects.filter(fiscal_year=self.fiscal_year, payment_kind__program=self.program)
        )
        own: dict[tuple[int, int], list[PaymentStandard]] = {}
        regionwide: dict[int, list[PaymentStandard]] = {}
        for standard in standards:
            if standard.organization_id is None:
                regionwide.setdefault(standard.payment_kind_id, []).append(standard)
            else:
                own.setdefault((standard.payment_kind_id, standard.organization_id), []).append(standard)
        groups = (
            self.payments.values_list("payment_kind_id", "paying_organization_id", "amount")
            .annotate(n=Count("pk"))
            .order_by()
        )
        within = 0
        for kind, organization, amount, n in groups:
            applicable = own.get((kind, organization)) or regionwide.get(kind, [])
            if any(standard.admits(amount) for standard in applicable):
                within += n
        return within

    # The row sets behind numerators, reused by the evidence pages.
    def eligible_payments(self) -> QuerySet[Disbursement]:
        """Payments whose person was eligible on the paid date (beneficiaries.eligibility), model workers surveyed."""
        paid_on = F("paid_on")
        if self.for_households:
            return self.payments.filter(eligibility.household_in_archive_q(paid_on, "household__"))
        surveyed = LivingSurvey.objects.filter(
            model_worker=OuterRef("model_worker"), fiscal_year=self.fiscal_year, surveyed_on__lte=OuterRef("paid_on")
        )
        return self.payments.filter(eligibility.model_worker_eligible_q(paid_on, "model_worker__")).filter(
            Exists(surveyed)
        )

    def payments_within_standard(self) -> QuerySet[Disbursement]:
        def admits(standards):
            return standards.filter(
                Q(standard_type=StandardType.FIXED, fixed_amount=OuterRef("amount"))
                | Q(
                    standard_type=StandardType.RANGE,
                    min_amount__lte=OuterRef("amount"),
                    max_amount__gte=OuterRef("amount"),
                )
            )

        applicable = PaymentStandard.objects.filter(fiscal_year=self.fiscal_year, payment_kind=OuterRef("payment_kind"))
        own = applicable.filter(organization=OuterRef("paying_organization"))
        regionwide = applicable.filter(organization__isnull=True)
        # An organisation's own standard, where it has one, replaces the region-wide one.
        return self.payments.filter(Exists(admits(own)) | (~Exists(own) & Exists(admits(regionwide))))

    def compliant_payments(self) -> QuerySet[Disbursement]:
        return self.payments.filter(COMPLIANT_Q)

    def on_time_payments(self) -> QuerySet[Disbursement] | None:
        if self.settings is None:
            return None
        return self.payments.filter(arrived_by(self.settings.payment_deadline))

    @cached_property
    def reference_day(self) -> datetime.date | None:
        """The roster's day: the year's 覆盖率基准日, or the cutoff when that comes first (None: no day set)."""
        if self.settings is None:
            return None
        return min(self.settings.eligibility_date, self.cutoff)

    @cached_property
    def eligible_count(self) -> int | None:
        """How many are eligible on the reference day (None: no day set); the coverage denominator."""
        population = self.eligible_population()
        return None if population is None else self._cached("eligible_count", population.count)

    @cached_property
    def covered_count(self) -> int | None:
        """The coverage numerator's count (None: no reference day set)."""
        population = self.covered_population()
        return None if population is None else self._cached("covered_count", population.count)

    @cached_property
    def eligible_payment_count(self) -> int:
        """The targeting numerator's count."""
        return self._cached("eligible_payment_count", self.eligible_payments().count)

    def eligible_population(self) -> QuerySet | None:
        """符合条件对象: households in archive, model workers 在册健在未暂停, on the reference day (None: no day)."""
        if self.settings is None:
            return None
        day = self.reference_day
        if self.for_households:
            return Household.objects.eligible_on(day)
        return ModelWorker.objects.eligible_on(day)

    def covered_population(self) -> QuerySet | None:
        """The eligible persons (households) who were paid in the year: the coverage numerator."""
        population = self.eligible_population()
        if population is None:
            return None
        return population.filter(pk__in=self.payments.values(self.beneficiary_field))

    @cached_property
    def roster_on_reference_day(self) -> dict[str, int] | None:
        """Model workers on the reference day — 在册健在, of whom 暂停, 符合条件, 退休, 农牧民; 已故 in the year
        (None: no reference day set)."""
        if self.settings is None or self.for_households:
            return None
        return self._cached("roster_on_reference_day", self._roster_on_reference_day)

    def _roster_on_reference_day(self) -> dict[str, int]:
        day = self.reference_day
        living = ModelWorker.objects.living_on(day)
        return {
            "living": living.count(),
            "retired": living.filter(is_retired=True).count(),
            "farmer_herder": living.filter(is_farmer_herder=True).count(),
            "suspended": ModelWorker.objects.suspended_on(day).count(),
            "eligible": ModelWorker.objects.eligible_on(day).count(),
            "died_in_year": ModelWorker.objects.died_between(self.fiscal_year.starts_on, self.fiscal_year.ends_on)
            .filter(award_year__lte=self.fiscal_year.year)
            .count(),
        }


def funds_received_rate(ctx: IndicatorContext) -> IndicatorValue:
    """资金到位率 = 实际到位资金 ÷ 全年预算数 × 100%."""
    return _percent(ComputedKey.FUNDS_RECEIVED_RATE, ctx.received, ctx.annual_budget)


def budget_execution_rate(ctx: IndicatorContext) -> IndicatorValue:
    """预算执行率（资金使用率） = 全年执行数（已入账、未冲销的发放合计） ÷ 全年预算数 × 100%."""
    return _percent(ComputedKey.BUDGET_EXECUTION_RATE, ctx.disbursed, ctx.annual_budget)


def households_assisted(ctx: IndicatorContext) -> IndicatorValue:
    """帮扶户数 = 本年度获得帮扶资金的不同困难职工家庭数."""
    count = ctx.beneficiaries_paid if ctx.for_households else 0
    return IndicatorValue(ComputedKey.HOUSEHOLDS_ASSISTED, Decimal(count), count, None, Unit.HOUSEHOLDS)


def persons_assisted(ctx: IndicatorContext) -> IndicatorValue:
    """帮扶人数 = 获得帮扶的困难职工家庭的家庭人口之和（每户计一次）."""
    persons = ctx.persons_assisted
    return IndicatorValue(ComputedKey.PERSONS_ASSISTED, Decimal(persons), persons, None, Unit.PERSONS)


def persons_paid(ctx: IndicatorContext) -> IndicatorValue:
    """发放人数 = 本年度获得发放的不同对象数（劳模按人，帮扶按户）."""
    return IndicatorValue(
        ComputedKey.PERSONS_PAID, Decimal(ctx.beneficiaries_paid), ctx.beneficiaries_paid, None, Unit.PERSONS
    )


def coverage_rate(ctx: IndicatorContext) -> IndicatorValue:
    """覆盖率 = 基准日符合条件且本年度获得发放的对象数 ÷ 基准日符合条件的对象数 × 100%.

    符合条件：困难家庭基准日在档；劳模基准日在册、健在、未暂停（在册健在劳模覆盖率的分母）。基准日在年度评价参数中设置。
    A person paid but not eligible on the reference day is not covered (targeting accuracy judges that payment).
    """
    population = ctx.eligible_population()
    if population is None:
        return IndicatorValue(ComputedKey.COVERAGE_RATE, None, None, None, Unit.PERCENT)
    return _percent(ComputedKey.COVERAGE_RATE, ctx.covered_count, ctx.eligible_count)


def targeting_accuracy(ctx: IndicatorContext) -> IndicatorValue:
    """对象界定准确率 = 发放日符合条件的对象所得发放笔数 ÷ 全部发放笔数 × 100%.

    符合条件：困难家庭发放日在档（已建档、未脱困）；劳模发放日健在、已获评、未暂停，且已完成当年生活状况调查。
    """
    return _percent(ComputedKey.TARGETING_ACCURACY, ctx.eligible_payment_count, ctx.payment_count)


def standard_accuracy(ctx: IndicatorContext) -> IndicatorValue:
    """补助标准执行准确率 = 金额符合该发放类型补助标准的笔数 ÷ 全部发放笔数 × 100%（本单位标准优先于全区标准）."""
    return _percent(ComputedKey.STANDARD_ACCURACY, ctx.count_within_standard(), ctx.payment_count)


def payment_method_compliance(ctx: IndicatorContext) -> IndicatorValue:
    """发放方式合规率 = 实名发放到个人账户（银行代发或个人账户转账，且有收款账号；经银行代发的须经回盘确认成功）的笔数 ÷
    全部发放笔数 × 100%."""
    return _percent(ComputedKey.PAYMENT_METHOD_COMPLIANCE, ctx.payment_totals["compliant"], ctx.payment_count)


def on_time_rate(ctx: IndicatorContext) -> IndicatorValue:
    """按时发放率 = 在发放截止日期（含）前到账的笔数 ÷ 全部发放笔数 × 100%（截止日期在年度评价参数中设置；经银行代发的
    以回盘的入账日期为准，其余以发放日期为准）."""
    if ctx.settings is None:
        return IndicatorValue(ComputedKey.ON_TIME_RATE, None, None, ctx.payment_count, Unit.PERCENT)
    return _percent(ComputedKey.ON_TIME_RATE, ctx.payment_totals["on_time"], ctx.payment_count)


def average_per_household(ctx: IndicatorContext) -> IndicatorValue:
    """户均补助 = 全年执行数 ÷ 帮扶户数（元/户）."""
    households = ctx.beneficiaries_paid if ctx.for_households else 0
    value = quantize(ctx.disbursed / households) if households else None
    return IndicatorValue(ComputedKey.AVERAGE_PER_HOUSEHOLD, value, ctx.disbursed, households, Unit.YUAN_PER_HOUSEHOLD)


def average_per_person(ctx: IndicatorContext) -> IndicatorValue:
    """人均补助 = 全年执行数 ÷ 帮扶人数（困难家庭按家庭人口，劳模按人）（元/人）."""
    persons = ctx.persons_assisted
    value = quantize(ctx.disbursed / persons) if persons else None
    return IndicatorValue(ComputedKey.AVERAGE_PER_PERSON, value, ctx.disbursed, persons, Unit.YUAN_PER_PERSON)


def satisfaction_rate(ctx: IndicatorContext) -> IndicatorValue:
    """受益对象满意度 = 回访中表示满意的人数 ÷ 联系上的回访人数 × 100%（有回访记录时；未联系上的不计入）；
    尚无回访记录的，以财务人员录入的满意度调查结果计算（满意人数 ÷ 有效问卷数）."""
    visits = Visit.objects.filter(round__program=ctx.program, round__fiscal_year=ctx.fiscal_year).exclude(
        receipt__in=["", Receipt.UNREACHABLE]
    )
    if ctx.is_partial:
        visits = visits.filter(visited_on__lte=ctx.cutoff)
    counted = visits.aggregate(reached=Count("pk"), satisfied=Count("pk", filter=Q(satisfied=True)))
    if counted["reached"]:
        return _percent(ComputedKey.SATISFACTION_RATE, counted["satisfied"], counted["reached"])
    surveys = SatisfactionSurvey.objects.filter(program=ctx.program, fiscal_year=ctx.fiscal_year)
    survey = (surveys.filter(surveyed_on__lte=ctx.cutoff) if ctx.is_partial else surveys).first()
    if survey is None:
        return IndicatorValue(ComputedKey.SATISFACTION_RATE, None, None, None, Unit.PERCENT)
    return _percent(ComputedKey.SATISFACTION_RATE, survey.satisfied, survey.respondents)


FORMULAS: dict[str, Callable[[IndicatorContext], IndicatorValue]] = {
    ComputedKey.FUNDS_RECEIVED_RATE: funds_received_rate,
    ComputedKey.BUDGET_EXECUTION_RATE: budget_execution_rate,
    ComputedKey.HOUSEHOLDS_ASSISTED: households_assisted,
    ComputedKey.PERSONS_ASSISTED: persons_assisted,
    ComputedKey.PERSONS_PAID: persons_paid,
    ComputedKey.COVERAGE_RATE: coverage_rate,
    ComputedKey.TARGETING_ACCURACY: targeting_accuracy,
    ComputedKey.STANDARD_ACCURACY: standard_accuracy,
    ComputedKey.PAYMENT_METHOD_COMPLIANCE: payment_method_compliance,
    ComputedKey.ON_TIME_RATE: on_time_rate,
    ComputedKey.AVERAGE_PER_HOUSEHOLD: average_per_household,
    ComputedKey.AVERAGE_PER_PERSON: average_per_person,
    ComputedKey.SATISFACTION_RATE: satisfaction_rate,
}


class LazyValues(Mapping[str, IndicatorValue]):
    """Every formula's value for one context, each computed when first read: a page that shows three indicators
    does not pay for the other ten (at a million payments a formula is a scan of a tenth of a second or more)."""

    def __init__(self, context: IndicatorContext) -> None:
        self.context = context
        self._computed: dict[str, IndicatorValue] = {}

    def __getitem__(self, key: str) -> IndicatorValue:
        if key not in self._computed:
            self._computed[key] = FORMULAS[key](self.context)
        return self._computed[key]

    def __iter__(self) -> Iterator[str]:
        return iter(FORMULAS)

    def __len__(self) -> int:
        return len(FORMULAS)


def compute_all(
    program: Program, fiscal_year: FiscalYear, *, context: IndicatorContext | None = None
) -> dict[str, IndicatorValue]:
    """Every formula for the program-year. Pass `context` to share its cached totals with other callers."""
    ctx = context or IndicatorContext(program=program, fiscal_year=fiscal_year)
    return {key: formula(ctx) for key, formula in FORMULAS.items()}


# Indicators whose figure comes from rows of their own (payments, persons): these have a 明细 page. 资金到位率 comes
# from the budget and the receipts, 受益对象满意度 from the survey results entered by finance.
EVIDENCE_KEYS = frozenset(
    {
        ComputedKey.TARGETING_ACCURACY,
        ComputedKey.STANDARD_ACCURACY,
        ComputedKey.PAYMENT_METHOD_COMPLIANCE,
        ComputedKey.ON_TIME_RATE,
        ComputedKey.BUDGET_EXECUTION_RATE,
        ComputedKey.HOUSEHOLDS_ASSISTED,
        ComputedKey.PERSONS_ASSISTED,
        ComputedKey.PERSONS_PAID,
        ComputedKey.COVERAGE_RATE,
        ComputedKey.AVERAGE_PER_HOUSEHOLD,
        ComputedKey.AVERAGE_PER_PERSON,
    }
)


def evidence(ctx: IndicatorContext, key: str) -> tuple[QuerySet | None, QuerySet | None]:
    """The rows behind an indicator: (numerator rows, denominator rows); None where it is not row-based.

    Payments for every indicator but coverage, whose rows are persons (households or model workers).
    """
    payments = ctx.payments
    by_key = {
        ComputedKey.TARGETING_ACCURACY: lambda: (ctx.eligible_payments(), payments),
        ComputedKey.STANDARD_ACCURACY: lambda: (ctx.payments_within_standard(), payments),
        ComputedKey.PAYMENT_METHOD_COMPLIANCE: lambda: (ctx.compliant_payments(), payments),
        ComputedKey.ON_TIME_RATE: lambda: (ctx.on_time_payments(), payments),
        ComputedKey.BUDGET_EXECUTION_RATE: lambda: (payments, None),
        ComputedKey.HOUSEHOLDS_ASSISTED: lambda: (payments, None),
        ComputedKey.PERSONS_ASSISTED: lambda: (payments, None),
        ComputedKey.PERSONS_PAID: lambda: (payments, None),
        # Persons, not payments: who counts as covered, and the eligible population (its complement: not paid).
        ComputedKey.COVERAGE_RATE: lambda: (ctx.covered_population(), ctx.eligible_population()),
        ComputedKey.AVERAGE_PER_HOUSEHOLD: lambda: (payments, None),
        ComputedKey.AVERAGE_PER_PERSON: lambda: (payments, None),
    }
    return by_key[key]() if key in by_key else (None, None)
