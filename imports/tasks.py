"""Background work for large files, run by `python manage.py db_worker` (django-tasks-db)."""

import logging

from django.tasks import task
from django.utils.translation import gettext as _

from funds.choices import ImportStatus
from funds.models import ImportBatch, User
from imports.errors import RowError
from imports.services import import_batch_confirm, import_batch_validate

logger = logging.getLogger(__name__)


def _fail(batch_id: int) -> None:
    # A crash must not leave the page's progress bar spinning forever: the batch says what happened.
    logger.exception("import batch %s failed", batch_id)
    ImportBatch.objects.filter(pk=batch_id).update(
        status=ImportStatus.REFUSED,
        errors=[RowError(0, "", _("处理文件时发生内部错误，请联系系统管理员。")).as_dict()],
        error_count=1,
    )


@task()
def validate_import(batch_id: int) -> None:
    try:
        import_batch_validate(batch=ImportBatch.objects.get(pk=batch_id))
    except Exception:
        _fail(batch_id)
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
        _fail(batch_id)
        raise
