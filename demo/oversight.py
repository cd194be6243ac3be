"""The demo's 公示, objections, 回访 and a suspected duplicate: 喀什's 2024 春节慰问金 list posted before payment, one
objection it drew (dismissed), a complaint still open about a hardship household, 乌鲁木齐's 2024 model-worker
回访 of 200 payees (everyone reached was satisfied: the year's 受益对象满意度 stays the seeds' 100 %), and two
hardship archive records of one head under a mistyped ID, found by the duplicate scan and left for finance."""

import datetime
import hashlib

from beneficiaries import resident_id
from beneficiaries.models import Household, resident_id_digest
from funds.models import FiscalYear, Organization, PaymentKind, Program, User
from oversight.choices import ObjectionChannel, ObjectionKind, ObjectionOutcome, Receipt, VisitMethod
from oversight.duplicates import duplicate_scan
from oversight.services import (
    objection_create,
    objection_resolve,
    publicity_payments,
    publicity_record,
    verification_round_create,
    visit_record,
)
from reports.publicity import publicity_rows


def demo_oversight(year: FiscalYear, programs: dict[str, Program], finance: User) -> None:
    kashgar = Organization.objects.get(code="653100")
    workers = programs["model_worker"]
    spring = PaymentKind.objects.get(program=workers, code="spring_festival")
    payments = publicity_payments(
        user=finance, organization=kashgar, program=workers, fiscal_year=year, payment_kind=spring
    )
    listed = "|".join(f"{r['n']}:{r['name']}:{r['id']}:{r['amount']}" for r in publicity_rows(payments))
    publicity_record(
        organization=kashgar,
        program=workers,
        fiscal_year=year,
        payment_kind=spring,
        starts_on=datetime.date(2024, 11, 15),
        ends_on=datetime.date(2024, 11, 21),
        contact="喀什地区总工会权益保障部 0998-2821234（工作日 10:00—18:00）",
        pdf_sha256=hashlib.sha256(listed.encode()).hexdigest(),
        acting_user=finance,
    )
    worker = payments.first().model_worker
    objection = objection_create(
        person=worker,
        channel=ObjectionChannel.PUBLICITY,
        received_on=datetime.date(2024, 11, 18),
        content="群众反映该劳模已迁居区外，不应继续享受慰问。",
        acting_user=finance,
    )
    objection_resolve(
        objection=objection,
        outcome=ObjectionOutcome.DISMISSED,
        resolution="经核实，该劳模仍在喀什市居住，领取资格无误，已向反映人说明。",
        acting_user=finance,
    )
    household = Household.objects.filter(organization=kashgar).order_by("pk").last()
    objection_create(
        person=household,
        kind=ObjectionKind.COMPLAINT,
        channel=ObjectionChannel.PHONE,
        received_on=datetime.date(2024, 12, 20),
        content="来电反映家庭人口登记有误，要求核实。",
        acting_user=finance,
    )
    urumqi = Organization.objects.get(code="650100")
    round_ = verification_round_create(
        organization=urumqi,
        program=workers,
        fiscal_year=year,
        name="2024年乌鲁木齐市劳模慰问金电话回访",
        method=VisitMethod.PHONE,
        size=200,
        acting_user=finance,
    )
    for n, visit in enumerate(round_.visits.order_by("pk")):
        unreachable = n % 50 == 7
        visit_record(
            visit=visit,
            receipt=Receipt.UNREACHABLE if unreachable else (Receipt.PROBLEMS if n == 11 else Receipt.RECEIVED),
            satisfied=None if unreachable else True,
            visited_on=datetime.date(2024, 12, 16) + datetime.timedelta(days=n % 5),
            remarks="到账晚了两天" if n == 11 else "",
            acting_user=finance,
        )
    _mistyped_twin(year)
    duplicate_scan(acting_user=finance)


def _mistyped_twin(year: FiscalYear) -> None:
    """A household archived again in 2019 under its head's ID with mistyped sequence digits, lifted out in 2020 (so
    no figure of 2022 or 2024 counts it), that the duplicate scan finds by name and birth date."""
    # 阿克苏's: the browser journeys pay 喀什's households, whose uploads must not carry this warning.
    original = Household.objects.filter(organization__code="652900").order_by("pk").first()
    number = original.id_number
    for sequence in range(1000):
        first17 = f"{number[:14]}{sequence:03d}"
        twin = first17 + resident_id.check_character(first17)
        if twin != number and not Household.objects.filter(id_number_digest=resident_id_digest(twin)).exists():
            break
    copy = Household(
        archive_no=f"{original.archive_no}-2019",
        head_name=original.head_name,
        id_number=twin,
        organization=original.organization,
        worker_category=original.worker_category,
        hardship_type=original.hardship_type,
        member_count=original.member_count,
        archived_on=datetime.date(2019, 3, 1),
        status="lifted_out",
        lifted_out_on=datetime.date(2020, 6, 30),
    )
    copy.full_clean()
    copy.save()
