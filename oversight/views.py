"""Pages of 公示's register, 异议 / 投诉, 回访 and suspected duplicates. Thin: services write, the list helper reads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from beneficiaries.models import Household, ModelWorker
from core.lists import list_page
from core.permissions import ensure_permission
from core.refusals import show_refusal
from core.scoping import Action
from funds.models import Disbursement
from oversight.choices import ObjectionStatus
from oversight.duplicates import duplicate_scan
from oversight.filters import DuplicateCaseFilterSet, ObjectionFilterSet, VerificationRoundFilterSet, VisitFilterSet
from oversight.forms import DuplicateDecisionForm, ObjectionForm, ResolveForm, VerificationRoundForm, VisitForm
from oversight.models import DuplicateCase, Objection, Publicity, VerificationRound, Visit
from oversight.services import (
    duplicate_decide,
    objection_create,
    objection_resolve,
    verification_round_create,
    visit_record,
)
from oversight.tables import DuplicateCaseTable, ObjectionTable, VerificationRoundTable, VisitTable


@login_required
@require_GET
def objection_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=Objection, action=Action.VIEW)
    objections = Objection.objects.restrict(request.user).select_related(
        "household", "model_worker", "organization", "handler"
    )
    overdue = objections.filter(status=ObjectionStatus.OPEN, deadline__lt=timezone.localdate()).count()
    return list_page(
        request,
        queryset=objections,
        filterset_class=ObjectionFilterSet,
        table_class=ObjectionTable,
        template_name="oversight/objection_list.html",
        title=_("异议与投诉"),
        export_name=_("异议与投诉"),
        personal_data=True,
        context={"overdue": overdue},
    )


def _person_from_query(request: HttpRequest):
    """The person an objection is about: ?household=, ?model_worker= or ?payment= (within the user's scope)."""
    if request.GET.get("payment"):
        payment = get_object_or_404(Disbursement.objects.restrict(request.user), pk=request.GET["payment"])
        return payment.beneficiary, payment
    if request.GET.get("household"):
        return get_object_or_404(Household.objects.restrict(request.user), pk=request.GET["household"]), None
    if request.GET.get("model_worker"):
        return get_object_or_404(ModelWorker.objects.restrict(request.user), pk=request.GET["model_worker"]), None
    raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def objection_create_view(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=Objection, action=Action.ADD)
    person, payment = _person_from_query(request)
    form = ObjectionForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            objection = objection_create(
                person=person, disbursement=payment, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, gettext("已登记。办结前，该对象的发放不能进入代发批次。"))
            return redirect("oversight:objection_detail", pk=objection.pk)
    return render(request, "oversight/objection_form.html", {"form": form, "person": person, "payment": payment})


@login_required
@require_GET
def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=Objection, action=Action.VIEW)
    objection = get_object_or_404(
        Objection.objects.restrict(request.user).select_related("household", "model_worker", "disbursement"), pk=pk
    )
    can_resolve = objection.status == ObjectionStatus.OPEN and request.user.has_perm("oversight.change_objection")
    return render(
        request,
        "oversight/objection_detail.html",
        {"objection": objection, "form": ResolveForm(), "can_resolve": can_resolve},
    )


@login_required
@require_POST
def objection_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=Objection, action=Action.CHANGE)
    objection = get_object_or_404(Objection.objects.restrict(request.user, Action.CHANGE), pk=pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("请选择办理结果并填写办理情况。"))
    else:
        try:
            objection_resolve(objection=objection, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, gettext("已办结。"))
    return redirect("oversight:objection_detail", pk=objection.pk)


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=VerificationRound, action=Action.VIEW)
    rounds = (
        VerificationRound.objects.restrict(request.user)
        .select_related("organization", "program", "fiscal_year", "created_by")
        .annotate(recorded=Count("visits", filter=~Q(visits__receipt="")))
    )
    return list_page(
        request,
        queryset=rounds,
        filterset_class=VerificationRoundFilterSet,
        table_class=VerificationRoundTable,
        template_name="oversight/round_list.html",
        title=_("回访"),
        export_name=_("回访批次"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=VerificationRound, action=Action.ADD)
    form = VerificationRoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = verification_round_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_refusal(request, exc)
        else:
            messages.success(
                request,
                gettext("已抽取 {n} 人（总体 {total} 人）。").format(n=round_.sample_size, total=round_.population),
            )
            return redirect("oversight:round_detail", pk=round_.pk)
    return render(request, "oversight/round_form.html", {"form": form})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=VerificationRound, action=Action.VIEW)
    round_ = get_object_or_404(
        VerificationRound.objects.restrict(request.user).select_related("organization", "program", "fiscal_year"),
        pk=pk,
    )
    visits = (
        Visit.objects.restrict(request.user)
        .filter(round=round_)
        .select_related("disbursement__household", "disbursement__model_worker", "disbursement__payment_kind")
    )
    figures = visits.aggregate(
        recorded=Count("pk", filter=~Q(receipt="")),
        reached=Count("pk", filter=~Q(receipt__in=["", "unreachable"])),
        satisfied=Count("pk", filter=Q(satisfied=True)),
        not_received=Count("pk", filter=Q(receipt="not_received")),
    )
    return list_page(
        request,
        queryset=visits,
        filterset_class=VisitFilterSet,
        table_class=VisitTable,
        template_name="oversight/round_detail.html",
        title=_("回访记录"),
        export_name=_("回访记录"),
        personal_data=True,
        context={"round": round_, "figures": figures},
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=Visit, action=Action.VIEW)
    visit = get_object_or_404(
        Visit.objects.restrict(request.user).select_related(
            "round", "disbursement__household", "disbursement__model_worker", "disbursement__payment_kind"
        ),
        pk=pk,
    )
    can_record = not visit.receipt and request.user.has_perm("oversight.change_visit")
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST":
        ensure_permission(user=request.user, model=Visit, action=Action.CHANGE)
        if form.is_valid():
            try:
                visit_record(visit=visit, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                show_refusal(request, exc)
            else:
                messages.success(request, gettext("已记录回访结果。"))
                return redirect("oversight:round_detail", pk=visit.round_id)
    return render(request, "oversight/visit_detail.html", {"visit": visit, "form": form, "can_record": can_record})


@login_required
@require_GET
def duplicate_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=DuplicateCase, action=Action.VIEW)
    return list_page(
        request,
        queryset=DuplicateCase.objects.restrict(request.user).select_related("decided_by"),
        filterset_class=DuplicateCaseFilterSet,
        table_class=DuplicateCaseTable,
        template_name="oversight/duplicate_list.html",
        title=_("疑似重复对象"),
        export_name=_("疑似重复对象"),
        personal_data=True,
    )


@login_required
@require_POST
def duplicate_scan_view(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=DuplicateCase, action=Action.CHANGE)
    found = duplicate_scan(acting_user=request.user)
    messages.success(request, gettext("比对完成：新发现 {n} 组疑似重复。").format(n=found))
    return redirect("oversight:duplicate_list")


@login_required
@require_http_methods(["GET", "POST"])
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ensure_permission(user=request.user, model=DuplicateCase, action=Action.VIEW)
    case = get_object_or_404(DuplicateCase.objects.restrict(request.user), pk=pk)
    form = DuplicateDecisionForm(request.POST or None)
    if request.method == "POST":
        ensure_permission(user=request.user, model=DuplicateCase, action=Action.CHANGE)
        if form.is_valid():
            try:
                duplicate_decide(case=case, acting_user=request.user, **form.cleaned_data)
            except ValidationError as exc:
                show_refusal(request, exc)
            else:
                messages.success(request, gettext("已记录处理决定。"))
                return redirect("oversight:duplicate_list")
    can_decide = case.decision == "open" and request.user.has_perm("oversight.change_duplicatecase")
    return render(request, "oversight/duplicate_detail.html", {"case": case, "form": form, "can_decide": can_decide})


@login_required
@require_GET
def publicity_list(request: HttpRequest) -> HttpResponse:
    ensure_permission(user=request.user, model=Publicity, action=Action.VIEW)
    records = Publicity.objects.restrict(request.user).select_related(
        "organization", "program", "fiscal_year", "payment_kind", "generated_by"
    )
    return render(request, "oversight/publicity_list.html", {"records": records[:200]})
