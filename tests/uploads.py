"""A real file uploaded and validated through the import services, as the upload page does."""

from funds.choices import ImportKind
from funds.models import ImportBatch
from imports.services import import_batch_create, import_batch_validate
from tests.factories import organization, program


def upload(
    data: bytes, user, payroll, *, name="发放明细.xlsx", org="653100", program_code="model_worker", **options
) -> ImportBatch:
    batch = import_batch_create(
        kind=ImportKind.DISBURSEMENTS,
        organization=organization(org),
        program=program(program_code),
        fiscal_year=payroll.year,
        file_name=name,
        data=data,
        acting_user=user,
        **options,
    )
    return import_batch_validate(batch=batch)
