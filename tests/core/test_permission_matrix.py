"""Every route × every principal × GET and POST, generated from the URL resolver: a new view is covered the moment
it is routed (the first test fails until ROUTES says how to address it).

Principals: anonymous, the operator of the object's organisation, an operator of another organisation, the
auditor, finance staff, the department (业务部门人员), and each of the three administrators. What must hold everywhere:
- nobody ever gets a 500;
- anonymous users are sent to the sign-in page;
- an operator of another organisation gets 404 for the objects of 喀什 (and for every report and dashboard figure of
  the federation they may not see), never a page;
- the three administrators (三权分立) reach no page about money or personal data;
- the auditor reads but never writes: every POST is refused;
- the department reaches no payment or person, and writes only its targets and their indicators.
Each request runs in a savepoint that is rolled back, so a POST that succeeds changes nothing for the next one.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client, TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import RoleGrant
from beneficiaries.models import Household, ModelWorker
from demo.loader import load_demo
from evaluation.models import Indicator
from evaluation.targets import target_adjustment_request
from funds.choices import Role
from funds.models import (
    AllocationPlan,
    Appropriation,
    DepartmentBudgetLine,
    Disbursement,
    FiscalYear,
    ImportBatch,
    Organization,
    PaymentStandard,
    Program,
    User,
)
from oversight.models import DuplicateCase, Objection
from oversight.services import verification_round_create
from payouts.choices import FollowUp
from payouts.models import BankBatch, BankBatchLine, BankFileTemplate, BankResultFile
from reports.models import MonitoringReport, MonitoringSnapshot, ReportSnapshot

PUBLIC = {"login", "logout", "set_language"}


def routed_names() -> set[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue  # the Django admin has its own permission model (tests/funds/test_admin.py)
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return set(walk(get_resolver().url_patterns))


@dataclass(frozen=True)
class Route:
    kwargs: object = None  # a callable(world) -> kwargs, or None
    # The route shows the federation's own data (budget, reports, evaluation): no operator may see it at all.
    federation_only: bool = False
    # The object belongs to 喀什: its operator may see it, another organisation's operator gets 404.
    kashgar_object: bool = False
    # Money or personal data: no administrator of 三权分立 may reach it.
    money: bool = True
    # Reached by every signed-in user (their own account, the home page).
    everyone: bool = False
    # Accounts (用户管理): the security and the audit administrator only, nobody of money or data.
    accounts: bool = False
    # The department (业务部门人员) may write here: its 绩效目标表 and the indicators of a draft one.
    department_writes: bool = False
    # Finance's alone (制单, the bank file with clear accounts, templates): every operator is refused, own union's too.
    finance_only: bool = False
    # Read by the union's operator, written by finance only (放行, 回盘, 补发, 追回).
    finance_writes: bool = False


def year(world) -> dict:
    return {"year": 2024}


ROUTES: dict[str, Route] = {
    "oversight:objection_list": Route(),
    "oversight:objection_create": Route(),  # without ?household= etc. a 404 for everyone
    "oversight:objection_detail": Route(lambda w: {"pk": w["objection"]}, kashgar_object=True),
    "oversight:objection_resolve": Route(lambda w: {"pk": w["objection"]}, kashgar_object=True),
    "oversight:round_list": Route(),
    "oversight:round_create": Route(),
    "oversight:round_detail": Route(lambda w: {"pk": w["round"]}, kashgar_object=True),
    "oversight:visit_detail": Route(lambda w: {"pk": w["visit"]}, kashgar_object=True),
    "oversight:duplicate_list": Route(finance_only=True),
    "oversight:duplicate_scan": Route(finance_only=True),
    "oversight:duplicate_detail": Route(lambda w: {"pk": w["duplicate"]}, finance_only=True),
    "oversight:publicity_list": Route(),
    "reports:publicity_create": Route(),
    "payouts:batch_list": Route(),
    "payouts:batch_create": Route(finance_only=True),
    "payouts:returned_list": Route(),
    "payouts:template_list": Route(money=False),
    "payouts:template_create": Route(money=False, finance_only=True),
    "payouts:template_edit": Route(lambda w: {"pk": w["bank_template"]}, money=False, finance_only=True),
    "payouts:batch_detail": Route(lambda w: {"pk": w["bank_batch"]}, kashgar_object=True),
    "payouts:batch_release": Route(lambda w: {"pk": w["bank_batch"]}, kashgar_object=True, finance_writes=True),
    "payouts:batch_cancel": Route(lambda w: {"pk": w["bank_batch"]}, kashgar_object=True, finance_writes=True),
    "payouts:batch_file": Route(lambda w: {"pk": w["bank_batch"]}, kashgar_object=True, finance_only=True),
    "payouts:line_remove": Route(
        lambda w: {"pk": w["bank_batch"], "line": w["bank_line"]}, kashgar_object=True, finance_writes=True
    ),
    "payouts:line_reissue": Route(lambda w: {"pk": w["bank_line"]}, kashgar_object=True, finance_writes=True),
    "payouts:line_recover": Route(lambda w: {"pk": w["bank_line"]}, kashgar_object=True, finance_writes=True),
    "imports:bank_result_upload": Route(lambda w: {"batch": w["bank_batch"]}, kashgar_object=True, finance_writes=True),
    "imports:bank_result_detail": Route(lambda w: {"pk": w["bank_result"]}, kashgar_object=True),
    "imports:bank_result_confirm": Route(lambda w: {"pk": w["bank_result"]}, kashgar_object=True, finance_writes=True),
    "imports:bank_result_discard": Route(lambda w: {"pk": w["bank_result"]}, kashgar_object=True, finance_writes=True),
    "accounts:password_change": Route(money=False, everyone=True),
    "accounts:two_factor": Route(money=False, everyone=True),
    "users:user_list": Route(money=False, accounts=True),
    "users:user_create": Route(money=False, accounts=True),
    "users:user_detail": Route(lambda w: {"pk": w["user"]}, money=False, accounts=True),
    "users:user_action": Route(lambda w: {"pk": w["user"], "action": "unlock"}, money=False, accounts=True),
    "users:decision_decide": Route(
        lambda w: {"kind": "role", "pk": w["role_grant"], "verdict": "reject"}, money=False, accounts=True
    ),
    "audit:event_list": Route(money=False),
    "audit:verify": Route(money=False),
    "beneficiaries:household_list": Route(),
    "beneficiaries:model_worker_list": Route(),
    "people:household_create": Route(),
    "people:household_detail": Route(lambda w: {"pk": w["household"]}, kashgar_object=True),
    "people:household_edit": Route(lambda w: {"pk": w["household"]}, kashgar_object=True),
    "people:household_action": Route(lambda w: {"pk": w["household"], "action": "lift_out"}, kashgar_object=True),
    "people:model_worker_create": Route(),
    "people:model_worker_detail": Route(lambda w: {"pk": w["model_worker"]}, kashgar_object=True),
    "people:model_worker_edit": Route(lambda w: {"pk": w["model_worker"]}, kashgar_object=True),
    "people:model_worker_action": Route(lambda w: {"pk": w["model_worker"], "action": "suspend"}, kashgar_object=True),
    "beneficiaries:living_survey_list": Route(),
    "beneficiaries:unmask": Route(lambda w: {"kind": "household", "pk": w["household"]}, kashgar_object=True),
    "evaluation:dashboard": Route(),
    "evaluation:indicators_edit": Route(
        lambda w: {"program": "hardship", "year": 2024}, federation_only=True, department_writes=True
    ),
    "evaluation:year_inputs": Route(lambda w: {"program": "hardship", "year": 2024}, federation_only=True),
    "evaluation:evidence": Route(
        lambda w: {"program": "hardship", "year": 2024, "key": "coverage"}, federation_only=True
    ),
    "imports:import_list": Route(),
    "imports:import_upload": Route(),
    "imports:import_template": Route(lambda w: {"kind": "disbursements"}, money=False),  # an empty template
    "imports:import_detail": Route(lambda w: {"pk": w["batch"]}, kashgar_object=True),
    "imports:import_progress": Route(lambda w: {"pk": w["batch"]}, kashgar_object=True),
    "imports:import_confirm": Route(lambda w: {"pk": w["batch"]}, kashgar_object=True),
    "imports:import_discard": Route(lambda w: {"pk": w["batch"]}, kashgar_object=True),
    "imports:import_reverse": Route(lambda w: {"pk": w["batch"]}, kashgar_object=True),
    "imports:import_error_report": Route(lambda w: {"pk": w["batch"]}, kashgar_object=True),
    "reports:report_list": Route(federation_only=True),
    "reports:monitoring_list": Route(federation_only=True),
    "reports:result_application": Route(lambda w: {"scope": "model_worker", "year": 2024}, federation_only=True),
    "reports:target_table_file": Route(
        lambda w: {"program": "hardship", "year": 2024, "part": "xlsx"}, federation_only=True
    ),
    "evaluation:target_table": Route(
        lambda w: {"program": "hardship", "year": 2024}, federation_only=True, department_writes=True
    ),
    "evaluation:target_adjustment_new": Route(
        lambda w: {"program": "hardship", "year": 2024}, federation_only=True, department_writes=True
    ),
    "evaluation:target_adjustment_verdict": Route(
        lambda w: {"pk": w["target_adjustment"], "verdict": "reject"}, federation_only=True
    ),
    "reports:monitoring_detail": Route(lambda w: {"pk": w["monitoring"]}, federation_only=True),
    "reports:monitoring_explain": Route(lambda w: {"pk": w["monitoring"]}, federation_only=True),
    "reports:monitoring_finalise": Route(lambda w: {"pk": w["monitoring"]}, federation_only=True),
    "reports:monitoring_draft": Route(lambda w: {"pk": w["monitoring"], "part": "xlsx"}, federation_only=True),
    "reports:monitoring_snapshot_download": Route(
        lambda w: {"pk": w["monitoring_snapshot"], "part": "pdf"}, federation_only=True
    ),
    "reports:snapshot_download": Route(lambda w: {"pk": w["snapshot"], "part": "pdf"}, federation_only=True),
    "reports:report_detail": Route(lambda w: {"scope": "model_worker", "year": 2024}, federation_only=True),
    "reports:report_edit": Route(lambda w: {"scope": "model_worker", "year": 2024}, federation_only=True),
    "reports:report_explain": Route(lambda w: {"scope": "model_worker", "year": 2024}, federation_only=True),
    "reports:report_finalise": Route(lambda w: {"scope": "model_worker", "year": 2024}, federation_only=True),
    "reports:report_pdf": Route(lambda w: {"scope": "model_worker", "year": 2024}, federation_only=True),
    "reports:self_evaluation_xlsx": Route(lambda w: {"scope": "model_worker", "year": 2024}, federation_only=True),
    "reports:self_evaluation_pdf": Route(lambda w: {"scope": "model_worker", "year": 2024}, federation_only=True),
    "funds:home": Route(everyone=True),
    "funds:appropriation_list": Route(federation_only=True),
    "funds:receipt_list": Route(federation_only=True),
    "funds:appropriation_create": Route(federation_only=True),
    "funds:appropriation_detail": Route(lambda w: {"pk": w["appropriation"]}, federation_only=True),
    "funds:appropriation_edit": Route(lambda w: {"pk": w["appropriation"]}, federation_only=True),
    "funds:department_line_create": Route(federation_only=True),
    "funds:department_line_edit": Route(lambda w: {"pk": w["department_line"]}, federation_only=True),
    "funds:plan_list": Route(),
    "funds:plan_create": Route(federation_only=True),
    # A plan is seen by every union it allocates to (each sees its own line: tests/funds/test_views.py).
    "funds:plan_detail": Route(lambda w: {"pk": w["plan"]}),
    "funds:plan_edit": Route(lambda w: {"pk": w["plan"]}, federation_only=True),
    "funds:plan_submit": Route(lambda w: {"pk": w["plan"]}, federation_only=True),
    "funds:plan_approve": Route(lambda w: {"pk": w["plan"]}, federation_only=True),
    "funds:plan_return": Route(lambda w: {"pk": w["plan"]}, federation_only=True),
    "funds:standard_list": Route(),
    "funds:payment_list": Route(),
    "funds:payment_detail": Route(lambda w: {"pk": w["payment"]}, kashgar_object=True),
    "funds:payment_reversal_request": Route(lambda w: {"pk": w["payment"]}, kashgar_object=True),
    "funds:payment_reversal_decide": Route(lambda w: {"pk": w["payment"], "verdict": "reject"}, kashgar_object=True),
    "funds:submission_board": Route(),
    "funds:standard_create": Route(federation_only=True),
    "funds:standard_copy": Route(federation_only=True),
    "funds:standard_edit": Route(lambda w: {"pk": w["standard"]}, federation_only=True),
}

ADMINISTRATORS = ("sysadmin", "security", "auditadmin")
DEPARTMENT_REFUSED_APPS = ("funds:", "beneficiaries:", "imports:", "audit:", "users:", "payouts:", "oversight:")
REFUSED = {403, 404, 405}


@override_settings(TWO_FACTOR_REQUIRED=False)
class PermissionMatrixTest(TestCase):
    world: ClassVar[dict]

    @classmethod
    def setUpTestData(cls):
        load_demo()
        hotan = User.objects.create(
            username="hotan-operator", organization=Organization.objects.get(code="653200"), must_change_password=False
        )
        hotan.groups.add(Group.objects.get(name=Role.OPERATOR))
        kashgar = Organization.objects.get(code="653100")
        grant = RoleGrant.objects.create(
            user=hotan, role=Role.OPERATOR, requested_by=User.objects.get(username="security"), reason="matrix"
        )
        adjustment = target_adjustment_request(
            indicator=Indicator.objects.get(program__code="hardship", fiscal_year__year=2024, name="帮扶困难职工户数"),
            new_target_value=Decimal(440),
            new_target_text="",
            reason="matrix",
            acting_user=User.objects.get(username="department"),
        )
        # A 回访 round of 喀什's (the demo's is 乌鲁木齐's), for the operator's own-organisation rows.
        round_ = verification_round_create(
            organization=kashgar,
            program=Program.objects.get(code="model_worker"),
            fiscal_year=FiscalYear.objects.get(year=2024),
            name="matrix",
            method="phone",
            size=3,
            acting_user=User.objects.get(username="finance"),
        )
        cls.world = {
            "target_adjustment": adjustment.pk,
            "user": User.objects.get(username="kashgar").pk,
            "payment": Disbursement.objects.filter(paying_organization=kashgar).values_list("pk", flat=True).first(),
            "role_grant": grant.pk,
            "household": Household.objects.filter(organization=kashgar).values_list("pk", flat=True).first(),
            "model_worker": ModelWorker.objects.filter(organization=kashgar).values_list("pk", flat=True).first(),
            "batch": ImportBatch.objects.filter(organization=kashgar).values_list("pk", flat=True).first(),
            "snapshot": ReportSnapshot.objects.values_list("pk", flat=True).first(),
            "monitoring": MonitoringReport.objects.values_list("pk", flat=True).first(),
            "monitoring_snapshot": MonitoringSnapshot.objects.values_list("pk", flat=True).first(),
            "appropriation": Appropriation.objects.values_list("pk", flat=True).first(),
            "department_line": DepartmentBudgetLine.objects.values_list("pk", flat=True).first(),
            "plan": AllocationPlan.objects.filter(lines__organization=kashgar).values_list("pk", flat=True).first(),
            "standard": PaymentStandard.objects.values_list("pk", flat=True).first(),
            "bank_batch": BankBatch.objects.filter(organization=kashgar).values_list("pk", flat=True).first(),
            "bank_line": BankBatchLine.objects.filter(follow_up=FollowUp.OPEN).values_list("pk", flat=True).first(),
            "bank_result": BankResultFile.objects.values_list("pk", flat=True).first(),
            "bank_template": BankFileTemplate.objects.values_list("pk", flat=True).first(),
            "objection": Objection.objects.filter(organization=kashgar).values_list("pk", flat=True).first(),
            "round": round_.pk,
            "visit": round_.visits.values_list("pk", flat=True).first(),
            "duplicate": DuplicateCase.objects.values_list("pk", flat=True).first(),
        }

    def url(self, name: str) -> str:
        route = ROUTES[name]
        return reverse(name, kwargs=route.kwargs(self.world) if route.kwargs else None)

    def request(self, username: str | None, method: str, url: str) -> int:
        client = Client(raise_request_exception=False)
        if username:
            client.force_login(User.objects.get(username=username))
        with transaction.atomic():
            response = getattr(client, method)(url)
            transaction.set_rollback(True)
        return response

    @staticmethod
    def must_be_refused(route: Route, principal: str, method: str, name: str = "") -> bool:
        if route.accounts:
            return principal not in ("security", "auditadmin")
        if principal == "department":
            # Targets and indicators only: never the ledger, a roster, an upload, the log or an account, and no
            # other write.
            if route.everyone:
                return False
            data = route.money and name.startswith(DEPARTMENT_REFUSED_APPS)  # an empty upload template is no data
            return data or (method == "post" and not route.department_writes)
        finance_alone = route.finance_only or (method == "post" and route.finance_writes)
        if principal == "kashgar":
            return finance_alone
        if principal == "hotan-operator":
            return route.kashgar_object or route.federation_only or finance_alone
        if principal in ADMINISTRATORS:
            return route.money and not route.everyone
        if principal == "auditor":
            return method == "post" and not route.everyone
        return False

    def test_every_routed_view_is_in_the_matrix(self):
        missing = routed_names() - set(ROUTES) - PUBLIC
        self.assertEqual(missing, set(), "add these routes to ROUTES with how to address them")
        self.assertEqual(set(ROUTES) - routed_names(), set(), "ROUTES names routes that no longer exist")
        for key, value in self.world.items():
            self.assertIsNotNone(value, f"the demo data has no {key} to address")

    def test_the_matrix(self):
        principals = [None, "kashgar", "hotan-operator", "auditor", "finance", "department", *ADMINISTRATORS]
        matrix: dict[tuple[str, str, str], int] = {}
        for name, route in ROUTES.items():
            url = self.url(name)
            for principal in principals:
                for method in ("get", "post"):
                    response = self.request(principal, method, url)
                    status = response.status_code
                    matrix[(name, principal or "anonymous", method)] = status
                    with self.subTest(route=name, principal=principal or "anonymous", method=method):
                        self.assertNotEqual(status, 500)
                        if principal is None:
                            self.assertIn(status, {302, 405})
                            if status == 302:
                                self.assertTrue(response["Location"].startswith(reverse("login")))
                        elif self.must_be_refused(route, principal, method, name):
                            self.assertIn(status, REFUSED)
        # The matrix as measured (printed with -s), for the closing note: routes × principals × methods.
        print(f"\npermission matrix: {len(ROUTES)} routes × {len(principals)} principals × 2 methods = {len(matrix)}")
