"""发放明细: validate every row of a disbursement list against the roster, the rules and the money chain.

Two phases. `parse` turns cells into typed rows (everything that depends only on the file); `check` applies
every rule that depends on the database (roster, eligibility, surveys, standards, earlier payments, the
allocation). The preview runs both and keeps the parse; confirm re-runs only `check` on it, against the data
as it is then — so a 100,000-row file is read and parsed once.
"""

import datetime
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries import eligibility
from beneficiaries.choices import SuspensionReason
from beneficiaries.models import Household, LivingSurvey, ModelWorker, resident_id_digest
from core.crypto import decrypt, encrypt
from core.masking import mask_account
from core.money import ZERO, format_yuan
from core.scoping import Action
from core.versions import table_stamp
from funds.choices import (
    PLAN_FUNDED_SOURCES,
    BeneficiaryKind,
    DisbursementStatus,
    FundingSource,
    OrganizationKind,
    PaymentMethod,
    PlanStatus,
)
from funds.models import (
    AllocationLine,
    Disbursement,
    DisbursementReversal,
    FundsReceipt,
    ImportBatch,
    PaymentKind,
    PaymentStandard,
)
from funds.services.disbursements import PostedPayment, disbursements_post_bulk
from imports import cells
from imports.columns import Column, map_columns, not_accepted_here, rows, unknown_columns_note
from imports.errors import RowError
from imports.outcome import Outcome, ProgressCallback
from imports.tables import Table
from oversight.choices import DuplicateDecision
from oversight.duplicates import flagged_people
from oversight.models import DuplicateCase

# The budget's own vocabulary (the 自评表's rows), and the words clerks' sheets use for the same sources.
FUNDING_LABELS = {str(label): value for value, label in FundingSource.choices}
FUNDING_ALIASES = {
    "财政资金": FundingSource.CURRENT_FISCAL,
    "财政拨款": FundingSource.CURRENT_FISCAL,
    "本年财政拨款": FundingSource.CURRENT_FISCAL,
    "上年结转": FundingSource.CARRIED_OVER,
    "部门预算": FundingSource.OTHER,
    "部门预算资金": FundingSource.OTHER,
}
METHOD_LABELS = {str(label): value for value, label in PaymentMethod.choices}

PARSE_CONTEXT = "imports.parsed_payment.account"
ID_ALIASES = ("身份证号码", "公民身份号码", "证件号码", "身份证", "证件号")
ACCOUNT_ALIASES = ("开户账号", "卡号", "银行卡号", "收款账号", "账号")
COLUMNS = [
    Column("序号", "serial", required=False, help="可选，便于核对，不导入", aliases=("编号",), sample=1),
    Column("姓名", "name", help="与名册一致", aliases=("户主姓名", "收款人姓名", "收款人"), sample="张三"),
    Column(
        "身份证号",
        "id_number",
        help="18位，末位X大写；请设置为文本格式",
        aliases=(*ID_ALIASES, "户主身份证号"),
        sample="11010519491231002X",
    ),
    Column("发放类型", "payment_kind", help="本项目的发放类型", aliases=("补助类型", "发放项目")),
    Column(
        "金额（元）",
        "amount",
        aliases=("金额", "发放金额（元）", "发放金额", "补助金额（元）", "补助金额"),
        help="大于0，最多两位小数",
        sample="1000.00",
    ),
    Column(
        "发放日期",
        "paid_on",
        help="如 2024-11-28，须在本预算年度内",
        aliases=("发放时间",),
        sample="2024-11-28",
    ),
    Column(
        "发放方式",
        "payment_method",
        allowed=tuple(METHOD_LABELS),
        help="银行代发 / 个人账户转账 / 现金",
        sample="银行代发",
    ),
    Column(
        "银行账号",
        "bank_account",
        help="收款账号，请设置为文本格式；现金发放可留空",
        aliases=ACCOUNT_ALIASES,
        sample="6228480012345678901",
    ),
    Column(
        "资金来源",
        "funding_source",
        required=False,
        allowed=tuple(FUNDING_LABELS),
        help="留空即当年财政拨款；部门预算等填“其他资金”",
        sample="当年财政拨款",
    ),
    Column("备注", "note", required=False, help="可选"),
]
HEADERS = {column.key: column.header for column in COLUMNS}
# From this many people named in a file, the checks read the union's whole roster (and its surveys and payments)
# in one query each rather than the named ones in chunks of IN lists.
WHOLE_ROSTER_FROM = 20_000
SUSPENSION_LABELS = dict(SuspensionReason.choices)


@dataclass(slots=True)
class ParsedPayment:
    """One row as typed values. Holds the ID number's keyed digest, never the number itself."""

    row: int
    name: str
    digest: str
    kind: str
    amount: Decimal
    paid_on: datetime.date
    method: str
    account_masked: str
    source: str
    note: str
    # The account itself, encrypted (the parse is stored between preview and confirm): the bank batch file needs it.
    account_token: str = ""
    # The roster row the check matched (0 until checked): a confirm whose watermark holds writes it without a re-check.
    person_pk: int = 0

    def to_json(self) -> list:
        # Field by field: dataclasses.astuple deep-copies every value (a fifth of a 100,000-row preview).
        return [
            self.row,
            self.name,
            self.digest,
            self.kind,
            str(self.amount),
            self.paid_on.isoformat(),
            self.method,
            self.account_masked,
            self.source,
            self.note,
            self.account_token,
            self.person_pk,
        ]

    @classmethod
    def from_json(cls, values: list) -> "ParsedPayment":
        row = cls(*values)
        row.amount, row.paid_on = Decimal(row.amount), datetime.date.fromisoformat(row.paid_on)
        return row


@dataclass(slots=True)
class Person:
    """The roster columns the rules read, loaded as plain values (a model instance per row costs 6× more)."""

    pk: int
    name: str
    archived_on: datetime.date | None = None
    lifted_out_on: datetime.date | None = None
    award_year: int = 0
    died_on: datetime.date | None = None
    suspended_on: datetime.date | None = None
    suspension_ended_on: datetime.date | None = None
    suspension_reason: str = ""


class _RowFailures(list):
    """The errors of one row; called as `fail(column key, message)`."""

    def __init__(self, row: int):
        super().__init__()
        self.row = row

    def __call__(self, key: str, message: str, detail: str = "") -> None:
        self.append(RowError(self.row, HEADERS.get(key, ""), message, detail))


def parse(table: Table, batch: ImportBatch, progress: ProgressCallback | None = None) -> tuple[list, list, list]:
    """The file's rows as typed payments: (parsed rows, errors, notes for the preview)."""
    mapped = map_columns(table, COLUMNS)
    notes = [unknown_columns_note(mapped.unknown)] if mapped.unknown else []
    if mapped.errors:
        return [], mapped.errors, notes
    kinds = set(batch.program.payment_kinds.values_list("name", flat=True))
    kind_labels = {name: name for name in sorted(kinds)}
    year = batch.fiscal_year
    parsed, errors = [], []
    amounts: dict[int, Decimal | None] = {}  # row → amount (None: unreadable), for the 合计 rows' check
    today = timezone.localdate()
    for row in rows(table, COLUMNS, mapped.positions):
        name = row.get("name", cells.text, max_chars=50)
        number = row.get("id_number", cells.resident_id_number, today=today)
        kind = row.get("payment_kind", cells.choice, kind_labels)
        amount = row.get("amount", cells.amount)
        amounts[row.number] = amount
        paid_on = row.get("paid_on", cells.date)
        method = row.get("payment_method", cells.choice, METHOD_LABELS)
        account = row.get("bank_account", cells.bank_account, required=method not in (None, PaymentMethod.CASH))
        source = row.get(
            "funding_source",
            cells.choice,
            FUNDING_LABELS,
            aliases=FUNDING_ALIASES,
            required=False,
            default=FundingSource.CURRENT_FISCAL,
        )
        note = row.get("note", cells.text, required=False, max_chars=200, multiline=True)
        if paid_on and not year.contains(paid_on):
            row.fail("paid_on", _("发放日期 {date} 不在 {year} 预算年度内。").format(date=paid_on, year=year.year))
        if not row.ok:
            errors.extend(row.errors)
            continue
        parsed.append(
            ParsedPayment(
                row.number,
                name,
                resident_id_digest(number),
                kind,
                amount,
                paid_on,
                method,
                mask_account(account),
                source,
                note,
                encrypt(account, context=PARSE_CONTEXT) if account else "",
            )
        )
    errors.extend(_check_totals(table, mapped.positions.get("amount"), amounts, notes))
    errors.sort(key=lambda error: error.row)
    return parsed, errors, notes


def _check_totals(table: Table, amount_at: int | None, amounts: dict[int, Decimal | None], notes: list) -> list:
    """A 小计 row must equal the rows since the previous total row, a 合计 / 总计 row every row above it."""
    errors = []
    for number, label, total_cells in table.totals:
        if amount_at is None or cells.is_blank(total_cells[amount_at]):
            continue
        start = 0 if label != "小计" else max((n for n, _l, _c in table.totals if n < number), default=0)
        covered = [amount for row, amount in amounts.items() if start < row < number]
        if not covered or any(amount is None for amount in covered):
            continue  # rows above have errors of their own: the sum would prove nothing
        expected = sum(covered, ZERO)
        try:
            stated = cells.amount(total_cells[amount_at], allow_zero=True)
        except cells.CellError as exc:
            errors.append(RowError(number, HEADERS["amount"], _("{label}行：{error}").format(label=label, error=exc)))
            continue
        if stated != expected:
            errors.append(
                RowError(
                    number,
                    HEADERS["amount"],
                    _("{label}行金额 {stated} 元与以上 {n} 行之和 {expected} 元不符，请核对。").format(
                        label=label, stated=format_yuan(stated), n=len(covered), expected=format_yuan(expected)
                    ),
                )
            )
    if table.totals:
        notes.append(
            _("第 {rows} 行为合计行，已与明细核对，不作为发放记录导入。").format(
                rows="、".join(str(number) for number, _l, _c in table.totals)
            )
        )
    return errors


def check(
    parsed: list[ParsedPayment],
    parse_errors: list[RowError],
    batch: ImportBatch,
    progress: ProgressCallback | None = None,
) -> Outcome:
    outcome = Outcome(errors=list(parse_errors), row_count=len(parsed) + len({e.row for e in parse_errors}))
    if any(error.row <= 1 for error in parse_errors):
        return outcome  # the header is wrong: row checks would only repeat it
    org, program, year = batch.organization, batch.program, batch.fiscal_year
    kinds = {kind.name: kind for kind in program.payment_kinds.all()}
    for_households = program.beneficiary_kind == BeneficiaryKind.HOUSEHOLD
    within = org.subtree_ids()
    # Only the people the file names: a 5,000-row file of a union with 100,000 on its roster reads 5,000 of them.
    roster = _roster(batch, for_households, {payment.digest for payment in parsed})
    person_ids = sorted(person.pk for person in roster.values())
    # A large file names most of its union's roster: one query for all of it beats many with long IN lists.
    whole = len(person_ids) > WHOLE_ROSTER_FROM
    surveys = {}
    if not for_households:
        survey_rows = LivingSurvey.objects.filter(fiscal_year=year)
        for part in [None] if whole else _chunks(person_ids):
            surveys.update(
                survey_rows.filter(
                    **({"model_worker__organization__in": within} if part is None else {"model_worker_id__in": part})
                ).values_list("model_worker_id", "surveyed_on")
            )
    standards: dict[int, PaymentStandard] = {}
    # An organisation's own standard overrides the region-wide one.
    for standard in PaymentStandard.objects.filter(
        fiscal_year=year, payment_kind__program=program, organization__isnull=True
    ):
        standards[standard.payment_kind_id] = standard
    for standard in PaymentStandard.objects.filter(fiscal_year=year, payment_kind__program=program, organization=org):
        standards[standard.payment_kind_id] = standard
    fk = "household" if for_households else "model_worker"
    posted = defaultdict(list)  # (beneficiary id, kind id) → [(paid_on, amount, paying org id)]
    for part in [None] if whole else _chunks(person_ids):
        whose = {f"{fk}__organization__in": within} if part is None else {f"{fk}_id__in": part}
        for beneficiary_id, kind_id, paid_on, amount, paying_org in Disbursement.objects.filter(
            fiscal_year=year, program=program, status=DisbursementStatus.POSTED, **whose
        ).values_list(f"{fk}_id", "payment_kind_id", "paid_on", "amount", "paying_organization_id"):
            posted[(beneficiary_id, kind_id)].append((paid_on, amount, paying_org))

    seen_in_file: dict[tuple, int] = {}
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    source_labels = {value: str(label) for value, label in FundingSource.choices}  # a lazy label per row costs 40 µs
    method_labels = {value: str(label) for value, label in PaymentMethod.choices}
    outcome.sample_headers = [
        HEADERS["name"],
        HEADERS["payment_kind"],
        HEADERS["amount"],
        HEADERS["paid_on"],
        HEADERS["payment_method"],
        HEADERS["funding_source"],
        _("收款账号（脱敏）"),
        _("提示"),
    ]
    who = _("困难职工档案") if for_households else _("劳模名册")
    elsewhere = _registered_elsewhere(batch, for_households, {p.digest for p in parsed if p.digest not in roster})
    flagged = flagged_people(for_households=for_households)
    for index, payment in enumerate(parsed, start=1):
        if progress and index % 5000 == 0:
            progress(index, len(parsed))
        fail = _RowFailures(payment.row)
        kind = kinds[payment.kind]
        person = roster.get(payment.digest)
        if person is None and payment.digest in elsewhere:
            fail(
                "id_number",
                not_accepted_here(),
                _("该身份证号登记在{org}的{who}中，不在本单位名册，不能由本单位发放。").format(
                    org=elsewhere[payment.digest], who=who
                ),
            )
        elif person is None:
            fail("id_number", _("本单位名册中没有该身份证号（{who}），请先在名册中登记。").format(who=who))
        else:
            if payment.name.replace(" ", "") != person.name.replace(" ", ""):
                fail(
                    "name",
                    _("姓名“{name}”与名册登记的“{roster}”不一致。").format(name=payment.name, roster=person.name),
                )
            _check_eligibility(fail, person, payment.paid_on, surveys, year.year, for_households)
            if person.pk in flagged:
                outcome.warnings.append(
                    RowError(
                        payment.row,
                        HEADERS["id_number"],
                        _("该对象在疑似重复对象名单中，尚未处理：请财务人员核实后再发放。"),
                    )
                )
        standard = standards.get(kind.pk)
        if standard is None:
            fail(
                "payment_kind",
                _("{year}年尚未设置“{kind}”的补助标准，无法核对金额。").format(year=year.year, kind=kind.name),
            )
        elif not standard.admits(payment.amount):
            fail(
                "amount",
                _("金额 {amount} 元不符合“{kind}”的补助标准（{standard}）。").format(
                    amount=format_yuan(payment.amount), kind=kind.name, standard=standard.describe()
                ),
            )
        if person is not None:
            _check_duplicates(fail, outcome, person, kind, payment, posted, seen_in_file, org)
        if fail:
            outcome.errors.extend(fail)
            continue
        payment.person_pk = person.pk
        outcome.to_create.append(_posted(payment, kind))
        warned = bool(outcome.warnings) and outcome.warnings[-1].row == payment.row
        outcome.take_sample(
            payment.row,
            [
                payment.name,
                kind.name,
                format_yuan(payment.amount),
                payment.paid_on,
                method_labels.get(payment.method, payment.method),
                source_labels[payment.source],
                payment.account_masked,
                outcome.warnings[-1].message if warned else "",
            ],
            warned=warned,
        )
        outcome.total_amount += payment.amount
        outcome.add_total(kind.name, payment.amount)
        outcome.add_source_total(source_labels[payment.source], payment.amount)
        by_source[payment.source] += payment.amount

    outcome.errors.sort(key=lambda error: error.row)
    # The preview lists kinds and sources in their set order, not in the order the file happens to give them.
    outcome.order_totals([kind.name for kind in kinds.values()], list(source_labels.values()))
    outcome.amount_by_source = dict(by_source)
    if outcome.ok:
        _check_money_available(outcome, batch, by_source)
    return outcome


def needs_program_year_lock(outcome: Outcome) -> bool:
    """Money from sources shared by every union of the program-year (上年结转, 其他资金) is capped program-wide, so
    a confirm spending it serialises with the others; plan-funded money is capped per union (its own lock)."""
    return any(source not in PLAN_FUNDED_SOURCES for source in outcome.amount_by_source)


def recheck_shared_sources(outcome: Outcome, batch: ImportBatch) -> None:
    """Under the program-year lock: the program-wide caps again, against what other unions committed meanwhile."""
    shared = {s: a for s, a in outcome.amount_by_source.items() if s not in PLAN_FUNDED_SOURCES}
    if shared:
        _check_money_available(outcome, batch, shared)


def validate_disbursements(table: Table, batch: ImportBatch, progress: ProgressCallback | None = None) -> Outcome:
    parsed, errors, notes = parse(table, batch, progress)
    outcome = check(parsed, errors, batch, progress)
    outcome.notes[:0] = notes
    return outcome


def write_disbursements(payments: list[PostedPayment], batch: ImportBatch) -> int:
    """Confirm's write: the checked rows straight into the ledger (see `disbursements_post_bulk`)."""
    for_households = batch.program.beneficiary_kind == BeneficiaryKind.HOUSEHOLD
    return disbursements_post_bulk(batch=batch, payments=payments, for_households=for_households)


def _posted(payment: ParsedPayment, kind: PaymentKind) -> PostedPayment:
    return PostedPayment(
        kind,
        payment.person_pk,
        payment.amount,
        payment.paid_on,
        payment.method,
        payment.source,
        payment.account_masked,
        decrypt(payment.account_token, context=PARSE_CONTEXT) if payment.account_token else "",
        payment.note,
    )


def watermark(batch: ImportBatch) -> str:
    """A digest of everything `check` reads besides the file: the program-year's payments and reversals (the ledger
    only grows, so its highest ids say whether anything was added or reversed), the roster, surveys and standards of
    the uploader's organisations (counts, highest id, latest change), the payment kinds and the open duplicate cases.

    The preview records it; a confirm that finds it unchanged under its lock writes the kept, checked rows without
    checking them again (the money caps are always checked again). Any change — anywhere in these — re-runs `check`.
    """
    org, program, year = batch.organization, batch.program, batch.fiscal_year
    within = sorted(org.subtree_ids())
    for_households = program.beneficiary_kind == BeneficiaryKind.HOUSEHOLD
    roster = (Household if for_households else ModelWorker).objects.filter(organization__in=within)
    stamp = {
        "organizations": within,
        "payments": Disbursement.objects.aggregate(last=Max("pk"))["last"],
        "reversals": DisbursementReversal.objects.aggregate(last=Max("pk"))["last"],
        "roster": table_stamp(roster),
        "kinds": list(program.payment_kinds.order_by("pk").values_list("pk", "name", "frequency")),
        "standards": table_stamp(PaymentStandard.objects.filter(fiscal_year=year, payment_kind__program=program)),
        "duplicates": list(
            DuplicateCase.objects.aggregate(
                last=Max("pk"), open=Count("pk", filter=Q(decision=DuplicateDecision.OPEN))
            ).values()
        ),
    }
    if not for_households:
        surveys = LivingSurvey.objects.filter(fiscal_year=year, model_worker__organization__in=within)
        stamp["surveys"] = table_stamp(surveys)
    return hashlib.sha256(json.dumps(stamp, default=str, sort_keys=True).encode()).hexdigest()


def replan(parsed: list[ParsedPayment], batch: ImportBatch) -> Outcome | None:
    """The kept parse as the rows to write, for a confirm whose watermark is unchanged; the money caps again.
    None when a row lacks its roster match (a parse kept before matches were recorded): check it again."""
    if not all(payment.person_pk for payment in parsed):
        return None
    kinds = {kind.name: kind for kind in batch.program.payment_kinds.all()}
    outcome = Outcome(row_count=len(parsed), from_preview=True)
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    for payment in parsed:
        outcome.to_create.append(_posted(payment, kinds[payment.kind]))
        outcome.total_amount += payment.amount
        by_source[payment.source] += payment.amount
    outcome.amount_by_source = dict(by_source)
    _check_money_available(outcome, batch, by_source)
    return outcome


def _chunks(values: list, size: int = 5000):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _registered_elsewhere(batch: ImportBatch, for_households: bool, digests: set[str]) -> dict[str, str]:
    """digest → the organisation whose roster holds the person, for people not on the uploader's own roster.

    Unscoped on purpose: the clerk is told only the organisation's name, which is what they need to act.
    """
    model = Household if for_households else ModelWorker
    found: dict[str, str] = {}
    digest_list = sorted(digests)
    for start in range(0, len(digest_list), 5000):
        found.update(
            model.objects.filter(id_number_digest__in=digest_list[start : start + 5000])
            .exclude(organization__in=batch.organization.subtree_ids())
            .values_list("id_number_digest", "organization__short_name")
        )
    return found


def _roster(batch: ImportBatch, for_households: bool, digests: set[str]) -> dict[str, Person]:
    if len(digests) > WHOLE_ROSTER_FROM:
        return {digest: person for digest, person in _roster_part(batch, for_households).items() if digest in digests}
    roster: dict[str, Person] = {}
    for chunk in _chunks(sorted(digests)):
        roster.update(_roster_part(batch, for_households, chunk))
    return roster


def _roster_part(batch: ImportBatch, for_households: bool, digests: list[str] | None = None) -> dict[str, Person]:
    model = Household if for_households else ModelWorker
    # The uploader's roster: its own organisation and those under it (the federation pays persons of any union).
    queryset = model.objects.restrict(batch.created_by, Action.VIEW).filter(
        organization__in=batch.organization.subtree_ids()
    )
    if digests is not None:
        queryset = queryset.filter(id_number_digest__in=digests)
    if for_households:
        return {
            digest: Person(pk, name, archived_on=archived_on, lifted_out_on=lifted_out_on)
            for digest, pk, name, archived_on, lifted_out_on in queryset.values_list(
                "id_number_digest", "pk", "head_name", "archived_on", "lifted_out_on"
            )
        }
    return {
        row[0]: Person(
            row[1],
            row[2],
            award_year=row[3],
            died_on=row[4],
            suspended_on=row[5],
            suspension_ended_on=row[6],
            suspension_reason=row[7],
        )
        for row in queryset.values_list(
            "id_number_digest",
            "pk",
            "name",
            "award_year",
            "died_on",
            "suspended_on",
            "suspension_ended_on",
            "suspension_reason",
        )
    }


def _check_eligibility(fail, person: Person, paid_on, surveys, year: int, for_households: bool) -> None:
    """先建档、后帮扶: a household in archive; a model worker living, registered, not suspended, surveyed."""
    if for_households:
        if paid_on < person.archived_on:
            fail(
                "paid_on", _("发放日期早于该家庭的建档日期 {date}（先建档、后帮扶）。").format(date=person.archived_on)
            )
        elif not eligibility.household_in_archive(person.archived_on, person.lifted_out_on, paid_on):
            fail("id_number", _("该家庭已于 {date} 脱困，不能再发放帮扶资金。").format(date=person.lifted_out_on))
        return
    if not eligibility.alive(person.died_on, paid_on):
        fail("id_number", _("该劳模已于 {date} 去世，已不在册。").format(date=person.died_on))
    elif eligibility.suspended(person.suspended_on, person.suspension_ended_on, paid_on):
        fail(
            "id_number",
            _("该劳模自 {date} 起暂停享受待遇（{reason}），发放日期 {paid_on} 在暂停期间。").format(
                date=person.suspended_on,
                reason=SUSPENSION_LABELS.get(person.suspension_reason, ""),
                paid_on=paid_on,
            ),
        )
    elif not eligibility.registered(person.award_year, paid_on):
        fail("id_number", _("该劳模 {year} 年获评，发放日期早于获评年份。").format(year=person.award_year))
    surveyed_on = surveys.get(person.pk)
    if surveyed_on is None:
        fail("id_number", _("该劳模尚未完成 {year} 年生活状况摸底调查，调查完成后方可发放。").format(year=year))
    elif surveyed_on > paid_on:
        fail("paid_on", _("发放日期早于该劳模的生活状况调查日期 {date}。").format(date=surveyed_on))


def _check_duplicates(fail, outcome, person, kind, payment: ParsedPayment, posted, seen_in_file, org) -> None:
    earlier = posted.get((person.pk, kind.pk), [])
    if kind.once_per_year:
        key = (person.pk, kind.pk)
        if earlier:
            fail(
                "payment_kind",
                _("该对象本年度已领取“{kind}”（{date}），每年至多一次，不能重复发放。").format(
                    kind=kind.name, date=earlier[0][0]
                ),
            )
    else:
        key = (person.pk, kind.pk, payment.paid_on, payment.amount)
        if any(d == payment.paid_on and a == payment.amount for d, a, _org in earlier):
            fail("", _("已有同一对象、同一日期、同一金额的“{kind}”发放记录，不能重复发放。").format(kind=kind.name))
        elsewhere = [d for d, _a, paying in earlier if paying != org.pk]
        if elsewhere:
            outcome.warnings.append(
                RowError(
                    payment.row,
                    HEADERS["id_number"],
                    _("该对象本年度已在其他单位领取过“{kind}”（{date}），可能重复发放，请核实。").format(
                        kind=kind.name, date=elsewhere[0]
                    ),
                )
            )
    if key in seen_in_file:
        fail(
            "",
            _("与第{other}行重复（同一对象、同一发放类型{extra}）。").format(
                other=seen_in_file[key], extra="" if kind.once_per_year else _("、同一日期和金额")
            ),
        )
    else:
        seen_in_file[key] = payment.row


def _check_money_available(outcome: Outcome, batch: ImportBatch, by_source: dict[str, Decimal]) -> None:
    """Money is spent from where it came: a sub-unit's plan-funded payments within its approved allocation; payments
    from every other source (上年结转, 部门预算等其他资金) within what the program-year received from that source."""
    org, program, year = batch.organization, batch.program, batch.fiscal_year
    posted = Disbursement.objects.filter(program=program, fiscal_year=year, status=DisbursementStatus.POSTED)
    from_plans = sum((amount for source, amount in by_source.items() if source in PLAN_FUNDED_SOURCES), ZERO)
    if from_plans and org.kind != OrganizationKind.FEDERATION:
        allocated = (
            AllocationLine.objects.filter(
                organization=org, plan__program=program, plan__fiscal_year=year, plan__status=PlanStatus.APPROVED
            ).aggregate(total=Sum("amount"))["total"]
            or ZERO
        )
        disbursed = (
            posted.filter(paying_organization=org, funding_source__in=PLAN_FUNDED_SOURCES).aggregate(
                total=Sum("amount")
            )["total"]
            or ZERO
        )
        outcome.allocation = {
            "allocated": allocated,
            "disbursed": disbursed,
            "this_file": from_plans,
            "remaining": allocated - disbursed - from_plans,
        }
        if disbursed + from_plans > allocated:
            outcome.errors.append(
                RowError(
                    0,
                    "",
                    _(
                        "本文件财政资金合计 {file} 元，加上已发放的 {done} 元，"
                        "超过本单位{year}年{program}已审批的分配额度 {allocated} 元。"
                    ).format(
                        file=format_yuan(from_plans),
                        done=format_yuan(disbursed),
                        year=year.year,
                        program=program.short_name,
                        allocated=format_yuan(allocated),
                    ),
                )
            )
    for source, amount in by_source.items():
        if source in PLAN_FUNDED_SOURCES:
            continue
        received = (
            FundsReceipt.objects.filter(
                appropriation__program=program, appropriation__fiscal_year=year, source=source
            ).aggregate(total=Sum("amount"))["total"]
            or ZERO
        )
        spent = posted.filter(funding_source=source).aggregate(total=Sum("amount"))["total"] or ZERO
        if spent + amount > received:
            outcome.errors.append(
                RowError(
                    0,
                    HEADERS["funding_source"],
                    _(
                        "本文件“{source}”合计 {file} 元，加上全区已从该来源发放的 {done} 元，"
                        "超过{year}年{program}该来源实际到位的 {received} 元。"
                    ).format(
                        source=FundingSource(source).label,
                        file=format_yuan(amount),
                        done=format_yuan(spent),
                        year=year.year,
                        program=program.short_name,
                        received=format_yuan(received),
                    ),
                )
            )
