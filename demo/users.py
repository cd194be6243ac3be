"""One demo account per role, with fresh passwords on every run."""

import secrets

from django.contrib.auth.models import Group

from funds.choices import (
    Role,
)
from funds.models import (
    Organization,
    User,
)

DEMO_USERS = [
    # username, role, organisation code, display name
    ("finance", Role.FINANCE, "650000", "财务一"),
    ("finance2", Role.FINANCE, "650000", "财务二"),
    ("kashgar", Role.OPERATOR, "653100", "喀什经办"),
    ("auditor", Role.AUDITOR, "650000", "审计员"),
    ("department", Role.DEPARTMENT, "650000", "权益保障部"),
    ("sysadmin", Role.SYSTEM_ADMIN, "650000", "系统管理员"),
    ("security", Role.SECURITY_ADMIN, "650000", "安全管理员"),
    ("auditadmin", Role.AUDIT_ADMIN, "650000", "审计管理员"),
]
# Roles that work in the admin site (数据维护): reference data, accounts, and the audit administrator's
# confirmations (role grants, second-factor resets, organisation moves).
# As accounts.services gives it: the Django admin (数据维护) is the administrators' (reference data, decisions).
STAFF_ROLES = {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}


def ensure_demo_users() -> dict[str, str]:
    """Create (or reset the passwords of) one demo user per role and return the fresh passwords."""
    passwords = {}
    for username, role, org_code, display in DEMO_USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.organization = Organization.objects.get(code=org_code)
        user.first_name = display
        user.is_staff = role in STAFF_ROLES
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        # Demo accounts only (load_demo refuses to run unless DEBUG): no forced change of the printed password.
        user.must_change_password = False
        user.full_clean(exclude=["password"])
        user.save()
        user.groups.set([Group.objects.get(name=role.value)])
        passwords[username] = password
    return passwords
