"""The three user journeys, in headless Chromium against the production-like server (see conftest.py).

They run in this order and build on one another: finance staff fund 2025 and allocate it (1), the 喀什 operator pays
from that allocation (2), the auditor reads 2024's finalised report (3). Each step leaves a full-page screenshot in
artifacts/screenshots/.
"""

import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from tests.reports.pdf_text import pdf_text
from tests.spreadsheets import DISBURSEMENT_HEADERS, xlsx

HARDSHIP = "自治区专项帮扶资金"
MODEL_WORKERS = "劳模专项补助资金"
PLAN = {"喀什地区总工会": "800000", "和田地区总工会": "500000", "阿克苏地区总工会": "400000"}


def workbook(download):
    """A downloaded .xlsx (Playwright keeps downloads under names without an extension)."""
    return load_workbook(io.BytesIO(Path(download.path()).read_bytes()))


def money(text: str) -> Decimal:
    return Decimal(re.sub(r"[^\d.]", "", text))


def fund(journey, program: str, amount: str) -> None:
    page, url = journey.page, journey.server.url
    page.goto(f"{url}/appropriations/new/")
    page.select_option("select[name=program]", label=program)
    page.fill("input[name=year]", "2025")
    page.fill("input[name=document]", "新财预〔2025〕1号")
    page.fill("input[name=initial_current_fiscal]", amount)
    page.fill("input[name=annual_current_fiscal]", amount)
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/appropriations/\d+/$"))
    page.select_option("select[name=source]", value="current_fiscal")
    page.fill("input[name=amount]", amount)
    page.fill("input[name=received_on]", "2025-03-20")
    page.click("form button.primary")
    page.wait_for_load_state()
    assert page.locator(".msg-success").count() == 1


def test_1_finance_staff_fund_a_year_and_allocate_it_with_a_second_approver(journey, server):
    page, url = journey.page, server.url
    journey.sign_in("finance")
    journey.shot("home")
    fund(journey, HARDSHIP, "1500000")
    fund(journey, MODEL_WORKERS, "8000000")
    journey.shot("appropriation-with-receipt")

    page.goto(f"{url}/plans/new/")
    page.select_option("select[name=program]", label=HARDSHIP)
    page.select_option("select[name=fiscal_year]", label="2025年度")
    page.fill("input[name=title]", "2025年自治区专项帮扶资金分配方案")
    page.fill("input[name=plan_date]", "2025-05-20")
    page.fill("input[name=approval_reference]", "自治区总工会党组会议审议通过")
    for index, (organization, amount) in enumerate(PLAN.items()):
        page.select_option(f"select[name=lines-{index}-organization]", label=organization)
        page.fill(f"input[name=lines-{index}-amount]", amount)
    assert page.inner_text("#lines-total") == "1,700,000.00"  # the running total, computed as they type
    page.click("#plan-form button.primary")
    page.wait_for_load_state()
    error = page.locator(".form-errors")
    assert "1,500,000.00" in error.inner_text()  # more than received: refused, with the figures
    journey.shot("plan-exceeds-funds-received")

    page.fill("input[name=lines-2-amount]", "200000")
    page.click("#plan-form button.primary")
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    plan_url = page.url
    page.click("form[action$='/submit/'] button")
    page.wait_for_load_state()
    assert "须由未参与编制的另一位财务人员审批" in page.content()
    journey.shot("plan-submitted")
    journey.sign_out()

    journey.sign_in("finance2")
    # The checker's home says what waits for them, and takes them there.
    page.goto(f"{url}/?year=2025")
    todo = page.locator("#todos li", has_text="待您审批：2025年自治区专项帮扶资金分配方案")
    assert todo.count() == 1
    journey.shot("checker-home-shows-plan-to-approve")
    todo.locator("a").click()
    page.wait_for_load_state()
    assert page.url == plan_url
    page.fill("#approve-comment", "同意，按方案拨付。")
    page.click("form[action$='/approve/'] button")
    page.wait_for_load_state()
    assert page.locator(".status-approved").count() >= 1
    assert "同意，按方案拨付。" in page.locator("#review-comment").inner_text()
    journey.shot("plan-approved-by-second-user")
    page.goto(f"{url}/?year=2025")
    hardship = page.locator("#program-hardship")
    assert money(hardship.locator("[data-figure=budget]").inner_text()) == Decimal("1500000")
    assert money(hardship.locator("[data-figure=received]").inner_text()) == Decimal("1500000")
    assert money(hardship.locator("[data-figure=allocated]").inner_text()) == Decimal("1500000")
    assert money(hardship.locator("[data-figure=left_to_allocate]").inner_text()) == 0
    journey.shot("home-totals-updated")


def payment_rows(households, *, bad: bool = False) -> list[list]:
    """Two 2025 payments for each household (医疗救助 in March, 生活救助 in May); `bad` spoils two of them."""
    rows = []
    for name, number in households:
        for kind, day in (("医疗救助", "2025-03-10"), ("生活救助", "2025-05-10")):
            rows.append(
                [len(rows) + 1, name, number, kind, "1000", day, "银行代发", "6222020200112233", "财政资金", ""]
            )
    if bad:
        rows[1][2] = rows[1][2][:-1] + ("0" if rows[1][2][-1] != "0" else "1")  # wrong check digit
        rows[4][4] = "一千"  # not an amount
    return rows


def test_2_an_operator_uploads_payments_fixes_errors_and_imports_a_large_file(journey, server, tmp_path):
    page, url = journey.page, server.url
    households = server.seed["households"]
    journey.sign_in("kashgar")
    page.goto(f"{url}/imports/upload/")
    with page.expect_download() as template:
        page.click("text=发放明细模板（帮扶资金）")
    header = [c.value for c in workbook(template.value).worksheets[0][1]]
    assert header == DISBURSEMENT_HEADERS
    journey.shot("upload-page")

    def upload(rows: list[list], name: str) -> None:
        path = tmp_path / name
        path.write_bytes(xlsx(DISBURSEMENT_HEADERS, rows))
        page.goto(f"{url}/imports/upload/")
        page.select_option("select[name=kind]", value="disbursements")
        page.select_option("select[name=program]", label=HARDSHIP)
        page.select_option("select[name=fiscal_year]", label="2025年度")
        page.set_input_files("input[name=file]", str(path))
        page.click("form button.primary")
        page.wait_for_url(re.compile(r"/imports/\d+/"))

    upload(payment_rows(households[:5], bad=True), "2025年3月帮扶发放.xlsx")
    page.wait_for_selector("#errors")
    errors = page.locator("tr.error-row").all_inner_texts()
    assert any(text.startswith("3") and "身份证号" in text and "校验位" in text for text in errors), errors
    assert any(text.startswith("6") and "金额（元）" in text and "“一千”" in text for text in errors), errors
    journey.shot("errors-with-row-and-column")
    with page.expect_download() as report:
        page.click("text=下载错误报告（.xlsx）")
    values = [[c.value for c in row] for row in workbook(report.value).active.iter_rows()]
    assert values[1][-1] == "错误说明" and sum(1 for row in values[2:] if row[-1]) == 2

    large = payment_rows(households)
    expected = Decimal(1000) * len(large)
    upload(large, "2025年3月帮扶发放-改.xlsx")
    # The worker may finish before the page loads (it polls every 0.5 s): the progress bar is shown only if it did not.
    page.wait_for_selector("#progress-bar, #preview", state="attached")
    if page.locator("#progress-bar").count():
        journey.shot("validating-in-background")
    page.wait_for_selector("#preview", timeout=120_000)
    batch_id = int(re.search(r"/imports/(\d+)/", page.url).group(1))
    validated_by_worker = server.query(
        "import json; from django_tasks_db.models import DBTaskResult; print(json.dumps(DBTaskResult.objects.filter("
        f"task_path='imports.tasks.validate_import', status='SUCCESSFUL', args_kwargs__args=[{batch_id}]).exists()))"
    )
    assert validated_by_worker, "the large file should have been validated by the background worker"
    assert money(page.inner_text("#preview-total")) == expected
    journey.shot("preview-totals")
    page.click("#confirm-import")
    page.wait_for_load_state()
    if page.locator("#progress-bar").count():
        journey.shot("importing-progress-bar")
    page.wait_for_selector("text=导入结果", timeout=180_000)
    assert page.locator(".status-imported").count() >= 1
    journey.shot("imported")
    page.goto(f"{url}/imports/")
    history = page.content()
    assert "2025年3月帮扶发放-改.xlsx" in history and "已导入" in history
    journey.shot("history")
    assert server.query(
        "from funds.models import Disbursement; import json; "
        "print(json.dumps(Disbursement.objects.filter(fiscal_year__year=2025, paying_organization__code='653100')"
        ".count()))"
    ) == len(large)

    response = page.goto(f"{url}/imports/{server.seed['other_import']}/")
    assert response.status == 404
    journey.shot("another-prefectures-import-is-404")


def test_3_the_auditor_reads_the_evidence_and_downloads_the_finalised_report(journey, server):
    page, url = journey.page, server.url
    figures = server.seed["report_2024"]
    journey.sign_in("auditor")
    page.goto(f"{url}/evaluation/?year=2024")
    section = page.locator("#evaluation-hardship")
    assert section.locator("[data-figure=total]").inner_text() == figures["total"]
    assert section.locator("text=维护指标").count() == 0  # no edit buttons for auditors
    journey.shot("dashboard")
    section.locator("tr", has_text="对象界定准确率").locator("a.evidence").click()
    page.wait_for_load_state()
    assert "对象界定准确率" in page.content()
    rows = page.locator("table.data tbody tr").count()
    assert rows == min(100, figures["targeting"][0])
    assert "****" in page.locator("table.data tbody tr").first.inner_text()  # ID numbers masked
    journey.shot("evidence-targeting-accuracy")

    page.goto(f"{url}/reports/hardship/2024/")
    assert page.locator("text=编辑正文").count() == 0
    assert page.locator("#finalise").count() == 0
    journey.shot("finalised-report")
    snapshot = server.seed["snapshot"]
    with tempfile.TemporaryDirectory() as folder:
        with page.expect_download() as pdf:
            page.click(f"a[href='/reports/snapshots/{snapshot}/pdf/']")
        text = pdf_text(Path(pdf.value.path()).read_bytes())
        flat = text.replace("\n", "")
        for expected in (
            "自治区专项帮扶资金绩效自评报告",
            "一、基本情况",
            "八、其他需要说明的问题",
            f"帮扶困难职工{figures['households']}户{figures['persons']}人",
            f"使用资金{figures['executed_wan']}万元",
            f"{figures['total']}分",
            "项目支出绩效自评表",
        ):
            assert expected in flat, expected
        assert "草稿" not in text
        with page.expect_download() as table:
            page.click(f"a[href='/reports/snapshots/{snapshot}/xlsx/']")
        saved = Path(folder) / "table.xlsx"
        table.value.save_as(saved)
        rows = [[c.value for c in row] for row in load_workbook(saved).active.iter_rows()]
        # The official cover: the signature block as the report's fields, never the day of download.
        assert "项目负责人（签章）：刘腾、顾宗明" in flat and "填报时间：2025年03月13日" in flat
        # A draft is made on demand: the button says it is working until the file arrives, then comes back.
        with page.expect_download() as draft:
            page.click("a[data-working][href$='/report.pdf']")
        assert "草稿" in pdf_text(Path(draft.value.path()).read_bytes())
        # A locator, not wait_for_function: the app's CSP forbids the eval a string predicate needs.
        page.locator("a.working").wait_for(state="detached")
        assert page.locator("a[href$='/report.pdf']").inner_text() == "下载草稿 PDF"
    households_row = next(r for r in rows if r[3] == "帮扶困难职工户数")
    assert households_row[5] == f"{figures['households']}户"
    assert next(r for r in rows if r[0] == "总分")[7] == float(figures["total"])
    total_row = next(r for r in rows if r[1] == "年度资金总额")
    assert f"{total_row[5]:.2f}" == figures["executed_wan"]

    # A write URL: refused, and nothing changed.
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(
        f"{url}/appropriations/new/",
        form={"program": "1", "year": "2026"},
        headers={"X-CSRFToken": csrf, "Referer": f"{url}/"},
    )
    assert response.status == 403
    assert server.query("from funds.models import FiscalYear; print(FiscalYear.objects.filter(year=2026).count())") == 0
    page.goto(f"{url}/appropriations/new/")
    journey.shot("write-url-refused")


def test_4_an_operator_finds_a_model_worker_by_id_suspends_them_and_sees_their_payments(journey, server):
    page, url = journey.page, server.url
    worker = server.seed["model_worker"]
    journey.sign_in("kashgar")
    page.goto(f"{url}/beneficiaries/model-workers/")
    page.fill("input[name=q]", worker["id_number"])
    page.click("#filters button.primary")
    page.wait_for_load_state()
    assert worker["id_number"] not in page.url  # the number never stays in the address bar
    assert "共 1 条" in page.inner_text("#list-count")
    journey.shot("model-worker-found-by-id")
    page.click(f"#model-workers a:text-is('{worker['name']}')")
    page.wait_for_load_state()
    assert page.locator("#payment-history tbody tr").count() == min(worker["payments"], 20)
    journey.shot("model-worker-page")

    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    page.click("#action-suspend summary")
    page.fill("#id_suspend-on", "2025-06-01")
    page.select_option("#id_suspend-suspension_reason", label="被立案调查")
    page.fill("#id_suspend-reason", "经核实已被立案调查，自 2025-06-01 起暂停享受劳模待遇")
    page.click("#action-suspend button[type=submit]")
    page.wait_for_load_state()
    assert "已办理：暂停享受待遇" in page.content()
    assert page.locator("h1 .status-suspended").count() == 1
    history = page.inner_text("#history")
    assert "2025-06-01" in history and "暂停享受待遇" in history and "立案调查" in history
    journey.shot("model-worker-suspended")

    # One of the worker's payments was wrong: the operator asks to reverse it on the payment's own page.
    page.click("#payment-history tbody tr:first-child td:first-child a")
    page.wait_for_url(re.compile(r"/payments/\d+/$"))
    payment_url = page.url
    page.fill("#id_reason", "金额录入错误，应为 800 元")
    page.click("#request-reversal")
    page.wait_for_load_state()
    assert "须由申请人以外的财务人员确认" in page.inner_text(".messages")
    journey.shot("payment-reversal-requested")
    journey.sign_out()

    journey.sign_in("finance")
    page.click("#todos li:has-text('待您确认单笔冲销') a")
    page.wait_for_load_state()
    assert page.url == payment_url
    page.click("#confirm-reversal")
    page.wait_for_load_state()
    assert "已冲销该笔发放" in page.inner_text(".messages")
    assert page.locator("h1 .status-reversed").count() == 1
    journey.shot("payment-reversed-by-finance")
    page.goto(f"{url}/board/?year=2024&program=model_worker")
    assert page.locator("#submission-board tbody tr").count() >= 2
    assert "喀什" in page.inner_text("#submission-board")
    journey.shot("submission-board")


def create_account(journey, *, username: str, name: tuple[str, str], organization: str, role: str) -> str:
    """The security administrator's 新建账号; the one-time password the page shows once."""
    page = journey.page
    page.goto(f"{journey.server.url}/users/new/")
    page.fill("#id_username", username)
    page.fill("#id_last_name", name[0])
    page.fill("#id_first_name", name[1])
    page.select_option("#id_organization", label=organization)
    page.select_option("#id_role", label=role)
    page.fill("#id_reason", "新到岗")
    page.click("main button.primary")
    page.wait_for_url(re.compile(r"/users/\d+/$"))
    password = page.inner_text("#one-time-password .one-time-password").strip()
    assert len(password) >= 12
    return password


def test_5_the_security_administrator_creates_an_operator_for_hotan_and_a_finance_user_the_audit_admin_confirms(
    journey, server
):
    page, url = journey.page, server.url
    journey.sign_in("security")
    assert page.url.endswith("/users/")  # lands on its own work
    journey.shot("users-page")
    server.passwords["hotan-li"] = create_account(
        journey, username="hotan-li", name=("李", "娜"), organization="653200 和田地区", role="单位经办人"
    )
    assert "角色“单位经办人”已生效" in page.inner_text(".messages")
    journey.shot("operator-created-one-time-password")
    page.reload()
    assert page.locator("#one-time-password").count() == 0  # shown once only
    create_account(journey, username="finance3", name=("王", "芳"), organization="650000 自治区总工会", role="财务人员")
    assert "须由另一位安全管理员或审计管理员确认" in page.inner_text(".messages")
    assert "待确认：财务人员" in page.inner_text("#account-facts")
    page.goto(f"{url}/users/?role=org_operator")
    assert "hotan-li" in page.inner_text("#users") and "和田" in page.inner_text("#users")
    journey.shot("users-filtered-operators")
    journey.sign_out()

    journey.sign_in("auditadmin")
    page.goto(f"{url}/users/")
    row = page.locator("#pending-decisions tr", has_text="finance3")
    assert "授予角色“财务人员”" in row.inner_text()
    journey.shot("audit-admin-sees-pending-role")
    row.locator("button:text-is('确认')").click()
    page.wait_for_load_state()
    assert "已确认" in page.inner_text(".messages")
    roles = "import json; from funds.models import User; u = User.objects.get(username='finance3')"
    roles += "; print(json.dumps(sorted(u.roles)))"
    assert server.query(roles) == ["finance_staff"]
    journey.sign_out()

    # The new operator signs in with the one-time password and must choose their own first.
    page.goto(f"{url}/login/")
    page.fill("input[name=username]", "hotan-li")
    page.fill("input[name=password]", server.passwords["hotan-li"])
    page.click("main button[type=submit]")
    page.wait_for_url("**/account/password/**")
    journey.shot("first-sign-in-must-change-password")
    page.fill("input[name=old_password]", server.passwords["hotan-li"])
    page.fill("input[name=new_password1]", "Hotan-operator-2025")
    page.fill("input[name=new_password2]", "Hotan-operator-2025")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "密码已修改" in page.inner_text(".messages")
    assert "和田地区" in page.inner_text(".usermenu")
    journey.shot("hotan-operator-home")


def test_6_finance_starts_2025_by_copying_standards_and_targets_and_entering_the_years_parameters(journey, server):
    page, url = journey.page, server.url
    journey.sign_in("finance")
    page.goto(f"{url}/standards/copy/?from=2024&to=2025")
    assert "将新建" in page.inner_text("main")
    also = page.inner_text("#also-copied")
    assert "劳模补助：复制 2024 年的" in also
    journey.shot("copy-preview")
    page.click("#copy-standards")
    page.wait_for_load_state()
    message = page.inner_text(".messages")
    assert "补助标准复制到 2025 年" in message and "绩效指标" in message
    journey.shot("standards-copied")

    # A wrong date first: the form comes back with the error in Chinese; Back from the next page shows the form again,
    # not the browser's "resubmit the form?" page.
    inputs = f"{url}/evaluation/model_worker/2025/inputs/"
    page.goto(inputs)
    page.fill("#id_settings-payment_deadline", "2024-12-10")
    page.fill("#id_settings-eligibility_date", "2025-10-31")
    page.click("#settings button.primary")
    page.wait_for_load_state()
    assert "日期必须在2025年内" in page.inner_text("#settings")
    journey.shot("parameters-refused")
    page.goto(f"{url}/standards/")
    page.go_back()
    page.wait_for_load_state()
    assert page.url == inputs and page.locator("#settings form").count() == 1
    page.fill("#id_settings-payment_deadline", "2025-12-10")
    page.fill("#id_settings-eligibility_date", "2025-10-31")
    page.fill("#id_settings-payments_open_on", "2025-11-25")
    page.fill("#id_settings-survey_deadline", "2025-10-31")
    page.click("#settings button.primary")
    page.wait_for_load_state()
    assert "已保存" in page.inner_text(".messages")
    assert page.input_value("#id_settings-payment_deadline") == "2025-12-10"
    journey.shot("parameters-saved")


def test_7_the_department_submits_targets_finance_returns_then_approves_and_finalises_the_june_monitoring(
    journey, server
):
    page, url = journey.page, server.url
    targets = f"{url}/evaluation/hardship/2025/targets/"
    # The department drafts 2025's 绩效目标表 from 2024's (its counts pre-filled from 2024's actual values) and submits.
    journey.sign_in("department")
    page.goto(targets)
    page.click("#start-targets button[value=last_year]")
    page.wait_for_load_state()
    assert "绩效目标表已建立" in page.inner_text(".messages")
    households = page.locator("#indicators tr[data-indicator='帮扶困难职工户数']").inner_text()
    assert f"≥{server.seed['report_2024']['households']}户" in households
    page.fill("#overall_goal", "对困难职工家庭实施帮扶。")
    page.click("#goal-form button[value=save]")
    page.wait_for_load_state()
    page.click("#submit-targets button")
    page.wait_for_load_state()
    assert page.locator("[data-status=submitted]").count() == 1
    journey.shot("targets-submitted")
    journey.sign_out()

    # Finance returns it once, with a comment …
    journey.sign_in("finance")
    assert "待您审核：2025年帮扶资金绩效目标表" in page.inner_text("main")
    page.goto(targets)
    page.click("#review-targets button[value=return]")
    page.wait_for_load_state()
    assert "退回时请填写审核意见" in page.inner_text(".messages")
    page.fill("#comment", "年度总体目标请写明户数和人数。")
    page.click("#review-targets button[value=return]")
    page.wait_for_load_state()
    assert page.locator("[data-status=returned]").count() == 1
    journey.shot("targets-returned")
    journey.sign_out()

    # … the department reads it on its home page, revises and submits again; finance approves.
    journey.sign_in("department")
    assert "年度总体目标请写明户数和人数" in page.inner_text("main")
    page.goto(targets)
    page.fill("#overall_goal", "对447户、1614人实施帮扶，资金按时足额发放到户。")
    page.click("#goal-form button[value=save]")
    page.wait_for_load_state()
    page.click("#submit-targets button")
    page.wait_for_load_state()
    journey.sign_out()
    journey.sign_in("finance2")
    page.goto(targets)
    page.click("#review-targets button[value=approve]")
    page.wait_for_load_state()
    assert page.locator("[data-status=approved]").count() == 1
    events = page.inner_text("#versions")
    assert events.count("送审") == 2 and "退回" in events and "审核通过" in events
    journey.shot("targets-approved")
    with page.expect_download() as table:
        page.click("a[href='/reports/targets/hardship/2025/file.xlsx']")
    saved = Path(tempfile.mkdtemp()) / "targets.xlsx"
    table.value.save_as(saved)
    assert load_workbook(saved).active["A1"].value == "项目支出绩效目标表"
    journey.sign_out()

    # The June monitoring of the model-worker subsidy: finance opens it, explains every warning and asks; finance2
    # (who wrote none of it) confirms; the finalised PDF carries the reasons.
    journey.sign_in("finance")
    page.goto(f"{url}/reports/monitoring/?year=2024")
    page.select_option("#new-monitoring select[name=program]", label="劳模专项补助资金")
    page.fill("#new-monitoring input[name=as_of]", "2024-06-30")
    page.click("#new-monitoring button")
    page.wait_for_load_state()
    assert "监控报告已建立" in page.inner_text(".messages")
    detail = page.url
    count = page.locator("#warnings form.explain").count()
    assert count >= 2
    for index in range(count):
        form = page.locator("#warnings form.explain").nth(index)
        form.locator("textarea").nth(0).fill("劳模补助每年11月底统一发放，上半年不发放。")
        form.locator("textarea").nth(1).fill("10月底前完成生活状况调查，12月10日前发放完毕。")
        form.locator("button").click()
        page.wait_for_load_state()
    assert page.locator("#warnings .finding-open").count() == 0
    page.click("#finalise button")
    page.wait_for_load_state()
    assert "定稿申请已提交" in page.inner_text(".messages")
    journey.shot("monitoring-requested")
    journey.sign_out()
    journey.sign_in("finance2")
    page.goto(detail)
    page.click("#finalise button")
    page.wait_for_load_state()
    assert "已定稿（第1版）" in page.inner_text(".messages")
    journey.shot("monitoring-finalised")
    with page.expect_download() as pdf:
        page.click("#snapshots a:has-text('报告 PDF')")
    text = pdf_text(Path(pdf.value.path()).read_bytes()).replace("\n", "")
    assert "绩效运行监控报告" in text and "12月10日前发放完毕" in text and "草稿" not in text


def test_8_finance_sends_hotan_s_payments_to_the_bank_a_second_person_releases_and_a_returned_one_is_re_issued(
    journey, server
):
    page, url = journey.page, server.url
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    journey.sign_in("finance")
    page.goto(f"{url}/payouts/")
    page.click("#new-batch")
    page.select_option("select[name=organization]", label="和田地区总工会")
    page.select_option("select[name=program]", label=MODEL_WORKERS)
    page.select_option("select[name=fiscal_year]", label="2024年度")
    page.select_option("select[name=template]", label="通用代发模板")
    page.fill("input[name=payer_name]", "和田地区总工会")
    page.fill("input[name=payer_account]", "3006 1234 0900 0765 432")
    page.fill("input[name=payer_bank]", "中国工商银行和田分行")
    page.click("#prepare")
    page.wait_for_url(re.compile(r"/payouts/\d+/$"))
    batch_url = page.url
    assert "已制单" in page.inner_text(".messages")
    lines = int(re.search(r"(\d+) 笔", page.inner_text("#batch-total")).group(1))
    assert lines > 100 and page.locator("#awaiting-release").count() == 1 and page.locator("#release").count() == 0
    journey.shot("batch-prepared")
    journey.sign_out()

    journey.sign_in("finance2")
    page.goto(batch_url)
    page.click("#release")
    page.wait_for_load_state()
    assert "已放行" in page.inner_text("h1")
    with page.expect_download() as download:
        page.click("#download-file")
    sheet = workbook(download.value).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == ["序号", "户名", "账号", "金额"] and len(rows) == lines + 1
    journey.shot("batch-released")

    # The bank's result: the first payment returned (户名不符), the rest paid the next day.
    result = [["序号", "账号", "户名", "金额", "处理结果", "失败原因", "入账日期"]]
    for serial, name, account, amount, *_ in rows[1:]:
        failed = serial == 1
        result.append(
            [serial, account, name, f"{amount:.2f}", "失败" if failed else "成功", "户名不符" if failed else "", ""]
        )
    path = Path(tempfile.mkdtemp()) / "回盘.xlsx"
    path.write_bytes(xlsx(result[0], result[1:]))
    page.select_option("select[name=template]", label="通用回盘模板")
    page.set_input_files("input[name=file]", str(path))
    page.click("#upload-result")
    page.wait_for_url(re.compile(r"/bank-results/\d+/$"))
    assert "1 笔" in page.inner_text("#failed") and "户名不符" in page.inner_text("#result-failures")
    journey.shot("result-previewed")
    page.click("#confirm-result")
    page.wait_for_url(batch_url)
    assert f"成功 {lines - 1} 笔，失败（退票）1 笔" in page.inner_text(".messages")
    assert "相符" in page.inner_text("#balanced")
    page.click("#reissue-1")
    page.fill("#returned-1 input[name=bank_account]", "6222021800000000010")
    page.fill("#returned-1 input[name=paid_on]", "2024-12-09")
    page.click("#confirm-reissue-1")
    page.wait_for_load_state()
    assert "已补发" in page.inner_text(".messages")
    figures = page.inner_text("#reconciliation")
    assert re.search(r"其中：已补发\s+1", figures)
    journey.shot("returned-payment-re-issued")


def test_9_an_operator_posts_the_publicity_list_then_calls_payees_and_a_not_received_becomes_a_complaint(
    journey, server
):
    page, url = journey.page, server.url
    journey.sign_in("kashgar")
    page.click("nav a:text-is('公示回访')")
    page.click("a:text-is('公示记录')")
    page.click("#new-publicity")
    page.select_option("select[name=program]", label=MODEL_WORKERS)
    page.select_option("select[name=fiscal_year]", label="2024年度")
    page.select_option("select[name=payment_kind]", label="春节慰问金")
    page.fill("input[name=starts_on]", "2024-11-15")
    page.fill("input[name=ends_on]", "2024-11-21")
    page.fill("input[name=contact]", "喀什地区总工会 0998-2821234")
    with page.expect_download() as pdf:
        page.click("#publicity-pdf")
    text = pdf_text(Path(pdf.value.path()).read_bytes()).replace("\n", "").replace(" ", "")
    assert "发放名单公示" in text and "*" in text and "0998-2821234" in text
    journey.shot("publicity-form")

    page.goto(f"{url}/oversight/verification/")
    page.click("#new-round")
    page.select_option("select[name=program]", label=MODEL_WORKERS)
    page.select_option("select[name=fiscal_year]", label="2024年度")
    page.fill("input[name=name]", "2024年喀什劳模慰问金电话回访")
    page.fill("input[name=size]", "3")
    page.click("#create-round")
    page.wait_for_url(re.compile(r"/oversight/verification/\d+/$"))
    assert "已抽取 3 人" in page.inner_text(".messages")
    round_url = page.url
    for n, (receipt, satisfied) in enumerate([("已收到", "满意"), ("收到但有问题", "不满意"), ("未收到", "不满意")]):
        page.goto(round_url)
        page.locator("#visits tbody tr").nth(n).locator("a").first.click()
        page.select_option("select[name=receipt]", label=receipt)
        page.select_option("select[name=satisfied]", label=satisfied)
        page.fill("input[name=visited_on]", "2024-12-16")
        page.click("#record-visit")
        page.wait_for_url(round_url)
    assert "已记录 3 / 3" in page.inner_text("#round-progress")
    assert "满意 1 人 / 联系上 3 人" in page.inner_text("#round-satisfaction")
    journey.shot("visits-recorded")
    page.goto(f"{url}/oversight/objections/")
    assert "回访时对象称未收到" in page.inner_text("#objections")
    journey.shot("complaint-from-visit")


def test_screenshots_were_saved(server):
    from tests.e2e.conftest import SCREENSHOTS

    names = sorted(p.name for p in SCREENSHOTS.glob("*.png"))
    for prefix in (
        "1_finance",
        "2_an_operator",
        "3_the_auditor",
        "4_an_operator",
        "5_the_security",
        "6_finance",
        "7_the_department",
        "8_finance",
        "9_an_operator",
    ):
        assert any(name.startswith(prefix) for name in names), names
