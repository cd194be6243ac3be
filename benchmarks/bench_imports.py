"""Disbursement import benchmark: validate and confirm timed separately, on SQLite and PostgreSQL.

    .venv/bin/python benchmarks/bench_imports.py                 # 10,000 and 100,000 rows, both databases
    .venv/bin/python benchmarks/bench_imports.py --rows 10000 --databases sqlite

For each size it builds, in a scratch database, a roster of that many model workers (with living surveys,
standards and an allocation large enough), writes a valid `.xlsx` of that many 春节慰问金 rows, and times:
the raw floor (python-calamine reading the file; PostgreSQL COPY of the same rows), our validate and our
confirm, and django-import-export's default row-by-row import of the same rows (on a 10,000-row slice).
Peak memory is the child process's maximum resident set size. Results print as a Markdown table row.
"""

import argparse
import datetime
import io
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG_URL = "postgres://postgres@127.0.0.1:5432/unionfunds_bench"
DIE_SLICE = 10_000


def child(rows: int, database: str) -> dict:
    """Runs in a fresh process: DATABASE_URL is already set for it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection
    from openpyxl import Workbook
    from python_calamine import CalamineWorkbook

    from beneficiaries.models import LivingSurvey, ModelWorker
    from demo.users import ensure_demo_users
    from funds.choices import FundingSource, ImportKind, Role, StandardType
    from funds.models import Disbursement, Organization, PaymentKind, PaymentStandard, Program, User
    from funds.services.allocation import (
        PlanLineInput,
        allocation_plan_approve,
        allocation_plan_save,
        allocation_plan_submit,
    )
    from funds.services.budget import appropriation_save, funds_receipt_create
    from funds.services.fiscal_years import fiscal_year_get_or_create
    from imports.services import import_batch_confirm, import_batch_create, import_batch_validate
    from tests.factories import valid_resident_id

    call_command("migrate", verbosity=0)
    call_command("setup_reference_data", verbosity=0)
    ensure_demo_users()
    finance, checker = User.objects.get(username="finance"), User.objects.get(username="finance2")
    operator = User.objects.get(username="kashgar")
    assert operator.role == Role.OPERATOR
    org = Organization.objects.get(code="653100")
    program = Program.objects.get(code="model_worker")
    kind = PaymentKind.objects.get(program=program, code="spring_festival")
    year = fiscal_year_get_or_create(year=2024)
    amount = Decimal(rows * 1000)
    appropriation = appropriation_save(
        program=program, fiscal_year=year, budgets={FundingSource.CURRENT_FISCAL: (amount, amount)}, acting_user=finance
    )
    funds_receipt_create(
        appropriation=appropriation,
        source=FundingSource.CURRENT_FISCAL,
        amount=amount,
        received_on=datetime.date(2024, 3, 1),
        acting_user=finance,
    )
    plan = allocation_plan_save(
        program=program,
        fiscal_year=year,
        title="bench",
        plan_date=datetime.date(2024, 5, 1),
        lines=[PlanLineInput(organization=org, amount=amount)],
        acting_user=finance,
    )
    allocation_plan_submit(plan=plan, acting_user=finance)
    allocation_plan_approve(plan=plan, acting_user=checker)
    PaymentStandard.objects.create(
        fiscal_year=year, payment_kind=kind, standard_type=StandardType.FIXED, fixed_amount=Decimal(1000)
    )
    numbers = [valid_resident_id("653101", datetime.date(1950, 1, 1)) for _ in range(rows)]
    workers = ModelWorker.objects.bulk_create(
        [
            ModelWorker(
                name=f"劳模{i}", id_number=n, organization=org, honour_type="regional_model_worker", award_year=2000
            )
            for i, n in enumerate(numbers)
        ],
        batch_size=5000,
    )
    LivingSurvey.objects.bulk_create(
        [
            LivingSurvey(model_worker=w, fiscal_year=year, surveyed_on=datetime.date(2024, 10, 1), condition="good")
            for w in workers
        ],
        batch_size=5000,
    )

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    headers = [
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
    sheet.append(headers)
    for i, number in enumerate(numbers):
        sheet.append(
            [
                i + 1,
                f"劳模{i}",
                number,
                "春节慰问金",
                1000,
                datetime.date(2024, 11, 28),
                "银行代发",
                f"62284800{i:011d}",
                "财政资金",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    result = {"rows": rows, "database": database, "file_mb": round(len(data) / 1048576, 1)}

    started = time.perf_counter()
    values = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    result["read_floor_s"] = time.perf_counter() - started
    assert len(values) == rows + 1

    started = time.perf_counter()
    batch = import_batch_create(
        kind=ImportKind.DISBURSEMENTS,
        organization=org,
        program=program,
        fiscal_year=year,
        file_name="bench.xlsx",
        data=data,
        acting_user=operator,
    )
    batch = import_batch_validate(batch=batch)
    result["validate_s"] = time.perf_counter() - started
    assert batch.status == "previewed", batch.errors[:3]

    started = time.perf_counter()
    batch = import_batch_confirm(batch=batch, acting_user=operator)
    result["confirm_s"] = time.perf_counter() - started
    assert batch.status == "imported" and Disbursement.objects.count() == rows

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE copy_floor (LIKE funds_disbursement INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )
            columns = [
                "program_id",
                "fiscal_year_id",
                "payment_kind_id",
                "model_worker_id",
                "amount",
                "paid_on",
                "payment_method",
                "account_masked",
                "paying_organization_id",
                "funding_source",
                "status",
                "once_per_year",
                "note",
                "created_by_id",
                "created_at",
                "seal",
            ]
            now = datetime.datetime.now(datetime.UTC)
            started = time.perf_counter()
            with cursor.copy(f"COPY copy_floor ({', '.join(columns)}) FROM STDIN") as copy:
                for worker in workers:
                    copy.write_row(
                        (
                            program.pk,
                            year.pk,
                            kind.pk,
                            worker.pk,
                            1000,
                            datetime.date(2024, 11, 28),
                            "bank_agency",
                            "****",
                            org.pk,
                            "current_fiscal",
                            "posted",
                            True,
                            "",
                            operator.pk,
                            now,
                            "0" * 64,  # the HMAC seal every payment carries (same width as the real one)
                        )
                    )
            result["copy_floor_s"] = time.perf_counter() - started

    # django-import-export, default settings (row by row), on a slice, into a clean slate for that slice.
    from import_export import fields, resources, widgets
    from tablib import Dataset

    class DisbursementResource(resources.ModelResource):
        model_worker = fields.Field(
            attribute="model_worker",
            column_name="model_worker",
            widget=widgets.ForeignKeyWidget(ModelWorker, field="id_number_digest"),
        )

        class Meta:
            model = Disbursement
            fields = (
                "program",
                "fiscal_year",
                "payment_kind",
                "model_worker",
                "amount",
                "paid_on",
                "payment_method",
                "paying_organization",
                "funding_source",
                "once_per_year",
                "created_by",
                "status",
            )
            import_id_fields = ()

    Disbursement.objects.filter(batch=batch).update(status="reversed")  # frees the once-a-year slot
    dataset = Dataset(headers=list(DisbursementResource.Meta.fields))
    for worker in workers[:DIE_SLICE]:
        dataset.append(
            [
                program.pk,
                year.pk,
                kind.pk,
                worker.id_number_digest,
                "1000.00",
                "2024-11-28",
                "bank_agency",
                org.pk,
                "current_fiscal",
                True,
                operator.pk,
                "posted",
            ]
        )
    started = time.perf_counter()
    outcome = DisbursementResource().import_data(dataset, dry_run=False, raise_errors=True)
    die = time.perf_counter() - started
    assert not outcome.has_errors()
    result["die_rows"] = len(dataset)
    result["die_rows_per_s"] = len(dataset) / die
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    memory = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) // 1048576} GiB RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--child", nargs=2, metavar=("ROWS", "DATABASE"))
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(int(args.child[0]), args.child[1])))
        return
    print(f"Machine: {machine()}; {datetime.date.today()}")
    print(
        "| db | rows | file MB | calamine read (floor) | validate | confirm | validate+confirm rows/s | COPY (floor) "
        "| django-import-export default rows/s | speed-up | peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for database in args.databases:
        for rows in args.rows:
            env = dict(os.environ)
            if database == "postgresql":
                subprocess.run(
                    ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "DROP DATABASE IF EXISTS unionfunds_bench"],
                    check=True,
                )
                subprocess.run(
                    ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE unionfunds_bench"], check=True
                )
                env["DATABASE_URL"] = PG_URL
            else:
                env["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(rows), database],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            total = r["validate_s"] + r["confirm_s"]
            copy = f"{r['copy_floor_s']:.2f} s" if "copy_floor_s" in r else "—"
            print(
                f"| {database} | {rows:,} | {r['file_mb']} | {r['read_floor_s']:.2f} s | {r['validate_s']:.2f} s | "
                f"{r['confirm_s']:.2f} s | {rows / total:,.0f} | {copy} | {r['die_rows_per_s']:,.0f} "
                f"({r['die_rows']:,} rows) | {rows / total / r['die_rows_per_s']:.1f}× | {r['peak_rss_mb']:,.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
