"""Suspected duplicate beneficiaries. A resident ID is unique within a roster (a database constraint), so what remains
to find is one person registered twice in ways the constraint cannot see:

- the same ID digest as a hardship household head in one organisation and a model worker in another;
- the same name and birth date under two different IDs (a clerk's typo in the sequence digits, or a re-archived
  household under a corrected number);
A "transposed ID" is not looked for: GB 11643's check digit (ISO 7064 MOD 11-2) catches every single wrong digit and
every swap of two adjacent characters (no two adjacent weights agree modulo 11, and swapping the last digit with the
check digit leaves the sum unchanged only when they are equal), and every write path validates the number — so two
stored IDs can never differ by one such slip. A mistyped sequence that happens to be valid shows up as the same name
and birth date under two IDs.

The scan reads every roster ID once (decrypting it) and compares in memory by grouping
(benchmarks/bench_duplicates.py measures it at 300,000 beneficiaries)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from audit.choices import AuditAction
from audit.services import audit_record
from beneficiaries import resident_id
from beneficiaries.models import Household, ModelWorker
from core.permissions import ensure_permission
from core.scoping import Action
from funds.models import User
from oversight.choices import DuplicateDecision, DuplicateKind
from oversight.models import DuplicateCase


@dataclass(frozen=True)
class Record:
    model: str  # "h" or "m"
    pk: int
    name: str
    number: str
    organization: str


@dataclass(frozen=True)
class Candidate:
    kind: str
    key: str
    first: Record
    second: Record
    description: str


def _records() -> tuple[list[Record], list[Record]]:
    households = [
        Record("h", pk, "".join(name.split()), number, org)
        for pk, name, number, org in Household.objects.values_list(
            "pk", "head_name", "id_number", "organization__short_name"
        ).iterator(chunk_size=5000)
    ]
    workers = [
        Record("m", pk, "".join(name.split()), number, org)
        for pk, name, number, org in ModelWorker.objects.values_list(
            "pk", "name", "id_number", "organization__short_name"
        ).iterator(chunk_size=5000)
    ]
    return households, workers


def _who(record: Record) -> str:
    roster = _("困难职工档案") if record.model == "h" else _("劳模名册")
    return _("{org}{roster}的{name}（{id}）").format(
        org=record.organization, roster=roster, name=record.name, id=resident_id.mask(record.number)
    )


def _pair(kind: str, a: Record, b: Record, text: str) -> Candidate:
    first, second = sorted((a, b), key=lambda r: (r.model, r.pk))
    return Candidate(kind, f"{kind}:{first.model}{first.pk}:{second.model}{second.pk}", first, second, text)


def find_duplicates(households: list[Record] | None = None, workers: list[Record] | None = None) -> list[Candidate]:
    if households is None or workers is None:
        households, workers = _records()
    found: dict[str, Candidate] = {}
    by_number = {record.number: record for record in workers}
    for record in households:
        other = by_number.get(record.number)
        if other is not None and other.organization != record.organization:
            candidate = _pair(
                DuplicateKind.TWO_ROSTERS,
                record,
                other,
                _("同一身份证号登记在两个单位：{a}；{b}").format(a=_who(record), b=_who(other)),
            )
            found[candidate.key] = candidate
    for roster in (households, workers):
        groups: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for record in roster:
            groups[(record.name, record.number[6:14])].append(record)
        for members in groups.values():
            if len(members) < 2:
                continue
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    candidate = _pair(
                        DuplicateKind.NAME_AND_BIRTH,
                        a,
                        b,
                        _("姓名、出生日期相同而身份证号不同：{a}；{b}").format(a=_who(a), b=_who(b)),
                    )
                    found[candidate.key] = candidate
    return list(found.values())


@transaction.atomic
def duplicate_scan(*, acting_user: User) -> int:
    """Record the suspected duplicates not found before (a decided case is never reopened); how many are new."""
    ensure_permission(user=acting_user, model=DuplicateCase, action=Action.CHANGE)
    known = set(DuplicateCase.objects.values_list("key", flat=True))
    new = []
    for candidate in find_duplicates():
        if candidate.key in known:
            continue
        fields = {}
        for slot, record in (("first", candidate.first), ("second", candidate.second)):
            model = "household" if record.model == "h" else "model_worker"
            # A household and a model worker: each goes in its own kind's first slot.
            name = f"{slot}_{model}" if f"first_{model}_id" not in fields else f"second_{model}"
            fields[f"{name}_id"] = record.pk
        case = DuplicateCase(kind=candidate.kind, key=candidate.key, description=candidate.description[:300], **fields)
        case.full_clean()
        new.append(case)
    DuplicateCase.objects.bulk_create(new)
    audit_record(action=AuditAction.VERIFY, actor=acting_user, detail=f"duplicate scan: {len(new)} new cases")
    return len(new)


def flagged_people(*, for_households: bool) -> set[int]:
    """Persons in a duplicate case still open: a payment to one is a warning at upload."""
    open_cases = DuplicateCase.objects.filter(decision=DuplicateDecision.OPEN)
    if for_households:
        fields = ("first_household_id", "second_household_id")
    else:
        fields = ("first_model_worker_id", "second_model_worker_id")
    flagged: set[int] = set()
    for row in open_cases.values_list(*fields):
        flagged.update(pk for pk in row if pk)
    return flagged
