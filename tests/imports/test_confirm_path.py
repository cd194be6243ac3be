"""Confirm's fast path: rows written without model instances, sealed exactly as the model seals one, and the row
checks skipped only while nothing they depend on has changed since the preview."""

import dataclasses
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audit.chain import seal
from audit.verify import verify_disbursements
from beneficiaries.choices import ModelWorkerStatus
from beneficiaries.models import LivingSurvey
from funds.choices import DisbursementStatus, FundingSource, ImportKind, ImportStatus, PaymentMethod
from funds.models import Disbursement, PaymentStandard
from funds.services.disbursements import (
    PostedPayment,
    disbursement_build,
    disbursement_create,
    disbursement_reverse,
    disbursements_post_bulk,
)
from imports import services as import_services
from imports.services import import_batch_confirm
from tests.factories import ModelWorkerFactory, organization, payment_kind
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
from tests.uploads import upload


def _upload(users, payroll):
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)]
    rows[1] = spring_row(payroll.workers[1], 2, **{"发放方式": "现金", "银行账号": "", "备注": "本人领取\n已签字"})
    rows[2] = spring_row(payroll.workers[2], 3, **{"资金来源": "其他资金"})
    return upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll)


@pytest.fixture
def checks(monkeypatch):
    """Counts the row checks run (the preview's and any confirm's)."""
    calls = []
    spec = import_services.KINDS[ImportKind.DISBURSEMENTS]

    def counted(*args, **kwargs):
        calls.append(1)
        return spec.check(*args, **kwargs)

    monkeypatch.setitem(import_services.KINDS, ImportKind.DISBURSEMENTS, dataclasses.replace(spec, check=counted))
    return calls


def test_bulk_written_payments_carry_the_seal_the_model_computes(users, payroll):
    batch = import_batch_confirm(batch=_upload(users, payroll), acting_user=users.kashgar)
    assert batch.status == ImportStatus.IMPORTED
    written = list(Disbursement.objects.filter(batch=batch).order_by("pk"))
    assert len(written) == 5
    for payment in written:
        assert payment.seal == seal(payment.seal_content())
        # …and the same as the one constructor every single write uses would give for the same values.
        built = disbursement_build(
            model_worker_id=payment.model_worker_id,
            payment_kind=payment.payment_kind,
            fiscal_year=payment.fiscal_year,
            amount=payment.amount,
            paid_on=payment.paid_on,
            payment_method=payment.payment_method,
            paying_organization=payment.paying_organization,
            funding_source=payment.funding_source,
            account_masked=payment.account_masked,
            bank_account=payment.bank_account,
            batch=batch,
            note=payment.note,
            acting_user=users.kashgar,
            for_bulk=True,
        )
        assert built.seal == payment.seal
    cash = written[1]
    assert (cash.payment_method, cash.bank_account, cash.note) == (PaymentMethod.CASH, "", "本人领取\n已签字")
    assert written[0].bank_account == "6228480012345678901" and written[0].account_masked.endswith("8901")
    assert written[2].funding_source == FundingSource.OTHER
    assert all(p.status == DisbursementStatus.POSTED and p.once_per_year for p in written)
    assert {p.amount for p in written} == {Decimal("1000.00")}
    assert verify_disbursements().ok


def test_confirm_writes_the_checked_rows_without_checking_them_again_when_nothing_changed(users, payroll, checks):
    batch = _upload(users, payroll)
    assert batch.status == ImportStatus.PREVIEWED and len(checks) == 1
    preview = dict(batch.summary), list(batch.warnings)
    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert batch.status == ImportStatus.IMPORTED and len(checks) == 1
    assert Disbursement.objects.filter(batch=batch).count() == 5
    assert (batch.summary, batch.warnings) == preview  # what the preview showed stays the batch's record


def _worker_died(users, payroll):
    worker = payroll.workers[3]
    worker.status, worker.died_on = ModelWorkerStatus.DECEASED, datetime.date(2024, 11, 1)
    worker.save()


def _survey_later(users, payroll):
    survey = LivingSurvey.objects.get(model_worker=payroll.workers[0])
    survey.surveyed_on = datetime.date(2024, 12, 1)
    survey.save()


def _standard_changed(users, payroll):
    standard = PaymentStandard.objects.get(payment_kind__code="spring_festival", fiscal_year=payroll.year)
    standard.fixed_amount = Decimal("800")
    standard.save()


def _paid_elsewhere_meanwhile(users, payroll):
    disbursement_create(
        model_worker_id=payroll.workers[4].pk,
        payment_kind=payment_kind("model_worker", "spring_festival"),
        fiscal_year=payroll.year,
        amount=Decimal("1000"),
        paid_on=datetime.date(2024, 11, 20),
        payment_method=PaymentMethod.CASH,
        paying_organization=organization("653100"),
        acting_user=users.kashgar,
    )


@pytest.mark.parametrize(
    "change, column",
    [
        (_worker_died, "身份证号"),
        (_survey_later, "发放日期"),
        (_standard_changed, "金额（元）"),
        (_paid_elsewhere_meanwhile, "发放类型"),
    ],
)
def test_a_change_to_what_the_checks_read_makes_confirm_check_every_row_again(users, payroll, checks, change, column):
    batch = _upload(users, payroll)
    change(users, payroll)
    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert len(checks) == 2
    assert batch.status == ImportStatus.REFUSED
    assert column in {error["column"] for error in batch.errors}
    assert not Disbursement.objects.filter(batch=batch).exists()


def test_a_reversal_meanwhile_re_runs_the_checks_which_still_pass(users, payroll, checks):
    other = ModelWorkerFactory(name="劳模甲", organization=organization("653100"))
    payment = disbursement_create(
        model_worker_id=other.pk,
        payment_kind=payment_kind("model_worker", "living_hardship"),
        fiscal_year=payroll.year,
        amount=Decimal("3000"),
        paid_on=datetime.date(2024, 6, 1),
        payment_method=PaymentMethod.CASH,
        paying_organization=organization("653100"),
        acting_user=users.kashgar,
    )
    batch = _upload(users, payroll)
    disbursement_reverse(disbursement=payment, reason="录入错误", acting_user=users.finance)
    batch = import_batch_confirm(batch=batch, acting_user=users.kashgar)
    assert (batch.status, len(checks)) == (ImportStatus.IMPORTED, 2)


@pytest.mark.parametrize(
    "bad",
    [
        {"amount": Decimal("1000.005")},
        {"amount": Decimal("0")},
        {"paid_on": datetime.date(2025, 1, 2)},
        {"payment_method": "cheque"},
        {"note": "长" * 201},
    ],
)
def test_the_bulk_writer_refuses_a_row_that_did_not_pass_the_checks(users, payroll, bad):
    batch = import_batch_confirm(batch=_upload(users, payroll), acting_user=users.kashgar)
    good = PostedPayment(
        payment_kind("model_worker", "living_hardship"),
        payroll.workers[0].pk,
        Decimal("3000.00"),
        datetime.date(2024, 6, 1),
        PaymentMethod.CASH,
        FundingSource.CURRENT_FISCAL,
        "",
        "",
        "",
    )
    before = Disbursement.objects.count()
    with pytest.raises(ValidationError):
        disbursements_post_bulk(batch=batch, payments=[good, dataclasses.replace(good, **bad)], for_households=False)
    assert Disbursement.objects.count() == before


@pytest.mark.parametrize("whole_roster_from", [0, 10_000])
def test_a_large_file_reads_the_whole_roster_and_a_small_one_the_named_people_with_the_same_verdicts(
    users, payroll, monkeypatch, whole_roster_from
):
    from imports import disbursements

    monkeypatch.setattr(disbursements, "WHOLE_ROSTER_FROM", whole_roster_from)
    _worker_died(users, payroll)
    ModelWorkerFactory(name="名册外", organization=organization("653200"))  # another union's: never named here
    batch = _upload(users, payroll)
    assert batch.status == ImportStatus.REFUSED
    assert [(error["row"], error["column"]) for error in batch.errors] == [(5, "身份证号")]
    paid = disbursements.Disbursement.objects.count()
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers[:3], start=1)]
    batch = import_batch_confirm(
        batch=upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll, name="前三人.xlsx"),
        acting_user=users.kashgar,
    )
    assert batch.status == ImportStatus.IMPORTED
    assert disbursements.Disbursement.objects.count() == paid + 3
