"""Re-parenting an organisation that holds users or data widens someone's scope: it needs a second person."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent
from core.models import DecisionStatus
from funds.choices import OrganizationKind, Role
from funds.models import Organization, OrganizationMove, User
from funds.services.organizations import organization_move_decide, organization_move_request
from tests.factories import UserFactory, organization


@pytest.fixture
def sysadmins(db):
    return (
        UserFactory(username="sys-1", role=Role.SYSTEM_ADMIN, is_staff=True),
        UserFactory(username="sys-2", role=Role.SYSTEM_ADMIN, is_staff=True),
        UserFactory(username="audit-admin", role=Role.AUDIT_ADMIN, is_staff=True),
    )


def post_parent(client, org: Organization, parent: Organization):
    url = reverse("admin:funds_organization_change", args=[org.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields}
    data = {k: ("on" if v is True else v) for k, v in data.items() if v is not None and v is not False}
    data["parent"] = parent.pk
    return client.post(url, data, follow=True)


def test_moving_hotan_under_kashgar_waits_for_a_second_administrator(client, sysadmins):
    first, second, _ = sysadmins
    hotan, kashgar = organization("653200"), organization("653100")
    kashgar_operator = UserFactory(username="op-k", role=Role.OPERATOR, organization=kashgar)
    UserFactory(username="op-h", role=Role.OPERATOR, organization=hotan)  # 和田 holds users: its move needs two
    federation = hotan.parent
    client.force_login(first)
    page = post_parent(client, hotan, kashgar)
    assert "须由另一位管理员确认后生效" in page.content.decode()
    assert Organization.objects.get(pk=hotan.pk).parent == federation
    assert hotan.pk not in User.objects.get(pk=kashgar_operator.pk).scope_organization_ids()
    move = OrganizationMove.objects.get(organization=hotan)
    with pytest.raises(PermissionDenied):
        organization_move_decide(move=move, approve=True, acting_user=first)
    organization_move_decide(move=move, approve=True, acting_user=second)
    assert Organization.objects.get(pk=hotan.pk).parent == kashgar
    event = AuditEvent.objects.filter(object_type="funds.organization", object_id=str(hotan.pk)).latest("sequence")
    assert event.actor == second and event.changes["parent"] == [str(federation), str(kashgar)]
    assert "proposed by sys-1" in event.detail


def test_an_organisation_without_users_or_data_moves_at_once(client, sysadmins):
    first = sysadmins[0]
    federation = organization("650000")
    empty = Organization.objects.create(
        code="659999", name="新建行业工会", short_name="新建", kind=OrganizationKind.INDUSTRY, parent=federation
    )
    move = organization_move_request(organization=empty, to_parent=organization("653100"), acting_user=first)
    assert move.status == DecisionStatus.APPROVED
    assert Organization.objects.get(pk=empty.pk).parent.code == "653100"


def test_the_audit_administrator_may_reject_and_a_stale_move_is_refused(sysadmins):
    first, second, audit_admin = sysadmins
    hotan = organization("653200")
    UserFactory(username="op-h", role=Role.OPERATOR, organization=hotan)
    move = organization_move_request(organization=hotan, to_parent=organization("653100"), acting_user=first)
    organization_move_decide(move=move, approve=False, acting_user=audit_admin)
    assert Organization.objects.get(pk=hotan.pk).parent.code == "650000"
    move = organization_move_request(organization=hotan, to_parent=organization("653100"), acting_user=first)
    Organization.objects.filter(pk=hotan.pk).update(parent=organization("652900"))  # moved meanwhile (superuser)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        organization_move_decide(move=move, approve=True, acting_user=second)
