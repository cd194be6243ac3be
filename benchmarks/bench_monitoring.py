"""绩效运行监控 at national scale, on PostgreSQL: the monitoring report of the 1,000,000-payment benchmark year.

    .venv/bin/python benchmarks/bench_monitoring.py            # builds the year as bench_reports.py does
    .venv/bin/python benchmarks/bench_monitoring.py --keep     # reuses the database bench_reports.py left

Times, per program and monitoring day (06-30 and 08-31): the monitoring itself (`evaluation.monitoring.monitor`: every
indicator as of the day, execution per source and organisation, projections, warnings), the whole monitoring
document the page and the files show (`reports.monitoring.build_monitoring`), its PDF and its .xlsx; and the
year-end self-evaluation for comparison. Each timing is the better of two runs. Results print as Markdown rows.
"""

import argparse
import datetime
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_reports import DATABASE, YEAR, best_of_two, build, psql


def measure() -> list[str]:
    from evaluation.monitoring import monitor
    from evaluation.selectors import evaluate
    from funds.models import Disbursement, FiscalYear, Program, User
    from reports.models import MonitoringReport
    from reports.monitoring import build_monitoring
    from reports.rendering import monitoring_pdf, monitoring_xlsx

    user = User.objects.get(username="finance")
    year = FiscalYear.objects.get(year=YEAR)
    rows = []
    for program in Program.objects.order_by("sort_order"):
        payments = Disbursement.objects.filter(fiscal_year=year, program=program).count()
        year_end, _ = best_of_two(lambda program=program: evaluate(user=user, program=program, fiscal_year=year))
        for day in (datetime.date(YEAR, 6, 30), datetime.date(YEAR, 8, 31)):
            report, _ = MonitoringReport.objects.get_or_create(
                program=program, fiscal_year=year, as_of=day, defaults={"created_by": user}
            )
            computed, result = best_of_two(
                lambda program=program, day=day: monitor(user=user, program=program, fiscal_year=year, as_of=day)
            )
            document_time, document = best_of_two(lambda report=report: build_monitoring(report=report, user=user))
            pdf_time, _ = best_of_two(lambda document=document: monitoring_pdf(document, draft=True))
            xlsx_time, _ = best_of_two(lambda document=document: monitoring_xlsx(document))
            rows.append(
                f"| {program.code} | {day.isoformat()} | {payments:,} | {result.evaluation.context.payment_count:,} | "
                f"{len(result.warnings)} | {computed:.2f} s | {document_time:.2f} s | {pdf_time:.2f} s | "
                f"{xlsx_time:.2f} s | {year_end:.2f} s |"
            )
            print(rows[-1], file=sys.stderr)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--payments", type=int, default=1_000_000)
    parser.add_argument("--beneficiaries", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="reuse the database built by an earlier run")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(f"CREATE DATABASE {DATABASE}")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.keep:
        call_command("migrate", verbosity=0)
        call_command("setup_reference_data", verbosity=0)
    else:
        build(args.payments, args.beneficiaries)
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(
        f"\nMachine: {os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL {version}; "
        f"{datetime.date.today()}; {args.payments:,} payments, {args.beneficiaries:,} beneficiaries\n"
    )
    print(
        "| program | as of | payments in the year | paid by the day | warnings | monitoring | monitoring document "
        "| PDF | .xlsx | year-end evaluation |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in measure():
        print(row)


if __name__ == "__main__":
    main()
