"""A new deployment starts with the three administrators, not with a superuser."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AuditEvent
from funds.choices import Role
from funds.models import User


def test_bootstrap_creates_the_three_administrators_with_one_time_passwords(db):
    out = StringIO()
    call_command("bootstrap", stdout=out)
    printed = dict(re.findall(r"^\s+(\S+)\s+(\S+)\s+\S+$", out.getvalue(), flags=re.MULTILINE))
    assert set(printed) == {"sysadmin", "security", "auditadmin"}
    for username, role in [
        ("sysadmin", Role.SYSTEM_ADMIN),
        ("security", Role.SECURITY_ADMIN),
        ("auditadmin", Role.AUDIT_ADMIN),
    ]:
        user = User.objects.get(username=username)
        assert user.roles == {role} and not user.is_superuser and user.is_staff
        assert user.must_change_password and user.check_password(printed[username])
        assert user.organization.kind == "federation"
    assert AuditEvent.objects.filter(detail__startswith="bootstrap:").count() == 3
    with pytest.raises(CommandError):
        call_command("bootstrap", stdout=StringIO())  # only once: a second run changes nobody's password


def test_the_bootstrapped_administrators_reach_no_money(client, db):
    call_command("bootstrap", stdout=StringIO())
    client.force_login(User.objects.get(username="security"))
    User.objects.filter(username="security").update(must_change_password=False)
    assert client.get("/admin/funds/disbursement/").status_code == 403
