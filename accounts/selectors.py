"""What the users page reads: accounts with their role, lockout and second factor, scoped to the administrator."""

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import AuthenticatorDevice, RoleGrant, SecondFactorReset
from core.models import DecisionStatus
from core.scoping import Action
from funds.choices import Role
from funds.models import User


def locked_attempts() -> QuerySet[AccessAttempt]:
    """The attempts that lock a user name now: as many failures as django-axes allows, within its cool-off."""
    return AccessAttempt.objects.filter(
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
    )


def users_for(*, user: User, action: Action = Action.VIEW) -> QuerySet[User]:
    """Accounts the administrator may see, each annotated with its role, a role waiting for confirmation, whether
    it is locked out and whether it has an authenticator."""
    return (
        User.objects.restrict(user, action)
        .select_related("organization")
        .annotate(
            role_name=Subquery(Group.objects.filter(user=OuterRef("pk"), name__in=Role.values).values("name")[:1]),
            pending_role=Subquery(
                RoleGrant.objects.filter(user=OuterRef("pk"), status=DecisionStatus.PENDING).values("role")[:1]
            ),
            locked=Exists(locked_attempts().filter(username=OuterRef("username"))),
            has_authenticator=Exists(AuthenticatorDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        )
    )


def pending_decisions(*, user: User) -> dict[str, QuerySet]:
    """Role grants and second-factor resets waiting for a second administrator, for the users page's to-do box."""
    grants = RoleGrant.objects.restrict(user).filter(status=DecisionStatus.PENDING)
    resets = SecondFactorReset.objects.restrict(user).filter(status=DecisionStatus.PENDING)
    return {
        "grants": grants.select_related("user__organization", "requested_by").order_by("requested_at"),
        "resets": resets.select_related("user__organization", "requested_by").order_by("requested_at"),
    }
