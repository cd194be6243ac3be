import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from funds.choices import PlanStatus
from funds.models import AllocationPlan
from funds.selectors import allocation_capacity
from funds.services.allocation import (
    PlanLineInput,
    allocation_plan_approve,
    allocation_plan_return,
    allocation_plan_save,
    allocation_plan_submit,
)
from tests.factories import organization


def save_plan(funded, user, amounts: dict[str, str], plan=None) -> AllocationPlan:
    return allocation_plan_save(
        plan=plan,
        program=funded.program,
        fiscal_year=funded.fiscal_year,
        title="2024年自治区专项帮扶资金分配方案",
        plan_date=datetime.date(2024, 5, 20),
        lines=[PlanLineInput(organization=organization(code), amount=Decimal(a)) for code, a in amounts.items()],
        acting_user=user,
    )


SOUTHERN_FOUR = {"653100": "424800", "653200": "350000", "652900": "280000", "653000": "175200"}  # 1,230,000


def test_plan_allocating_exactly_the_funds_received_is_accepted(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    assert plan.status == PlanStatus.DRAFT
    assert plan.total_amount() == Decimal("1230000.00")


def test_plan_over_the_funds_received_is_refused_with_the_figures(funded_2024, users):
    with pytest.raises(ValidationError) as excinfo:
        save_plan(funded_2024, users.finance, {**SOUTHERN_FOUR, "653000": "175200.01"})
    message = excinfo.value.messages[0]
    assert "1,230,000.01" in message
    assert "1,230,000.00" in message
    assert not AllocationPlan.objects.exists()


def test_other_committed_plans_reduce_what_is_left(funded_2024, users):
    first = save_plan(funded_2024, users.finance, {"653100": "1000000"})
    allocation_plan_submit(plan=first, acting_user=users.finance)
    capacity = allocation_capacity(program=funded_2024.program, fiscal_year=funded_2024.fiscal_year)
    assert capacity.available == Decimal("230000.00")
    save_plan(funded_2024, users.finance, {"653200": "230000"})
    with pytest.raises(ValidationError):
        save_plan(funded_2024, users.finance, {"653200": "230000.01"})


def test_author_cannot_approve_but_a_second_finance_user_can(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    with pytest.raises(PermissionDenied):
        allocation_plan_approve(plan=plan, acting_user=users.finance)
    approved = allocation_plan_approve(plan=plan, acting_user=users.finance2)
    assert approved.status == PlanStatus.APPROVED
    assert approved.approved_by == users.finance2


def test_database_refuses_an_approval_by_the_author_written_directly(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.APPROVED, approved_by=users.finance, approved_at=plan.created_at
        )


def test_a_draft_cannot_be_approved_before_it_is_submitted(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    with pytest.raises(ValidationError):
        allocation_plan_approve(plan=plan, acting_user=users.finance2)


def test_approved_plan_is_read_only(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    allocation_plan_approve(plan=plan, acting_user=users.finance2)
    with pytest.raises(ValidationError) as excinfo:
        save_plan(funded_2024, users.finance, {"653100": "1"}, plan=plan)
    assert excinfo.value.code == "plan_locked"
    with pytest.raises(ValidationError):
        allocation_plan_return(plan=plan, acting_user=users.finance2, comment="金额需调整")
    assert plan.lines.count() == 4


def test_returned_plan_becomes_editable_again(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    allocation_plan_return(plan=plan, acting_user=users.finance2, comment="金额需调整")
    edited = save_plan(funded_2024, users.finance, {"653100": "500000"}, plan=plan)
    assert edited.total_amount() == Decimal("500000.00")


def test_operators_and_auditors_cannot_create_or_approve_plans(funded_2024, users):
    for user in (users.kashgar, users.auditor):
        with pytest.raises(PermissionDenied):
            save_plan(funded_2024, user, {"653100": "1000"})
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    for user in (users.kashgar, users.auditor):
        with pytest.raises(PermissionDenied):
            allocation_plan_approve(plan=plan, acting_user=user)


def test_a_plan_cannot_allocate_to_the_federation_or_twice_to_one_union(funded_2024, users):
    with pytest.raises(ValidationError):
        save_plan(funded_2024, users.finance, {"650000": "1000"})
    with pytest.raises(ValidationError):
        allocation_plan_save(
            program=funded_2024.program,
            fiscal_year=funded_2024.fiscal_year,
            title="重复",
            plan_date=datetime.date(2024, 5, 20),
            lines=[PlanLineInput(organization=organization("653100"), amount=Decimal("1"))] * 2,
            acting_user=users.finance,
        )
