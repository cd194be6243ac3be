import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from beneficiaries.models import Household, ModelWorker, resident_id_digest
from tests.factories import HouseholdFactory, ModelWorkerFactory

ID_NUMBER = "650402195003150011"
BANK_ACCOUNT = "6228480099887766554"


def every_stored_value() -> str:
    """All text in every table of the database, as the database holds it."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


@pytest.mark.django_db
def test_resident_ids_and_bank_accounts_are_not_stored_in_clear():
    ModelWorkerFactory(id_number=ID_NUMBER, bank_account=BANK_ACCOUNT)
    HouseholdFactory(id_number="653101198001011230")
    stored = every_stored_value()
    for secret in (ID_NUMBER, BANK_ACCOUNT, "653101198001011230", "19500315", "99887766"):
        assert secret not in stored


@pytest.mark.django_db
def test_values_read_back_decrypted_and_found_by_digest():
    worker = ModelWorkerFactory(id_number=ID_NUMBER, bank_account=BANK_ACCOUNT)
    fetched = ModelWorker.objects.get(id_number_digest=resident_id_digest(ID_NUMBER))
    assert fetched.pk == worker.pk
    assert fetched.id_number == ID_NUMBER
    assert fetched.bank_account == BANK_ACCOUNT
    assert fetched.bank_account_masked.endswith("6554")


@pytest.mark.django_db
def test_ciphertext_moved_to_another_column_does_not_decrypt():
    worker = ModelWorkerFactory(id_number=ID_NUMBER, bank_account=BANK_ACCOUNT)
    table = ModelWorker._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET bank_account = id_number WHERE id = %s", [worker.pk])
    with pytest.raises(ValueError, match="failed authentication"):
        ModelWorker.objects.get(pk=worker.pk)


@pytest.mark.django_db
def test_same_person_twice_is_refused_by_the_digest_unique_constraint():
    HouseholdFactory(id_number="653101198001011230")
    duplicate = HouseholdFactory.build(id_number="653101198001011230")
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert "id_number_digest" in excinfo.value.error_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db
def test_clean_stores_lower_case_x_as_upper_case():
    household = HouseholdFactory.build(id_number="11010519491231002x")
    household.full_clean()
    household.save()
    assert Household.objects.get(pk=household.pk).id_number == "11010519491231002X"


@pytest.mark.django_db
def test_invalid_id_is_refused_by_model_validation():
    household = HouseholdFactory.build(id_number="653101198001011231")
    with pytest.raises(ValidationError) as excinfo:
        household.full_clean()
    assert "id_number" in excinfo.value.error_dict
