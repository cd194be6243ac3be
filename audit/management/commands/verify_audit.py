"""Check the audit log's hash chain and the seals of posted disbursements; exit 1 on the first break.

python manage.py verify_audit
python manage.py verify_audit --reanchor   # after a checked restore or a new database: a new checkpoint file
"""

from django.core.management.base import BaseCommand, CommandError

from audit.choices import AuditAction
from audit.services import audit_record, checkpoint_path, read_checkpoint, write_checkpoint
from audit.verify import verify_audit_chain, verify_disbursements


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and the posted disbursements' seals."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reanchor",
            action="store_true",
            help="Ignore the checkpoint file and write a new one at the log's end (after restoring a backup on "
            "purpose, or for a new database). The chain itself must still verify; the old checkpoint is recorded.",
        )

    def handle(self, *args, reanchor: bool = False, **options) -> None:
        previous = read_checkpoint() if reanchor else None
        results = [verify_audit_chain(use_checkpoint=not reanchor), verify_disbursements()]
        for result in results:
            status = "OK" if result.ok else "BROKEN"
            self.stdout.write(f"{result.what}: {status}, {result.checked:,} rows checked")
            for problem in result.problems:
                self.stdout.write(f"  {problem}")
        chain = results[0]
        if chain.ok:
            detail = "; ".join(f"{r.what}: {'OK' if r.ok else r.first_problem}" for r in results)
            if reanchor:
                was = f"#{previous['sequence']} {previous['chain_hash'][:12]}" if previous else "none"
                detail = f"checkpoint re-anchored (was {was}); {detail}"
            event = audit_record(action=AuditAction.VERIFY, username="manage.py verify_audit", detail=detail)
            write_checkpoint(event.sequence, event.chain_hash, force=True)
            if reanchor:
                self.stdout.write(f"new checkpoint at #{event.sequence} in {checkpoint_path()}")
        else:
            # A chain that does not verify (tampered, or the wrong AUDIT_CHAIN_KEY) is never written to: an event
            # appended now would be chained to a break, or signed with the wrong key, and spoil the real chain.
            self.stderr.write("the audit chain does not verify: nothing was written to it")
        if not all(r.ok for r in results):
            raise CommandError("integrity check failed")
