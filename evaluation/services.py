from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from audit.choices import AuditAction
from audit.services import audit_record
from core.changes import diff, snapshot
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action
from evaluation.choices import TargetStatus
from evaluation.models import Indicator, IndicatorTemplate, ProgramYearSettings, SatisfactionSurvey, TargetTable
from funds.models import FiscalYear, Program, User

DEFINITION_FIELDS = [
    "level1",
    "level2",
    "name",
    "comparator",
    "target_value",
    "target_text",
    "unit",
    "weight",
    "value_source",
    "computed_key",
    "sort_order",
    "explanation",
    "scoring_standard",
]


@transaction.atomic
def indicator_system_start(
    *,
    program: Program,
    fiscal_year: FiscalYear,
    from_last_year: bool = False,
    source_year: FiscalYear | None = None,
    acting_user: User,
) -> list[Indicator]:
    """Give a program-year its indicator system: a copy of the built-in template, of the latest earlier year's, or of
    `source_year`'s (targets, weights and formulas; never the results)."""
    ensure_permission(user=acting_user, model=Indicator, action=Action.ADD)
    if Indicator.objects.filter(program=program, fiscal_year=fiscal_year).exists():
        raise ValidationError(
            _("{year}年{program}已有绩效指标。").format(year=fiscal_year.year, program=program.short_name)
        )
    if source_year is not None:
        sources = Indicator.objects.filter(program=program, fiscal_year=source_year)
        if not sources.exists():
            raise ValidationError(
                _("{year}年{program}没有绩效指标可以复制。").format(year=source_year.year, program=program.short_name)
            )
    elif from_last_year:
        earlier = (
            Indicator.objects.filter(program=program, fiscal_year__year__lt=fiscal_year.year)
            .order_by("-fiscal_year__year")
            .values_list("fiscal_year", flat=True)
            .first()
        )
        if earlier is None:
            raise ValidationError(_("{program}没有往年的绩效指标可以复制。").format(program=program.short_name))
        sources = Indicator.objects.filter(program=program, fiscal_year=earlier)
    else:
        sources = IndicatorTemplate.objects.filter(program=program)
    created = []
    for source in sources.order_by("sort_order"):
        indicator = Indicator(
            program=program,
            fiscal_year=fiscal_year,
            updated_by=acting_user,
            **{name: getattr(source, name) for name in DEFINITION_FIELDS},
        )
        indicator.full_clean()
        indicator.save()
        created.append(indicator)
    audit_record(
        action=AuditAction.CREATE,
        actor=acting_user,
        object_type="evaluation.indicator",
        object_repr=f"{fiscal_year.year} {program.short_name}",
        detail=f"indicator system started from {_source_words(from_last_year, source_year)}: {len(created)} indicators",
    )
    return created


# What the targets are: frozen while the program-year's 绩效目标表 is submitted or approved (evaluation.targets).
TARGET_FIELDS = ("comparator", "target_value", "target_text", "unit", "weight", "explanation", "scoring_standard")


def _frozen_table(indicator: Indicator) -> TargetTable | None:
    return (
        TargetTable.objects.filter(program=indicator.program_id, fiscal_year=indicator.fiscal_year_id)
        .filter(status__in=[TargetStatus.SUBMITTED, TargetStatus.APPROVED])
        .first()
    )


def _source_words(from_last_year: bool, source_year: FiscalYear | None) -> str:
    if source_year is not None:
        return f"{source_year.year}"
    return "last year" if from_last_year else "the built-in template"


@transaction.atomic
def indicator_save(*, indicator: Indicator, acting_user: User) -> Indicator:
    """Save one indicator's target, weight, hand-entered value or deviation reason (validated as a whole)."""
    ensure_allowed(user=acting_user, obj=indicator, action=Action.CHANGE)
    stored = Indicator.objects.get(pk=indicator.pk) if indicator.pk else None
    before = snapshot(stored)
    # Compared as values, not as text: a form gives back 447 for a stored 447.0000, which is no change.
    changed = [
        name for name in TARGET_FIELDS if stored is not None and getattr(stored, name) != getattr(indicator, name)
    ]
    if changed and _frozen_table(indicator) is not None:
        raise ValidationError(
            _("“{name}”的目标已送审或审核通过，不能直接修改（{fields}）；审核通过后请提出目标调整。").format(
                name=indicator.name, fields="、".join(str(Indicator._meta.get_field(f).verbose_name) for f in changed)
            )
        )
    indicator.updated_by = acting_user
    indicator.full_clean()
    indicator.save()
    changes = diff(before, snapshot(indicator))
    changes.pop("updated_at", None)
    audit_record(action=AuditAction.UPDATE, actor=acting_user, obj=indicator, changes=changes)
    return indicator


@transaction.atomic
def program_year_input_save(
    *, record: ProgramYearSettings | SatisfactionSurvey, acting_user: User
) -> ProgramYearSettings | SatisfactionSurvey:
    """Save a program-year's 年度评价参数 or its 满意度调查 results (built by the form, validated again here)."""
    model = type(record)
    if record.pk is None:
        ensure_permission(user=acting_user, model=model, action=Action.ADD)
        before = {}
    else:
        ensure_permission(user=acting_user, model=model, action=Action.CHANGE)
        before = snapshot(model.objects.get(pk=record.pk))
    record.full_clean()
    record.save()
    audit_record(
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        actor=acting_user,
        obj=record,
        changes=diff(before, snapshot(record)),
    )
    return record
