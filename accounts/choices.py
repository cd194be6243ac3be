from django.db import models
from django.utils.translation import gettext_lazy as _


class UserState(models.TextChoices):
    """What the users page filters accounts by (an account can be in several: locked and waiting for a role)."""

    ACTIVE = "active", _("启用")
    DISABLED = "disabled", _("已停用")
    LOCKED = "locked", _("已锁定")
    MUST_CHANGE_PASSWORD = "must_change_password", _("待修改初始密码")
    NO_AUTHENTICATOR = "no_authenticator", _("未绑定身份验证器")
    ROLE_PENDING = "role_pending", _("角色待确认")
