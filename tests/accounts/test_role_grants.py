"""Giving someone the finance, auditor or an administrator role needs a second person."""

import pytest
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.models import RoleGrant
from accounts.services import role_grant_decide, role_grant_request
from audit.models import AuditEvent
from core.models import DecisionStatus
from funds.choices import Role
from funds.models import User
from tests.factories import UserFactory, organization


@pytest.fixture
def admins(db):
    return (
        UserFactory(username="security-1", role=Role.SECURITY_ADMIN, is_staff=True),
        UserFactory(username="security-2", role=Role.SECURITY_ADMIN, is_staff=True),
        UserFactory(username="audit-admin", role=Role.AUDIT_ADMIN, is_staff=True),
    )


def choose_role(client: Client, user: User, role: Role):
    """What the security administrator does on the user's page (用户管理): choose the new role, give the reason."""
    url = reverse("users:user_action", args=[user.pk, "change_role"])
    return client.post(url, {"role-role": role, "role-reason": "新到岗"}, follow=True)


def test_a_finance_role_chosen_by_one_administrator_waits_for_another(client, admins):
    first, second, _audit_admin = admins
    accomplice = UserFactory(username="new-clerk", role=None, organization=organization("650000"))
    client.force_login(first)
    page = choose_role(client, accomplice, Role.FINANCE)
    assert "须由另一位安全管理员或审计管理员确认后生效" in page.content.decode()
    assert User.objects.get(pk=accomplice.pk).roles == frozenset()
    grant = RoleGrant.objects.get(user=accomplice)
    assert (grant.status, grant.role, grant.requested_by) == (DecisionStatus.PENDING, Role.FINANCE, first)

    # The proposer cannot confirm it, not even by posting the confirmation directly.
    with pytest.raises(PermissionDenied):
        role_grant_decide(grant=grant, approve=True, acting_user=first)
    client.post(reverse("users:decision_decide", args=["role", grant.pk, "confirm"]))
    assert User.objects.get(pk=accomplice.pk).roles == frozenset()

    # Another security administrator does; the user's sessions end so the new rights start from a fresh sign-in.
    signed_in = Client()
    signed_in.force_login(accomplice)
    client.force_login(second)
    client.post(reverse("users:decision_decide", args=["role", grant.pk, "confirm"]))
    assert User.objects.get(pk=accomplice.pk).roles == {Role.FINANCE}
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(accomplice.pk)]
    confirmed = AuditEvent.objects.filter(action="approve", object_id=str(accomplice.pk)).latest("sequence")
    assert confirmed.actor == second and "requested by security-1" in confirmed.detail


def test_the_audit_administrator_may_confirm_and_a_rejection_grants_nothing(admins):
    first, _second, audit_admin = admins
    user = UserFactory(username="reader", role=None, organization=organization("650000"))
    grant = role_grant_request(user=user, role=Role.AUDITOR, acting_user=first)
    role_grant_decide(grant=grant, approve=False, acting_user=audit_admin)
    assert User.objects.get(pk=user.pk).roles == frozenset()
    grant = role_grant_request(user=user, role=Role.AUDITOR, acting_user=first)
    role_grant_decide(grant=grant, approve=True, acting_user=audit_admin)
    assert User.objects.get(pk=user.pk).roles == {Role.AUDITOR}


def test_an_operator_role_takes_effect_at_once_and_replaces_the_old_role(admins):
    first = admins[0]
    clerk = UserFactory(username="clerk", role=Role.AUDITOR, organization=organization("653100"))
    grant = role_grant_request(user=clerk, role=Role.OPERATOR, acting_user=first)
    assert grant.status == DecisionStatus.APPROVED
    assert User.objects.get(pk=clerk.pk).roles == {Role.OPERATOR}


def test_nobody_proposes_a_role_for_themselves_and_the_database_refuses_a_self_confirmation(admins):
    first, second, _ = admins
    with pytest.raises(PermissionDenied):
        role_grant_request(user=first, role=Role.FINANCE, acting_user=first)
    user = UserFactory(username="someone", role=None, organization=organization("650000"))
    grant = role_grant_request(user=user, role=Role.FINANCE, acting_user=second)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleGrant.objects.filter(pk=grant.pk).update(status=DecisionStatus.APPROVED, decided_by=second)
