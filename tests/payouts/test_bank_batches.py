"""批量代发: a batch of unsent bank payments, pre-checked, prepared by one finance user and released by another; the
file holds clear accounts (finance only, every download an audited unmasking) in the template's layout."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from python_calamine import CalamineWorkbook

from audit.models import AuditEvent
from funds.models import Organization
from payouts.choices import BankBatchStatus
from payouts.models import BankBatch, BankBatchLine, BankFileTemplate
from payouts.precheck import account_problem, luhn_valid, precheck
from payouts.services import (
    bank_batch_cancel,
    bank_batch_download,
    bank_batch_prepare,
    bank_batch_release,
    bank_batch_remove_line,
    unsent_payments,
)
from tests.factories import organization, program
from tests.payouts.conftest import card_number


def prepare(users, payroll, template, **overrides):
    fields = {
        "organization": organization("653100"),
        "program": program("model_worker"),
        "fiscal_year": payroll.year,
        "template": template,
        "purpose": "",
        "payer_name": "喀什地区总工会",
        "payer_account": "3006 0000 0000 1234 567",
        "payer_bank": "中国工商银行喀什分行",
        "acting_user": users.finance,
    }
    fields.update(overrides)
    return bank_batch_prepare(**fields)


def test_luhn_and_the_account_rules():
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")
    assert luhn_valid(card_number("622202000000000000"))
    assert account_problem("") == "缺少收款账号。"
    assert "校验位不对" in account_problem("6222020000000000001" if not luhn_valid("6222020000000000001") else "")
    assert account_problem("30060000000012345") is None or "校验位" in account_problem("30060000000012345")
    assert account_problem("3006000000001") is None  # a 13-digit account has no check digit to verify
    assert "只能是数字" in account_problem("6222-0200-0000")


def test_finance_prepares_a_batch_of_the_unsent_payments_and_a_second_finance_user_releases_it(
    users, payroll, bank_payments, templates
):
    batch = prepare(users, payroll, templates["generic-batch"])
    assert batch.number == "DF2024-653100-001" and batch.status == BankBatchStatus.PREPARED
    assert batch.line_count == 5 and batch.total_amount == Decimal("5000.00")
    assert batch.purpose == "春节慰问金" and batch.payer_account == "3006000000001234567"
    assert [line.payee_name for line in batch.lines.order_by("sequence")][:2] == ["张三明", "李四"]
    assert precheck(batch) == []
    # Sent payments are not offered again.
    assert not unsent_payments(
        user=users.finance,
        organization=organization("653100"),
        program=program("model_worker"),
        fiscal_year=payroll.year,
    ).exists()
    with pytest.raises(ValidationError, match="尚未代发"):
        prepare(users, payroll, templates["generic-batch"])
    # The maker cannot release; the database refuses it too.
    with pytest.raises(PermissionDenied):
        bank_batch_release(batch=batch, acting_user=users.finance, expected_sha256=batch.content_sha256)
    with pytest.raises(IntegrityError), transaction.atomic():
        BankBatch.objects.filter(pk=batch.pk).update(status=BankBatchStatus.RELEASED, released_by=users.finance)
    with pytest.raises(ValidationError, match="内容已变化"):
        bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256="0" * 64)
    released = bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256=batch.content_sha256)
    assert released.status == BankBatchStatus.RELEASED and released.released_by == users.finance2
    assert AuditEvent.objects.filter(action="approve", object_id=str(batch.pk)).exists()
    with pytest.raises(ValidationError, match="不能作废"):
        bank_batch_cancel(batch=released, reason="x", acting_user=users.finance)


def test_operators_and_auditors_cannot_prepare_release_or_download(users, payroll, bank_payments, templates):
    with pytest.raises(PermissionDenied):
        prepare(users, payroll, templates["generic-batch"], acting_user=users.kashgar)
    with pytest.raises(PermissionDenied):
        prepare(users, payroll, templates["generic-batch"], acting_user=users.auditor)
    batch = prepare(users, payroll, templates["generic-batch"])
    bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256=batch.content_sha256)
    for user in (users.kashgar, users.auditor):
        with pytest.raises(PermissionDenied):
            bank_batch_download(batch=batch, acting_user=user)
    # The operator sees its own union's batch, another union's operator nothing.
    assert BankBatch.objects.restrict(users.kashgar).filter(pk=batch.pk).exists()
    assert not BankBatch.objects.restrict(users.hotan).exists()
    assert not BankBatchLine.objects.restrict(users.hotan).exists()


def test_the_pre_check_names_the_line_and_column_of_what_the_bank_would_refuse(
    users, payroll, bank_payments, templates
):
    batch = prepare(users, payroll, templates["generic-batch"])
    lines = list(batch.lines.order_by("sequence"))
    # What a batch can hold when the roster moved on after the upload: a name with a digit, a card one digit off, a
    # roster account different from the payment's, a person twice.
    BankBatchLine.objects.filter(pk=lines[0].pk).update(payee_name="张三明2")
    wrong = lines[1].account[:-1] + str((int(lines[1].account[-1]) + 1) % 10)
    BankBatchLine.objects.filter(pk=lines[1].pk).update(account=wrong)
    worker = lines[2].disbursement.model_worker
    worker.bank_account = card_number("622202000000009999")
    worker.save()
    findings: dict[tuple[int, str], str] = {}
    for finding in precheck(batch):
        findings[(finding.sequence, finding.column)] = (
            findings.get((finding.sequence, finding.column), "") + finding.message
        )
    assert "银行不接受的字符" in findings[(1, "收款人户名")]
    # The card one digit off fails its check digit and no longer matches the roster.
    assert "校验位不对" in findings[(2, "收款账号")] and "不一致" in findings[(2, "收款账号")]
    assert f"与劳模名册登记的账号（尾号 {worker.bank_account[-4:]}）不一致" in findings[(3, "收款账号")]
    with pytest.raises(ValidationError, match="预检发现 4 处"):
        bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256=batch.content_sha256)
    # Removing the lines (with a reason) leaves a clean batch; their payments are unsent again.
    for line in lines[:3]:
        batch = bank_batch_remove_line(batch=batch, line=line, reason="账号待核实", acting_user=users.finance)
    assert batch.line_count == 2 and batch.total_amount == Decimal("2000.00")
    assert (
        unsent_payments(
            user=users.finance,
            organization=organization("653100"),
            program=program("model_worker"),
            fiscal_year=payroll.year,
        ).count()
        == 3
    )
    bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256=batch.content_sha256)


def test_a_person_twice_in_one_batch_with_the_same_amount_is_refused(users, payroll, bank_payments, templates):
    batch = prepare(users, payroll, templates["generic-batch"])
    lines = list(batch.lines.order_by("sequence"))
    # Two payments of one person (a recurring kind) in one batch: the bank would refuse the second as a duplicate.
    line = lines[0]
    duplicate = BankBatchLine(
        batch=batch,
        disbursement=lines[1].disbursement,
        sequence=99,
        payee_name=line.payee_name,
        account=line.account,
        account_masked=line.account_masked,
        amount=line.amount,
    )
    duplicate.disbursement.model_worker_id = line.disbursement.model_worker_id
    findings = precheck(batch, [line, duplicate])
    assert [(f.sequence, f.blocking) for f in findings if "2 笔相同金额" in f.message] == [(1, True), (99, True)]
    # Two payments of different amounts (春节慰问金 and 生活困难补助金) may go together: a warning, not a refusal.
    duplicate.amount = Decimal("3000.00")
    findings = precheck(batch, [line, duplicate])
    assert [(f.sequence, f.blocking) for f in findings if "金额不同" in f.message] == [(1, False), (99, False)]


def test_the_generic_file_holds_clear_accounts_and_two_decimal_amounts_and_each_download_is_audited(
    users, payroll, bank_payments, templates
):
    batch = prepare(users, payroll, templates["generic-batch"])
    with pytest.raises(ValidationError, match="放行后"):
        bank_batch_download(batch=batch, acting_user=users.finance)
    bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256=batch.content_sha256)
    data, extension, _ = bank_batch_download(batch=batch, acting_user=users.finance)
    assert extension == "xlsx"
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["序号", "户名", "账号", "金额", "身份证号", "开户行", "摘要/用途"]
    first = bank_payments[0]
    assert sheet[1][1] == "张三明" and sheet[1][2] == first.bank_account and sheet[1][3] == 1000
    assert sheet[1][4] == first.model_worker.id_number and sheet[1][6] == "春节慰问金"
    assert len(sheet) == 6
    event = AuditEvent.objects.get(action="unmask", object_id=str(batch.pk))
    assert "5 accounts in clear" in event.detail and event.actor == users.finance


def test_the_icbc_layout_and_a_text_template_in_gbk(users, payroll, bank_payments, templates):
    batch = prepare(users, payroll, templates["icbc-corporate-batch"], payment_kind=None)
    bank_batch_release(batch=batch, acting_user=users.finance2, expected_sha256=batch.content_sha256)
    data, extension, _ = bank_batch_download(batch=batch, acting_user=users.finance)
    assert extension == "xls"
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0][:9] == [
        "付款账号开户行",
        "付款账号",
        "付款账号名称",
        "收款账号开户行",
        "省份名",
        "城市名",
        "收款账号",
        "收款账号名称",
        "金额",
    ]
    assert sheet[1][1] == "3006000000001234567" and sheet[1][6] == bank_payments[0].bank_account
    assert sheet[1][8] == 1000.0 and sheet[1][9] == "春节慰问金"

    text = BankFileTemplate(
        code="txt-gbk",
        name="文本代发",
        purpose="batch",
        file_format="txt",
        encoding="gbk",
        delimiter="|",
        columns=[
            {"header": "账号", "field": "account"},
            {"header": "户名", "field": "payee_name"},
            {"header": "金额", "field": "amount"},
        ],
    )
    text.full_clean()
    text.save()
    batch.template = text
    from payouts.files import batch_file

    data, extension, _ = batch_file(batch)
    rows = list(csv.reader(io.StringIO(data.decode("gbk")), delimiter="|"))
    assert rows[0] == ["账号", "户名", "金额"] and rows[1][1:] == ["张三明", "1000.00"]


@pytest.mark.django_db
def test_a_template_names_its_columns_from_the_list_and_a_result_template_its_outcome_words():
    bad = BankFileTemplate(code="x", name="x", purpose="batch", columns=[{"header": "户名", "field": "nickname"}])
    with pytest.raises(ValidationError, match="不是可选项"):
        bad.full_clean()
    no_account = BankFileTemplate(
        code="y", name="y", purpose="batch", columns=[{"header": "户名", "field": "payee_name"}]
    )
    with pytest.raises(ValidationError, match="收款账号和金额"):
        no_account.full_clean()
    result = BankFileTemplate(
        code="z",
        name="z",
        purpose="result",
        columns=[{"header": "账号", "field": "account"}, {"header": "金额", "field": "amount"}],
        success_values="成功",
        failure_values="失败",
    )
    with pytest.raises(ValidationError, match="处理结果"):
        result.full_clean()


def test_cancelling_a_prepared_batch_frees_its_payments(users, payroll, bank_payments, templates):
    batch = prepare(users, payroll, templates["generic-batch"])
    with pytest.raises(ValidationError):
        bank_batch_cancel(batch=batch, reason=" ", acting_user=users.finance)
    bank_batch_cancel(batch=batch, reason="用途写错", acting_user=users.finance)
    batch.refresh_from_db()
    assert batch.status == BankBatchStatus.CANCELLED and not batch.lines.exists()
    again = prepare(users, payroll, templates["generic-batch"])
    assert again.number == "DF2024-653100-002" and again.line_count == 5
    assert Organization.objects.get(code="653100")


def test_an_upload_keeps_each_payment_s_account_encrypted_for_the_bank_file_and_its_seal_covers_it(
    users, payroll, settings, tmp_path
):
    from django.core.files.storage import default_storage
    from django.db import connection

    from audit.chain import seal
    from funds.models import Disbursement
    from imports.services import import_batch_confirm
    from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
    from tests.uploads import upload

    settings.MEDIA_ROOT = str(tmp_path)
    account = card_number("622848001234567890")
    worker = payroll.workers[0]
    batch = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(worker, 银行账号=account)]), users.kashgar, payroll)
    # The parse kept between preview and confirm holds the account only encrypted.
    parsed = [name for name in default_storage.listdir(f"imports/{batch.organization.code}")[1] if "parsed" in name]
    stored = default_storage.open(f"imports/{batch.organization.code}/{parsed[0]}").read().decode()
    assert account not in stored and account[-4:] in stored  # the masked form is there
    import_batch_confirm(batch=batch, acting_user=users.kashgar)
    payment = Disbursement.objects.get(batch=batch)
    assert payment.bank_account == account and payment.account_masked.endswith(account[-4:])
    with connection.cursor() as cursor:
        cursor.execute("SELECT bank_account FROM funds_disbursement WHERE id = %s", [payment.pk])
        assert account not in cursor.fetchone()[0]
    assert payment.seal == seal(payment.seal_content()) and "bank_account" in payment.seal_content()
