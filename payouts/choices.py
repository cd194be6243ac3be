from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplatePurpose(models.TextChoices):
    BATCH = "batch", _("代发文件")
    RESULT = "result", _("回盘文件")


class FileFormat(models.TextChoices):
    XLSX = "xlsx", _("Excel 工作簿（.xlsx）")
    XLS = "xls", _("Excel 97-2003 工作簿（.xls）")
    CSV = "csv", _("逗号分隔（.csv）")
    TXT = "txt", _("文本文件（.txt）")


class FileEncoding(models.TextChoices):
    """Banks' text files: many 网银 systems still read only GBK."""

    GBK = "gbk", _("GBK")
    UTF8 = "utf-8", _("UTF-8")
    UTF8_BOM = "utf-8-sig", _("UTF-8（带 BOM）")


class BatchField(models.TextChoices):
    """What a column of a bank batch file holds."""

    SERIAL = "serial", _("序号")
    PAYEE_NAME = "payee_name", _("收款人户名")
    ACCOUNT = "account", _("收款账号")
    AMOUNT = "amount", _("金额")
    ID_NUMBER = "id_number", _("身份证号")
    PAYEE_BANK = "payee_bank", _("收款账号开户行")
    PURPOSE = "purpose", _("用途")
    REMARK = "remark", _("备注")
    PAYER_ACCOUNT = "payer_account", _("付款账号")
    PAYER_NAME = "payer_name", _("付款账号名称")
    PAYER_BANK = "payer_bank", _("付款账号开户行")
    PROVINCE = "province", _("省份名")
    CITY = "city", _("城市名")
    PHONE = "phone", _("短信通知手机号码")
    FIXED = "fixed", _("固定值")


class ResultField(models.TextChoices):
    """What a column of a bank result file (回盘) holds."""

    SERIAL = "serial", _("序号")
    ACCOUNT = "account", _("收款账号")
    PAYEE_NAME = "payee_name", _("收款人户名")
    AMOUNT = "amount", _("金额")
    STATUS = "status", _("处理结果")
    REASON = "reason", _("失败原因")
    SETTLED_ON = "settled_on", _("入账日期")


class BankBatchStatus(models.TextChoices):
    PREPARED = "prepared", _("待放行")
    RELEASED = "released", _("已放行")
    SETTLED = "settled", _("已回盘")
    CANCELLED = "cancelled", _("已作废")


class LineOutcome(models.TextChoices):
    PENDING = "pending", _("待回盘")
    SUCCEEDED = "succeeded", _("成功")
    FAILED = "failed", _("失败（退票）")


class FollowUp(models.TextChoices):
    """What became of a payment the bank returned (退票)."""

    NONE = "", _("—")
    OPEN = "open", _("待处理")
    REISSUED = "reissued", _("已补发")
    RECOVERED = "recovered", _("已追回")


class ResultFileStatus(models.TextChoices):
    PREVIEWED = "previewed", _("待确认")
    REFUSED = "refused", _("未通过校验")
    APPLIED = "applied", _("已入账")
    DISCARDED = "discarded", _("已放弃")
