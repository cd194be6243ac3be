import datetime
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.exports import ExportColumn, attachment, formatted_workbook, official, official_language
from core.forms import apply_service_error
from core.money import ZERO
from core.permissions import ensure_permission
from core.scoping import Action
from evaluation.charts import disbursed_by_organization_chart, fund_flow_chart
from evaluation.choices import ComputedKey, TargetStatus
from evaluation.consistency import data_findings
from evaluation.forms import IndicatorFormSet, ProgramYearSettingsForm, SatisfactionSurveyForm
from evaluation.indicators import IndicatorContext, evidence
from evaluation.models import Indicator, ProgramYearSettings, SatisfactionSurvey, TargetTable
from evaluation.monitoring import monitor
from evaluation.selectors import evaluate
from evaluation.services import indicator_save, indicator_system_start, program_year_input_save
from funds.models import Disbursement, FiscalYear, Organization, Program
from funds.selectors import fiscal_year_chosen, fiscal_years_for


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Per fiscal year and program: every indicator computed from the data, scored, with its status."""
    ensure_permission(user=request.user, model=Indicator, action=Action.VIEW)
    years = fiscal_years_for(user=request.user)
    selected = fiscal_year_chosen(years, request.GET.get("year"))
    evaluations = []
    as_of = _monitoring_day(request, selected)
    monitorings = []
    for program in Program.objects.restrict(request.user) if selected else []:
        evaluation = evaluate(user=request.user, program=program, fiscal_year=selected)
        evaluations.append((evaluation, data_findings(program, selected, evaluation.values, evaluation.context)))
        if as_of:
            monitorings.append(monitor(user=request.user, program=program, fiscal_year=selected, as_of=as_of))
    contexts = [evaluation.context for evaluation, _findings in evaluations]
    charts = [fund_flow_chart(contexts)] if contexts else []
    charts += [disbursed_by_organization_chart(ctx) for ctx in contexts]
    return render(
        request,
        "evaluation/dashboard.html",
        {
            "years": years,
            "selected_year": selected,
            "evaluations": evaluations,
            "charts": charts,
            "as_of": as_of,
            "monitorings": monitorings,
        },
    )


def _monitoring_day(request: HttpRequest, fiscal_year: FiscalYear | None) -> datetime.date | None:
    """The day the dashboard's monitoring warnings are computed at: the one asked for (?as_of=, within the year), or
    today while the year runs — so warnings show as they arise, not only at the monitoring dates."""
    if fiscal_year is None:
        return None
    try:
        asked = datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        asked = None
    if asked and fiscal_year.contains(asked):
        return asked
    today = timezone.localdate()
    return today if fiscal_year.contains(today) else None


@login_required
@require_http_methods(["GET", "POST"])
def indicators_edit(request: HttpRequest, program: str, year: int) -> HttpResponse:
    """Finance staff keep a program-year's indicator system: start it, then edit targets, values and reasons."""
    ensure_permission(user=request.user, model=Indicator, action=Action.CHANGE)
    program_obj = get_object_or_404(Program.objects.restrict(request.user), code=program)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    queryset = (
        Indicator.objects.restrict(request.user, Action.CHANGE)
        .filter(program=program_obj, fiscal_year=fiscal_year)
        .order_by("sort_order")
    )
    if request.method == "POST" and request.POST.get("start") in ("template", "last_year"):
        try:
            indicator_system_start(
                program=program_obj,
                fiscal_year=fiscal_year,
                from_last_year=request.POST["start"] == "last_year",
                acting_user=request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("evaluation:indicators_edit", program=program, year=year)
    frozen = TargetTable.objects.filter(
        program=program_obj, fiscal_year=fiscal_year, status__in=[TargetStatus.SUBMITTED, TargetStatus.APPROVED]
    ).exists()
    formset = IndicatorFormSet(request.POST or None, queryset=queryset, form_kwargs={"frozen": frozen})
    if request.method == "POST" and formset.is_valid():
        for form in formset.forms:
            if form.has_changed():
                indicator_save(indicator=form.instance, acting_user=request.user)
        messages.success(request, _("绩效指标已保存。"))
        return redirect("evaluation:indicators_edit", program=program, year=year)
    return render(
        request,
        "evaluation/indicators_edit.html",
        {"program": program_obj, "fiscal_year": fiscal_year, "formset": formset, "frozen": frozen},
    )


@login_required
@require_http_methods(["GET", "POST"])
def year_inputs(request: HttpRequest, program: str, year: int) -> HttpResponse:
    """What the formulas need that no upload holds: the payment deadline and the coverage reference day (年度评价参数),
    and the satisfaction survey's results — entered here by finance, audited like everything else."""
    ensure_permission(
        user=request.user, model=ProgramYearSettings, action=Action.CHANGE if request.method == "POST" else Action.VIEW
    )
    program_obj = get_object_or_404(Program.objects.restrict(request.user), code=program)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    settings_obj = ProgramYearSettings.objects.filter(program=program_obj, fiscal_year=fiscal_year).first()
    survey = SatisfactionSurvey.objects.filter(program=program_obj, fiscal_year=fiscal_year).first()
    settings_obj = settings_obj or ProgramYearSettings(program=program_obj, fiscal_year=fiscal_year)
    survey = survey or SatisfactionSurvey(program=program_obj, fiscal_year=fiscal_year)
    which = request.POST.get("which") if request.method == "POST" else None
    forms_by_name = {
        "settings": ProgramYearSettingsForm(
            request.POST if which == "settings" else None, instance=settings_obj, prefix="settings"
        ),
        "survey": SatisfactionSurveyForm(request.POST if which == "survey" else None, instance=survey, prefix="survey"),
    }
    if which in forms_by_name:
        form = forms_by_name[which]
        model = form._meta.model
        if not request.user.has_perm(f"evaluation.change_{model._meta.model_name}"):
            raise PermissionDenied
        if form.is_valid():
            try:
                program_year_input_save(record=form.instance, acting_user=request.user)
            except ValidationError as exc:
                apply_service_error(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("evaluation:year_inputs", program=program, year=year)
    return render(
        request,
        "evaluation/year_inputs.html",
        {
            "program": program_obj,
            "fiscal_year": fiscal_year,
            "settings_form": forms_by_name["settings"],
            "survey_form": forms_by_name["survey"],
            "can_edit": request.user.has_perm("evaluation.change_programyearsettings"),
        },
    )


EVIDENCE_PARTS = {
    "numerator": gettext_lazy("计入分子的记录"),
    "denominator": gettext_lazy("全部记录（分母）"),
    "excluded": gettext_lazy("未计入分子的记录"),
}
# Coverage counts persons: who was covered, who was eligible on the reference day, and who was eligible but not paid.
PERSON_PARTS = {
    "numerator": gettext_lazy("已获发放的符合条件对象"),
    "denominator": gettext_lazy("基准日符合条件的全部对象"),
    "excluded": gettext_lazy("符合条件但未获发放"),
}
PERSON_HEADERS = [
    (gettext_lazy("姓名"), "text"),
    (gettext_lazy("身份证号（脱敏）"), "text"),
    (gettext_lazy("所属单位"), "text"),
    (gettext_lazy("状态"), "text"),
    (gettext_lazy("建档 / 获评"), "text"),  # a date for a household, a year for a model worker
]
EVIDENCE_HEADERS = [
    (gettext_lazy("发放日期"), "date"),
    (gettext_lazy("姓名"), "text"),
    (gettext_lazy("身份证号（脱敏）"), "text"),
    (gettext_lazy("发放单位"), "text"),
    (gettext_lazy("发放类型"), "text"),
    (gettext_lazy("金额（元）"), "money"),
    (gettext_lazy("发放方式"), "text"),
    (gettext_lazy("资金来源"), "text"),
    (gettext_lazy("导入批次"), "number"),
]


@login_required
@require_GET
def evidence_view(request: HttpRequest, program: str, year: int, key: str) -> HttpResponse:
    """The rows behind a computed figure. 'excluded' (denominator minus numerator) are the exceptions to check."""
    ensure_permission(user=request.user, model=Indicator, action=Action.VIEW)
    program_obj = get_object_or_404(Program.objects.restrict(request.user), code=program)
    fiscal_year = get_object_or_404(FiscalYear.objects.restrict(request.user), year=year)
    if key not in ComputedKey.values:
        raise Http404
    context = IndicatorContext(program=program_obj, fiscal_year=fiscal_year)
    numerator, denominator = evidence(context, key)
    if numerator is None:
        raise Http404
    part = request.GET.get("part", "numerator")
    if part == "denominator" and denominator is not None:
        rows = denominator
    elif part == "excluded" and denominator is not None:
        # An anti-join: `NOT IN (subquery)` over half a million payments is planned as a scan per row.
        rows = denominator.filter(~Exists(numerator.filter(pk=OuterRef("pk"))))
    else:
        part, rows = "numerator", numerator
    persons = rows.model is not Disbursement
    rows = rows & rows.model.objects.restrict(request.user)  # the user's scope as conditions, not an IN over every row
    organizations = Organization.objects.restrict(request.user)
    org = request.GET.get("org")
    if org:
        rows = rows.filter(**{"organization__code" if persons else "paying_organization__code": org})
    if persons:
        rows = rows.select_related("organization").order_by("organization__sort_order", "pk")
    else:
        rows = rows.select_related("household", "model_worker", "paying_organization", "payment_kind").order_by(
            "paid_on", "pk"
        )
    label = ComputedKey(key).label
    if request.GET.get("format") == "xlsx":
        with official_language():
            parts = PERSON_PARTS if persons else EVIDENCE_PARTS
            name = f"{fiscal_year.year}年度{program_obj.short_name}{label}计算明细（{parts[part]}）.xlsx"
        title = name.removesuffix(".xlsx")
        if persons:
            content = _evidence_xlsx(title, rows, PERSON_HEADERS, _person_row)
        else:
            content = _evidence_xlsx(title, rows, EVIDENCE_HEADERS, _evidence_row, money_total=True)
        return attachment(content, name, fallback=f"{fiscal_year.year}-{program}-{key}-{part}.xlsx")
    return render(
        request,
        "evaluation/evidence.html",
        {
            "persons": persons,
            "reference_day": getattr(context.settings, "eligibility_date", None),
            "parts": [
                (name, text)
                for name, text in (PERSON_PARTS if persons else EVIDENCE_PARTS).items()
                if denominator is not None or name == "numerator"
            ],
            "program": program_obj,
            "fiscal_year": fiscal_year,
            "key": key,
            "label": label,
            "part": part,
            "page": Paginator(rows, 100).get_page(request.GET.get("page")),
            "organizations": organizations,
            "org": org or "",
        },
    )


def _evidence_row(d: Disbursement) -> list:
    person = d.household or d.model_worker
    name = d.household.head_name if d.household_id else d.model_worker.name
    return [
        d.paid_on,
        name,
        person.id_number_masked,
        d.paying_organization.short_name,
        d.payment_kind.name,
        d.amount,
        d.get_payment_method_display(),
        d.get_funding_source_display(),
        d.batch_id or "",
    ]


def _person_row(person) -> list:
    if hasattr(person, "head_name"):
        return [
            person.head_name,
            person.id_number_masked,
            person.organization.short_name,
            person.get_status_display(),
            person.archived_on,
        ]
    return [person.name, person.id_number_masked, person.organization.short_name,
            person.get_status_display(), person.award_year]  # fmt: skip


@official
def _evidence_xlsx(
    title: str, rows, headers: list, row_values: Callable[[object], list], *, money_total: bool = False
) -> bytes:
    """The evidence rows through the one list export (payments with their database-summed 合计, or persons), in
    Chinese whatever the interface language."""
    columns = [ExportColumn(str(header), kind) for header, kind in headers]
    totals = None
    if money_total:
        amount = next(index for index, column in enumerate(columns) if column.kind == "money")
        totals = {amount: rows.aggregate(total=Sum("amount"))["total"] or ZERO}
    return formatted_workbook(
        title=title,
        columns=columns,
        rows=(row_values(row) for row in rows.iterator(chunk_size=2000)),
        totals=totals,
        personal_data=True,
    )
