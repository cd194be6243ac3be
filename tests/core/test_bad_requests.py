"""Parameters no form could send are a 400 with a message, never a 500; a batch without its file is refused."""

from django.urls import reverse
from django.utils import timezone

from funds.choices import ImportKind, ImportStatus
from funds.models import ImportBatch
from tests.factories import organization


def test_a_nul_in_a_query_parameter_or_a_form_is_a_400(client, users):
    client.force_login(users.finance)
    response = client.get(reverse("funds:home"), {"year": "2024\x00"})
    assert response.status_code == 400 and "空字符" in response.content.decode()
    assert client.post(reverse("imports:import_upload"), {"kind": "x\x00"}).status_code == 400


def test_an_overflowing_date_part_is_a_400_not_a_500(client, users, admin_user):
    admin_user.must_change_password = False
    admin_user.save()
    client.force_login(admin_user)
    response = client.get("/admin/funds/disbursement/", {"paid_on__year": "99999999999999999999"})
    assert response.status_code == 400 and "paid_on__year" in response.content.decode()
    assert client.get("/admin/funds/disbursement/", {"paid_on__year": "2024"}).status_code == 200


def test_confirming_a_batch_that_has_no_file_is_refused_with_a_message(client, users, payroll):
    batch = ImportBatch.objects.create(
        kind=ImportKind.DISBURSEMENTS,
        organization=organization("653100"),
        program=payroll.program,
        fiscal_year=payroll.year,
        file_name="丢失.xlsx",
        status=ImportStatus.PREVIEWED,
        created_by=users.kashgar,
        created_at=timezone.now(),
    )
    client.force_login(users.kashgar)
    response = client.post(reverse("imports:import_confirm", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.REFUSED
    assert "没有可读取的原始文件" in batch.errors[0]["message"]
