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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_long_confirm_holds_up_neither_another_union_nor_a_plan_save(users, payroll, monkeypatch):
    """While 喀什's confirm is stuck mid-write (holding every lock it takes), 和田's confirm and finance saving a plan
    of the same program-year complete; a second confirm of 喀什 waits (its allocation caps both)."""
    from django.db import transaction

    from imports import disbursements
    from imports.services import import_batch_confirm
    from tests.factories import ModelWorkerFactory
    from tests.spreadsheets import DISBURSEMENT_HEADERS, spring_row, xlsx
    from tests.uploads import upload

    kashgar = upload(xlsx(DISBURSEMENT_HEADERS, [spring_row(payroll.workers[0])]), users.kashgar, payroll)
    hotan_worker = ModelWorkerFactory(organization=organization("653200"))
    from tests.factories import LivingSurveyFactory

    LivingSurveyFactory(model_worker=hotan_worker, fiscal_year=payroll.year, surveyed_on=datetime.date(2024, 10, 10))
    hotan = upload(
        xlsx(DISBURSEMENT_HEADERS, [spring_row(hotan_worker)]), users.hotan, payroll, org="653200", name="和田.xlsx"
    )
    writing, release = threading.Event(), threading.Event()
    real_write = disbursements.disbursements_post_bulk

    def stuck_write(**arguments):
        if writing.is_set() is False and threading.current_thread().name == "kashgar":
            writing.set()
            release.wait(30)
        return real_write(**arguments)

    monkeypatch.setattr(disbursements, "disbursements_post_bulk", stuck_write)
    results: dict = {}

    def confirm_kashgar():
        try:
            results["kashgar"] = import_batch_confirm(batch=kashgar, acting_user=users.kashgar).status
        finally:
            connections.close_all()

    first = threading.Thread(target=confirm_kashgar, name="kashgar")
    first.start()
    assert writing.wait(30)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")  # a wait for 喀什's locks fails here, not hangs
            results["hotan"] = import_batch_confirm(batch=hotan, acting_user=users.hotan).status
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '5s'")
            plan = allocation_plan_save(
                program=payroll.program,
                fiscal_year=payroll.year,
                title="追加分配",
                plan_date=datetime.date(2024, 6, 1),
                lines=[PlanLineInput(organization=organization("653200"), amount=Decimal("1000"))],
                acting_user=users.finance,
            )
        # The same union's second confirm must wait for the first: it times out while 喀什 is stuck.
        from django.db import OperationalError

        with pytest.raises(OperationalError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '1s'")
            list(type(organization("653100")).objects.select_for_update().filter(code="653100"))
    finally:
        release.set()
        first.join(30)
    assert results == {"hotan": "imported", "kashgar": "imported"}
    assert plan.pk is not None
