"""A real year entered by a new deployment, as its users would: every prefecture's files uploaded through the web.

    .venv/bin/python benchmarks/bench_real_year.py                      # SQLite scratch databases
    .venv/bin/python benchmarks/bench_real_year.py --database postgres://postgres@127.0.0.1:5432/unionfunds_year

Phase 1 (a scratch database with the demo) writes seed 001's 2022 model-worker year as the prefectures send it: for
each union a roster (4,052 workers in all: 154 suspended with their reason but **no 暂停日期**, deaths with their
date), a living-survey file and a payments file — in the offices' own styles, in turn: legacy `.xls` with a title
row; `.xlsx` with a merged title, a blank row, their own headers (身份证号码, 发放金额(元), 开户账号) and a 合计 row;
`.xlsx` with a 填写说明 sheet before the data; `.csv` as Excel saves it on a Chinese system (GB18030).

Phase 2 (a fresh database with reference data only) sets the year up as finance staff would (budget 777 万 fiscal +
23.62 万 department budget, receipts, an approved plan per union, standards, the reference day), then each union's
operator uploads and confirms their three files through the upload page (Django's test client: the same views,
forms and services as the browser), the rosters with "日期不详的，视为自所选年度 1 月 1 日起生效" for 2022. It prints
the time per kind and the year's figures: seed 001 expects 4,016 registered living, 154 suspended, 3,862 paid,
coverage 100 %, 98.50 优.
"""

import argparse
import datetime
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2022


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def export(out: Path) -> None:
    _setup_django()
    from django.core.management import call_command

    from beneficiaries.choices import HonourType, LivingCondition, ModelWorkerStatus, SuspensionReason
    from beneficiaries.models import LivingSurvey, ModelWorker
    from demo.loader import load_demo
    from funds.choices import DisbursementStatus, FundingSource, PaymentMethod
    from funds.models import Disbursement, Organization

    call_command("migrate", verbosity=0)
    call_command("setup_reference_data", verbosity=0)
    load_demo()
    honour = {value: str(label) for value, label in HonourType.choices}
    reason = {value: str(label) for value, label in SuspensionReason.choices}
    condition = {value: str(label) for value, label in LivingCondition.choices}
    method = {value: str(label) for value, label in PaymentMethod.choices}
    source = {value: str(label) for value, label in FundingSource.choices}
    end = datetime.date(YEAR, 12, 31)
    plan: dict[str, str] = {}
    for index, org in enumerate(Organization.objects.exclude(parent=None).order_by("sort_order", "code")):
        roster = []
        for worker in ModelWorker.objects.filter(organization=org).order_by("pk"):
            died = worker.died_on is not None and worker.died_on <= end
            status = "已故" if died else "暂停" if worker.status == ModelWorkerStatus.SUSPENDED else "在册"
            roster.append([
                worker.name, worker.id_number, honour[worker.honour_type], str(worker.award_year), status,
                reason.get(worker.suspension_reason, "") if status == "暂停" else "",
                "是" if worker.is_retired else "否", "是" if worker.is_farmer_herder else "否", worker.residence,
                worker.bank_account, "", worker.died_on.isoformat() if died else "",
            ])  # fmt: skip
        surveys = [
            [s.model_worker.name, s.model_worker.id_number, str(YEAR), s.surveyed_on.isoformat(),
             condition[s.condition], str(s.monthly_income or ""), s.surveyor, ""]
            for s in LivingSurvey.objects.filter(model_worker__organization=org, fiscal_year__year=YEAR)
            .select_related("model_worker").order_by("pk")
        ]  # fmt: skip
        payments = [
            [n, d.model_worker.name, d.model_worker.id_number, d.payment_kind.name, f"{d.amount:.2f}",
             d.paid_on.isoformat(), method[d.payment_method], d.model_worker.bank_account, source[d.funding_source], ""]
            for n, d in enumerate(
                Disbursement.objects.filter(
                    paying_organization=org, fiscal_year__year=YEAR, program__code="model_worker",
                    status=DisbursementStatus.POSTED,
                ).select_related("model_worker", "payment_kind").order_by("pk"),
                start=1,
            )
        ]  # fmt: skip
        fiscal = sum(float(p[4]) for p in payments if p[8] == source[FundingSource.CURRENT_FISCAL])
        if fiscal:
            plan[org.code] = f"{fiscal:.2f}"
        style = index % 4
        _write(out / "roster", org.code, ROSTER_HEADERS, roster, style, org.short_name)
        if surveys:
            _write(out / "surveys", org.code, SURVEY_HEADERS, surveys, style, org.short_name)
        if payments:
            _write(out / "payments", org.code, PAYMENT_HEADERS, payments, style, org.short_name)
    # The federation pays the department-budget money itself.
    federation = Organization.objects.get(parent=None)
    department = [
        [n, d.model_worker.name, d.model_worker.id_number, d.payment_kind.name, f"{d.amount:.2f}",
         d.paid_on.isoformat(), method[d.payment_method], d.model_worker.bank_account, "部门预算", ""]
        for n, d in enumerate(
            Disbursement.objects.filter(paying_organization=federation, fiscal_year__year=YEAR,
                                        program__code="model_worker").select_related("model_worker", "payment_kind"),
            start=1,
        )
    ]  # fmt: skip
    _write(out / "payments", federation.code, PAYMENT_HEADERS, department, 1, federation.short_name)
    (out / "plan.json").write_text(json.dumps(plan))


ROSTER_HEADERS = ["姓名", "身份证号", "荣誉类型", "获评年份", "状态", "暂停原因", "是否退休", "是否农牧民", "现居住地",
                  "银行账号", "暂停日期", "去世日期"]  # fmt: skip
SURVEY_HEADERS = ["姓名", "身份证号", "调查年度", "调查日期", "生活状况", "月收入（元）", "调查人", "备注"]
PAYMENT_HEADERS = [
    "序号",
    "姓名",
    "身份证号",
    "发放类型",
    "金额（元）",
    "发放日期",
    "发放方式",
    "银行账号",
    "资金来源",
    "备注",
]
# How offices word the headers (style 1).
OWN_WORDING = {"身份证号": "身份证号码", "金额（元）": "发放金额(元)", "银行账号": "开户账号", "发放日期": "发放时间"}


def _write(folder: Path, code: str, headers: list, rows: list, style: int, name: str) -> None:
    """style 0: legacy .xls with a title row; 1: .xlsx with a merged title, a blank row, the office's own headers and
    a 合计 row; 2: .xlsx with a 填写说明 sheet first; 3: .csv in GB18030."""
    import csv

    import xlwt
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    title = f"{YEAR}年{name}劳模专项补助资金{folder.name}"
    if style == 0:
        book = xlwt.Workbook()
        sheet = book.add_sheet("Sheet1")
        sheet.write_merge(0, 0, 0, len(headers) - 1, title)
        for column, header in enumerate(headers):
            sheet.write(1, column, header)
        for r, row in enumerate(rows, start=2):
            for column, value in enumerate(row):
                sheet.write(r, column, value)
        book.save(str(folder / f"{code}.xls"))
        return
    if style == 3:
        with open(folder / f"{code}.csv", "w", encoding="gb18030", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(headers)
            writer.writerows(rows)
        return
    book = Workbook()
    sheet = book.active
    if style == 2:
        sheet.title = "填写说明"
        sheet.append(["请按模板填写，身份证号设置为文本格式。"])
        sheet = book.create_sheet("数据")
        sheet.append(headers)
    else:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        sheet.append([])
        sheet.append([OWN_WORDING.get(h, h) for h in headers])
    for row in rows:
        sheet.append(row)
    if style == 1 and headers is PAYMENT_HEADERS and rows:
        total = sum(float(row[4]) for row in rows)
        sheet.append(["合计", "", "", "", f"{total:.2f}"])
    book.save(folder / f"{code}.xlsx")


def enter(files: Path) -> dict:
    _setup_django()
    from decimal import Decimal

    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.test import Client

    from beneficiaries.models import ModelWorker
    from demo.budget import payment_standards
    from evaluation.models import Indicator, ProgramYearSettings, SatisfactionSurvey
    from evaluation.selectors import evaluate
    from evaluation.services import indicator_system_start
    from funds.choices import FundingSource, ImportStatus, Role, UnknownStatusDate
    from funds.models import Disbursement, ImportBatch, Organization, PaymentKind, Program, User
    from funds.services.allocation import (
        PlanLineInput,
        allocation_plan_approve,
        allocation_plan_save,
        allocation_plan_submit,
    )
    from funds.services.budget import appropriation_save, funds_receipt_create
    from funds.services.fiscal_years import fiscal_year_get_or_create

    call_command("migrate", verbosity=0)
    call_command("setup_reference_data", verbosity=0)
    organizations = {o.code: o for o in Organization.objects.all()}
    federation = organizations["650000"]

    def user(name: str, role: Role, org: Organization) -> User:
        person = User(username=name, organization=org, must_change_password=False)
        person.set_password("correct-horse-battery-9")
        person.save()
        person.groups.add(Group.objects.get(name=role.value))
        return person

    finance, checker = user("finance", Role.FINANCE, federation), user("finance2", Role.FINANCE, federation)
    program = Program.objects.get(code="model_worker")
    year = fiscal_year_get_or_create(year=YEAR)
    budgets = {FundingSource.CURRENT_FISCAL: (Decimal(7_770_000), Decimal(7_770_000)),
               FundingSource.OTHER: (Decimal(0), Decimal(236_200))}  # fmt: skip
    appropriation = appropriation_save(program=program, fiscal_year=year, budgets=budgets, acting_user=finance)
    for source, amount in ((FundingSource.CURRENT_FISCAL, 7_770_000), (FundingSource.OTHER, 236_200)):
        funds_receipt_create(appropriation=appropriation, source=source, amount=Decimal(amount),
                             received_on=datetime.date(YEAR, 3, 18), acting_user=finance)  # fmt: skip
    plan = json.loads((files / "plan.json").read_text())
    allocation = allocation_plan_save(
        program=program,
        fiscal_year=year,
        title="2022年自治区劳模专项补助资金分配方案",
        plan_date=datetime.date(2021, 8, 5),
        lines=[PlanLineInput(organization=organizations[c], amount=Decimal(a)) for c, a in plan.items()],
        acting_user=finance,
    )  # fmt: skip
    allocation_plan_submit(plan=allocation, acting_user=finance)
    allocation_plan_approve(plan=allocation, acting_user=checker)
    kinds = {(k.program.code, k.code): k for k in PaymentKind.objects.select_related("program")}
    payment_standards({YEAR: year}, kinds)
    ProgramYearSettings.objects.create(
        program=program,
        fiscal_year=year,
        payment_deadline=datetime.date(YEAR, 12, 10),
        eligibility_date=datetime.date(YEAR, 11, 25),
    )
    indicator_system_start(program=program, fiscal_year=year, acting_user=finance)
    Indicator.objects.filter(comparator="qualitative").update(manual_value=Decimal(90), manual_text="达到预期效果")
    Indicator.objects.filter(value_source="manual").exclude(comparator="qualitative").update(manual_value=Decimal(96))
    SatisfactionSurvey.objects.create(program=program, fiscal_year=year, respondents=3862, satisfied=3862,
                                      surveyed_on=datetime.date(YEAR, 12, 20), method="电话回访与问卷调查")  # fmt: skip

    timings: dict[str, list] = {"roster": [], "surveys": [], "payments": []}
    kind_of = {"roster": "model_workers", "surveys": "living_surveys", "payments": "disbursements"}
    for folder in ("roster", "surveys", "payments"):
        for path in sorted((files / folder).iterdir()):
            code = path.stem
            org = organizations[code]
            uploader = (
                finance
                if org == federation
                else (User.objects.filter(username=f"op-{code}").first() or user(f"op-{code}", Role.OPERATOR, org))
            )
            client = Client()
            client.force_login(uploader)
            data = io.BytesIO(path.read_bytes())
            data.name = path.name
            fields = {"kind": kind_of[folder], "organization": org.pk, "file": data}
            if folder == "roster":
                fields.update(unknown_status_date=UnknownStatusDate.YEAR_START, fiscal_year=year.pk)
            if folder == "payments":
                fields.update(program=program.pk, fiscal_year=year.pk)
            started = time.perf_counter()
            client.post("/imports/upload/", fields)
            batch = ImportBatch.objects.latest("pk")
            validated = time.perf_counter()
            if batch.status != ImportStatus.PREVIEWED:
                raise SystemExit(f"{path}: {batch.get_status_display()} {batch.errors[:5]}")
            client.post(f"/imports/{batch.pk}/confirm/", {"warnings_acknowledged": "on"})
            batch.refresh_from_db()
            confirmed = time.perf_counter()
            if batch.status != ImportStatus.IMPORTED:
                raise SystemExit(f"{path}: not imported: {batch.errors[:5]}")
            timings[folder].append((path.suffix, batch.row_count, validated - started, confirmed - validated,
                                    batch.summary.get("notes", [])))  # fmt: skip
    evaluation = evaluate(user=finance, program=program, fiscal_year=year)
    day = datetime.date(YEAR, 11, 25)
    coverage = evaluation.values["coverage_rate"]
    return {
        "timings": {k: v for k, v in timings.items()},
        "living": ModelWorker.objects.living_on(day).count(),
        "suspended": ModelWorker.objects.suspended_on(day).count(),
        "paid": evaluation.values["persons_paid"].value and int(evaluation.values["persons_paid"].value),
        "payments": Disbursement.objects.count(),
        "executed": str(evaluation.executed),
        "coverage": [str(coverage.value), coverage.numerator, coverage.denominator],
        "total": str(evaluation.total),
        "grade": str(evaluation.grade),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="", help="the fresh deployment's database (default: a scratch SQLite)")
    parser.add_argument("--phase", choices=["export", "enter"], help=argparse.SUPPRESS)
    parser.add_argument("--files", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "export":
        export(Path(args.files))
        return
    if args.phase == "enter":
        print(json.dumps(enter(Path(args.files))))
        return
    scratch = Path(tempfile.mkdtemp(prefix="unionfunds-year-"))
    files = scratch / "files"
    base = {**os.environ, "MEDIA_ROOT": str(scratch / "media"), "IMPORT_BACKGROUND_BYTES": str(1 << 30),
            "ALLOWED_HOSTS": "testserver,127.0.0.1", "DEBUG": "True"}  # fmt: skip
    started = time.perf_counter()
    source = {**base, "DATABASE_URL": f"sqlite:///{scratch / 'source.sqlite3'}"}
    subprocess.run([sys.executable, __file__, "--phase", "export", "--files", str(files)], env=source, check=True)
    print(f"files written in {time.perf_counter() - started:.1f} s")
    target = {**base, "DATABASE_URL": args.database or f"sqlite:///{scratch / 'year.sqlite3'}"}
    output = subprocess.run(
        [sys.executable, __file__, "--phase", "enter", "--files", str(files)],
        env=target, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    result = json.loads(output.strip().splitlines()[-1])
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, database {'PostgreSQL' if args.database else 'SQLite'}")  # fmt: skip
    print("| kind | files | rows | validate (sum) | confirm (sum) | slowest file | formats |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for kind, rows in result["timings"].items():
        total_rows = sum(r[1] for r in rows)
        validate = sum(r[2] for r in rows)
        confirm = sum(r[3] for r in rows)
        slowest = max(r[2] + r[3] for r in rows)
        formats = ", ".join(sorted({r[0] for r in rows}))
        print(
            "| "
            + " | ".join([kind, str(len(rows)), f"{total_rows:,}", f"{validate:.1f} s", f"{confirm:.1f} s"])
            + f" | {slowest:.2f} s | {formats} |"
        )
    notes = sorted({note for rows in result["timings"].values() for r in rows for note in r[4]})
    print("preview notes seen:", *notes[:6], sep="\n  ")
    for key in ("living", "suspended", "paid", "payments", "executed", "coverage", "total", "grade"):
        print(f"{key}: {result[key]}")


if __name__ == "__main__":
    main()
