import datetime
import tempfile
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.utils import translation

from core.db_guards import TRUNCATE_ALLOWED_SETTING
from funds.choices import FundingSource, Role, StandardType
from funds.models import PaymentStandard
from funds.services.allocation import (
    PlanLineInput,
    allocation_plan_approve,
    allocation_plan_save,
    allocation_plan_submit,
)
from funds.services.budget import appropriation_save, funds_receipt_create
from funds.services.fiscal_years import fiscal_year_get_or_create
from tests.factories import (
    HouseholdFactory,
    LivingSurveyFactory,
    ModelWorkerFactory,
    UserFactory,
    organization,
    payment_kind,
    program,
)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test databases hold the reference data, loaded the one way every database gets it (make run, make serve).

    Databases serialised for `serialized_rollback` are serialised again, so those tests get the reference data back.
    """
    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql":
                # Django flushes between transactional tests with TRUNCATE, which the guards refuse elsewhere.
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"ALTER DATABASE {connection.ops.quote_name(connection.settings_dict['NAME'])} "
                        f"SET {TRUNCATE_ALLOWED_SETTING} = 'on'"
                    )
                    cursor.execute(f"SET {TRUNCATE_ALLOWED_SETTING} = 'on'")
        call_command("setup_reference_data", verbosity=0)
        for connection in connections.all():
            if hasattr(connection, "_test_serialized_contents"):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def users(db) -> SimpleNamespace:
    """One user per role and place: two finance staff (maker and checker), operators of 喀什 and 和田, an auditor."""
    return SimpleNamespace(
        finance=UserFactory(username="finance-a", role=Role.FINANCE),
        finance2=UserFactory(username="finance-b", role=Role.FINANCE),
        kashgar=UserFactory(username="op-kashgar", organization=organization("653100"), role=Role.OPERATOR),
        hotan=UserFactory(username="op-hotan", organization=organization("653200"), role=Role.OPERATOR),
        auditor=UserFactory(username="auditor-a", role=Role.AUDITOR),
    )


@pytest.fixture
def funded_2024(users):
    """2024 hardship budget of 1,230,000 元, fully received (seed 000's figure)."""
    fiscal_year = fiscal_year_get_or_create(year=2024)
    appropriation = appropriation_save(
        program=program("hardship"),
        fiscal_year=fiscal_year,
        budgets={FundingSource.CURRENT_FISCAL: (Decimal("1230000"), Decimal("1230000"))},
        acting_user=users.finance,
    )
    funds_receipt_create(
        appropriation=appropriation,
        source=FundingSource.CURRENT_FISCAL,
        amount=Decimal("1230000"),
        received_on=datetime.date(2024, 3, 20),
        acting_user=users.finance,
    )
    return SimpleNamespace(fiscal_year=fiscal_year, appropriation=appropriation, program=program("hardship"))


def _fund(users, program_code: str, year, amount: Decimal, lines: dict[str, Decimal], other: Decimal = Decimal(0)):
    """A program-year funded by the fiscal `amount` (allocated by `lines`) and `other` from the department budget."""
    budgets = {FundingSource.CURRENT_FISCAL: (amount, amount)}
    if other:
        budgets[FundingSource.OTHER] = (other, other)
    appropriation = appropriation_save(
        program=program(program_code), fiscal_year=year, budgets=budgets, acting_user=users.finance
    )
    for source, (_initial, received) in budgets.items():
        funds_receipt_create(
            appropriation=appropriation,
            source=source,
            amount=received,
            received_on=datetime.date(year.year, 3, 1),
            acting_user=users.finance,
        )
    plan = allocation_plan_save(
        program=program(program_code),
        fiscal_year=year,
        title=f"{year.year} {program_code}",
        plan_date=datetime.date(year.year, 5, 1),
        lines=[PlanLineInput(organization=organization(code), amount=value) for code, value in lines.items()],
        acting_user=users.finance,
    )
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    allocation_plan_approve(plan=plan, acting_user=users.finance2)


@pytest.fixture
def payroll(users):
    """2024 model-worker money for 喀什 (100,000 元 allocated) and 和田 (+ 10,000 元 from the department budget),
    standards, and surveyed workers."""
    year = fiscal_year_get_or_create(year=2024)
    _fund(
        users,
        "model_worker",
        year,
        Decimal("200000"),
        {"653100": Decimal("100000"), "653200": Decimal("50000")},
        other=Decimal("10000"),
    )
    _fund(users, "hardship", year, Decimal("50000"), {"653100": Decimal("50000")})
    standards = [
        ("model_worker", "spring_festival", StandardType.FIXED, Decimal("1000"), None, None),
        ("model_worker", "living_hardship", StandardType.RANGE, None, Decimal("3000"), Decimal("12000")),
        ("hardship", "medical_aid", StandardType.RANGE, None, Decimal("500"), Decimal("10000")),
    ]
    for program_code, kind, standard_type, fixed, low, high in standards:
        PaymentStandard.objects.create(
            fiscal_year=year,
            payment_kind=payment_kind(program_code, kind),
            standard_type=standard_type,
            fixed_amount=fixed,
            min_amount=low,
            max_amount=high,
        )
    workers = [ModelWorkerFactory(name=f"劳模{i}", organization=organization("653100")) for i in range(5)]
    for worker in workers:
        LivingSurveyFactory(model_worker=worker, fiscal_year=year, surveyed_on=datetime.date(2024, 10, 10))
    household = HouseholdFactory(head_name="困难户甲", organization=organization("653100"))
    return SimpleNamespace(year=year, workers=workers, household=household, program=program("model_worker"))


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing_and_own_cache():
    """PBKDF2 at production strength costs ~0.3 s a user; tests that create users do not need it. Tests keep
    their cache in memory, apart from the file cache a development server on this machine shares, and their uploads and
    finalised reports in a temporary folder."""
    with (
        tempfile.TemporaryDirectory(prefix="unionfunds-media-") as media,
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            MEDIA_ROOT=media,
        ),
    ):
        yield


@pytest.fixture(autouse=True)
def audit_checkpoint_per_test(settings, tmp_path):
    """Each test's audit chain starts afresh: so does its checkpoint file (outside the database)."""
    settings.AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoint.json")


@pytest.fixture(autouse=True)
def default_language():
    """A request through LocaleMiddleware leaves its language active in the thread; start every test in zh-hans."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
