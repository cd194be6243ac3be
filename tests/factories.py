import datetime
import itertools
from decimal import Decimal

import factory
from django.contrib.auth.models import Group

from beneficiaries import resident_id
from beneficiaries.choices import HardshipType, HonourType, WorkerCategory
from beneficiaries.models import Household, LivingSurvey, ModelWorker
from evaluation.models import IndicatorTemplate
from funds.choices import OrganizationKind, PaymentMethod, Role
from funds.models import FiscalYear, Organization, PaymentKind, Program, User

_sequence = itertools.count(1)


def valid_resident_id(area: str = "653101", born: datetime.date = datetime.date(1980, 1, 1)) -> str:
    n = next(_sequence)
    born += datetime.timedelta(days=n // 1000)  # a new birth date every 1,000 numbers keeps them unique
    first17 = f"{area}{born:%Y%m%d}{n % 1000:03d}"
    return first17 + resident_id.check_character(first17)


def remove_reference_data() -> None:
    """An empty tree, as a database is after `migrate` and before `setup_reference_data`."""
    IndicatorTemplate.objects.all().delete()
    PaymentKind.objects.all().delete()
    Program.objects.all().delete()
    Organization.objects.exclude(parent=None).delete()
    Organization.objects.all().delete()


def organization(code: str) -> Organization:
    return Organization.objects.get(code=code)


def program(code: str) -> Program:
    return Program.objects.get(code=code)


def payment_kind(program_code: str, kind_code: str) -> PaymentKind:
    return PaymentKind.objects.get(program__code=program_code, code=kind_code)


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FiscalYear
        django_get_or_create = ["year"]

    year = 2024


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    organization = factory.LazyFunction(lambda: Organization.objects.get(kind=OrganizationKind.FEDERATION))
    password = factory.django.Password("correct-horse-battery-9")
    must_change_password = False

    @factory.post_generation
    def role(self, create, extracted: Role | None, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted.value))


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    archive_no = factory.Sequence(lambda n: f"KN-T{n:06d}")
    head_name = factory.Faker("name", locale="zh_CN")
    id_number = factory.LazyAttribute(lambda o: valid_resident_id(o.organization.code))
    organization = factory.LazyFunction(lambda: organization("653100"))
    worker_category = WorkerCategory.WORKER
    hardship_type = HardshipType.DEEP
    member_count = 3
    archived_on = datetime.date(2020, 3, 1)


class ModelWorkerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModelWorker

    name = factory.Faker("name", locale="zh_CN")
    id_number = factory.LazyAttribute(lambda o: valid_resident_id(o.organization.code, datetime.date(1955, 6, 1)))
    organization = factory.LazyFunction(lambda: organization("653100"))
    honour_type = HonourType.REGIONAL_MODEL_WORKER
    award_year = 2005
    bank_account = "6228480012345678901"


class LivingSurveyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LivingSurvey

    model_worker = factory.SubFactory(ModelWorkerFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    surveyed_on = factory.LazyAttribute(lambda o: datetime.date(o.fiscal_year.year, 10, 15))
    condition = "average"


def disbursement_fields(beneficiary, kind: PaymentKind, fiscal_year: FiscalYear, **overrides) -> dict:
    """Keyword arguments for `disbursement_create` / `disbursement_build` with sensible defaults."""
    fields = {
        "beneficiary": beneficiary,
        "payment_kind": kind,
        "fiscal_year": fiscal_year,
        "amount": Decimal("1000.00"),
        "paid_on": datetime.date(fiscal_year.year, 11, 28),
        "payment_method": PaymentMethod.BANK_AGENCY,
        "paying_organization": beneficiary.organization,
    }
    fields.update(overrides)
    return fields
