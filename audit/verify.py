"""Integrity checks: the audit chain, and the seals of posted disbursements."""

from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext as _

from audit.chain import GENESIS, link_hash, seal
from audit.models import AuditEvent
from audit.services import content_of
from funds.models import Disbursement


@dataclass
class Verification:
    what: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    last_hash: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> str:
        return self.problems[0] if self.problems else ""


def verify_audit_chain(*, limit_problems: int = 20) -> Verification:
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
    return result


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
    for batch_id, changes in recorded:
        expected = int((changes or {}).get("rows", ["", "0"])[1] or 0)
        found = actual.get(int(batch_id), 0)
        if found < expected:
            result.problems.append(
                _("导入批次 #{batch} 记录导入 {expected} 笔，现存 {found} 笔：有发放记录被删除。").format(
                    batch=batch_id, expected=expected, found=found
                )
            )
    return result
