from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm

from . import throttle


class ThrottledLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khoá.",
        "throttled": "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})

    def client_ip(self) -> str:
        if self.request is None:
            return ""
        return self.request.META.get("REMOTE_ADDR", "")

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        ip = self.client_ip()
        if throttle.is_locked(username, ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        if username and password:
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                throttle.record_failure(username, ip)
                from .services import login_failure_record

                login_failure_record(username=username, ip_address=ip)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            throttle.reset(username, ip)
        return self.cleaned_data
