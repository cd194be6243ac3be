import datetime
import tempfile
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from funds.choices import FundingSource, Role
from funds.services.budget import appropriation_save, funds_receipt_create
from funds.services.fiscal_years import fiscal_year_get_or_create
from tests.factories import UserFactory, organization, program


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
def default_language():
    """A request through LocaleMiddleware leaves its language active in the thread; start every test in zh-hans."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
