"""Every page a user opens, timed at national scale (PostgreSQL): seconds and queries each.

    .venv/bin/python benchmarks/bench_pages.py --json          # builds the year (1,000,000 payments) if missing
    .venv/bin/python benchmarks/bench_pages.py --rebuild       # builds it again
    .venv/bin/python benchmarks/bench_pages.py --only home dashboard

The year is `bench_reports.py`'s (database `unionfunds_bench_reports`: 1,000,000 payments, 300,000 beneficiaries).
Each page is fetched through Django's test client signed in as the finance user (the broadest view and the longest
home page; the audit log as the audit administrator), twice: the first fetch (which also fills the figures' cache
after a change of the data) and the better of the two, with its query count, are reported. The cache is the
deployment's own (the file cache in DATA_DIR): run with `--cold` to clear it first. Lists are fetched at their
first and last page. With `--json` the last line is
`{"payments", "pages": {"<name>": {"s", "queries"}}, "slowest", "slowest_s"}`.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
DATABASE = "unionfunds_bench_reports"
YEAR = 2024


def _database_ready() -> bool:
    found = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{DATABASE}'"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if found != "1":
        return False
    sql = "SELECT count(*) FROM funds_disbursement"
    count = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DATABASE, "-tAc", sql],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return count.isdigit() and int(count) > 0


def pages() -> dict[str, str]:
    from django.urls import reverse

    from evaluation.indicators import EVIDENCE_KEYS
    from funds.models import Disbursement

    urls = {
        "home": reverse("funds:home"),
        "dashboard": reverse("evaluation:dashboard") + f"?program=hardship&year={YEAR}",
        "dashboard_model_worker": reverse("evaluation:dashboard") + f"?program=model_worker&year={YEAR}",
        "submission_board": reverse("funds:submission_board") + f"?year={YEAR}",
    }
    for scope in ("hardship", "model_worker", "department"):
        urls[f"report_{scope}"] = reverse("reports:report_detail", args=[scope, YEAR])
        urls[f"report_{scope}_pdf"] = reverse("reports:report_pdf", args=[scope, YEAR])
    for program in ("hardship", "model_worker"):
        for key in sorted(EVIDENCE_KEYS):
            for part in ("numerator", "excluded"):
                urls[f"evidence_{program}_{key}_{part}"] = (
                    reverse("evaluation:evidence", args=[program, YEAR, key]) + f"?part={part}"
                )
    last = (Disbursement.objects.count() + 49) // 50
    for name, url_name, rows in (
        ("payments", "funds:payment_list", last),
        ("households", "beneficiaries:household_list", 150_000 // 50),
        ("model_workers", "beneficiaries:model_worker_list", 150_000 // 50),
        ("living_surveys", "beneficiaries:living_survey_list", 150_000 // 50),
        ("imports", "imports:import_list", 1),
        ("audit_log", "audit:event_list", 1),
    ):
        urls[f"list_{name}"] = reverse(url_name)
        urls[f"list_{name}_last"] = reverse(url_name) + f"?page={rows}"
    return urls


def measure(only: list[str]) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from funds.models import Disbursement, User

    clients = {}
    for username in ("finance", "auditadmin"):
        clients[username] = Client()
        clients[username].force_login(User.objects.get(username=username))
    results = {}
    for name, url in pages().items():
        if only and not any(name.startswith(prefix) for prefix in only):
            continue
        # The audit log is the audit administrator's page (三权分立: finance has no right to it).
        client = clients["auditadmin" if name.startswith("list_audit_log") else "finance"]
        best, first = None, None
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                elapsed = time.perf_counter() - started
            if response.status_code not in (200, 404):
                raise SystemExit(f"{name}: {url} answered {response.status_code}")
            first = elapsed if first is None else first
            if best is None or elapsed < best["s"]:
                best = {"s": round(elapsed, 3), "queries": len(queries), "status": response.status_code}
        best["first_s"] = round(first, 3)
        results[name] = best
        print(f"| {name} | {first:.2f} s | {best['s']:.2f} s | {best['queries']} |", file=sys.stderr, flush=True)
    return {"payments": Disbursement.objects.count(), "pages": results}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", nargs="*", default=[], help="page name prefixes")
    parser.add_argument("--cold", action="store_true", help="clear the cache first")
    args = parser.parse_args()
    if args.rebuild or not _database_ready():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_reports.py"), "--build-only"], check=True)
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "True")  # static files as `make run` serves them; queries are captured anyway
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    if args.cold:
        from django.core.cache import cache

        cache.clear()
    print("| page | first fetch | better of two | queries |\n|---|---:|---:|---:|", file=sys.stderr)
    result = measure(args.only)
    slowest = max(result["pages"], key=lambda name: result["pages"][name]["s"])
    result.update(slowest=slowest, slowest_s=result["pages"][slowest]["s"])
    if args.json:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
