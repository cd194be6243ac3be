"""The users page (用户管理): accounts, their one role, lockouts and second factors, in the app rather than the
Django admin, under the same two-person rules (accounts.services).

The security administrator keeps accounts; the audit administrator reads them and confirms what a security
administrator proposed (a role, a second-factor reset). Both hold the permission to see the proposals
(accounts.view_rolegrant), which is what opens these pages; every write asks the service for its own permission.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import services
from accounts.filters import UserFilterSet
from accounts.forms import ReasonForm, RoleChangeForm, UserCreateForm, UserDetailsForm
from accounts.models import AuthenticatorDevice, RoleGrant, SecondFactorReset
from accounts.selectors import pending_decisions, users_for
from accounts.tables import UserTable, account_states, role_label
from core.forms import apply_service_error
from core.lists import list_page
from core.models import DecisionStatus
from core.scoping import Action
from funds.choices import Role
from funds.models import User

SESSION_KEY = "one_time_password"


def _ensure_users_page(request: HttpRequest) -> None:
    if not request.user.has_perm("accounts.view_rolegrant"):
        raise PermissionDenied(_("用户管理只对安全管理员和审计管理员开放。"))


def _account(request: HttpRequest, pk: int) -> User:
    _ensure_users_page(request)
    return get_object_or_404(users_for(user=request.user), pk=pk)


def _error_text(exc: Exception) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    _ensure_users_page(request)
    accounts = users_for(user=request.user)
    return list_page(
        request,
        queryset=accounts,
        filterset_class=UserFilterSet,
        table_class=UserTable,
        template_name="accounts/user_list.html",
        title=gettext_lazy("用户管理"),
        export_name=gettext_lazy("用户"),
        context={"pending": pending_decisions(user=request.user), "locked_count": accounts.filter(locked=True).count()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _ensure_users_page(request)
    if not request.user.has_perm("funds.add_user"):
        raise PermissionDenied(_("您无权创建账号。"))
    form = UserCreateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password, grant = services.user_create(
                username=data["username"],
                last_name=data["last_name"],
                first_name=data["first_name"],
                email=data["email"],
                organization=data["organization"],
                role=Role(data["role"]),
                reason=data["reason"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            apply_service_error(form, exc)
        else:
            # Shown once, on the next page (not in its address, not on a page the browser can re-post).
            request.session[SESSION_KEY] = {"user": user.pk, "password": password}
            if grant.status == DecisionStatus.PENDING:
                messages.warning(
                    request,
                    _("账号已创建；角色“{role}”须由另一位安全管理员或审计管理员确认后生效。").format(
                        role=Role(grant.role).label
                    ),
                )
            else:
                messages.success(request, _("账号已创建，角色“{role}”已生效。").format(role=Role(grant.role).label))
            return redirect("users:user_detail", pk=user.pk)
    response = render(request, "accounts/user_form.html", {"form": form})
    add_never_cache_headers(response)
    return response


@login_required
@require_GET
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    shown = request.session.get(SESSION_KEY)
    one_time = None
    if shown and shown.get("user") == account.pk:
        one_time = request.session.pop(SESSION_KEY)["password"]
    can_change = User.objects.restrict(request.user, Action.CHANGE).filter(pk=account.pk).exists()
    context = {
        "account": account,
        "states": account_states(account),
        "role_label": role_label(account.role_name),
        "pending_role_label": role_label(account.pending_role) if account.pending_role else "",
        "one_time_password": one_time,
        "can_change": can_change and account.pk != request.user.pk,
        "devices": AuthenticatorDevice.objects.filter(user=account).order_by("-created_at"),
        "grants": RoleGrant.objects.restrict(request.user)
        .filter(user=account)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at")[:20],
        "resets": SecondFactorReset.objects.restrict(request.user)
        .filter(user=account)
        .select_related("requested_by", "decided_by")
        .order_by("-requested_at")[:20],
        "role_form": RoleChangeForm(prefix="role"),
        "details_form": UserDetailsForm(
            prefix="details",
            user=request.user,
            initial={
                "last_name": account.last_name,
                "first_name": account.first_name,
                "email": account.email,
                "organization": account.organization_id,
            },
        ),
        "reason_form": ReasonForm(prefix="reason"),
    }
    response = render(request, "accounts/user_detail.html", context)
    add_never_cache_headers(response)  # a one-time password must not come back from the browser's cache
    return response


def _run_action(request: HttpRequest, account: User, action: str) -> str:
    """Do one action on an account; the message to show. Raises PermissionDenied or ValidationError."""
    reason_form = ReasonForm(request.POST, prefix="reason")
    match action:
        case "deactivate" | "activate" | "reset_second_factor":
            if not reason_form.is_valid():
                raise ValidationError(_("请填写事由。"))
            reason = reason_form.cleaned_data["reason"]
            if action == "deactivate":
                services.user_deactivate(user=account, acting_user=request.user, reason=reason)
                return _("账号已停用，其所有会话已结束。")
            if action == "activate":
                services.user_activate(user=account, acting_user=request.user, reason=reason)
                return _("账号已启用。")
            services.second_factor_reset_request(user=account, acting_user=request.user, reason=reason)
            return _("已申请重置双因素认证，须由另一位安全管理员或审计管理员确认。")
        case "reset_password":
            password = services.password_reset_one_time(user=account, acting_user=request.user)
            request.session[SESSION_KEY] = {"user": account.pk, "password": password}
            return _("已生成一次性密码；该用户下次登录时须修改密码，其所有会话已结束。")
        case "unlock":
            removed = services.user_unlock(user=account, acting_user=request.user)
            return _("已解除锁定（清除 {n} 条失败记录）。").format(n=removed)
        case "edit":
            form = UserDetailsForm(request.POST, prefix="details", user=request.user)
            if not form.is_valid():
                raise ValidationError(
                    [f"{form.fields[name].label}：{' '.join(errors)}" for name, errors in form.errors.items()]
                )
            services.user_update(user=account, acting_user=request.user, **form.cleaned_data)
            return _("账号信息已保存。")
        case "change_role":
            form = RoleChangeForm(request.POST, prefix="role")
            if not form.is_valid():
                raise ValidationError(_("请选择新角色并填写事由。"))
            grant = services.role_grant_request(
                user=account,
                role=Role(form.cleaned_data["role"]),
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
            if grant.status == DecisionStatus.PENDING:
                return _("角色“{role}”已提交，须由另一位安全管理员或审计管理员确认后生效。").format(
                    role=Role(grant.role).label
                )
            return _("角色已改为“{role}”。").format(role=Role(grant.role).label)
    raise Http404


@login_required
@require_POST
def user_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    account = _account(request, pk)
    try:
        text = _run_action(request, account, action)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, text)
    return redirect("users:user_detail", pk=account.pk)


def _decide_role(decision: RoleGrant, approve: bool, user: User) -> None:
    services.role_grant_decide(grant=decision, approve=approve, acting_user=user)


def _decide_second_factor(decision: SecondFactorReset, approve: bool, user: User) -> None:
    services.second_factor_reset_decide(request=decision, approve=approve, acting_user=user)


DECISIONS = {"role": (RoleGrant, _decide_role), "second_factor": (SecondFactorReset, _decide_second_factor)}


@login_required
@require_POST
def decision_decide(request: HttpRequest, kind: str, pk: int, verdict: str) -> HttpResponse:
    """Confirm or reject a role grant or a second-factor reset another administrator proposed."""
    _ensure_users_page(request)
    if kind not in DECISIONS or verdict not in ("confirm", "reject"):
        raise Http404
    model, decide = DECISIONS[kind]
    decision = get_object_or_404(model.objects.restrict(request.user), pk=pk)
    try:
        decide(decision, verdict == "confirm", request.user)
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("已确认。") if verdict == "confirm" else _("已驳回。"))
    if request.POST.get("back") == "detail":
        return redirect("users:user_detail", pk=decision.user_id)
    return redirect("users:user_list")
