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
        """The password is checked only inside a reserved throttle slot (``throttle.attempt``): concurrent
        wrong passwords cannot get more checks than the limit, and right ones are not counted."""
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        ip = self.client_ip()
        if not (username and password):
            return self.cleaned_data
        try:
            with throttle.attempt(
                throttle.Counter.account(username), throttle.Counter.address(ip), ip=ip
            ) as attempt:
                self.user_cache = authenticate(self.request, username=username, password=password)
                if self.user_cache is None:
                    attempt.failed()
                    from .services import login_failure_record

                    login_failure_record(username=username, ip_address=ip)
                    raise self.get_invalid_login_error()
                attempt.succeeded()
        except throttle.Throttled as exc:
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled") from exc
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class TotpForm(forms.Form):
    code = forms.CharField(
        label="Mã xác thực",
        max_length=20,
        help_text="6 chữ số trong ứng dụng xác thực, hoặc một mã khôi phục.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        ),
        error_messages={"required": "Hãy nhập mã xác thực."},
    )


class TotpEnrolForm(TotpForm):
    """The new device's first code; replacing a confirmed device also asks a code of the current one."""

    current_code = forms.CharField(
        label="Mã của thiết bị hiện tại",
        max_length=20,
        help_text="6 chữ số trong ứng dụng xác thực đang dùng, hoặc một mã khôi phục chưa dùng.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autocapitalize": "none"}
        ),
        error_messages={"required": "Hãy nhập mã của thiết bị hiện tại."},
    )

    def __init__(self, *args, replacing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if replacing:
            # Asked first: it proves who is changing the device.
            self.order_fields(["current_code", "code"])
            self.fields["code"].label = "Mã của thiết bị mới"
            self.fields["code"].help_text = "6 chữ số ứng dụng mới hiển thị sau khi quét mã QR."
        else:
            del self.fields["current_code"]
            self.fields["code"].help_text = "6 chữ số ứng dụng hiển thị sau khi quét mã QR."


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Tên mã truy cập",
        max_length=100,
        help_text="Dùng cho việc gì, ví dụ “Đồng bộ với cổng dữ liệu tỉnh”.",
        error_messages={"required": "Hãy đặt tên cho mã truy cập."},
    )
    days = forms.IntegerField(
        label="Hiệu lực (ngày)",
        min_value=1,
        max_value=730,
        required=False,
        initial=365,
        help_text="Để trống: không tự hết hạn (vẫn thu hồi được bất cứ lúc nào).",
    )


class UserForm(forms.Form):
    """Create or change an account; the unit is typed as officers say it and resolved like imports."""

    username = forms.RegexField(
        label="Tên đăng nhập",
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": "Chỉ dùng chữ không dấu, số và . @ + - _"},
    )
    full_name = forms.CharField(label="Họ và tên", max_length=150, required=False)
    email = forms.EmailField(label="Thư điện tử", required=False)
    role = forms.ChoiceField(label="Vai trò")
    province = forms.ModelChoiceField(
        queryset=None, label="Tỉnh/thành phố", required=False, help_text="Cho cán bộ các cấp."
    )
    unit_name = forms.CharField(
        label="Huyện hoặc xã",
        max_length=120,
        required=False,
        help_text="Cho cán bộ cấp huyện/xã, ví dụ “H. Ba Bể” hoặc “Xã Chợ Rã”.",
    )
    entity = forms.ModelChoiceField(
        queryset=None, label="Chủ thể", required=False, help_text="Cho tài khoản chủ thể sản xuất."
    )
    password = forms.CharField(
        label="Mật khẩu",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Ít nhất 10 ký tự, không quá đơn giản. Để trống khi sửa nếu không đổi.",
    )
    is_active = forms.BooleanField(label="Đang hoạt động", required=False, initial=True)

    def __init__(self, *args, instance=None, **kwargs):
        from ocop.geography.selectors import province_list
        from ocop.producers.models import Entity

        from .roles import Role

        super().__init__(*args, **kwargs)
        self.instance = instance
        self.fields["role"].choices = Role.choices
        self.fields["province"].queryset = province_list()
        self.fields["province"].label_from_instance = lambda p: (
            f"{p.name}{' (trước 7/2025)' if p.is_legacy else ''}"
        )
        self.fields["entity"].queryset = Entity.objects.select_related("commune").order_by("name_key")
        if instance is not None:
            self.fields["username"].disabled = True

    def clean_username(self) -> str:
        from .models import User

        username = self.cleaned_data["username"]
        taken = User.objects.filter(username__iexact=username)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("Tên đăng nhập này đã có người dùng.")
        return username

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        from ocop.geography.lookup_errors import UnitLookupError
        from ocop.geography.resolver import UnitResolver

        from .roles import Role

        data = super().clean()
        role = data.get("role")
        province = data.get("province")
        data["unit"] = None
        if role in (Role.PROVINCE_OFFICER, Role.DISTRICT_OFFICER, Role.COMMUNE_OFFICER):
            if province is None:
                self.add_error("province", "Cán bộ phải gắn với một tỉnh.")
                return data
            data["unit"] = province
            name = (data.get("unit_name") or "").strip()
            if role != Role.PROVINCE_OFFICER:
                if not name:
                    self.add_error("unit_name", "Hãy nhập tên huyện hoặc xã.")
                    return data
                resolver = UnitResolver()
                try:
                    if role == Role.DISTRICT_OFFICER:
                        data["unit"] = resolver.resolve_district(name, province=province)
                    else:
                        data["unit"] = resolver.resolve_commune(
                            name, province=province, generation=province.generation
                        )
                except UnitLookupError as exc:
                    self.add_error("unit_name", exc.message)
        if role == Role.PRODUCER and data.get("entity") is None:
            self.add_error("entity", "Tài khoản chủ thể phải gắn với một chủ thể.")
        password = data.get("password")
        if self.instance is None and not password:
            self.add_error("password", "Hãy đặt mật khẩu cho tài khoản mới.")
        elif password:
            try:
                validate_password(password)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data
