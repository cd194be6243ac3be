"""The ledger's rules hold in the database itself, whatever path writes (run on SQLite and PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction

from funds.choices import DisbursementStatus
from funds.models import Disbursement
from funds.services.disbursements import disbursement_build, disbursement_create, disbursement_reverse
from tests.factories import (
    FiscalYearFactory,
    HouseholdFactory,
    ModelWorkerFactory,
    disbursement_fields,
    payment_kind,
)


@pytest.fixture
def year(db):
    return FiscalYearFactory(year=2024)


@pytest.fixture
def spring_festival(db):
    return payment_kind("model_worker", "spring_festival")


@pytest.fixture
def medical_aid(db):
    return payment_kind("hardship", "medical_aid")


def unchecked(acting_user, **fields) -> Disbursement:
    """A payment that skipped the per-row uniqueness checks, as a bulk import or a shell session would."""
    return disbursement_build(acting_user=acting_user, for_bulk=True, **fields)


def raw_insert(disbursement: Disbursement) -> None:
    with transaction.atomic():
        disbursement.save()


def test_second_once_a_year_payment_is_refused_by_the_database(users, year, spring_festival):
    worker = ModelWorkerFactory()
    first = unchecked(users.finance, **disbursement_fields(worker, spring_festival, year))
    raw_insert(first)
    second = unchecked(
        users.finance, **disbursement_fields(worker, spring_festival, year, paid_on=datetime.date(2024, 12, 5))
    )
    with pytest.raises(IntegrityError):
        raw_insert(second)
    assert Disbursement.objects.filter(model_worker=worker).count() == 1


def test_once_a_year_payment_in_another_year_is_allowed(users, year, spring_festival):
    worker = ModelWorkerFactory()
    raw_insert(unchecked(users.finance, **disbursement_fields(worker, spring_festival, year)))
    next_year = FiscalYearFactory(year=2025)
    raw_insert(unchecked(users.finance, **disbursement_fields(worker, spring_festival, next_year)))
    assert Disbursement.objects.filter(model_worker=worker).count() == 2


def test_identical_recurring_payment_is_refused_but_a_different_date_is_not(users, year, medical_aid):
    household = HouseholdFactory()
    fields = disbursement_fields(household, medical_aid, year, amount=Decimal("800.00"))
    raw_insert(unchecked(users.finance, **fields))
    with pytest.raises(IntegrityError):
        raw_insert(unchecked(users.finance, **fields))
    later = {**fields, "paid_on": datetime.date(2024, 12, 1)}
    raw_insert(unchecked(users.finance, **later))
    assert Disbursement.objects.filter(household=household).count() == 2


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-50.00")])
def test_non_positive_amount_is_refused_by_the_database(users, year, spring_festival, amount):
    worker = ModelWorkerFactory()
    disbursement = unchecked(users.finance, **disbursement_fields(worker, spring_festival, year))
    disbursement.amount = amount
    with pytest.raises(IntegrityError):
        raw_insert(disbursement)


def test_payment_without_a_beneficiary_is_refused_by_the_database(users, year, spring_festival):
    worker = ModelWorkerFactory()
    disbursement = unchecked(users.finance, **disbursement_fields(worker, spring_festival, year))
    disbursement.model_worker = None
    with pytest.raises(IntegrityError):
        raw_insert(disbursement)


def test_service_reports_a_duplicate_in_chinese(users, year, spring_festival):
    worker = ModelWorkerFactory()
    disbursement_create(acting_user=users.finance, **disbursement_fields(worker, spring_festival, year))
    with pytest.raises(ValidationError) as excinfo:
        disbursement_create(acting_user=users.finance, **disbursement_fields(worker, spring_festival, year))
    assert "不能重复发放" in excinfo.value.messages[0]


def test_model_validation_refuses_a_model_worker_paid_from_the_hardship_program(users, year, medical_aid):
    worker = ModelWorkerFactory()
    with pytest.raises(ValidationError) as excinfo:
        disbursement_build(acting_user=users.finance, **disbursement_fields(worker, medical_aid, year))
    assert excinfo.value.message_dict["household"] == ["帮扶资金只能发放给已建档的困难职工家庭。"]


def test_model_validation_refuses_a_payment_kind_of_another_program(users, year, spring_festival, medical_aid):
    worker = ModelWorkerFactory()
    disbursement = disbursement_build(acting_user=users.finance, **disbursement_fields(worker, spring_festival, year))
    disbursement.payment_kind = medical_aid
    disbursement.once_per_year = medical_aid.once_per_year
    with pytest.raises(ValidationError) as excinfo:
        disbursement.full_clean()
    assert excinfo.value.message_dict["payment_kind"] == ["发放类型不属于该项目。"]


def test_once_per_year_copy_must_match_the_payment_kind(users, year, spring_festival):
    worker = ModelWorkerFactory()
    disbursement = disbursement_build(acting_user=users.finance, **disbursement_fields(worker, spring_festival, year))
    disbursement.once_per_year = False
    with pytest.raises(ValidationError) as excinfo:
        disbursement.full_clean()
    assert "once_per_year" in excinfo.value.message_dict


def test_model_validation_refuses_a_date_outside_the_fiscal_year(users, year, spring_festival):
    worker = ModelWorkerFactory()
    with pytest.raises(ValidationError) as excinfo:
        disbursement_build(
            acting_user=users.finance,
            **disbursement_fields(worker, spring_festival, year, paid_on=datetime.date(2025, 1, 3)),
        )
    assert "paid_on" in excinfo.value.error_dict


class TestPostedRowsAreImmutable:
    @pytest.fixture
    def posted(self, users, year, spring_festival):
        worker = ModelWorkerFactory()
        return disbursement_create(acting_user=users.finance, **disbursement_fields(worker, spring_festival, year))

    def test_orm_update_of_amount_is_refused(self, posted):
        with pytest.raises(DatabaseError), transaction.atomic():
            Disbursement.objects.filter(pk=posted.pk).update(amount=Decimal("2000.00"))
        assert Disbursement.objects.get(pk=posted.pk).amount == Decimal("1000.00")

    def test_raw_sql_update_is_refused(self, posted):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE funds_disbursement SET paid_on = %s WHERE id = %s", ["2024-01-02", posted.pk])

    def test_save_of_an_edited_instance_is_refused(self, posted):
        posted.note = "改一下"
        with pytest.raises(DatabaseError), transaction.atomic():
            posted.save()

    def test_delete_is_refused(self, posted):
        with pytest.raises(DatabaseError), transaction.atomic():
            Disbursement.objects.filter(pk=posted.pk).delete()
        assert Disbursement.objects.filter(pk=posted.pk).exists()

    def test_reversal_flips_only_the_status_and_frees_the_slot_for_a_correction(self, posted, users, spring_festival):
        reversal = disbursement_reverse(disbursement=posted, reason="金额录入错误", acting_user=users.finance)
        posted.refresh_from_db()
        assert posted.status == DisbursementStatus.REVERSED
        assert posted.amount == Decimal("1000.00")
        assert reversal.disbursement_id == posted.pk
        correction = disbursement_create(
            acting_user=users.finance, **disbursement_fields(posted.model_worker, spring_festival, posted.fiscal_year)
        )
        assert correction.status == DisbursementStatus.POSTED

    def test_a_reversed_row_cannot_be_reinstated(self, posted, users):
        disbursement_reverse(disbursement=posted, reason="重复发放", acting_user=users.finance)
        with pytest.raises(DatabaseError), transaction.atomic():
            Disbursement.objects.filter(pk=posted.pk).update(status=DisbursementStatus.POSTED)

    def test_reversing_twice_is_refused(self, posted, users):
        disbursement_reverse(disbursement=posted, reason="重复发放", acting_user=users.finance)
        with pytest.raises(ValidationError):
            disbursement_reverse(disbursement=posted, reason="再次", acting_user=users.finance)
