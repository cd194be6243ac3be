"""The rosters as lists: an operator sees their own union's households and model workers, finds a person by name,
archive number or whole ID number, exports masked, and follows a person to their payments."""

import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries.choices import ModelWorkerStatus, SuspensionReason
from tests.factories import HouseholdFactory, ModelWorkerFactory, organization

HOUSEHOLDS = reverse("beneficiaries:household_list")
WORKERS = reverse("beneficiaries:model_worker_list")


def test_an_operator_sees_and_finds_their_own_households(client, users):
    mine = HouseholdFactory(head_name="买买提", archive_no="KS-001", organization=organization("653100"))
    HouseholdFactory(head_name="阿依古丽", archive_no="HT-001", organization=organization("653200"))
    client.force_login(users.kashgar)
    page = client.get(HOUSEHOLDS).content.decode()
    assert "买买提" in page and "阿依古丽" not in page and "共 1 条" in page
    assert mine.id_number not in page
    assert "共 1 条" in client.get(HOUSEHOLDS, {"q": "KS-001"}).content.decode()
    found = client.get(HOUSEHOLDS, {"q": mine.id_number})
    assert found.status_code == 302 and mine.id_number not in found["Location"]
    assert "买买提" in client.get(found["Location"]).content.decode()
    # Another union's person is not found by their ID number either.
    other = HouseholdFactory(organization=organization("653200"))
    hidden = client.get(client.get(HOUSEHOLDS, {"q": other.id_number})["Location"]).content.decode()
    assert "共 0 条" in hidden
    link = f'href="{reverse("funds:payment_list")}?household={mine.pk}"'
    assert link in page


def test_model_workers_filter_by_status_and_export_masked(client, users):
    ModelWorkerFactory(name="在册甲", organization=organization("653100"))
    suspended = ModelWorkerFactory(
        name="暂停乙",
        organization=organization("653100"),
        status=ModelWorkerStatus.SUSPENDED,
        suspension_reason=SuspensionReason.UNDER_INVESTIGATION,
        suspended_on=datetime.date(2024, 3, 1),
    )
    client.force_login(users.finance)
    page = client.get(WORKERS, {"status": ModelWorkerStatus.SUSPENDED}).content.decode()
    assert "暂停乙" in page and "在册甲" not in page
    export = client.get(WORKERS, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert "个人信息" in sheet["A1"].value
    text = str([[c.value for c in row] for row in sheet.iter_rows()])
    assert suspended.id_number not in text and "暂停" in text
    client.force_login(users.auditor)
    assert client.get(WORKERS).status_code == 200
