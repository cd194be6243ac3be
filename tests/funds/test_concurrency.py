"""Maker–checker under concurrency (PostgreSQL): two checkers approving at once give exactly one approval."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from funds.choices import Role
from funds.services.allocation import (
    PlanLineInput,
    allocation_plan_approve,
    allocation_plan_save,
    allocation_plan_submit,
)
from tests.factories import UserFactory, organization

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are exercised on PostgreSQL")


def race(action, actors) -> list:
    """Run `action(actor)` for each actor in its own thread and connection, released at the same instant."""
    barrier = threading.Barrier(len(actors))
    outcomes: list = [None] * len(actors)

    def run(index: int, actor) -> None:
        try:
            barrier.wait()
            outcomes[index] = action(actor)
        except (ValidationError, PermissionDenied) as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, actor)) for i, actor in enumerate(actors)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_approvals_of_one_plan_approve_it_once(users, funded_2024):
    from audit.models import AuditEvent

    third = UserFactory(username="finance-c", role=Role.FINANCE)
    plan = allocation_plan_save(
        program=funded_2024.program,
        fiscal_year=funded_2024.fiscal_year,
        title="并发审批",
        plan_date=datetime.date(2024, 5, 20),
        lines=[PlanLineInput(organization=organization("653100"), amount=Decimal("100000"))],
        acting_user=users.finance,
    )
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    outcomes = race(lambda actor: allocation_plan_approve(plan=plan, acting_user=actor), [users.finance2, third])
    approved = [o for o in outcomes if not isinstance(o, Exception)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(approved), len(refused)) == (1, 1), outcomes
    plan.refresh_from_db()
    assert plan.approved_by_id == approved[0].approved_by_id
    assert AuditEvent.objects.filter(action="approve", object_id=str(plan.pk)).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_executions_of_one_reversal_reverse_it_once(users, payroll):
    from funds.models import DisbursementReversal
    from imports.services import import_batch_confirm, import_batch_request_reversal, import_batch_reverse
    from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
    from tests.uploads import upload

    third = UserFactory(username="finance-c", role=Role.FINANCE)
    rows = [spring_row(w, i) for i, w in enumerate(payroll.workers)]
    batch = import_batch_confirm(
        batch=upload(xlsx(DISBURSEMENT_HEADERS, rows), users.kashgar, payroll), acting_user=users.kashgar
    )
    batch = import_batch_request_reversal(batch=batch, reason="重复上传", acting_user=users.finance)
    outcomes = race(lambda actor: import_batch_reverse(batch=batch, acting_user=actor), [users.finance2, third])
    assert sum(not isinstance(o, Exception) for o in outcomes) == 1, outcomes
    assert DisbursementReversal.objects.filter(reversed_batch=batch).count() == len(payroll.workers)
