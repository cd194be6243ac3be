"""The heavy indicator figures are cached by a stamp of their data: any write they read makes them recompute."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from beneficiaries.choices import ModelWorkerStatus
from beneficiaries.models import LivingSurvey
from evaluation.indicators import IndicatorContext, payment_method_compliance, standard_accuracy, targeting_accuracy
from funds.models import Disbursement, PaymentStandard
from funds.services.disbursements import disbursement_reverse
from imports.services import import_batch_confirm
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
from tests.uploads import upload


def _figures(payroll):
    ctx = IndicatorContext(program=payroll.program, fiscal_year=payroll.year)
    return (
        targeting_accuracy(ctx).numerator,
        standard_accuracy(ctx).numerator,
        payment_method_compliance(ctx).denominator,
    )


def test_each_change_the_figures_read_is_seen_at_once_and_an_unchanged_year_is_served_from_the_cache(users, payroll):
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)]
    import_batch_confirm(
        batch=upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll), acting_user=users.kashgar
    )
    assert _figures(payroll) == (5, 5, 5)
    with CaptureQueriesContext(connection) as queries:
        assert _figures(payroll) == (5, 5, 5)
    assert not any("COUNT(" in q["sql"] and "funds_disbursement" in q["sql"] for q in queries.captured_queries)

    survey = LivingSurvey.objects.get(model_worker=payroll.workers[0])
    survey.surveyed_on = datetime.date(2024, 12, 1)  # after the payment: no longer eligible when paid
    survey.save()
    assert _figures(payroll) == (4, 5, 5)

    worker = payroll.workers[1]
    worker.status, worker.died_on = ModelWorkerStatus.DECEASED, datetime.date(2024, 11, 1)
    worker.save()
    assert _figures(payroll) == (3, 5, 5)

    standard = PaymentStandard.objects.get(payment_kind__code="spring_festival", fiscal_year=payroll.year)
    standard.fixed_amount = Decimal("800")
    standard.save()
    assert _figures(payroll) == (3, 0, 5)

    disbursement_reverse(
        disbursement=Disbursement.objects.filter(model_worker=payroll.workers[4]).get(),
        reason="录入错误",
        acting_user=users.finance,
    )
    assert _figures(payroll) == (2, 0, 4)
