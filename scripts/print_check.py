"""Print check: what an auditor, and an Excel/WPS user, will print — every official file of the demo, as pages.

    DEBUG=True TWO_FACTOR_REQUIRED=False .venv/bin/python scripts/print_check.py /tmp/print-check

Run against a database holding the demo (`make demo`). Writes into the folder: the 2024 hardship, 2024 model-worker
and 2022 department reports (PDF), each 自评表 (.xlsx), an indicator's evidence, the audit log, the payments list and
an import error report (.xlsx); opens each workbook in LibreOffice headless (`soffice --convert-to pdf`, Debian
`libreoffice-calc`), turns every PDF page into PNG with `pdftoppm`, and prints each file's pages and page sizes, so
the images can be looked at. Needs poppler-utils and LibreOffice; it changes nothing in the database.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from funds.models import ImportBatch, User  # noqa: E402

DOWNLOADS = [
    ("report-2024-hardship.pdf", reverse("reports:report_pdf", args=["hardship", 2024]), {}),
    ("report-2024-model_worker.pdf", reverse("reports:report_pdf", args=["model_worker", 2024]), {}),
    ("report-2022-department.pdf", reverse("reports:report_pdf", args=["department", 2022]), {}),
    ("table-2024-hardship.xlsx", reverse("reports:self_evaluation_xlsx", args=["hardship", 2024]), {}),
    ("table-2024-model_worker.xlsx", reverse("reports:self_evaluation_xlsx", args=["model_worker", 2024]), {}),
    ("table-2022-department.xlsx", reverse("reports:self_evaluation_xlsx", args=["department", 2022]), {}),
    (
        "evidence-2024-model_worker.xlsx",
        reverse("evaluation:evidence", args=["model_worker", 2024, "targeting_accuracy"]),
        {"format": "xlsx", "part": "numerator"},
    ),
    ("audit-log.xlsx", reverse("audit:event_list"), {"format": "xlsx"}, "auditadmin"),
    ("payments-2024.xlsx", reverse("funds:payment_list"), {"export": "xlsx", "fiscal_year": "2024"}),
]


def pages(pdf: Path) -> str:
    """“8 pages: 6 portrait, 2 landscape (A4)”."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(pdf)], capture_output=True, text=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]
    portrait = sum(1 for w, h in sizes if w < h)
    a4 = all({round(w), round(h)} == {595, 842} for w, h in sizes)
    return f"{len(sizes)} pages: {portrait} portrait, {len(sizes) - portrait} landscape{' (A4)' if a4 else ''}"


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    setup_test_environment()
    downloads = list(DOWNLOADS)
    refused = ImportBatch.objects.filter(error_count__gt=0).order_by("pk").first()
    if refused is not None:
        downloads.append(("import-errors.xlsx", reverse("imports:import_error_report", args=[refused.pk]), {}))
    for name, url, query, *who in downloads:
        client = Client()
        client.force_login(User.objects.get(username=who[0] if who else "finance"))
        response = client.get(url, query)
        if response.status_code != 200 or "attachment" not in response.get("Content-Disposition", ""):
            print(f"{name}: HTTP {response.status_code}, no file")
            continue
        path = folder / name
        path.write_bytes(response.content)
        pdf = path
        if path.suffix == ".xlsx":
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                capture_output=True,
                check=True,
            )
            pdf = path.with_suffix(".pdf")
        # The first pages as PNG to look at (a long list prints hundreds).
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-l", "12", str(pdf), str(folder / path.stem)], check=True)
        print(f"{name}: {pages(pdf)}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "print-check"))
