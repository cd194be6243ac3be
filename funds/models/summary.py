from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet
from funds.choices import DisbursementStatus, FundingSource

# The ledger columns a summary row is keyed by: every question the pages ask of sums and counts of payments.
SUMMARY_KEYS = ["program_id", "fiscal_year_id", "paying_organization_id", "payment_kind_id", "funding_source", "status"]


class PaymentSummary(models.Model):
    """How many payments and how much, per program, year, paying organisation, kind, funding source and status.

    Kept exact by database triggers on the ledger (core.db_summaries), in the same transaction as every write: the
    ledger is append-only and only ever flips posted → reversed, so sums and counts never drift. The home page, the
    board and the indicators read their totals here instead of scanning a million payments; `verify_audit` recounts
    the ledger and compares. Distinct-person counts cannot be summed this way (see funds.selectors.ledger_version).
    """

    program = models.ForeignKey("funds.Program", verbose_name=_("项目"), on_delete=models.PROTECT, db_index=False)
    fiscal_year = models.ForeignKey(
        "funds.FiscalYear", verbose_name=_("预算年度"), on_delete=models.PROTECT, db_index=False
    )
    paying_organization = models.ForeignKey(
        "funds.Organization", verbose_name=_("发放单位"), on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    payment_kind = models.ForeignKey(
        "funds.PaymentKind", verbose_name=_("发放类型"), on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    funding_source = models.CharField(_("资金来源"), max_length=20, choices=FundingSource.choices)
    status = models.CharField(_("状态"), max_length=10, choices=DisbursementStatus.choices)
    payments = models.BigIntegerField(_("笔数"), default=0)
    amount = models.DecimalField(_("金额（元）"), max_digits=18, decimal_places=2, default=0)

    objects = RestrictedQuerySet.as_manager()
    scope_path = "paying_organization"
    permission_from = ("funds", "disbursement")

    class Meta:
        verbose_name = _("发放汇总")
        verbose_name_plural = _("发放汇总")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "program", "paying_organization", "payment_kind", "funding_source", "status"],
                name="paymentsummary_one_row_per_group",
            ),
            models.CheckConstraint(name="paymentsummary_never_negative", condition=models.Q(payments__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year_id}/{self.program_id}/{self.paying_organization_id}: {self.payments}"
