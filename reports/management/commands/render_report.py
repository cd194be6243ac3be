"""Write a report from the current data, for batch use — the same code the web pages use.

    python manage.py render_report --year 2024 --program hardship --output 2024-hardship.pdf
    python manage.py render_report --year 2022 --program department --output 2022-department.xlsx

A `.pdf` output is the whole report (a draft: finalising is done in the browser, where findings are explained);
an `.xlsx` output is its 自评表. Figures are computed as the given user sees them (default: the first active finance
staff member), so scoping applies here as everywhere.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from funds.choices import Role
from funds.models import FiscalYear, Program, User
from reports.choices import DEPARTMENT_SCOPE
from reports.document import build_document, report_for
from reports.rendering import report_pdf, table_workbook


class Command(BaseCommand):
    help = "Render a self-evaluation report (.pdf) or its 自评表 (.xlsx) from the current data."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--program", required=True, help="a program code (hardship, model_worker) or department")
        parser.add_argument("--output", required=True, help="FILE.pdf for the report, FILE.xlsx for the 自评表")
        parser.add_argument("--user", help="render as this user (default: the first active finance staff member)")

    def handle(self, *args, year: int, program: str, output: str, user: str | None, **options) -> None:
        path = Path(output)
        if path.suffix.lower() not in (".pdf", ".xlsx"):
            raise CommandError("--output must end in .pdf or .xlsx")
        acting = self._user(user)
        fiscal_year = FiscalYear.objects.restrict(acting).filter(year=year).first()
        if fiscal_year is None:
            raise CommandError(f"no fiscal year {year}")
        if program != DEPARTMENT_SCOPE and not Program.objects.restrict(acting).filter(code=program).exists():
            codes = ", ".join([*Program.objects.values_list("code", flat=True), DEPARTMENT_SCOPE])
            raise CommandError(f"unknown program {program!r}; one of: {codes}")
        with translation.override("zh-hans"):
            document = build_document(report=report_for(fiscal_year=fiscal_year, scope=program), user=acting)
            content = table_workbook(document) if path.suffix.lower() == ".xlsx" else report_pdf(document, draft=True)
        path.write_bytes(content)
        blocking = sum(1 for f in document.findings if f.blocking)
        self.stdout.write(
            f"wrote {path} ({len(content):,} bytes); {len(document.findings)} findings, {blocking} of them blocking"
        )

    def _user(self, username: str | None) -> User:
        if username:
            found = User.objects.filter(username=username, is_active=True).first()
            if found is None:
                raise CommandError(f"no active user {username!r}")
            return found
        found = User.objects.filter(groups__name=Role.FINANCE, is_active=True).order_by("pk").first()
        if found is None:
            raise CommandError("no active finance staff member; pass --user")
        return found
