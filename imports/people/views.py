"""One person's page (困难职工家庭, 劳模): the record, its archive history, its payments and surveys, and the
actions on it. Here, not in beneficiaries, because a person written by hand is a one-row upload (imports.people.
services) and the page shows the ledger (funds): the rosters app stands below both."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_tables2 import RequestConfig

from beneficiaries.choices import HouseholdStatus, ModelWorkerStatus
from beneficiaries.models import Household, ModelWorker
from core.forms import apply_service_error
from core.money import ZERO, format_yuan
from core.permissions import ensure_allowed, ensure_permission
from core.scoping import Action, permission_name
from funds.choices import DisbursementStatus
from funds.models import Disbursement
from funds.tables import DisbursementTable
from imports.people import services
from imports.people.forms import HouseholdForm, ModelWorkerForm, StatusChangeForm, SuspensionForm

# One person: the record, its history, its payments, and the actions on it -------------------------------------

PERSON_KINDS = {
    "household": {
        "model": Household,
        "form": HouseholdForm,
        "create": services.household_create,
        "update": services.household_update,
        "list": "beneficiaries:household_list",
        "detail": "people:household_detail",
        "title": gettext_lazy("困难职工档案"),
    },
    "model_worker": {
        "model": ModelWorker,
        "form": ModelWorkerForm,
        "create": services.model_worker_create,
        "update": services.model_worker_update,
        "list": "beneficiaries:model_worker_list",
        "detail": "people:model_worker_detail",
        "title": gettext_lazy("劳模名册"),
    },
}
ACTIONS = {
    "household": {
        "lift_out": (StatusChangeForm, services.household_lift_out, gettext_lazy("脱困")),
        "rearchive": (StatusChangeForm, services.household_rearchive, gettext_lazy("重新建档")),
    },
    "model_worker": {
        "suspend": (SuspensionForm, services.model_worker_suspend, gettext_lazy("暂停享受待遇")),
        "reinstate": (StatusChangeForm, services.model_worker_reinstate, gettext_lazy("恢复享受待遇")),
        "record_death": (StatusChangeForm, services.model_worker_record_death, gettext_lazy("登记去世")),
    },
}


def _person(request: HttpRequest, kind: str, pk: int):
    spec = PERSON_KINDS[kind]
    ensure_permission(user=request.user, model=spec["model"], action=Action.VIEW)
    return get_object_or_404(spec["model"].objects.restrict(request.user).select_related("organization"), pk=pk)


def _available_actions(kind: str, person) -> list[str]:
    if kind == "household":
        return ["lift_out"] if person.status == HouseholdStatus.ARCHIVED else ["rearchive"]
    if person.status == ModelWorkerStatus.REGISTERED:
        return ["suspend", "record_death"]
    if person.status == ModelWorkerStatus.SUSPENDED:
        return ["reinstate", "record_death"]
    return []


def _detail(request: HttpRequest, kind: str, person, *, bound_action: tuple[str, object] | None = None, status=200):
    spec = PERSON_KINDS[kind]
    can_change = request.user.has_perm(permission_name(spec["model"], Action.CHANGE)) and (
        spec["model"].objects.restrict(request.user, Action.CHANGE).filter(pk=person.pk).exists()
    )
    version = person.updated_at.isoformat()
    actions = []
    if can_change:
        for name in _available_actions(kind, person):
            form_class, _service, label = ACTIONS[kind][name]
            if bound_action and bound_action[0] == name:
                form = bound_action[1]
            else:
                form = form_class(initial={"version": version}, prefix=name)
            actions.append(
                {"name": name, "label": label, "form": form, "open": bool(bound_action and bound_action[0] == name)}
            )
    payments = (
        Disbursement.objects.restrict(request.user)
        .filter(**{kind: person})
        .select_related("paying_organization", "program", "payment_kind", "household", "model_worker")
    )
    payment_table = DisbursementTable(payments, request=request, exclude=("payee", "id_number"))
    RequestConfig(request, paginate={"per_page": 20}).configure(payment_table)
    events = person.events.select_related("recorded_by", "import_batch")
    context = {
        "kind": kind,
        "person": person,
        "spec": spec,
        "can_change": can_change,
        "actions": actions,
        "events": events,
        "payment_table": payment_table,
        "payments_total": payments.filter(status=DisbursementStatus.POSTED).aggregate(total=Sum("amount"))["total"]
        or ZERO,
        "version": version,
    }
    if kind == "model_worker":
        context["surveys"] = person.living_surveys.select_related("fiscal_year")
    return render(request, f"beneficiaries/{kind}_detail.html", context, status=status)


@login_required
@require_GET
def person_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    return _detail(request, kind, _person(request, kind, pk))


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, kind: str) -> HttpResponse:
    spec = PERSON_KINDS[kind]
    ensure_permission(user=request.user, model=spec["model"], action=Action.ADD)
    form = spec["form"](request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            person = spec["create"](
                organization=form.cleaned_data["organization"], values=form.values(), acting_user=request.user
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(spec["detail"], pk=person.pk)
    title = _("新增困难职工档案") if kind == "household" else _("登记劳模")
    return render(request, "beneficiaries/person_form.html", {"form": form, "title": title, "spec": spec})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    spec = PERSON_KINDS[kind]
    person = _person(request, kind, pk)
    ensure_allowed(user=request.user, obj=person, action=Action.CHANGE)
    initial = {name: getattr(person, name) for name in spec["form"].base_fields if hasattr(person, name)}
    initial.pop("bank_account", None)  # never put the clear account into a page
    initial["version"] = person.updated_at.isoformat()
    form = spec["form"](request.POST or None, user=request.user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if not values.get("bank_account"):
            values.pop("bank_account", None)
        update = spec["update"]
        try:
            keyword = "household" if kind == "household" else "worker"
            update(**{keyword: person}, values=values, acting_user=request.user, version=form.cleaned_data["version"])
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(spec["detail"], pk=person.pk)
    title = _("修改：{person}").format(person=person)
    return render(
        request, "beneficiaries/person_form.html", {"form": form, "title": title, "spec": spec, "person": person}
    )


def _warn_paid_after(request: HttpRequest, kind: str, person, action: str, on) -> None:
    """A status dated back before payments already made makes them payments to someone no longer entitled: said at
    once, so the union can recover them (the targeting indicator will count them too)."""
    if action not in ("lift_out", "suspend", "record_death"):
        return
    later = Disbursement.objects.filter(**{kind: person}, status=DisbursementStatus.POSTED, paid_on__gt=on)
    summary = later.aggregate(total=Sum("amount"))
    count = later.count()
    if count:
        messages.warning(
            request,
            _("该{who}在 {date} 之后仍有 {n} 笔发放（合计 {total} 元），请核实是否需要追回。").format(
                who=_("户") if kind == "household" else _("劳模"),
                date=on,
                n=count,
                total=format_yuan(summary["total"]),
            ),
        )


@login_required
@require_POST
def person_action(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    person = _person(request, kind, pk)
    ensure_allowed(user=request.user, obj=person, action=Action.CHANGE)
    if action not in ACTIONS[kind]:
        raise Http404
    form_class, service, _label = ACTIONS[kind][action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        data = dict(form.cleaned_data)
        keyword = "household" if kind == "household" else "worker"
        try:
            service(**{keyword: person}, acting_user=request.user, **data)
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            messages.success(request, _("已办理：{action}。").format(action=_label))
            _warn_paid_after(request, kind, person, action, data["on"])
            return redirect(PERSON_KINDS[kind]["detail"], pk=person.pk)
    person.refresh_from_db()
    return _detail(request, kind, person, bound_action=(action, form), status=400)
