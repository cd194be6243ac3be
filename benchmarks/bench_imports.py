"""Disbursement import benchmark: our validate + confirm against the database's own floor, in the same run.

    .venv/bin/python benchmarks/bench_imports.py                              # 10,000 and 100,000 rows, both databases
    .venv/bin/python benchmarks/bench_imports.py --rows 100000 --databases postgresql --json
    .venv/bin/python benchmarks/bench_imports.py --rows 5000 --roster 115000 --databases postgresql
    .venv/bin/python benchmarks/bench_imports.py --rows 1000000 --databases postgresql --skip-die   # memory

A first process builds, in a scratch database, a roster of `--roster` model workers (default: as many as rows;
each with that year's living survey), a payment standard and an allocation large enough, and writes a valid
`.xlsx` of N 春节慰问金 rows to disk. A second, fresh process (so its peak memory is the import's, not the
generator's) times:

- **floor** (PostgreSQL): python-calamine reading the file, a minimal loop over its rows (ID check digit,
  `Decimal`, date) and `COPY` into the **real** `funds_disbursement` — every index, foreign key and constraint —
  committed. It writes the same people's payments for the year before, so neither write sees the other's rows in
  its checks; it runs first, into the emptier table.
- **validate** — upload service + every rule (`import_batch_create` + `import_batch_validate`): the preview.
- **confirm** — `import_batch_confirm`: the lock, the watermark (or the checks again), the write, the commit.
- **django-import-export default** — its row-by-row `import_data` on a 10,000-row slice (`--skip-die` skips it).

With `--json` the last line is `{"rows", "project_s", "floor_s", "ratio", "peak_rss_mb"}` for the last PostgreSQL run.
"""

import argparse
import datetime
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
HEADERS = ["序号", "姓名", "身份证号", "发放类型", "金额（元）", "发放日期", "发放方式", "银行账号", "资金来源", "备注"]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def prepare(rows: int, roster: int, path: str) -> dict:
    """The scratch year and the file; runs in its own process."""
    _setup()
    from decimal import Decimal

    from django.core.management import call_command
    from openpyxl import Workbook

    from beneficiaries.models import LivingSurvey, ModelWorker
    from core.bulk import bulk_insert
    from demo.users import ensure_demo_users
    from funds.choices import FundingSource, StandardType
    from funds.models import Organization, PaymentKind, PaymentStandard, Program, User
    from funds.services.allocation import (
        PlanLineInput,
        allocation_plan_approve,
        allocation_plan_save,
        allocation_plan_submit,
    )
    from funds.services.budget import appropriation_save, funds_receipt_create
    from funds.services.fiscal_years import fiscal_year_get_or_create
    from tests.factories import valid_resident_id

    call_command("migrate", verbosity=0)
    call_command("setup_reference_data", verbosity=0)
    ensure_demo_users()
    finance, checker = User.objects.get(username="finance"), User.objects.get(username="finance2")
    org = Organization.objects.get(code="653100")
    program = Program.objects.get(code="model_worker")
    kind = PaymentKind.objects.get(program=program, code="spring_festival")
    fiscal_year_get_or_create(year=2023)
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
    numbers = [valid_resident_id("653101", datetime.date(1950, 1, 1)) for _ in range(max(rows, roster))]
    for start in range(0, len(numbers), 50_000):
        # Real ciphertext in the encrypted columns (model instances through the field's own encryption).
        bulk_insert(
            ModelWorker,
            [
                ModelWorker(
                    name=f"劳模{i}", id_number=n, organization=org, honour_type="regional_model_worker", award_year=2000
                )
                for i, n in enumerate(numbers[start : start + 50_000], start=start)
            ],
        )
    LivingSurvey.objects.bulk_create(
        [
            LivingSurvey(model_worker_id=pk, fiscal_year=year, surveyed_on=datetime.date(2024, 10, 1), condition="good")
            for pk in ModelWorker.objects.values_list("pk", flat=True).iterator()
        ],
        batch_size=5000,
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    for i, number in enumerate(numbers[:rows]):
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
    workbook.save(path)
    return {"file_mb": round(os.path.getsize(path) / 1048576, 1)}


def floor(path: str, database: str) -> float | None:
    """Read + minimal loop + COPY into the real table (PostgreSQL only), committed."""
    from decimal import Decimal

    from django.db import connection, transaction
    from python_calamine import CalamineWorkbook

    from beneficiaries import resident_id
    from beneficiaries.models import ModelWorker, resident_id_digest
    from funds.models import FiscalYear, Organization, PaymentKind, User

    if database != "postgresql":
        return None
    org = Organization.objects.get(code="653100")
    kind = PaymentKind.objects.get(program__code="model_worker", code="spring_festival")
    year = FiscalYear.objects.get(year=2023)
    operator = User.objects.get(username="kashgar")
    started = time.perf_counter()
    people = dict(ModelWorker.objects.values_list("id_number_digest", "pk"))
    values = CalamineWorkbook.from_path(path).get_sheet_by_index(0).to_python()
    columns = (
        "program_id, fiscal_year_id, payment_kind_id, model_worker_id, amount, paid_on, payment_method, "
        "account_masked, bank_account, paying_organization_id, funding_source, status, once_per_year, note, "
        "created_by_id, created_at, seal"
    )
    now = datetime.datetime.now(datetime.UTC)
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.copy(f"COPY funds_disbursement ({columns}) FROM STDIN") as copy,
    ):
        for row in values[1:]:
            number = resident_id.validate(str(row[2]))
            amount = Decimal(str(row[4])).quantize(Decimal("0.01"))
            paid_on = row[5].date() if isinstance(row[5], datetime.datetime) else row[5]
            copy.write_row(
                (
                    kind.program_id,
                    year.pk,
                    kind.pk,
                    people[resident_id_digest(number)],
                    amount,
                    paid_on.replace(year=2023),
                    "bank_agency",
                    "****",
                    "",
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
    return time.perf_counter() - started


def run(rows: int, database: str, path: str, skip_die: bool) -> dict:
    """The timed part; runs in a fresh process."""
    _setup()
    from funds.choices import ImportKind
    from funds.models import Disbursement, FiscalYear, Organization, Program, User
    from imports.services import import_batch_confirm, import_batch_create, import_batch_validate

    result = {"rows": rows, "database": database}
    result["floor_s"] = floor(path, database)
    operator = User.objects.get(username="kashgar")
    org = Organization.objects.get(code="653100")
    program = Program.objects.get(code="model_worker")
    year = FiscalYear.objects.get(year=2024)
    data = Path(path).read_bytes()

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
    del data
    batch = import_batch_validate(batch=batch)
    result["validate_s"] = time.perf_counter() - started
    assert batch.status == "previewed", batch.errors[:3]

    started = time.perf_counter()
    batch = import_batch_confirm(batch=batch, acting_user=operator)
    result["confirm_s"] = time.perf_counter() - started
    assert batch.status == "imported" and Disbursement.objects.filter(fiscal_year=year).count() == rows
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if not skip_die:
        result.update(die(batch, min(rows, DIE_SLICE)))
    return result


def die(batch, rows: int) -> dict:
    """django-import-export, default settings (row by row), on a slice, into a clean slate for that slice."""
    from import_export import fields, resources, widgets
    from tablib import Dataset

    from beneficiaries.models import ModelWorker
    from funds.models import Disbursement

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
    kind = Disbursement.objects.filter(batch=batch).values_list("payment_kind_id", flat=True).first()
    dataset = Dataset(headers=list(DisbursementResource.Meta.fields))
    for digest in ModelWorker.objects.order_by("pk").values_list("id_number_digest", flat=True)[:rows]:
        dataset.append(
            [
                batch.program_id,
                batch.fiscal_year_id,
                kind,
                digest,
                "1000.00",
                "2024-11-28",
                "bank_agency",
                batch.organization_id,
                "current_fiscal",
                True,
                batch.created_by_id,
                "posted",
            ]
        )
    started = time.perf_counter()
    outcome = DisbursementResource().import_data(dataset, dry_run=False, raise_errors=True)
    elapsed = time.perf_counter() - started
    assert not outcome.has_errors()
    return {"die_rows": len(dataset), "die_rows_per_s": len(dataset) / elapsed}


def machine() -> str:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    memory = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) // 1048576} GiB RAM, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--roster", type=int, default=0, help="roster size (default: as many as rows)")
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--json", action="store_true", help="end with one JSON line for the last PostgreSQL run")
    parser.add_argument("--skip-die", action="store_true", help="skip django-import-export's comparison")
    parser.add_argument("--child", nargs=4, metavar=("STEP", "ROWS", "DATABASE", "PATH"))
    args = parser.parse_args()
    if args.child:
        step, rows, database, path = args.child
        if step == "prepare":
            out = prepare(int(rows), args.roster, path)
        else:
            out = run(int(rows), database, path, args.skip_die)
        print(json.dumps(out))
        return
    print(f"Machine: {machine()}; {datetime.date.today()}")
    print(
        "| db | rows | roster | file MB | floor (read + loop + COPY) | validate | confirm | validate+confirm "
        "| ratio to floor | django-import-export default rows/s | peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    last = None
    for database in args.databases:
        for rows in args.rows:
            env = dict(os.environ)
            scratch = tempfile.mkdtemp()
            if database == "postgresql":
                for sql in ("DROP DATABASE IF EXISTS unionfunds_bench", "CREATE DATABASE unionfunds_bench"):
                    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
                env["DATABASE_URL"] = PG_URL
            else:
                env["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
            env["MEDIA_ROOT"], env["DATA_DIR"] = f"{scratch}/media", f"{scratch}/data"
            path = f"{scratch}/bench.xlsx"
            r = {}
            for step in ("prepare", "run"):
                command = [sys.executable, __file__, "--child", step, str(rows), database, path]
                command += ["--roster", str(args.roster)] + (["--skip-die"] if args.skip_die else [])
                out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
                r.update(json.loads(out.strip().splitlines()[-1]))
            total = r["validate_s"] + r["confirm_s"]
            floor_s = f"{r['floor_s']:.2f} s" if r.get("floor_s") else "—"
            ratio = f"{total / r['floor_s']:.2f}×" if r.get("floor_s") else "—"
            die_s = f"{r['die_rows_per_s']:,.0f} ({r['die_rows']:,} rows)" if "die_rows" in r else "—"
            print(
                f"| {database} | {rows:,} | {max(rows, args.roster):,} | {r['file_mb']} | {floor_s} | "
                f"{r['validate_s']:.2f} s | {r['confirm_s']:.2f} s | {total:.2f} s | {ratio} | {die_s} | "
                f"{r['peak_rss_mb']:,.0f} |",
                flush=True,
            )
            if database == "postgresql":
                last = {
                    "rows": rows,
                    "project_s": round(total, 3),
                    "floor_s": round(r["floor_s"], 3),
                    "ratio": round(total / r["floor_s"], 3),
                    "peak_rss_mb": round(r["peak_rss_mb"]),
                }
    if args.json and last:
        print(json.dumps(last))


if __name__ == "__main__":
    main()
