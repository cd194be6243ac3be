"""The upload journey in the browser's terms (Django test client), the worker path, and the CLI."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from funds.choices import ImportStatus
from funds.models import Disbursement, ImportBatch
from tests.factories import organization
from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx


def post_upload(client, payroll, data: bytes, name: str = "发放明细.xlsx", **extra):
    upload = io.BytesIO(data)
    upload.name = name
    fields = {
        "kind": "disbursements",
        "organization": organization("653100").pk,
        "program": payroll.program.pk,
        "fiscal_year": payroll.year.pk,
        "file": upload,
    }
    fields.update(extra)
    return client.post(reverse("imports:import_upload"), fields)


def test_operator_journey_errors_report_fix_preview_confirm_history(client, users, payroll):
    client.force_login(users.kashgar)
    template = client.get(reverse("imports:import_template", args=["disbursements"]) + "?program=model_worker")
    workbook = load_workbook(io.BytesIO(template.content))
    assert [c.value for c in workbook.worksheets[0][1]] == DISBURSEMENT_HEADERS
    assert workbook.worksheets[1].title == "填写说明"
    assert workbook.worksheets[0].data_validations.dataValidation  # drop-downs

    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers, start=1)]
    bad = [*rows[:2], spring_row(payroll.workers[2], 3, **{"金额（元）": "abc"}), *rows[3:]]
    response = post_upload(client, payroll, xlsx(DISBURSEMENT_HEADERS, bad))
    batch = ImportBatch.objects.get()
    assert response["Location"] == reverse("imports:import_detail", args=[batch.pk])
    page = client.get(response["Location"]).content.decode()
    assert "整个文件未导入" in page and "金额（元）" in page and "“abc”不是有效金额" in page

    report = client.get(reverse("imports:import_error_report", args=[batch.pk]))
    sheet = load_workbook(io.BytesIO(report.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "个人信息" in values[0][0]
    flagged = [row for row in values if row[-1]]
    assert flagged[-1][0] == 4 and "abc" in flagged[-1][-1]
    # ID numbers and accounts come back masked: the operator finds the row by its number in the original file.
    id_column = values[1].index("身份证号")
    assert flagged[-1][id_column] == payroll.workers[2].id_number[:4] + "*" * 10 + payroll.workers[2].id_number[-4:]
    assert all(w.id_number not in str(values) for w in payroll.workers)

    post_upload(client, payroll, xlsx(DISBURSEMENT_HEADERS, rows), name="发放明细-改.xlsx")
    fixed = ImportBatch.objects.latest("pk")
    preview = client.get(reverse("imports:import_detail", args=[fixed.pk])).content.decode()
    assert 'id="preview-total">5,000.00<' in preview
    assert not Disbursement.objects.exists()
    # The rows as they will be written (names, amounts; no ID number), and what is left of 喀什's 100,000 元.
    sample = preview.split('id="preview-sample"')[1].split("</table>")[0]
    assert sample.count("<tr>") == 6 and payroll.workers[0].name in sample and "1,000.00" in sample
    assert all(w.id_number not in preview for w in payroll.workers)
    assert 'id="remaining-allocation">95,000.00<' in preview

    client.post(reverse("imports:import_confirm", args=[fixed.pk]))
    assert Disbursement.objects.filter(batch=fixed).count() == 5
    history = client.get(reverse("imports:import_list")).content.decode()
    assert "发放明细-改.xlsx" in history and "已导入" in history


def test_operator_posting_another_organisation_imports_nothing_for_it(client, users, payroll):
    client.force_login(users.kashgar)
    post_upload(
        client,
        payroll,
        xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])]),
        organization=organization("653200").pk,
    )
    batch = ImportBatch.objects.get()
    assert batch.organization.code == "653100"  # the organisation field is fixed for an operator


def test_other_organisations_import_is_404_everywhere(client, users, payroll):
    client.force_login(users.kashgar)
    post_upload(client, payroll, xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])]))
    batch = ImportBatch.objects.get()
    client.force_login(users.hotan)
    for name in ("import_detail", "import_progress", "import_error_report"):
        assert client.get(reverse(f"imports:{name}", args=[batch.pk])).status_code == 404
    assert client.post(reverse("imports:import_confirm", args=[batch.pk])).status_code == 404
    assert "发放明细.xlsx" not in client.get(reverse("imports:import_list")).content.decode()
    client.force_login(users.auditor)
    assert client.get(reverse("imports:import_detail", args=[batch.pk])).status_code == 200
    assert client.post(reverse("imports:import_confirm", args=[batch.pk])).status_code == 404
    assert client.get(reverse("imports:import_upload")).status_code == 403
    assert ImportBatch.objects.get().status == ImportStatus.PREVIEWED


def test_large_files_go_through_the_database_worker_with_progress(
    client, users, payroll, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.IMPORT_BACKGROUND_BYTES = 0  # every file counts as large

    # The real worker loop runs in-process; its connection housekeeping would close the connection that holds
    # this test's transaction (PostgreSQL), so only that call is neutralised.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    client.force_login(users.kashgar)
    post_upload(client, payroll, xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers)]))
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.VALIDATING
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert "<progress" in page
    progress = client.get(reverse("imports:import_progress", args=[batch.pk])).json()
    assert (progress["finished"], progress["done"], progress["percent"]) == (False, 0, 0)

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEWED
    assert client.get(reverse("imports:import_progress", args=[batch.pk])).json()["finished"] is True

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:import_confirm", args=[batch.pk]))
    assert ImportBatch.objects.get().status == ImportStatus.IMPORTING
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert ImportBatch.objects.get().status == ImportStatus.IMPORTED
    assert Disbursement.objects.count() == 5
    progress = client.get(reverse("imports:import_progress", args=[batch.pk])).json()
    assert (progress["done"], progress["total"], progress["percent"]) == (5, 5, 100)


def test_cli_prints_row_addressed_errors_and_exits_1(tmp_path, users, payroll, capsys):
    path = tmp_path / "明细.xlsx"
    path.write_bytes(xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0], **{"发放日期": "昨天"})]))
    args = ["import_disbursements", str(path), "--org", "653100", "--program", "model_worker", "--year", "2024"]
    with pytest.raises(SystemExit) as exited:
        call_command(*args, "--user", users.kashgar.username)
    assert exited.value.code == 1
    assert "第2行 [发放日期] “昨天”不是有效日期" in capsys.readouterr().err
    assert not Disbursement.objects.exists()


def test_cli_previews_then_imports_with_confirm(tmp_path, users, payroll, capsys):
    path = tmp_path / "明细.xlsx"
    path.write_bytes(xlsx(DISBURSEMENT_HEADERS, [spring_row(w, i) for i, w in enumerate(payroll.workers)]))
    args = [
        "import_disbursements",
        str(path),
        "--org",
        "653100",
        "--program",
        "model_worker",
        "--year",
        "2024",
        "--user",
        users.kashgar.username,
    ]
    call_command(*args)
    out = capsys.readouterr().out
    assert "春节慰问金: 5 行，5000.00 元" in out and "未写入任何数据" in out
    assert not Disbursement.objects.exists()
    call_command(*args, "--confirm")
    assert Disbursement.objects.count() == 5


def test_a_new_batch_never_shows_an_older_batchs_progress(users, payroll):
    from funds.choices import ImportKind
    from imports.outcome import read_progress, report_progress
    from imports.services import import_batch_create

    def create():
        return import_batch_create(
            kind=ImportKind.DISBURSEMENTS,
            organization=organization("653100"),
            program=payroll.program,
            fiscal_year=payroll.year,
            file_name="a.xlsx",
            data=xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])]),
            acting_user=users.kashgar,
        )

    first = create()
    report_progress(first.pk + 1, "imported", 2, 2)  # as left in a shared cache by a database since recreated
    second = create()
    assert second.pk == first.pk + 1
    assert {k: v for k, v in read_progress(second.pk).items() if k != "at"} == {
        "phase": "queued",
        "done": 0,
        "total": 0,
    }


def test_an_uploader_discards_a_previewed_batch_and_may_upload_the_file_again(client, users, payroll):
    from audit.models import AuditEvent
    from tests.uploads import upload

    data = xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])])
    batch = upload(data, users.kashgar, payroll)
    client.force_login(users.kashgar)
    page = client.get(reverse("imports:import_detail", args=[batch.pk])).content.decode()
    assert 'id="discard-import"' in page
    client.force_login(users.hotan)  # another union's operator cannot
    assert client.post(reverse("imports:import_discard", args=[batch.pk])).status_code == 404
    client.force_login(users.kashgar)
    response = client.post(reverse("imports:import_discard", args=[batch.pk]), follow=True)
    assert "已放弃该批次" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DISCARDED
    assert not Disbursement.objects.filter(batch=batch).exists()
    assert AuditEvent.objects.filter(object_id=str(batch.pk), detail__startswith="discarded").exists()
    # Nothing to confirm any more, and the same file is accepted again.
    client.post(reverse("imports:import_confirm", args=[batch.pk]))
    assert not Disbursement.objects.filter(batch=batch).exists()
    assert upload(data, users.kashgar, payroll, name="again.xlsx").status == ImportStatus.PREVIEWED


def test_the_import_history_filters_by_status_and_union_and_exports_what_is_filtered(client, users, payroll):
    from tests.uploads import upload

    good = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])]), users.kashgar, payroll)
    bad = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[1], **{"金额（元）": "abc"})]),
        users.kashgar,
        payroll,
        name="坏文件.xlsx",
    )
    assert (good.status, bad.status) == (ImportStatus.PREVIEWED, ImportStatus.REFUSED)
    client.force_login(users.finance)
    url = reverse("imports:import_list")
    refused = client.get(url, {"status": ImportStatus.REFUSED}).content.decode()
    assert "坏文件.xlsx" in refused and "共 1 条" in refused
    assert "共 2 条" in client.get(url, {"organization": organization("653100").pk}).content.decode()
    assert "共 0 条" in client.get(url, {"organization": organization("653200").pk}).content.decode()
    assert "共 1 条" in client.get(url, {"q": f"#{bad.pk}"}).content.decode()
    sheet = load_workbook(
        io.BytesIO(client.get(url, {"status": ImportStatus.REFUSED, "export": "xlsx"}).content)
    ).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(values) == 1 and values[0][4] == "坏文件.xlsx" and values[0][7] == "校验未通过"
    client.force_login(users.hotan)  # another union's operator sees none of 喀什's uploads
    assert "共 0 条" in client.get(url).content.decode()
