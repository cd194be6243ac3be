"""Reads: every function takes the user (or is an internal capacity check) and sums in the database."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum, TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beneficiaries.models import Household, LivingSurvey, ModelWorker
from core.money import ZERO
from core.versions import cached_for_version, table_stamp
from funds.choices import (
    PLAN_FUNDED_SOURCES,
    BeneficiaryKind,
    DisbursementStatus,
    FundingSource,
    ImportKind,
    ImportStatus,
    OrganizationKind,
    PlanStatus,
)
from funds.models import (
    AllocationLine,
    AllocationPlan,
    Appropriation,
    AppropriationLine,
    Disbursement,
    FiscalYear,
    FundsReceipt,
    ImportBatch,
    Organization,
    PaymentStandard,
    PaymentSummary,
    Program,
    User,
)
from funds.models.summary import SUMMARY_KEYS


@dataclass(frozen=True)
class AllocationCapacity:
    received: Decimal
    allocated_elsewhere: Decimal

    @property
    def available(self) -> Decimal:
        return self.received - self.allocated_elsewhere


def allocation_capacity(
    *, program: Program, fiscal_year: FiscalYear, excluding_plan: AllocationPlan | None = None
) -> AllocationCapacity:
    """Funds received for a program-year, less what other submitted or approved plans already allocate.

    Internal (used by the allocation services under a lock); not scoped, because the rule is global.
    """
    received = FundsReceipt.objects.filter(
        appropriation__program=program, appropriation__fiscal_year=fiscal_year
    ).aggregate(total=Sum("amount"))["total"]
    committed = AllocationLine.objects.filter(
        plan__program=program,
        plan__fiscal_year=fiscal_year,
        plan__status__in=[PlanStatus.SUBMITTED, PlanStatus.APPROVED],
    )
    if excluding_plan is not None and excluding_plan.pk:
        committed = committed.exclude(plan=excluding_plan)
    allocated = committed.aggregate(total=Sum("amount"))["total"]
    return AllocationCapacity(received=received or ZERO, allocated_elsewhere=allocated or ZERO)


@dataclass
class OrganizationFlow:
    organization: Organization
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO
    # What the sub-unit paid from plan-funded sources (当年财政拨款): only this draws on its allocation.
    disbursed_from_plans: Decimal = ZERO
    persons_paid: int = 0
    households_paid: int = 0
    model_workers_paid: int = 0

    @property
    def pays_directly(self) -> bool:
        """The federation pays some persons itself (e.g. from its department budget), outside any allocation."""
        return self.organization.kind == OrganizationKind.FEDERATION

    @property
    def disbursed_outside_plans(self) -> Decimal:
        return self.disbursed if self.pays_directly else self.disbursed - self.disbursed_from_plans

    @property
    def left_to_disburse(self) -> Decimal | None:
        return None if self.pays_directly else self.allocated - self.disbursed_from_plans


@dataclass
class ProgramFlow:
    """Budget → received → allocated → disbursed for one program-year, as far as the user may see."""

    program: Program
    budget_initial: Decimal | None = None
    budget_annual: Decimal | None = None
    received: Decimal | None = None
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO
    # Paid by sub-units from plan-funded sources (drawing on their allocations); the rest was paid outside the plans:
    # by the federation itself, or from 上年结转 / 部门预算等其他资金.
    disbursed_from_plans: Decimal = ZERO
    persons_paid: int = 0
    # Said as the documents say it: "447 户、1,614 人" for households (their members), "3,623 人" for model workers.
    households_paid: int = 0
    household_members_paid: int = 0
    model_workers_paid: int = 0
    disbursed_by_source: dict[str, Decimal] = field(default_factory=dict)
    organizations: list[OrganizationFlow] = field(default_factory=list)

    @property
    def left_to_receive(self) -> Decimal | None:
        if self.budget_annual is None or self.received is None:
            return None
        return self.budget_annual - self.received

    @property
    def disbursed_outside_plans(self) -> Decimal:
        return self.disbursed - self.disbursed_from_plans

    @property
    def left_to_allocate(self) -> Decimal | None:
        """Received but neither allocated to a sub-unit nor paid out without an allocation."""
        return None if self.received is None else self.received - self.allocated - self.disbursed_outside_plans

    @property
    def left_to_disburse(self) -> Decimal:
        """Allocated to sub-units but not yet paid out by them from the allocated money."""
        return self.allocated - self.disbursed_from_plans

    @property
    def sees_budget(self) -> bool:
        return self.budget_annual is not None

    def disbursed_by_source_rows(self) -> list[tuple[str, Decimal]]:
        return [(source.label, self.disbursed_by_source.get(source, ZERO)) for source in FundingSource]


def ledger_version() -> str:
    """Changes with every write to the ledger: a payment added raises the highest id (ids are never reused), a reversal
    the count of reversed payments (the summary's, kept by the database). Two index lookups."""
    # The last row's seal as well as its id: a database restored from a backup reuses ids, never content and seals.
    last = Disbursement.objects.order_by("-pk").values_list("pk", "seal", "created_at").first()
    reversed_count = (
        PaymentSummary.objects.filter(status=DisbursementStatus.REVERSED).aggregate(n=Sum("payments"))["n"] or 0
    )
    return f"{last}.{reversed_count}"


def ledger_cached(key: tuple, compute, *, user: User | None = None):
    """`compute()` once per ledger version (and per user scope): for what the summary cannot sum, such as
    distinct-person counts. Exact: any write to the ledger makes a new version, so a cached value is never stale."""
    scope = "all" if user is None or user.is_superuser else ",".join(map(str, sorted(user.scope_organization_ids())))
    return cached_for_version(ledger_version(), ("ledger", scope, *key), compute)


def payment_summary_differences() -> dict[tuple, tuple[tuple[int, Decimal], tuple[int, Decimal]]]:
    """Summary rows that disagree with a recount of the ledger: group key → ((payments, amount) stated, recounted)."""
    fields = [key.removesuffix("_id") for key in SUMMARY_KEYS]
    stated = {
        tuple(row[:-2]): (row[-2], row[-1])
        for row in PaymentSummary.objects.exclude(payments=0).values_list(*fields, "payments", "amount")
    }
    counted = {
        tuple(row[:-2]): (row[-2], row[-1])
        for row in Disbursement.objects.values(*fields)
        .annotate(n=Count("pk"), total=Sum("amount"))
        .values_list(*fields, "n", "total")
    }
    zero = (0, ZERO)
    return {
        key: (stated.get(key, zero), counted.get(key, zero))
        for key in stated.keys() | counted.keys()
        if stated.get(key, zero) != counted.get(key, zero)
    }


def _paid_counts(queryset) -> tuple[int, int, int]:
    """(households, their members, model workers) paid by these payments, each counted once."""
    counts = queryset.aggregate(
        households=Count("household", distinct=True), model_workers=Count("model_worker", distinct=True)
    )
    members = 0
    if counts["households"]:
        members = (
            Household.objects.filter(pk__in=queryset.values("household")).aggregate(total=Sum("member_count"))["total"]
            or 0
        )
    return counts["households"], members, counts["model_workers"]


@dataclass(frozen=True)
class YearWarning:
    program: Program
    message: str
    url_name: str


def year_warnings(*, user: User, fiscal_year: FiscalYear) -> list[YearWarning]:
    """What a program-year with a budget still lacks before the money can move: payment standards (every upload is
    refused without them) and an approved allocation plan. For those who may see budgets (finance, auditors)."""
    budgeted = Appropriation.objects.restrict(user).filter(fiscal_year=fiscal_year).values_list("program", flat=True)
    if not budgeted:
        return []
    warnings = []
    with_standards = set(
        PaymentStandard.objects.filter(fiscal_year=fiscal_year).values_list("payment_kind__program", flat=True)
    )
    with_plans = set(
        AllocationPlan.objects.filter(fiscal_year=fiscal_year, status=PlanStatus.APPROVED).values_list(
            "program", flat=True
        )
    )
    for program in Program.objects.restrict(user).filter(pk__in=list(budgeted)):
        if program.pk not in with_standards:
            warnings.append(
                YearWarning(
                    program,
                    _("{year}年{program}已有预算，但还没有补助标准：上传的发放明细都会被拒绝。").format(
                        year=fiscal_year.year, program=program.short_name
                    ),
                    "funds:standard_list",
                )
            )
        if program.pk not in with_plans:
            warnings.append(
                YearWarning(
                    program,
                    _("{year}年{program}还没有已审批的分配方案：各单位的当年财政拨款发放都会超出额度。").format(
                        year=fiscal_year.year, program=program.short_name
                    ),
                    "funds:plan_list",
                )
            )
    return warnings


def fund_flow(*, user: User, fiscal_year: FiscalYear) -> list[ProgramFlow]:
    """The home page: per program, each step of the money chain and what is left, and per organisation."""
    flows = []
    budget_lines = AppropriationLine.objects.restrict(user).filter(appropriation__fiscal_year=fiscal_year)
    receipts = FundsReceipt.objects.restrict(user).filter(appropriation__fiscal_year=fiscal_year)
    # Budgets belong to the federation; restrict() answers an empty query to a user without the permission.
    can_see_budget = not budget_lines.query.is_empty()
    approved_lines = AllocationLine.objects.restrict(user).filter(
        plan__fiscal_year=fiscal_year, plan__status=PlanStatus.APPROVED
    )
    posted = Disbursement.objects.restrict(user).filter(fiscal_year=fiscal_year, status=DisbursementStatus.POSTED)
    # Sums from the summary the database keeps (a few hundred rows, not a million payments); distinct persons counted
    # on the ledger once per ledger version.
    summary = PaymentSummary.objects.restrict(user).filter(
        fiscal_year=fiscal_year, status=DisbursementStatus.POSTED, payments__gt=0
    )
    organizations = {org.pk: org for org in Organization.objects.restrict(user)}
    from_plans = Q(funding_source__in=PLAN_FUNDED_SOURCES)

    for program in Program.objects.restrict(user):
        flow = ProgramFlow(program=program)
        if can_see_budget:
            budget = budget_lines.filter(appropriation__program=program).aggregate(
                initial=Sum("initial_budget"), annual=Sum("annual_budget")
            )
            flow.budget_initial = budget["initial"] or ZERO
            flow.budget_annual = budget["annual"] or ZERO
            flow.received = (
                receipts.filter(appropriation__program=program).aggregate(total=Sum("amount"))["total"] or ZERO
            )
        program_lines = approved_lines.filter(plan__program=program)
        program_posted = posted.filter(program=program)
        program_summary = summary.filter(program=program)
        flow.allocated = program_lines.aggregate(total=Sum("amount"))["total"] or ZERO
        flow.disbursed_by_source = dict(
            program_summary.values("funding_source")
            .annotate(total=Sum("amount"))
            .values_list("funding_source", "total")
        )
        flow.disbursed = sum(flow.disbursed_by_source.values(), ZERO)
        flow.disbursed_from_plans = (
            program_summary.exclude(paying_organization__kind=OrganizationKind.FEDERATION)
            .filter(from_plans)
            .aggregate(total=Sum("amount"))["total"]
            or ZERO
        )
        flow.households_paid, flow.household_members_paid, flow.model_workers_paid = ledger_cached(
            ("paid_counts", fiscal_year.pk, program.pk), lambda posted=program_posted: _paid_counts(posted), user=user
        )
        flow.persons_paid = flow.households_paid + flow.model_workers_paid

        by_org: dict[int, OrganizationFlow] = {}
        for org_id, total in (
            program_lines.values("organization").annotate(total=Sum("amount")).values_list("organization", "total")
        ):
            by_org.setdefault(org_id, OrganizationFlow(organizations[org_id])).allocated = total
        persons_by_org = ledger_cached(
            ("paid_counts_by_org", fiscal_year.pk, program.pk),
            lambda posted=program_posted: {
                row["paying_organization"]: (row["households"], row["model_workers"])
                for row in posted.values("paying_organization").annotate(
                    households=Count("household", distinct=True), model_workers=Count("model_worker", distinct=True)
                )
            },
            user=user,
        )
        for row in program_summary.values("paying_organization").annotate(
            total=Sum("amount"), from_plans=Sum("amount", filter=from_plans)
        ):
            org_flow = by_org.setdefault(
                row["paying_organization"], OrganizationFlow(organizations[row["paying_organization"]])
            )
            org_flow.disbursed = row["total"]
            org_flow.disbursed_from_plans = row["from_plans"] or ZERO
            households, model_workers = persons_by_org.get(row["paying_organization"], (0, 0))
            org_flow.persons_paid = households + model_workers
            org_flow.households_paid, org_flow.model_workers_paid = households, model_workers
        flow.organizations = sorted(
            by_org.values(),
            key=lambda f: (
                f.organization.kind != OrganizationKind.FEDERATION,
                f.organization.sort_order,
                f.organization.code,
            ),
        )
        flows.append(flow)
    return flows


def fiscal_years_for(*, user: User) -> list[FiscalYear]:
    return list(FiscalYear.objects.restrict(user).order_by("-year"))


def fiscal_year_chosen(years: list[FiscalYear], wanted: str | None) -> FiscalYear | None:
    """The year a page's `?year=` asks for among `years`, else the latest; None when there is no year yet."""
    return next((y for y in years if str(y.year) == wanted), years[0] if years else None)


class SubmissionState(TextChoices):
    NOT_SUBMITTED = "not_submitted", gettext_lazy("未报送")
    PARTIAL = "partial", gettext_lazy("部分")
    COMPLETE = "complete", gettext_lazy("已完成")
    OVER = "over", gettext_lazy("超额")


@dataclass
class BoardRow:
    """报送进度 of one organisation in one program-year."""

    organization: Organization
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO
    disbursed_from_plans: Decimal = ZERO
    payment_rows: int = 0
    persons_paid: int = 0
    roster: int = 0
    roster_updated_at: datetime.datetime | None = None
    surveys: int | None = None  # model-worker programs only
    refused_pending: int = 0
    by_source: dict[str, Decimal] = field(default_factory=dict)

    @property
    def state(self) -> SubmissionState:
        if not self.payment_rows:
            return SubmissionState.NOT_SUBMITTED
        if self.disbursed_from_plans > self.allocated:
            return SubmissionState.OVER
        if self.disbursed_from_plans == self.allocated:
            return SubmissionState.COMPLETE
        return SubmissionState.PARTIAL

    @property
    def share_of_allocation(self) -> Decimal | None:
        return None if not self.allocated else self.disbursed_from_plans / self.allocated


def submission_board(*, user: User, program: Program, fiscal_year: FiscalYear) -> list[BoardRow]:
    """One row per sub-unit the user may see: its allocation and payments as the home page counts them (fund_flow's
    figures, not a second computation), its roster and living surveys, and uploads refused and not yet redone."""
    flow = next((f for f in fund_flow(user=user, fiscal_year=fiscal_year) if f.program.pk == program.pk), None)
    from_flow = {row.organization.pk: row for row in (flow.organizations if flow else [])}
    organizations = Organization.objects.restrict(user).exclude(kind=OrganizationKind.FEDERATION)
    summary = PaymentSummary.objects.restrict(user).filter(
        program=program, fiscal_year=fiscal_year, status=DisbursementStatus.POSTED, payments__gt=0
    )
    payment_rows = dict(
        summary.values("paying_organization").annotate(n=Sum("payments")).values_list("paying_organization", "n")
    )
    by_source: dict[int, dict[str, Decimal]] = {}
    for org_id, source, total in (
        summary.values("paying_organization", "funding_source")
        .annotate(total=Sum("amount"))
        .values_list("paying_organization", "funding_source", "total")
    ):
        by_source.setdefault(org_id, {})[source] = total
    households = program.beneficiary_kind == BeneficiaryKind.HOUSEHOLD
    reference_day = min(timezone.localdate(), datetime.date(fiscal_year.year, 12, 31))
    roster_model = Household if households else ModelWorker
    surveys_of_year = LivingSurvey.objects.restrict(user).filter(fiscal_year=fiscal_year)

    def roster_figures() -> tuple[dict, dict, dict]:
        # Whom the union has to pay: households in archive, living registered model workers (suspended included).
        if households:
            roster = Household.objects.restrict(user).eligible_on(reference_day)
        else:
            roster = ModelWorker.objects.restrict(user).living_on(reference_day)
        counts = dict(roster.values("organization").annotate(n=Count("pk")).values_list("organization", "n"))
        updated = dict(
            roster_model.objects.restrict(user)
            .values("organization")
            .annotate(last=Max("updated_at"))
            .values_list("organization", "last")
        )
        surveys = {}
        if not households:
            surveys = dict(
                surveys_of_year.values("model_worker__organization")
                .annotate(n=Count("pk"))
                .values_list("model_worker__organization", "n")
            )
        return counts, updated, surveys

    # The roster's figures once per change of the roster or the surveys (and per day: eligibility is by the day).
    scope = ",".join(map(str, sorted(user.scope_organization_ids()))) if not user.is_superuser else "all"
    version = repr((table_stamp(roster_model.objects.all()), table_stamp(surveys_of_year), reference_day, scope))
    roster_counts, updated, surveys = cached_for_version(version, ("board_roster", program.pk), roster_figures)
    refused = _refused_pending(user=user, program=program, fiscal_year=fiscal_year)
    rows = []
    for org in organizations:
        figures = from_flow.get(org.pk)
        rows.append(
            BoardRow(
                organization=org,
                allocated=figures.allocated if figures else ZERO,
                disbursed=figures.disbursed if figures else ZERO,
                disbursed_from_plans=figures.disbursed_from_plans if figures else ZERO,
                persons_paid=figures.persons_paid if figures else 0,
                payment_rows=payment_rows.get(org.pk, 0),
                roster=roster_counts.get(org.pk, 0),
                roster_updated_at=updated.get(org.pk),
                surveys=None if households else surveys.get(org.pk, 0),
                refused_pending=refused.get(org.pk, 0),
                by_source=by_source.get(org.pk, {}),
            )
        )
    return rows


def _refused_pending(*, user: User, program: Program, fiscal_year: FiscalYear) -> dict[int, int]:
    """Refused (or failed) payment uploads of the program-year not followed by an imported one of the same union."""
    batches = ImportBatch.objects.restrict(user).filter(
        kind=ImportKind.DISBURSEMENTS, program=program, fiscal_year=fiscal_year
    )
    last_imported = dict(
        batches.filter(status=ImportStatus.IMPORTED)
        .values("organization")
        .annotate(last=Max("created_at"))
        .values_list("organization", "last")
    )
    pending: dict[int, int] = {}
    for org_id, created_at in batches.filter(status__in=[ImportStatus.REFUSED, ImportStatus.FAILED]).values_list(
        "organization", "created_at"
    ):
        if org_id not in last_imported or created_at > last_imported[org_id]:
            pending[org_id] = pending.get(org_id, 0) + 1
    return pending


def _sum_of(queryset, field_name: str) -> Subquery:
    # A per-row sum as a subquery (not a join): the list can then sum the sums for its 合计 row.
    return Subquery(queryset.values("appropriation").annotate(total=Sum(field_name)).values("total"))


def appropriations_with_totals(*, user: User):
    """Appropriations the user may see, each with its 年初/全年预算数 and what was received (实际到位)."""
    lines = AppropriationLine.objects.filter(appropriation=OuterRef("pk"))
    receipts = FundsReceipt.objects.restrict(user).filter(appropriation=OuterRef("pk"))
    return (
        Appropriation.objects.restrict(user)
        .select_related("program", "fiscal_year")
        .annotate(
            initial_budget=_sum_of(lines, "initial_budget"),
            annual_budget=_sum_of(lines, "annual_budget"),
            received=_sum_of(receipts, "amount"),
        )
    )


def recent_uploads(*, user: User, limit: int = 5) -> list[ImportBatch]:
    """An organisation's latest uploads and their states, for its operator's home page (the federation's staff follow
    everyone's on the submission board instead)."""
    organization = user.organization
    if organization is None or organization.parent_id is None or not user.has_perm("funds.add_importbatch"):
        return []
    return list(
        ImportBatch.objects.restrict(user)
        .filter(organization=organization)
        .select_related("program", "fiscal_year")
        .order_by("-created_at")[:limit]
    )
