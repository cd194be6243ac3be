"""The payment summary the database keeps beside the ledger: exact after any mix of writes, and checked by verify."""

import datetime
import random
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from audit.verify import verify_disbursements
from funds.choices import DisbursementStatus, FundingSource, PaymentMethod
from funds.models import Disbursement, PaymentSummary
from funds.selectors import ledger_version, payment_summary_differences
from funds.services.disbursements import disbursement_create, disbursement_reverse
from imports.services import import_batch_confirm, import_batch_request_reversal, import_batch_reverse
from tests.factories import LivingSurveyFactory, ModelWorkerFactory, organization, payment_kind
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
from tests.uploads import upload


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_after_random_imports_payments_and_reversals_the_summary_equals_a_recount(users, payroll, seed):
    rng = random.Random(seed)
    kashgar = organization("653100")
    workers = payroll.workers + [ModelWorkerFactory(name=f"劳模丙{i}", organization=kashgar) for i in range(15)]
    for worker in workers[5:]:
        LivingSurveyFactory(model_worker=worker, fiscal_year=payroll.year, surveyed_on=datetime.date(2024, 10, 10))
    rng.shuffle(workers)
    batches = []
    for number, chunk in enumerate((workers[:8], workers[8:14])):
        rows = [
            spring_row(w, i, **({"资金来源": "其他资金"} if rng.random() < 0.3 else {}))
            for i, w in enumerate(chunk, start=1)
        ]
        batch = upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll, name=f"第{number}批.xlsx")
        batches.append(import_batch_confirm(batch=batch, acting_user=users.kashgar))
    singles = [
        disbursement_create(
            model_worker_id=worker.pk,
            payment_kind=payment_kind("model_worker", "living_hardship"),
            fiscal_year=payroll.year,
            amount=Decimal(rng.randrange(300000, 1200000)) / 100,
            paid_on=datetime.date(2024, rng.randint(1, 12), rng.randint(1, 28)),
            payment_method=rng.choice([PaymentMethod.CASH, PaymentMethod.BANK_AGENCY]),
            paying_organization=kashgar,
            bank_account="6228480012345678901",
            acting_user=users.kashgar,
        )
        for worker in workers[14:]
    ]
    for payment in rng.sample(singles, 2):
        disbursement_reverse(disbursement=payment, reason="录入错误", acting_user=users.finance)
    reversed_batch = rng.choice(batches)
    import_batch_request_reversal(batch=reversed_batch, reason="重复上传", acting_user=users.finance)
    import_batch_reverse(batch=reversed_batch, acting_user=users.finance2)

    assert payment_summary_differences() == {}
    posted = Disbursement.objects.filter(status=DisbursementStatus.POSTED)
    summary = PaymentSummary.objects.filter(status=DisbursementStatus.POSTED)
    assert summary.aggregate(n=Sum("payments"))["n"] == posted.count() > 0
    assert summary.aggregate(total=Sum("amount"))["total"] == posted.aggregate(total=Sum("amount"))["total"]
    other = summary.filter(funding_source=FundingSource.OTHER).aggregate(total=Sum("amount"))["total"] or 0
    assert other == (posted.filter(funding_source=FundingSource.OTHER).aggregate(total=Sum("amount"))["total"] or 0)
    assert verify_disbursements().ok


def test_a_write_rolled_back_leaves_the_summary_as_it_was(users, payroll):
    before = list(PaymentSummary.objects.values_list("payments", "amount"))
    with pytest.raises(RuntimeError), transaction.atomic():
        disbursement_create(
            model_worker_id=payroll.workers[0].pk,
            payment_kind=payment_kind("model_worker", "living_hardship"),
            fiscal_year=payroll.year,
            amount=Decimal("3000"),
            paid_on=datetime.date(2024, 6, 1),
            payment_method=PaymentMethod.CASH,
            paying_organization=organization("653100"),
            acting_user=users.kashgar,
        )
        assert PaymentSummary.objects.aggregate(n=Sum("payments"))["n"] == 1
        raise RuntimeError("the request failed after the write")
    assert list(PaymentSummary.objects.values_list("payments", "amount")) == before


def test_every_write_changes_the_ledger_version(users, payroll):
    versions = [ledger_version()]
    payment = disbursement_create(
        model_worker_id=payroll.workers[0].pk,
        payment_kind=payment_kind("model_worker", "living_hardship"),
        fiscal_year=payroll.year,
        amount=Decimal("3000"),
        paid_on=datetime.date(2024, 6, 1),
        payment_method=PaymentMethod.CASH,
        paying_organization=organization("653100"),
        acting_user=users.kashgar,
    )
    versions.append(ledger_version())
    disbursement_reverse(disbursement=payment, reason="录入错误", acting_user=users.finance)
    versions.append(ledger_version())
    assert len(set(versions)) == 3


def test_verify_finds_a_summary_edited_behind_the_applications_back(users, payroll):
    disbursement_create(
        model_worker_id=payroll.workers[0].pk,
        payment_kind=payment_kind("model_worker", "living_hardship"),
        fiscal_year=payroll.year,
        amount=Decimal("3000"),
        paid_on=datetime.date(2024, 6, 1),
        payment_method=PaymentMethod.CASH,
        paying_organization=organization("653100"),
        acting_user=users.kashgar,
    )
    assert verify_disbursements().ok
    PaymentSummary.objects.filter(payments=1).update(amount=Decimal("30000"))
    result = verify_disbursements()
    assert not result.ok and "发放汇总" in result.first_problem
