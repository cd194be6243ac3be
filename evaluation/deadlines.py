"""The organisations' calendar of a program-year (年度评价参数): when payments may be reported, by when, and by when
the model workers' living surveys are due. One place, read by the home to-dos and by the living-survey upload."""

import datetime

from evaluation.models import ProgramYearSettings
from funds.choices import BeneficiaryKind
from funds.models import FiscalYear

# DESIGN: the living-status survey is due by the end of October, before the subsidy is paid.
DEFAULT_SURVEY_DEADLINE = (10, 31)


def survey_deadline(fiscal_year: FiscalYear) -> datetime.date:
    """The day the model workers' living surveys of the year are due: finance's setting, else 10-31."""
    configured = (
        ProgramYearSettings.objects.filter(
            fiscal_year=fiscal_year, program__beneficiary_kind=BeneficiaryKind.MODEL_WORKER
        )
        .exclude(survey_deadline=None)
        .values_list("survey_deadline", flat=True)
        .first()
    )
    return configured or datetime.date(fiscal_year.year, *DEFAULT_SURVEY_DEADLINE)
