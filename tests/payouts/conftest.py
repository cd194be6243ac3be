import datetime

import pytest

from funds.services.disbursements import disbursement_create
from payouts.models import BankFileTemplate
from tests.factories import LivingSurveyFactory, ModelWorkerFactory, disbursement_fields, organization, payment_kind

NAMES = ["张三明", "李四", "王五芳", "赵六", "阿依古丽·买买提"]


def card_number(body: str) -> str:
    """`body` with its Luhn check digit appended (a valid UnionPay card number for the tests)."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return body + str((10 - total % 10) % 10)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def bank_payments(users, payroll):
    """Five 2024 春节慰问金 payments of 1,000 元 by 喀什, each to its worker's own (valid) card."""
    kind = payment_kind("model_worker", "spring_festival")
    payments = []
    for i, name in enumerate(NAMES):
        account = card_number(f"62220200000000{i:04d}")
        worker = ModelWorkerFactory(name=name, organization=organization("653100"), bank_account=account)
        LivingSurveyFactory(model_worker=worker, fiscal_year=payroll.year, surveyed_on=datetime.date(2024, 10, 10))
        payments.append(
            disbursement_create(
                acting_user=users.kashgar,
                **disbursement_fields(worker, kind, payroll.year, bank_account=account),
            )
        )
    return payments


@pytest.fixture
def templates(db):
    return {template.code: template for template in BankFileTemplate.objects.all()}
