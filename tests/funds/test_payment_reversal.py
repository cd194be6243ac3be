"""A single wrong payment is corrected by a reversal (asked by one person, executed by finance staff other than the
asker) and a new row — never by editing or deleting it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from core.models import DecisionStatus
from funds.choices import DisbursementStatus
from funds.models import Disbursement, DisbursementReversal, PaymentReversalRequest
from funds.services.disbursements import disbursement_create, payment_reversal_decide, payment_reversal_request
from tests.factories import disbursement_fields, payment_kind


@pytest.fixture
def payment(users, payroll):
    return disbursement_create(
        acting_user=users.kashgar,
        **disbursement_fields(payroll.workers[0], payment_kind("model_worker", "spring_festival"), payroll.year),
    )


def test_the_operator_asks_and_another_finance_user_reverses_the_payment(client, users, payment):
    client.force_login(users.kashgar)
    page = client.get(reverse("funds:payment_detail", args=[payment.pk])).content.decode()
    assert "申请冲销" in page and payment.model_worker.name in page
    client.post(reverse("funds:payment_reversal_request", args=[payment.pk]), {"reason": "金额应为 800 元"})
    asked = PaymentReversalRequest.objects.get(disbursement=payment)
    assert asked.status == DecisionStatus.PENDING and asked.requested_by == users.kashgar
    assert Disbursement.objects.get(pk=payment.pk).status == DisbursementStatus.POSTED  # nothing happens alone
    # The operator cannot execute it; finance sees it on the home page and does.
    client.post(reverse("funds:payment_reversal_decide", args=[payment.pk, "confirm"]))
    assert Disbursement.objects.get(pk=payment.pk).status == DisbursementStatus.POSTED
    client.force_login(users.finance)
    assert f"发放记录 #{payment.pk}" in client.get(reverse("funds:home")).content.decode()
    client.post(reverse("funds:payment_reversal_decide", args=[payment.pk, "confirm"]))
    assert Disbursement.objects.get(pk=payment.pk).status == DisbursementStatus.REVERSED
    reversal = DisbursementReversal.objects.get(disbursement=payment)
    assert reversal.created_by == users.finance and "金额应为 800 元" in reversal.reason
    assert AuditEvent.objects.filter(action="reversal", object_id=str(payment.pk)).exists()
    page = client.get(reverse("funds:payment_detail", args=[payment.pk])).content.decode()
    assert "已冲销" in page and 'id="request-reversal"' not in page


def test_finance_cannot_execute_its_own_request_and_the_database_agrees(users, payment):
    asked = payment_reversal_request(disbursement=payment, reason="对象有误", acting_user=users.finance)
    with pytest.raises(PermissionDenied):
        payment_reversal_decide(request=asked, approve=True, acting_user=users.finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentReversalRequest.objects.filter(pk=asked.pk).update(
            status=DecisionStatus.APPROVED, decided_by=users.finance
        )
    payment_reversal_decide(request=asked, approve=False, acting_user=users.finance2)
    assert Disbursement.objects.get(pk=payment.pk).status == DisbursementStatus.POSTED


def test_one_pending_request_per_payment_a_reason_and_no_request_for_a_reversed_one(users, payment):
    with pytest.raises(ValidationError):
        payment_reversal_request(disbursement=payment, reason="  ", acting_user=users.kashgar)
    asked = payment_reversal_request(disbursement=payment, reason="重复", acting_user=users.kashgar)
    with pytest.raises(ValidationError):
        payment_reversal_request(disbursement=payment, reason="再次", acting_user=users.kashgar)
    payment_reversal_decide(request=asked, approve=True, acting_user=users.finance)
    with pytest.raises(ValidationError):
        payment_reversal_request(
            disbursement=Disbursement.objects.get(pk=payment.pk), reason="再次", acting_user=users.kashgar
        )


def test_another_unions_operator_and_the_auditor_cannot_touch_it(client, users, payment):
    client.force_login(users.hotan)
    assert client.get(reverse("funds:payment_detail", args=[payment.pk])).status_code == 404
    assert client.post(reverse("funds:payment_reversal_request", args=[payment.pk]), {"reason": "x"}).status_code == 404
    client.force_login(users.auditor)
    assert client.get(reverse("funds:payment_detail", args=[payment.pk])).status_code == 200
    assert client.post(reverse("funds:payment_reversal_request", args=[payment.pk]), {"reason": "x"}).status_code == 403
    assert not PaymentReversalRequest.objects.exists()


def test_the_payments_list_leads_to_the_payments_page(client, users, payment):
    client.force_login(users.kashgar)
    html = client.get(reverse("funds:payment_list")).content.decode()
    assert reverse("funds:payment_detail", args=[payment.pk]) in html


def test_after_the_reversal_the_correct_payment_is_a_new_row(users, payroll, payment):
    from decimal import Decimal

    asked = payment_reversal_request(disbursement=payment, reason="金额应为 800 元", acting_user=users.kashgar)
    payment_reversal_decide(request=asked, approve=True, acting_user=users.finance)
    corrected = disbursement_create(
        acting_user=users.kashgar,
        **disbursement_fields(
            payroll.workers[0], payment_kind("model_worker", "spring_festival"), payroll.year, amount=Decimal("800")
        ),
    )
    assert corrected.pk != payment.pk and Disbursement.objects.get(pk=payment.pk).amount == Decimal("1000.00")
