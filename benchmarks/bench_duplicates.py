"""Duplicate beneficiaries at national scale, on PostgreSQL: the scan over 300,000 roster records.

    .venv/bin/python benchmarks/bench_duplicates.py                 # builds the rosters (about a minute)
    .venv/bin/python benchmarks/bench_duplicates.py --keep          # reuses them

Builds 150,000 hardship households and 150,000 model workers with real encrypted IDs (valid check digits, birth dates
over 1950–1995, names drawn from Faker's zh_CN pool, so same-name-same-birthday pairs also occur by chance) and
injects 300 households re-archived under a mistyped sequence (same name and birth date, another valid ID) and 300
people who are a household head in one prefecture and a model worker in another. Times: reading and decrypting every
ID, the matching in memory, the whole `duplicate_scan` (matching + recording the cases), and a second scan (nothing
new). Peak memory is the process's maximum resident set. Results print as Markdown rows.
"""

import argparse
import datetime
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

DATABASE = "unionfunds_bench_duplicates"


def psql(sql: str) -> None:
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], check=True)


def build(beneficiaries: int, injected: int) -> None:
    from django.core.management import call_command
    from faker import Faker

    from beneficiaries import resident_id
    from beneficiaries.models import Household, ModelWorker
    from core.bulk import bulk_insert
    from demo.users import ensure_demo_users
    from funds.models import Organization

    call_command("migrate", verbosity=0)
    call_command("setup_reference_data", verbosity=0)
    ensure_demo_users()
    rng = random.Random(2026)
    fake = Faker("zh_CN")
    fake.seed_instance(2026)
    names = [fake.name() for _ in range(5000)]
    prefectures = list(Organization.objects.filter(kind="prefecture").order_by("code"))
    used: set[str] = set()

    def number(area: str, born: datetime.date) -> str:
        while True:
            first17 = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
            full = first17 + resident_id.check_character(first17)
            if full not in used:
                used.add(full)
                return full

    def born() -> datetime.date:
        return datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(46 * 365))

    half = beneficiaries // 2
    households, workers = [], []
    for i in range(half):
        org = prefectures[i % len(prefectures)]
        households.append(
            Household(
                archive_no=f"H{i:07d}",
                head_name=rng.choice(names),
                id_number=number(org.code, born()),
                organization=org,
                worker_category="worker",
                hardship_type="deep",
                member_count=1 + i % 5,
                archived_on=datetime.date(2023, 1, 1),
                status="archived",
            )
        )
    for i in range(beneficiaries - half):
        org = prefectures[(i + 3) % len(prefectures)]
        workers.append(
            ModelWorker(
                name=rng.choice(names),
                id_number=number(org.code, born()),
                organization=org,
                honour_type="regional_model_worker",
                award_year=1990 + i % 30,
            )
        )
    for i in range(injected):
        original = households[i * 7]
        households.append(
            Household(
                archive_no=f"T{i:07d}",
                head_name=original.head_name,
                id_number=number(
                    original.id_number[:6],
                    datetime.date.fromisoformat(
                        f"{original.id_number[6:10]}-{original.id_number[10:12]}-{original.id_number[12:14]}"
                    ),
                ),
                organization=original.organization,
                worker_category="worker",
                hardship_type="deep",
                member_count=2,
                archived_on=datetime.date(2019, 1, 1),
                status="lifted_out",
                lifted_out_on=datetime.date(2020, 1, 1),
            )
        )
        worker = workers[i * 11]
        other = next(p for p in prefectures if p.pk != worker.organization.pk)
        households.append(
            Household(
                archive_no=f"W{i:07d}",
                head_name=worker.name,
                id_number=worker.id_number,
                organization=other,
                worker_category="worker",
                hardship_type="deep",
                member_count=3,
                archived_on=datetime.date(2023, 1, 1),
                status="archived",
            )
        )
    started = time.perf_counter()
    bulk_insert(Household, households, batch_size=5000)
    bulk_insert(ModelWorker, workers, batch_size=5000)
    print(
        f"built {len(households):,} households and {len(workers):,} model workers "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


def measure(injected: int) -> list[str]:
    from funds.models import User
    from oversight.choices import DuplicateKind
    from oversight.duplicates import _records, duplicate_scan, find_duplicates
    from oversight.models import DuplicateCase

    finance = User.objects.get(username="finance")
    DuplicateCase.objects.all().delete()
    started = time.perf_counter()
    households, workers = _records()
    read = time.perf_counter() - started
    started = time.perf_counter()
    found = find_duplicates(households, workers)
    matching = time.perf_counter() - started
    by_kind = {kind: sum(1 for c in found if c.kind == kind) for kind in DuplicateKind.values}
    started = time.perf_counter()
    new = duplicate_scan(acting_user=finance)
    scan = time.perf_counter() - started
    started = time.perf_counter()
    again = duplicate_scan(acting_user=finance)
    rescan = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    records = len(households) + len(workers)
    return [
        f"| {records:,} | {injected} + {injected} | {by_kind['two_rosters']:,} | {by_kind['name_and_birth']:,} | "
        f"{read:.1f} s | {matching:.2f} s | {scan:.1f} s ({new:,} cases) | {rescan:.1f} s ({again} new) | "
        f"{peak:,.0f} MB |"
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--beneficiaries", type=int, default=300_000)
    parser.add_argument("--injected", type=int, default=300)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if not args.keep:
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        psql(f"CREATE DATABASE {DATABASE}")
    import django

    django.setup()
    if not args.keep:
        build(args.beneficiaries, args.injected)
    print(
        f"\n{platform.node()} · {platform.processor() or platform.machine()} · {os.cpu_count()} cores · "
        f"{datetime.date.today()}"
    )
    print(
        "| records | injected (mistyped + two rosters) | two rosters | same name and birth date | read and decrypt "
        "| matching | scan | second scan | peak memory |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in measure(args.injected):
        print(row)


if __name__ == "__main__":
    main()
