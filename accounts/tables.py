"""The users page's table (django-tables2), exported through core.lists like every list."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from core.lists import ExportableTable
from funds.choices import Role
from funds.models import User


def role_label(value: str | None) -> str:
    return str(Role(value).label) if value in Role.values else "—"


def account_states(record: User) -> list[tuple[str, str]]:
    """(css class, words) for each state the account is in, most important first."""
    states = []
    if not record.is_active:
        states.append(("disabled", _("已停用")))
    if getattr(record, "locked", False):
        states.append(("locked", _("已锁定")))
    if record.is_active and record.must_change_password:
        states.append(("pending", _("待修改初始密码")))
    if not states:
        states.append(("active", _("启用")))
    return states


class UserTable(ExportableTable):
    username = tables.Column(verbose_name=_("用户名"))
    full_name = tables.Column(verbose_name=_("姓名"), empty_values=(), order_by=("last_name", "first_name"))
    organization = tables.Column(
        verbose_name=_("所属单位"), accessor="organization__short_name", order_by="organization__code"
    )
    role_name = tables.Column(verbose_name=_("角色"))
    pending_role = tables.Column(verbose_name=_("待确认角色"))
    state = tables.Column(verbose_name=_("状态"), empty_values=(), orderable=False)
    has_authenticator = tables.BooleanColumn(verbose_name=_("身份验证器"), yesno=(_("已绑定"), _("未绑定")))
    last_login = tables.DateTimeColumn(verbose_name=_("最近登录"), format="Y-m-d H:i")
    date_joined = tables.DateTimeColumn(verbose_name=_("创建时间"), format="Y-m-d")

    export_kinds = {"last_login": "datetime", "date_joined": "date"}

    class Meta:
        model = User
        fields = ()
        sequence = (
            "username",
            "full_name",
            "organization",
            "role_name",
            "pending_role",
            "state",
            "has_authenticator",
            "last_login",
            "date_joined",
        )
        order_by = ("organization", "username")
        attrs = {"class": "data", "id": "users"}
        empty_text = _("没有符合条件的账号。")

    def render_username(self, record: User) -> str:
        return format_html('<a href="{}">{}</a>', reverse("users:user_detail", args=[record.pk]), record.username)

    def render_full_name(self, record: User) -> str:
        return f"{record.last_name}{record.first_name}" or "—"

    def render_role_name(self, value: str) -> str:
        return role_label(value)

    def render_pending_role(self, value: str) -> str:
        return role_label(value)

    def render_state(self, record: User) -> str:
        return format_html_join(
            " ",
            '<span class="status status-{}">{}</span>',
            ((css, str(words)) for css, words in account_states(record)),
        )

    def export_value(self, record: User, name: str):
        match name:
            case "full_name":
                return f"{record.last_name}{record.first_name}"
            case "role_name" | "pending_role":
                value = getattr(record, name)
                return role_label(value) if value else ""
            case "state":
                return "、".join(str(words) for _css, words in account_states(record))
            case "has_authenticator":
                return str(_("已绑定") if record.has_authenticator else _("未绑定"))
        return super().export_value(record, name)
