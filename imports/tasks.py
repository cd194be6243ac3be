"""Background work for large files, run by `python manage.py db_worker` (django-tasks-db)."""

import logging

from django.tasks import task
from django.utils.translation import gettext as _

from funds.choices import ImportStatus
from funds.models import ImportBatch, User
from imports.errors import RowError
from imports.services import import_batch_confirm, import_batch_validate

logger = logging.getLogger(__name__)


def fail_batch(batch_id: int) -> None:
    """Record that the system failed on a batch (call from an `except` block: the exception is logged).

    Not 校验未通过: the file may be fine. A crash must not leave the page's progress bar spinning forever either.
    Nothing was written (the import's own transaction rolled back).
    """
    logger.exception("import batch %s failed", batch_id)
    message = _("系统处理该文件时出错，未导入任何数据。请稍后重新上传；如仍出错，请联系系统管理员。")
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportStatus.FAILED, errors=[RowError(0, "", message).as_dict()], error_count=1
    )


@task()
def validate_import(batch_id: int) -> None:
    try:
        import_batch_validate(batch=ImportBatch.objects.get(pk=batch_id))
    except Exception:
        fail_batch(batch_id)
        raise


@task()
def confirm_import(batch_id: int, user_id: int, warnings_acknowledged: bool) -> None:
    try:
        import_batch_confirm(
            batch=ImportBatch.objects.get(pk=batch_id),
            acting_user=User.objects.get(pk=user_id),
            warnings_acknowledged=warnings_acknowledged,
        )
    except Exception:
        fail_batch(batch_id)
        raise
