from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ocop.core.ratelimit import client_ip

from . import throttle, twofactor
from .forms import ApiTokenForm, ThrottledLoginForm, TotpEnrolForm, TotpForm, UserForm
from .models import ApiToken, User
from .roles import Role
from .services import account_save, login_failure_record, login_success_record


class LoginView(auth_views.LoginView):
    """Password step. Users who need a second factor are not logged in yet: they go on to the TOTP step."""

    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if twofactor.needs_second_step(user):
            self.request.session[PENDING_KEY] = {
                "uid": user.pk,
                "backend": user.backend,
                "next": self.get_success_url(),
                "at": int(time.time()),
            }
            if twofactor.confirmed_device(user) is None:
                return redirect("accounts:totp_enrol")
            return redirect("accounts:totp_verify")
        response = super().form_valid(form)
        login_success_record(user=user, ip_address=self.request.META.get("REMOTE_ADDR"))
        return response


PENDING_KEY = "ocop_2fa_pending"
ENROL_SECRET_KEY = "ocop_2fa_secret"  # noqa: S105 — a session key name
PENDING_SECONDS = 600


def _pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING_KEY) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    user = User.objects.filter(pk=pending.get("uid"), is_active=True).first()
    return user, pending


def _finish_login(request, user: User, pending: dict):
    from django.contrib.auth import login
    from django.utils.http import url_has_allowed_host_and_scheme

    request.session.pop(PENDING_KEY, None)
    request.session.pop(ENROL_SECRET_KEY, None)
    login(request, user, backend=pending.get("backend"))
    login_success_record(user=user, ip_address=client_ip(request))
    throttle.reset(
        throttle.Counter.account(user.username), throttle.Counter.second_factor(user.pk, user.username)
    )
    target = pending.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = resolve_url(settings.LOGIN_REDIRECT_URL)
    return target


def _second_factor_counters(request, user: User) -> tuple[throttle.Counter, ...]:
    return (
        throttle.Counter.second_factor(user.pk, user.username),
        throttle.Counter.address(client_ip(request)),
    )


@require_http_methods(["GET", "POST"])
def totp_verify_view(request):
    """Second step: the 6-digit code from the authenticator app (or a recovery code).

    Only wrong codes count against the limit: a right one gives its place back (``throttle.attempt``)."""
    user, pending = _pending_user(request)
    if user is None:
        messages.info(request, "Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.")
        return redirect("accounts:login")
    if twofactor.confirmed_device(user) is None:
        return redirect("accounts:totp_enrol")
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with throttle.attempt(*_second_factor_counters(request, user), ip=client_ip(request)) as attempt:
                if twofactor.verify_code(user, form.cleaned_data["code"]):
                    attempt.succeeded()
                    return redirect(_finish_login(request, user, pending))
                attempt.failed()
                login_failure_record(username=user.username, ip_address=client_ip(request))
                form.add_error("code", "Mã xác thực không đúng hoặc đã được dùng.")
        except throttle.Throttled as exc:
            form.add_error(None, exc.message)
    return render(request, "accounts/totp_verify.html", {"form": form}, status=400 if form.errors else 200)


ENROL_LIMIT = 10  # wrong confirmation codes per user and window while setting up a new device


@require_http_methods(["GET", "POST"])
def totp_enrol_view(request):
    """Set up (or replace) the authenticator app: scan the QR code (or type the key), confirm one code.

    Reached after the password step by officers/admins who have no confirmed device (and only by them: a
    pending login of a user who has one goes to the code step), or from "Bảo mật tài khoản" by a user who is
    fully signed in. Replacing a confirmed device asks for a code of that device first
    (``twofactor.device_enrol`` enforces it)."""
    if request.user.is_authenticated:
        user, pending = request.user, None
    else:
        user, pending = _pending_user(request)
        if user is None:
            return redirect("accounts:login")
    device = twofactor.confirmed_device(user)
    if device is not None and pending is not None:
        return redirect("accounts:totp_verify")
    secret = request.session.get(ENROL_SECRET_KEY)
    if not secret:
        secret = request.session[ENROL_SECRET_KEY] = twofactor.new_secret()
    form = TotpEnrolForm(request.POST or None, replacing=device is not None)
    if request.method == "POST" and form.is_valid():
        if device is not None:
            counters = _second_factor_counters(request, user)
        else:
            counters = (
                throttle.Counter(f"2fa-enrol:{user.pk}", ENROL_LIMIT, f"cài đặt thiết bị của “{user}”"),
            )
        try:
            with throttle.attempt(*counters, ip=client_ip(request)) as attempt:
                try:
                    codes = twofactor.device_enrol(
                        user=user,
                        secret=secret,
                        code=form.cleaned_data["code"],
                        current_code=form.cleaned_data.get("current_code") or "",
                    )
                except ValidationError as exc:
                    attempt.failed()
                    for field, errors in exc.message_dict.items():
                        form.add_error(field, errors)
                else:
                    attempt.succeeded()
                    target = (
                        _finish_login(request, user, pending)
                        if pending is not None
                        else resolve_url("accounts:security")
                    )
                    request.session.pop(ENROL_SECRET_KEY, None)
                    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": target})
        except throttle.Throttled as exc:
            form.add_error(None, exc.message)
    uri = twofactor.provisioning_uri(user, secret)
    return render(
        request,
        "accounts/totp_enrol.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(uri),
            "secret": secret,
            "required": pending is not None,
            "replacing": device is not None,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def security_view(request):
    """The user's own security page: second factor status and API tokens (create, revoke)."""
    new_token = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and "revoke" in request.POST:
        token = get_object_or_404(ApiToken, pk=request.POST.get("revoke"), user=request.user)
        twofactor.token_revoke(user=request.user, token=token)
        messages.success(request, f"Đã thu hồi mã truy cập “{token.name}”.")
        return redirect("accounts:security")
    if request.method == "POST" and form.is_valid():
        days = form.cleaned_data.get("days")
        expires = timezone.now() + dt.timedelta(days=days) if days else None
        _row, new_token = twofactor.token_create(
            user=request.user, name=form.cleaned_data["name"], expires_at=expires
        )
        form = ApiTokenForm()
    return render(
        request,
        "accounts/security.html",
        {
            "device": twofactor.confirmed_device(request.user),
            "required": twofactor.requires_two_factor(request.user),
            "tokens": ApiToken.objects.filter(user=request.user),
            "form": form,
            "new_token": new_token,
            "now": timezone.now(),
        },
    )


class LogoutView(auth_views.LogoutView):
    pass


def _admin_only(request):
    if not request.user.is_authenticated or not request.user.can("manage_users"):
        raise Http404


@login_required
def user_list_view(request):
    _admin_only(request)
    from django.db.models import Q

    from ocop.core.pagination import paginate, query_without_page
    from ocop.core.text import fold

    users = User.objects.select_related("unit", "entity").order_by("username")
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(
            Q(username__icontains=q)
            | Q(full_name__icontains=q)
            | Q(email__icontains=q)
            | Q(entity__search_key__contains=fold(q))
            | Q(unit__search_key__contains=fold(q))
        )
    if request.GET.get("role"):
        users = users.filter(role=request.GET["role"])
    return render(
        request,
        "accounts/user_list.html",
        {
            "page": paginate(request, users),
            "query": query_without_page(request),
            "roles": Role.choices,
        },
    )


@login_required
def user_form_view(request, pk: int | None = None):
    _admin_only(request)
    account = get_object_or_404(User, pk=pk) if pk else None
    initial = {}
    if account is not None:
        province = None
        if account.unit_id:
            province = account.unit if account.unit.level == "province" else account.unit.province
        initial = {
            "username": account.username,
            "full_name": account.full_name,
            "email": account.email,
            "role": account.role,
            "province": province,
            "entity": account.entity,
            "unit_name": account.unit.name if account.unit_id and account.unit.level != "province" else "",
            "is_active": account.is_active,
        }
    if request.method == "POST" and account is not None and request.POST.get("reset_totp"):
        twofactor.reset_device(actor=request.user, user=account)
        messages.success(request, f"Đã đặt lại xác thực hai bước của “{account.username}”.")
        return redirect("accounts:user_edit", pk=account.pk)
    form = UserForm(request.POST or None, instance=account, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = account_save(actor=request.user, data=form.cleaned_data, account=account)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"Đã lưu tài khoản “{saved.username}”.")
            return redirect("accounts:user_list")
    has_totp = account is not None and twofactor.confirmed_device(account) is not None
    return render(
        request, "accounts/user_form.html", {"form": form, "account": account, "has_totp": has_totp}
    )
