"""Shared body of the `import_roster` and `import_disbursements` commands: the same services as the web."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from funds.choices import ImportStatus
from funds.models import ImportBatch, Organization, User
from imports.errors import RowError
from imports.services import import_batch_confirm, import_batch_create, import_batch_validate


def add_common_arguments(parser) -> None:
    parser.add_argument("file")
    parser.add_argument("--org", required=True, help="organisation code, e.g. 653100")
    parser.add_argument("--confirm", action="store_true", help="import (all rows or none)")
    parser.add_argument("--user", help="acting user (default: the first superuser)")
    parser.add_argument("--sheet", default="", help="the sheet to read when several hold the upload's headers")


def acting_user(username: str | None) -> User:
    if username:
        try:
            return User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"no active user {username!r}") from None
    user = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("name the acting user with --user (no active superuser to act as)")
    return user


def organization(code: str) -> Organization:
    try:
        return Organization.objects.get(code=code)
    except Organization.DoesNotExist:
        raise CommandError(f"no organisation with code {code!r}") from None


def run_import(command: BaseCommand, *, path: str, confirm: bool, user: User, **batch_fields) -> None:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"no such file: {path}")
    try:
        batch = import_batch_create(file_name=file.name, data=file.read_bytes(), acting_user=user, **batch_fields)
    except (ValidationError, PermissionDenied) as exc:
        raise CommandError("; ".join(getattr(exc, "messages", [str(exc)]))) from None
    batch = import_batch_validate(batch=batch)
    if batch.status == ImportStatus.REFUSED:
        _print_errors(command, batch)
        raise SystemExit(1)
    _print_preview(command, batch)
    if not confirm:
        command.stdout.write(_("预览完成，未写入任何数据；加 --confirm 执行导入。"))
        return
    batch = import_batch_confirm(batch=batch, acting_user=user, warnings_acknowledged=True)
    if batch.status != ImportStatus.IMPORTED:
        _print_errors(command, batch)
        raise SystemExit(1)
    command.stdout.write(command.style.SUCCESS(_("已导入，批次 #{pk}。").format(pk=batch.pk)))


def _print_errors(command: BaseCommand, batch: ImportBatch) -> None:
    for error in batch.errors:
        command.stderr.write(str(RowError(**error)))
    if batch.error_count > len(batch.errors):
        command.stderr.write(_("……另有 {n} 处错误未列出。").format(n=batch.error_count - len(batch.errors)))
    command.stderr.write(_("共 {n} 处错误，未导入任何数据。").format(n=batch.error_count))


def _print_preview(command: BaseCommand, batch: ImportBatch) -> None:
    summary = batch.summary
    command.stdout.write(
        _("共 {rows} 行：新增 {create}，更新 {update}，不变 {unchanged}。").format(
            rows=summary["rows"], create=summary["create"], update=summary["update"], unchanged=summary["unchanged"]
        )
    )
    for label, (count, total) in summary["totals"].items():
        command.stdout.write(
            f"  {label}: {count} 行，{total} 元" if batch.kind == "disbursements" else f"  {label}: {count}"
        )
    for label, (count, total) in summary.get("sources", {}).items():
        command.stdout.write(
            _("  资金来源 {label}：{count} 行，{total} 元").format(label=label, count=count, total=total)
        )
    if batch.kind == "disbursements":
        command.stdout.write(_("合计金额 {total} 元。").format(total=batch.total_amount))
    for note in summary.get("notes", []):
        command.stdout.write(note)
    for warning in batch.warnings:
        command.stdout.write(_("提示：") + str(RowError(**warning)))
