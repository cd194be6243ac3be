"""Check the audit log's hash chain and the seals of posted disbursements; exit 1 on the first break.

python manage.py verify_audit
"""

from django.core.management.base import BaseCommand, CommandError

from audit.choices import AuditAction
from audit.services import audit_record
from audit.verify import verify_audit_chain, verify_disbursements


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and the posted disbursements' seals."

    def handle(self, *args, **options) -> None:
        results = [verify_audit_chain(), verify_disbursements()]
        for result in results:
            status = "OK" if result.ok else "BROKEN"
            self.stdout.write(f"{result.what}: {status}, {result.checked:,} rows checked")
            for problem in result.problems:
                self.stdout.write(f"  {problem}")
        audit_record(
            action=AuditAction.VERIFY,
            username="manage.py verify_audit",
            detail="; ".join(f"{r.what}: {'OK' if r.ok else r.first_problem}" for r in results),
        )
        if not all(r.ok for r in results):
            raise CommandError("integrity check failed")
