"""Maker–checker means the checker did not write it: authors, frozen submissions, content hashes, stale forms."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.choices import AuditAction
from audit.models import AuditEvent
from funds.choices import PlanStatus
from funds.models import AllocationLine, AllocationPlan
from funds.services.allocation import (
    allocation_plan_approve,
    allocation_plan_return,
    allocation_plan_submit,
)
from tests.funds.test_allocation_plans import SOUTHERN_FOUR, save_plan


def fresh(plan: AllocationPlan) -> AllocationPlan:
    return AllocationPlan.objects.get(pk=plan.pk)


def test_a_checker_who_edited_the_draft_cannot_approve_it(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    # The checker rewrites the maker's draft (the attack of the issue: new amounts), submits it and tries to approve.
    save_plan(funded_2024, users.finance2, {"653100": "1230000"}, plan=plan)
    allocation_plan_submit(plan=plan, acting_user=users.finance2)
    with pytest.raises(PermissionDenied) as excinfo:
        allocation_plan_approve(plan=plan, acting_user=users.finance2)
    assert "修改或提交过" in str(excinfo.value)
    # Nor may the maker approve it: the maker wrote it first.
    with pytest.raises(PermissionDenied):
        allocation_plan_approve(plan=plan, acting_user=users.finance)
    assert fresh(plan).status == PlanStatus.SUBMITTED
    assert set(fresh(plan).authors.values_list("username", flat=True)) == {"finance-a", "finance-b"}


def test_a_checker_who_only_submitted_cannot_approve_it(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance2)
    with pytest.raises(PermissionDenied):
        allocation_plan_approve(plan=plan, acting_user=users.finance2)


def test_the_reviewer_who_returned_a_plan_approves_the_corrected_one_with_its_hash(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    allocation_plan_return(plan=plan, acting_user=users.finance2, comment="喀什金额与会议纪要不符")
    assert fresh(plan).review_comment == "喀什金额与会议纪要不符"
    corrected = save_plan(funded_2024, users.finance, {**SOUTHERN_FOUR, "653100": "400000"}, plan=plan)
    submitted = allocation_plan_submit(plan=corrected, acting_user=users.finance)
    approved = allocation_plan_approve(plan=plan, acting_user=users.finance2, comment="同意")
    assert approved.status == PlanStatus.APPROVED
    assert approved.approved_content_hash == submitted.submitted_content_hash == approved.content_hash()
    assert approved.review_comment == "同意"
    event = AuditEvent.objects.filter(action=AuditAction.APPROVE).latest("sequence")
    assert approved.approved_content_hash in str(event.changes)
    returned = AuditEvent.objects.get(action=AuditAction.RETURN)
    assert returned.detail == "喀什金额与会议纪要不符"


def test_returning_needs_a_reason(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    with pytest.raises(ValidationError) as excinfo:
        allocation_plan_return(plan=plan, acting_user=users.finance2, comment="  ")
    assert "退回原因" in str(excinfo.value)
    assert fresh(plan).status == PlanStatus.SUBMITTED


def test_a_submitted_plan_is_frozen(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    with pytest.raises(ValidationError) as excinfo:
        save_plan(funded_2024, users.finance2, {"653100": "1"}, plan=plan)
    assert excinfo.value.code == "plan_locked"


def test_content_changed_around_the_services_after_submission_is_not_approved(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    AllocationLine.objects.filter(plan=plan, organization__code="653100").update(amount=Decimal("4248.00"))
    with pytest.raises(ValidationError) as excinfo:
        allocation_plan_approve(plan=plan, acting_user=users.finance2)
    assert excinfo.value.code == "content_changed"
    assert fresh(plan).status == PlanStatus.SUBMITTED


def test_the_database_refuses_an_approval_without_the_submitted_hash(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.APPROVED, approved_by=users.finance2, approved_at=plan.created_at
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        AllocationPlan.objects.filter(pk=plan.pk).update(
            status=PlanStatus.APPROVED,
            approved_by=users.finance2,
            approved_at=plan.created_at,
            approved_content_hash="0" * 64,
        )


def test_a_save_from_a_form_opened_before_someone_elses_save_is_refused(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
    opened_at = fresh(plan).version
    # finance-b saves first …
    from funds.services.allocation import PlanLineInput, allocation_plan_save
    from tests.factories import organization

    def save(user, amount: str, version: int):
        return allocation_plan_save(
            plan=plan,
            program=funded_2024.program,
            fiscal_year=funded_2024.fiscal_year,
            title="2024年分配方案",
            plan_date=plan.plan_date,
            lines=[PlanLineInput(organization=organization("653100"), amount=Decimal(amount))],
            acting_user=user,
            expected_version=version,
        )

    save(users.finance2, "1000", opened_at)
    # … and finance-a's form, opened at the same version, would silently overwrite it: refused.
    with pytest.raises(ValidationError) as excinfo:
        save(users.finance, "2000", opened_at)
    assert excinfo.value.code == "stale"
    assert "已被他人修改" in excinfo.value.messages[0]
    assert fresh(plan).total_amount() == Decimal("1000.00")


def test_an_approval_from_a_page_opened_before_the_plan_was_returned_and_raised_is_refused(funded_2024, users):
    plan = save_plan(funded_2024, users.finance, {"653100": "2000"})
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    seen_by_checker = fresh(plan).version  # the checker opens the plan: 2,000.00
    allocation_plan_return(plan=plan, acting_user=users.finance2, comment="请核对")
    save_plan(funded_2024, users.finance, {"653100": "1230000"}, plan=plan)
    allocation_plan_submit(plan=plan, acting_user=users.finance)
    with pytest.raises(ValidationError) as excinfo:
        allocation_plan_approve(plan=plan, acting_user=users.finance2, expected_version=seen_by_checker)
    assert excinfo.value.code == "stale"
    assert fresh(plan).status == PlanStatus.SUBMITTED


class TestThroughThePages:
    def test_a_stale_approval_form_is_refused_in_words(self, client, funded_2024, users):
        plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
        allocation_plan_submit(plan=plan, acting_user=users.finance)
        client.force_login(users.finance2)
        page = client.get(reverse("funds:plan_detail", kwargs={"pk": plan.pk})).content.decode()
        assert 'id="review"' in page and f'name="version" value="{fresh(plan).version}"' in page
        response = client.post(
            reverse("funds:plan_approve", kwargs={"pk": plan.pk}), {"version": fresh(plan).version - 1}, follow=True
        )
        assert "已被他人修改" in response.content.decode()
        assert fresh(plan).status == PlanStatus.SUBMITTED
        # A form without a version is not a way around the check.
        response = client.post(reverse("funds:plan_approve", kwargs={"pk": plan.pk}), follow=True)
        assert "已被他人修改" in response.content.decode()
        response = client.post(
            reverse("funds:plan_approve", kwargs={"pk": plan.pk}),
            {"version": fresh(plan).version, "comment": "同意分配"},
            follow=True,
        )
        assert fresh(plan).status == PlanStatus.APPROVED
        assert "同意分配" in response.content.decode()

    def test_an_author_sees_no_approval_form(self, client, funded_2024, users):
        plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
        save_plan(funded_2024, users.finance2, SOUTHERN_FOUR, plan=plan)
        allocation_plan_submit(plan=plan, acting_user=users.finance)
        client.force_login(users.finance2)
        page = client.get(reverse("funds:plan_detail", kwargs={"pk": plan.pk})).content.decode()
        assert 'id="review"' not in page
        assert "须由未参与编制的另一位财务人员审批" in page

    def test_return_without_a_reason_is_refused_and_with_one_is_shown(self, client, funded_2024, users):
        plan = save_plan(funded_2024, users.finance, SOUTHERN_FOUR)
        allocation_plan_submit(plan=plan, acting_user=users.finance)
        client.force_login(users.finance2)
        url = reverse("funds:plan_return", kwargs={"pk": plan.pk})
        response = client.post(url, {"version": fresh(plan).version, "comment": ""}, follow=True)
        assert "退回修改须填写退回原因" in response.content.decode()
        assert fresh(plan).status == PlanStatus.SUBMITTED
        response = client.post(url, {"version": fresh(plan).version, "comment": "和田金额有误"}, follow=True)
        assert fresh(plan).status == PlanStatus.DRAFT
        assert "退回原因：和田金额有误" in response.content.decode()

    def test_a_stale_edit_form_keeps_the_other_save(self, client, funded_2024, users):
        plan = save_plan(funded_2024, users.finance, {"653100": "1000"})
        client.force_login(users.finance)
        data = {
            "program": funded_2024.program.pk,
            "fiscal_year": funded_2024.fiscal_year.pk,
            "title": "改",
            "plan_date": "2024-05-20",
            "version": str(fresh(plan).version),
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "0",
            "lines-0-organization": AllocationLine.objects.get(plan=plan).organization.pk,
            "lines-0-amount": "3000",
        }
        save_plan(funded_2024, users.finance2, {"653100": "2000"}, plan=plan)
        response = client.post(reverse("funds:plan_edit", kwargs={"pk": plan.pk}), data)
        assert response.status_code == 200
        assert "已被他人修改" in response.content.decode()
        assert fresh(plan).total_amount() == Decimal("2000.00")
