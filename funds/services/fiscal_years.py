from funds.models import FiscalYear


def fiscal_year_get_or_create(*, year: int) -> FiscalYear:
    fiscal_year = FiscalYear.objects.filter(year=year).first()
    if fiscal_year is None:
        fiscal_year = FiscalYear(year=year)
        fiscal_year.full_clean()
        fiscal_year.save()
    return fiscal_year
