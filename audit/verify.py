"""Integrity checks: the audit chain, and the seals of posted disbursements."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from audit.chain import GENESIS, head_signature, link_hash, seal
from audit.models import AuditEvent, AuditHead
from audit.services import checkpoint_path, content_of, read_checkpoint
from funds.models import Disbursement, ImportBatch
from funds.selectors import payment_summary_differences


@dataclass
class Verification:
    what: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    last_hash: str = ""
    last_sequence: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> str:
        return self.problems[0] if self.problems else ""


def verify_audit_chain(*, limit_problems: int = 20, use_checkpoint: bool = True) -> Verification:
    """Walk the log in order: each row's hash must match its content and the previous row's hash, and the
    sequence must have no gap. Reports the first altered, removed or inserted row (and a few after it)."""
    result = Verification(what=_("审计日志"))
    expected_previous, expected_sequence = GENESIS, 1
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=5000):
        result.checked += 1
        if event.sequence != expected_sequence:
            result.problems.append(
                _("第 {expected} 至 {found} 条之间的记录被删除（序号不连续）。").format(
                    expected=expected_sequence, found=event.sequence - 1
                )
            )
        if event.previous_hash != expected_previous:
            result.problems.append(
                _("第 {n} 条的前序哈希与上一条不符：其前面的记录被删除、插入或修改过。").format(n=event.sequence)
            )
        if link_hash(event.previous_hash, content_of(event)) != event.chain_hash:
            result.problems.append(_("第 {n} 条记录的内容被修改过（哈希不符）。").format(n=event.sequence))
        expected_previous, expected_sequence = event.chain_hash, event.sequence + 1
        if len(result.problems) >= limit_problems:
            break
    result.last_hash = expected_previous
    result.last_sequence = expected_sequence - 1
    result.problems += _end_problems(result.last_sequence, result.last_hash, use_checkpoint=use_checkpoint)
    return result


def _end_problems(last_sequence: int, last_hash: str, *, use_checkpoint: bool) -> list[str]:
    """Is the chain as long as its head and the checkpoint file say? (a missing tail, a truncation, a restart)"""
    problems = []
    first_hash = AuditEvent.objects.filter(sequence=1).values_list("chain_hash", flat=True).first() or ""
    head = AuditHead.objects.order_by("-sequence").first()
    anchors = []
    if head is not None:
        signed = head.signature == head_signature(head.sequence, head.chain_hash)
        anchors.append(("head", _("链头记录"), head.sequence, head.chain_hash, signed))
    checkpoint = read_checkpoint() if use_checkpoint else None
    if checkpoint is not None:
        signed = checkpoint["signature"] == head_signature(
            checkpoint["sequence"], checkpoint["chain_hash"], checkpoint["first_hash"]
        )
        if signed and checkpoint["first_hash"] != first_hash:
            problems.append(
                _(
                    "检查点文件 {path} 属于另一条日志（第 1 条记录不同）：日志被清空后重新开始过，或数据库被替换。"
                    "若这是新建或从备份恢复的数据库，核实后运行 manage.py verify_audit --reanchor。"
                ).format(path=checkpoint_path())
            )
        else:
            anchors.append(("checkpoint", _("检查点文件"), checkpoint["sequence"], checkpoint["chain_hash"], signed))
    for kind, name, sequence, chain_hash, signed in anchors:
        if not signed:
            problems.append(_("{name}的签名不符：链头被改写过（或密钥不对）。").format(name=name))
        elif sequence > last_sequence:
            problems.append(
                _("{name}显示日志记到第 {head} 条，表中只到第 {last} 条：").format(
                    name=name, head=sequence, last=last_sequence
                )
                + _("最后 {n} 条记录被删除（或日志被清空、从旧备份恢复）。").format(n=sequence - last_sequence)
            )
        elif sequence == last_sequence and chain_hash != last_hash:
            problems.append(_("{name}与第 {n} 条记录的哈希不符：日志被替换过。").format(name=name, n=sequence))
        elif kind == "head" and sequence < last_sequence:
            problems.append(
                _("链头记录停在第 {head} 条，表中有 {last} 条：其后的记录没有接在日志的结尾上。").format(
                    head=sequence, last=last_sequence
                )
            )
    if head is None and last_sequence:
        problems.append(_("链头记录缺失：日志的结尾无法核对（链头被删除）。"))
    if not last_sequence and head is None:
        held = ImportBatch.objects.count() + Disbursement.objects.count()
        if held:
            problems.append(_("审计日志为空，但数据库中有 {n} 条导入与发放记录：日志被清空过。").format(n=held))
    return problems


def verify_disbursements(*, limit_problems: int = 20) -> Verification:
    """Every posted or reversed payment must still match its seal (its content as written), and every import
    must still hold as many payments as its audit event recorded (a deleted row leaves a batch short)."""

    result = Verification(what=_("发放记录"))
    for payment in Disbursement.objects.order_by("pk").iterator(chunk_size=5000):
        result.checked += 1
        if seal(payment.seal_content()) != payment.seal:
            result.problems.append(
                _("发放记录 #{pk}（{date}，{amount} 元）的内容被修改过（校验值不符）。").format(
                    pk=payment.pk, date=payment.paid_on, amount=payment.amount
                )
            )
            if len(result.problems) >= limit_problems:
                return result
    recorded = AuditEvent.objects.filter(action="import", object_type="funds.importbatch").values_list(
        "object_id", "changes"
    )
    actual = dict(
        Disbursement.objects.exclude(batch=None).values("batch").annotate(n=Count("pk")).values_list("batch", "n")
    )
    kept = dict(ImportBatch.objects.filter(posted_count__gt=0).values_list("pk", "posted_count"))
    expected_by_batch = {
        int(batch_id): int((changes or {}).get("rows", ["", "0"])[1] or 0) for batch_id, changes in recorded
    }
    for batch_id, count in kept.items():  # kept beside the batch too: the log's record may itself be gone
        expected_by_batch[batch_id] = max(expected_by_batch.get(batch_id, 0), count)
    for batch_id, expected in sorted(expected_by_batch.items()):
        found = actual.get(batch_id, 0)
        if found < expected:
            result.problems.append(
                _("导入批次 #{batch} 记录导入 {expected} 笔，现存 {found} 笔：有发放记录被删除。").format(
                    batch=batch_id, expected=expected, found=found
                )
            )
    for key, (stated, counted) in payment_summary_differences().items():
        result.problems.append(
            _("发放汇总 {key} 记为 {stated}，按发放记录重新统计为 {counted}：汇总表被改动过。").format(
                key="/".join(str(part) for part in key), stated=stated, counted=counted
            )
        )
        if len(result.problems) >= limit_problems:
            break
    return result
