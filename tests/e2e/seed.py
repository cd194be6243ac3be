"""Run inside `manage.py shell` against the journeys' database, after `load_demo`: what the journeys start from.

Prints one JSON object: the figures and ids the journeys check against. Everything is written through the services.
"""

import datetime
import json
from decimal import Decimal

from beneficiaries.choices import ModelWorkerStatus
from beneficiaries.models import Household, ModelWorker
from demo.evaluation import signed_report
from evaluation.selectors import evaluate
from funds.choices import StandardType
from funds.models import FiscalYear, ImportBatch, Organization, PaymentKind, PaymentStandard, Program, User
from funds.services.fiscal_years import fiscal_year_get_or_create
from funds.services.standards import payment_standard_save
from reports.services import report_finalise, report_request_finalisation

finance, checker = User.objects.get(username="finance"), User.objects.get(username="finance2")
hardship = Program.objects.get(code="hardship")
year_2025 = fiscal_year_get_or_create(year=2025)
for kind in PaymentKind.objects.filter(program=hardship):
    payment_standard_save(
        standard=PaymentStandard(
            fiscal_year=year_2025,
            payment_kind=kind,
            standard_type=StandardType.RANGE,
            min_amount=Decimal(100),
            max_amount=Decimal(10000),
            basis="2025年帮扶资金使用管理办法",
        ),
        acting_user=finance,
    )

# The auditor's journey downloads this finalised report.
year_2024 = FiscalYear.objects.get(year=2024)
report = report_request_finalisation(report=signed_report(year_2024, "hardship", finance), acting_user=finance)
snapshot = report_finalise(report=report, acting_user=checker)
evaluation = evaluate(user=checker, program=hardship, fiscal_year=year_2024)

kashgar = Organization.objects.get(code="653100")
households = Household.objects.filter(organization=kashgar).eligible_on(datetime.date(2025, 3, 1)).order_by("pk")
other = ImportBatch.objects.exclude(organization=kashgar).order_by("pk").first()
# The operator's roster journey finds this worker by ID number and suspends them.
worker = (
    ModelWorker.objects.filter(organization=kashgar, status=ModelWorkerStatus.REGISTERED, disbursements__isnull=False)
    .distinct()
    .order_by("pk")
    .first()
)
print(
    json.dumps(
        {
            "households": [[h.head_name, h.id_number] for h in households[:400]],
            "other_import": other.pk,
            "model_worker": {
                "name": worker.name,
                "id_number": worker.id_number,
                "payments": worker.disbursements.count(),
            },
            "snapshot": snapshot.pk,
            "report_2024": {
                "households": int(evaluation.values["households_assisted"].value),
                "persons": int(evaluation.values["persons_assisted"].value),
                "executed_wan": f"{evaluation.executed / 10000:.2f}",
                "total": f"{evaluation.total:.2f}",
                "grade": str(evaluation.grade),
                "targeting": [
                    evaluation.values["targeting_accuracy"].numerator,
                    evaluation.values["targeting_accuracy"].denominator,
                ],
            },
        },
        ensure_ascii=False,
    )
)
