"""The bank pages as finance and operators use them: 制单 in the browser, the pre-check on the batch page, release by
a second person, the file, the result upload with its preview, 补发 and 追回, and a template entered in the app."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from funds.models import Disbursement
from payouts.choices import BankBatchStatus, FollowUp, LineOutcome, ResultFileStatus
from payouts.models import BankBatch, BankFileTemplate, BankResultFile
from tests.factories import organization, program
from tests.payouts.conftest import card_number
from tests.payouts.test_bank_results import HEADERS, result_rows
from tests.spreadsheets import xlsx


@pytest.fixture
def batch(client, users, payroll, bank_payments, templates):
    client.force_login(users.finance)
    page = client.get(reverse("payouts:batch_create"))
    assert page.status_code == 200 and "代发制单" in page.content.decode()
    response = client.post(
        reverse("payouts:batch_create"),
        {
            "organization": organization("653100").pk,
            "program": program("model_worker").pk,
            "fiscal_year": payroll.year.pk,
            "template": templates["generic-batch"].pk,
            "payer_name": "喀什地区总工会",
            "payer_account": "3006000000001234567",
            "payer_bank": "工行喀什分行",
        },
    )
    created = BankBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("payouts:batch_detail", args=[created.pk])
    return created


def test_the_maker_sees_the_clean_pre_check_and_waits_the_checker_releases_and_downloads(client, users, batch):
    page = client.get(reverse("payouts:batch_detail", args=[batch.pk])).content.decode()
    assert 'id="precheck-clean"' in page and 'id="awaiting-release"' in page and 'id="release"' not in page
    assert "张三明" in page and "5 笔 · 5,000.00 元" in page
    client.force_login(users.finance2)
    page = client.get(reverse("payouts:batch_detail", args=[batch.pk])).content.decode()
    assert 'id="release"' in page
    client.post(reverse("payouts:batch_release", args=[batch.pk]), {"sha256": batch.content_sha256})
    batch.refresh_from_db()
    assert batch.status == BankBatchStatus.RELEASED
    response = client.get(reverse("payouts:batch_file", args=[batch.pk]))
    assert "no-store" in response["Cache-Control"]
    assert "%E4%BB%A3%E5%8F%91%E6%96%87%E4%BB%B6-DF2024-653100-001.xlsx" in response["Content-Disposition"]
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[1][2] == Disbursement.objects.get(pk=batch.lines.get(sequence=1).disbursement_id).bank_account


def test_the_operator_reads_its_batch_but_never_gets_the_file_or_a_button(client, users, batch):
    client.force_login(users.finance2)
    client.post(reverse("payouts:batch_release", args=[batch.pk]), {"sha256": batch.content_sha256})
    client.force_login(users.kashgar)
    page = client.get(reverse("payouts:batch_detail", args=[batch.pk])).content.decode()
    assert "DF2024-653100-001" in page and 'id="download-file"' not in page and 'id="upload-result"' not in page
    assert client.get(reverse("payouts:batch_file", args=[batch.pk])).status_code == 403
    client.force_login(users.hotan)
    assert client.get(reverse("payouts:batch_detail", args=[batch.pk])).status_code == 404


def test_result_upload_preview_confirm_then_reissue_and_recover(client, users, batch, templates):
    client.force_login(users.finance2)
    client.post(reverse("payouts:batch_release", args=[batch.pk]), {"sha256": batch.content_sha256})
    client.force_login(users.finance)
    # A wrong file first: every error by row and column, nothing written.
    rows = result_rows(batch, {2: "户名不符", 4: "账户冻结"})
    wrong = [list(row) for row in rows]
    wrong[0][3] = "100.00"
    response = client.post(
        reverse("imports:bank_result_upload", args=[batch.pk]),
        {"template": templates["generic-result"].pk, "file": SimpleUploadedFile("回盘.xlsx", xlsx(HEADERS, wrong))},
    )
    refused = BankResultFile.objects.get()
    assert response["Location"] == reverse("imports:bank_result_detail", args=[refused.pk])
    page = client.get(response["Location"]).content.decode()
    assert "1 处错误：整个文件未入账" in page and "与本批次第 1 笔代发的 1,000.00 元不符" in page
    assert 'id="confirm-result"' not in page
    # The right file: the preview lists the returns; confirming settles the batch.
    response = client.post(
        reverse("imports:bank_result_upload", args=[batch.pk]),
        {"template": templates["generic-result"].pk, "file": SimpleUploadedFile("回盘.xlsx", xlsx(HEADERS, rows))},
    )
    result = BankResultFile.objects.exclude(pk=refused.pk).get()
    page = client.get(response["Location"]).content.decode()
    assert "3 笔 · 3,000.00 元" in page and "户名不符" in page and 'id="confirm-result"' in page
    client.post(reverse("imports:bank_result_confirm", args=[result.pk]))
    result.refresh_from_db()
    assert result.status == ResultFileStatus.APPLIED
    assert "2 笔银行退票待补发或追回" in client.get(reverse("funds:home")).content.decode()
    page = client.get(reverse("payouts:batch_detail", args=[batch.pk])).content.decode()
    assert 'id="reissue-2"' in page and 'id="recover-4"' in page and "相符" in page
    returned = batch.lines.get(sequence=2)
    client.post(
        reverse("payouts:line_reissue", args=[returned.pk]),
        {"bank_account": card_number("622848001234567890"), "paid_on": "2024-12-09", "note": ""},
    )
    returned.refresh_from_db()
    assert returned.follow_up == FollowUp.REISSUED and returned.reissue.paid_on == datetime.date(2024, 12, 9)
    frozen = batch.lines.get(sequence=4)
    response = client.post(reverse("payouts:line_recover", args=[frozen.pk]), {"note": ""}, follow=True)
    assert "请填写追回说明" in response.content.decode()
    client.post(reverse("payouts:line_recover", args=[frozen.pk]), {"note": "对象已去世"})
    frozen.refresh_from_db()
    assert frozen.follow_up == FollowUp.RECOVERED
    page = client.get(reverse("payouts:returned_list")).content.decode()
    assert "户名不符" in page and "已补发" in page and "已追回" in page
    assert batch.lines.filter(outcome=LineOutcome.SUCCEEDED).count() == 3


def test_finance_adds_a_bank_template_in_the_app(client, users):
    client.force_login(users.finance)
    response = client.post(
        reverse("payouts:template_create"),
        {
            "name": "农业银行代发",
            "code": "abc-batch",
            "purpose": "batch",
            "file_format": "txt",
            "encoding": "gbk",
            "delimiter": "|",
            "columns": "卡号=account\n户名=payee_name\n金额=amount\n用途=fixed:劳模补助",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    template = BankFileTemplate.objects.get(code="abc-batch")
    assert template.columns[3] == {"header": "用途", "field": "fixed", "value": "劳模补助"}
    bad = client.post(
        reverse("payouts:template_create"),
        {"name": "坏模板", "code": "bad", "purpose": "batch", "file_format": "xlsx", "columns": "户名=nickname"},
    )
    assert "不是可选项" in bad.content.decode()
    client.force_login(users.kashgar)
    assert client.get(reverse("payouts:template_create")).status_code == 403


def test_a_batch_can_take_one_upload_only(client, users, payroll, bank_payments, templates):
    from funds.choices import ImportKind, ImportStatus
    from funds.models import ImportBatch

    upload = ImportBatch.objects.create(
        kind=ImportKind.DISBURSEMENTS,
        organization=organization("653100"),
        program=program("model_worker"),
        fiscal_year=payroll.year,
        file_name="发放.xlsx",
        status=ImportStatus.IMPORTED,
        imported_at=datetime.datetime(2024, 11, 28, tzinfo=datetime.UTC),
        created_by=users.kashgar,
    )
    client.force_login(users.finance)
    fields = {
        "organization": organization("653100").pk,
        "program": program("model_worker").pk,
        "fiscal_year": payroll.year.pk,
        "template": templates["generic-batch"].pk,
        "payer_name": "喀什地区总工会",
        "payer_account": "3006000000001234567",
        "import_batch": upload.pk,
    }
    response = client.post(reverse("payouts:batch_create"), fields, follow=True)
    assert "没有符合条件、尚未代发的银行发放记录" in response.content.decode()
    fields["organization"] = organization("653200").pk
    response = client.post(reverse("payouts:batch_create"), fields)
    assert "该导入批次不是所选单位的" in response.content.decode()


def test_the_checker_finds_the_batch_on_the_home_page_and_the_maker_does_not(client, users, batch):
    client.force_login(users.finance2)
    todos = client.get(reverse("funds:home")).content.decode()
    assert "待您放行：代发批次 DF2024-653100-001（喀什地区，5 笔" in todos
    client.force_login(users.finance)
    assert "待您放行" not in client.get(reverse("funds:home")).content.decode()
