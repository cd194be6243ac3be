from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    PROJECT = "project", _("项目支出绩效自评报告")
    DEPARTMENT = "department", _("部门整体支出绩效自评报告")


# `render_report --program` and the report URLs name a report by its program's code, or this for the department.
DEPARTMENT_SCOPE = "department"
