from __future__ import annotations

from django.contrib.auth import views as auth_views

from .forms import ThrottledLoginForm
from .services import login_success_record


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
