"""The first accounts of a new deployment: the three administrators of 三权分立, each with a one-time password.

Instead of `createsuperuser` (one account that can do everything — kept for emergencies only), a new federation
starts with a system administrator (reference data), a security administrator (accounts) and an audit administrator
(the log). Their passwords are printed once, must be changed at the first sign-in, and the second factor is enrolled
before that. The security administrator then creates everyone else; finance and auditor roles need the audit
administrator's (or a second security administrator's) confirmation.
"""

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.passwords import one_time_password
from audit.choices import AuditAction
from audit.services import audit_record
from funds.choices import OrganizationKind, Role
from funds.models import Organization, User

ADMINISTRATORS = [
    ("sysadmin", Role.SYSTEM_ADMIN, "系统管理员"),
    ("security", Role.SECURITY_ADMIN, "安全管理员"),
    ("auditadmin", Role.AUDIT_ADMIN, "审计管理员"),
]


class Command(BaseCommand):
    help = "新部署：创建系统管理员、安全管理员、审计管理员三个账号，一次性密码只显示一次，首次登录须修改。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--prefix", default="", help="用户名前缀，例如 xj- 得到 xj-sysadmin 等")

    @transaction.atomic
    def handle(self, *args, prefix: str = "", **options) -> None:
        federation = Organization.objects.filter(kind=OrganizationKind.FEDERATION).first()
        if federation is None:
            raise CommandError("没有总工会本级单位：请先运行 manage.py migrate 和 manage.py setup_reference_data。")
        taken = [f"{prefix}{name}" for name, _role, _label in ADMINISTRATORS]
        if User.objects.filter(username__in=taken).exists():
            raise CommandError("管理员账号已存在，本命令只用于新部署（重置密码请由安全管理员在系统中办理）。")
        created = []
        for name, role, label in ADMINISTRATORS:
            password = one_time_password()
            user = User(
                username=f"{prefix}{name}",
                first_name=label,
                organization=federation,
                is_staff=True,  # all three work in 数据维护 (the audit administrator confirms grants there)
                must_change_password=True,
            )
            user.set_password(password)
            user.full_clean(exclude=["password"])
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            audit_record(
                action=AuditAction.CREATE,
                actor=None,
                username="manage.py bootstrap",
                obj=user,
                detail=f"bootstrap: {role} created with a one-time password",
            )
            created.append((user.username, password, label))
        self.stdout.write("已创建以下账号。密码只显示这一次，请当面交给本人；首次登录须绑定身份验证器并修改密码：")
        for username, password, label in created:
            self.stdout.write(f"  {username:<16} {password}  {label}")
