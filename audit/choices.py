from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    SUBMIT = "submit", _("提交")
    APPROVE = "approve", _("审批")
    RETURN = "return", _("退回")
    REQUEST_REVERSAL = "request_reversal", _("申请冲销")
    REVERSAL = "reversal", _("冲销")
    IMPORT = "import", _("导入")
    REQUEST_FINALISATION = "request_finalisation", _("申请定稿")
    FINALISATION = "finalisation", _("定稿")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKED_OUT = "locked_out", _("账号锁定")
    PASSWORD_CHANGE = "password_change", _("修改密码")
    TWO_FACTOR = "two_factor", _("双因素认证")
    AUTHORIZATION_FAILURE = "authorization_failure", _("越权访问")
    DOWNLOAD = "download", _("下载")
    UNMASK = "unmask", _("查看完整个人信息")
    VERIFY = "verify", _("完整性校验")
