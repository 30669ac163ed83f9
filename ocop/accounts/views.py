from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from .forms import ThrottledLoginForm, UserForm
from .models import User
from .roles import Role
from .services import account_save, login_success_record


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        login_success_record(user=form.get_user(), ip_address=self.request.META.get("REMOTE_ADDR"))
        return response


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
    return render(request, "accounts/user_form.html", {"form": form, "account": account})
