"""Evaluation and report benchmark at national scale, on PostgreSQL.

    .venv/bin/python benchmarks/bench_reports.py                       # 1,000,000 payments, 300,000 beneficiaries
    .venv/bin/python benchmarks/bench_reports.py --payments 100000 --beneficiaries 30000 --keep
    .venv/bin/python benchmarks/bench_reports.py --demo                 # the demo data set (seed figures)

Builds a scratch database `unionfunds_bench_reports`: the reference data and demo users, half the beneficiaries as
hardship households and half as model workers (each with that year's living survey), payment standards, budgets,
receipts, approved allocation plans, satisfaction surveys and the built-in indicator systems — through the services —
and the payments themselves with one INSERT … SELECT generate_series each (the import path is benchmarked by
bench_imports.py). Then it times, per program: all 13 indicator functions (`compute_all`), the scored evaluation,
the whole report document (figures, findings, charts, table, data version) and the PDF; and the department report.
Each timing is the better of two runs (the first warms PostgreSQL's buffers). Results print as Markdown rows.
"""

import argparse
import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = "unionfunds_bench_reports"
YEAR = 2024


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True, capture_output=True)


def build(payments: int, beneficiaries: int) -> None:
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from demo.users import ensure_demo_users
    from evaluation.models import ProgramYearSettings, SatisfactionSurvey
    from evaluation.services import indicator_system_start
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

    call_command("migrate", verbosity=0)
    call_command("setup_reference_data", verbosity=0)
    ensure_demo_users()
    finance, checker = User.objects.get(username="finance"), User.objects.get(username="finance2")
    year = fiscal_year_get_or_create(year=YEAR)
    prefectures = list(Organization.objects.filter(kind="prefecture").order_by("pk").values_list("pk", flat=True))
    programs = {p.code: p for p in Program.objects.all()}
    for kind in PaymentKind.objects.all():
        standard = PaymentStandard(
            fiscal_year=year,
            payment_kind=kind,
            standard_type=StandardType.RANGE,
            min_amount=Decimal(100),
            max_amount=Decimal(5000),
            basis="bench",
        )
        standard.full_clean()
        standard.save()
    households = beneficiaries // 2
    workers = beneficiaries - households
    hardship_payments = payments * 55 // 100
    worker_payments = min(payments - hardship_payments, workers * 3)
    orgs = "ARRAY[" + ",".join(map(str, prefectures)) + "]::bigint[]"
    kinds = {k.code: k.pk for k in PaymentKind.objects.all()}
    # Real ciphertext in the encrypted columns (one value each; the digests, which lookups use, differ per row), so
    # every page and the admin decrypt what they read as they would in production.
    from beneficiaries.models import Household, ModelWorker

    cipher = {
        name: model._meta.get_field(field).get_prep_value(value).replace("'", "''")
        for name, model, field, value in (
            ("household_id", Household, "id_number", "653101195001010011"),
            ("worker_id", ModelWorker, "id_number", "653101195001010011"),
            ("worker_account", ModelWorker, "bank_account", "6228480012345678901"),
        )
    }
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO beneficiaries_household (id_number, id_number_digest, archive_no, head_name, worker_category,
              hardship_type, member_count, archived_on, status, lifted_out_on, created_at, updated_at, organization_id)
            SELECT '{cipher["household_id"]}', md5('h' || i) || md5('h2' || i), 'H' || i, '户主' || i, 'worker',
              'deep', 1 + i % 5,
              DATE '{YEAR - 1}-01-01' + (i % 300), 'archived', NULL, now(), now(), ({orgs})[1 + i % {len(prefectures)}]
            FROM generate_series(1, {households}) AS i
            """
        )
        cursor.execute(
            f"""
            INSERT INTO beneficiaries_modelworker (id_number, id_number_digest, name, honour_type, award_year, status,
              suspension_reason, suspended_on, suspension_ended_on, died_on, is_retired, lives_outside_region,
              is_farmer_herder, residence, bank_account, created_at, updated_at, organization_id)
            SELECT '{cipher["worker_id"]}', md5('w' || i) || md5('w2' || i), '劳模' || i, 'regional_model_worker',
              1990 + i % 30, 'registered', '', NULL, NULL, NULL, i % 2 = 0, false, false, '',
              '{cipher["worker_account"]}', now(), now(),
              ({orgs})[1 + i % {len(prefectures)}]
            FROM generate_series(1, {workers}) AS i
            """
        )
        cursor.execute(
            f"""
            INSERT INTO beneficiaries_livingsurvey (surveyed_on, condition, monthly_income, surveyor, summary,
              created_at, updated_at, fiscal_year_id, model_worker_id)
            SELECT DATE '{YEAR}-10-20', 'average', NULL, 'bench', '', now(), now(), {year.pk}, id
            FROM beneficiaries_modelworker
            """
        )
        recurring = (
            f"ARRAY[{kinds['living_aid']},{kinds['medical_aid']},{kinds['vocational_aid']},{kinds['legal_aid']}]"
        )
        cursor.execute(
            f"""
            INSERT INTO funds_disbursement (amount, paid_on, payment_method, account_masked, funding_source, status,
              once_per_year, note, created_at, created_by_id, household_id, model_worker_id, fiscal_year_id, batch_id,
              paying_organization_id, payment_kind_id, program_id, seal, bank_account)
            SELECT 500 + (i % 20) * 100, DATE '{YEAR}-02-01' + (i / {households}) * 20, 'bank_agency', '****1234',
              'current_fiscal', 'posted', false, '', now(), {finance.pk}, h.id, NULL, {year.pk}, NULL,
              h.organization_id, ({recurring})[1 + (i / {households}) % 4], {programs["hardship"].pk}, '', ''
            FROM generate_series(0, {hardship_payments - 1}) AS i
            JOIN beneficiaries_household h ON h.archive_no = 'H' || (1 + i % {households})
            """
        )
        once = f"ARRAY[{kinds['spring_festival']},{kinds['living_hardship']},{kinds['special_hardship']}]"
        cursor.execute(
            f"""
            INSERT INTO funds_disbursement (amount, paid_on, payment_method, account_masked, funding_source, status,
              once_per_year, note, created_at, created_by_id, household_id, model_worker_id, fiscal_year_id, batch_id,
              paying_organization_id, payment_kind_id, program_id, seal, bank_account)
            SELECT 1000 + (i / {workers}) * 1000, DATE '{YEAR}-11-25' + (i % 10), 'bank_agency', '****1234',
              'current_fiscal', 'posted', true, '', now(), {finance.pk}, NULL, w.id, {year.pk}, NULL,
              w.organization_id, ({once})[1 + i / {workers}], {programs["model_worker"].pk}, '', ''
            FROM generate_series(0, {worker_payments - 1}) AS i
            JOIN (SELECT id, organization_id, row_number() OVER (ORDER BY id) - 1 AS n FROM beneficiaries_modelworker) w
              ON w.n = i % {workers}
            """
        )
        cursor.execute(
            "SELECT program_id, paying_organization_id, sum(amount) FROM funds_disbursement "
            "GROUP BY program_id, paying_organization_id"
        )
        paid = cursor.fetchall()
    print(f"  generated rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    for code, program in programs.items():
        by_org = {org: total for program_id, org, total in paid if program_id == program.pk}
        total = sum(by_org.values(), Decimal(0))
        appropriation = appropriation_save(
            program=program,
            fiscal_year=year,
            budgets={FundingSource.CURRENT_FISCAL: (total, total)},
            acting_user=finance,
        )
        funds_receipt_create(
            appropriation=appropriation,
            source=FundingSource.CURRENT_FISCAL,
            amount=total,
            received_on=datetime.date(YEAR, 3, 20),
            acting_user=finance,
        )
        plan = allocation_plan_save(
            program=program,
            fiscal_year=year,
            title=f"{YEAR} {code}",
            plan_date=datetime.date(YEAR, 5, 20),
            lines=[PlanLineInput(organization=Organization.objects.get(pk=o), amount=a) for o, a in by_org.items()],
            acting_user=finance,
        )
        allocation_plan_submit(plan=plan, acting_user=finance)
        allocation_plan_approve(plan=plan, acting_user=checker)
        ProgramYearSettings.objects.create(
            program=program,
            fiscal_year=year,
            payment_deadline=datetime.date(YEAR, 12, 31),
            eligibility_date=datetime.date(YEAR, 6, 1),
        )
        SatisfactionSurvey.objects.create(
            program=program, fiscal_year=year, respondents=1000, satisfied=970, surveyed_on=datetime.date(YEAR, 12, 20)
        )
        indicator_system_start(program=program, fiscal_year=year, acting_user=finance)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def best_of_two(action):
    timings = []
    for _ in range(2):
        started = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def measure() -> list[str]:
    from evaluation.indicators import compute_all
    from evaluation.selectors import evaluate
    from funds.models import Disbursement, FiscalYear, Program, User
    from reports.document import build_document, report_for
    from reports.rendering import report_pdf

    user = User.objects.get(username="finance")
    year = FiscalYear.objects.get(year=YEAR)
    rows = []
    for scope in ["hardship", "model_worker", "department"]:
        payments = Disbursement.objects.filter(fiscal_year=year)
        if scope != "department":
            program = Program.objects.get(code=scope)
            payments = payments.filter(program=program)
            indicators, _ = best_of_two(lambda program=program: compute_all(program, year))
            evaluation_time, _ = best_of_two(
                lambda program=program: evaluate(user=user, program=program, fiscal_year=year)
            )
        else:
            indicators = evaluation_time = None
        report = report_for(fiscal_year=year, scope=scope)
        document_time, document = best_of_two(lambda report=report: build_document(report=report, user=user))
        pdf_time, pdf = best_of_two(lambda document=document: report_pdf(document, draft=True))
        rows.append(
            f"| {scope} | {payments.count():,} | "
            + ("—" if indicators is None else f"{indicators:.2f} s")
            + " | "
            + ("—" if evaluation_time is None else f"{evaluation_time:.2f} s")
            + f" | {document_time:.2f} s | {pdf_time:.2f} s | {len(pdf) / 1e6:.2f} MB |"
        )
        print(rows[-1], file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--beneficiaries", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="reuse the database built by an earlier run")
    parser.add_argument("--demo", action="store_true", help="measure the demo data (load_demo) instead")
    parser.add_argument("--build-only", action="store_true", help="build the database and stop (bench_pages.py)")
    args = parser.parse_args()
    database = f"{DATABASE}_demo" if args.demo else DATABASE
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {database}")
        psql(f"CREATE DATABASE {database}")
    import django

    django.setup()
    from django.db import connection

    started = time.perf_counter()
    if args.demo and not args.keep:
        from django.core.management import call_command

        from demo.loader import load_demo

        call_command("migrate", verbosity=0)
        call_command("setup_reference_data", verbosity=0)
        load_demo()
    elif not args.keep:
        build(args.payments, args.beneficiaries)
    print(f"  built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    if args.build_only:
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"\nMachine: {os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL {version}; "
        f"{datetime.date.today()}; "
        + ("the demo data" if args.demo else f"{args.payments:,} payments, {args.beneficiaries:,} beneficiaries")
        + "\n"
    )
    print("| report | payments | all indicators | scored evaluation | report document | PDF | PDF size |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for row in measure():
        print(row)


if __name__ == "__main__":
    main()
