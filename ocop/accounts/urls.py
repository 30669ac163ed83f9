from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("xac-thuc/", views.totp_verify_view, name="totp_verify"),
    path("xac-thuc/dang-ky/", views.totp_enrol_view, name="totp_enrol"),
    path("bao-mat/", views.security_view, name="security"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("nguoi-dung/", views.user_list_view, name="user_list"),
    path("nguoi-dung/them/", views.user_form_view, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_form_view, name="user_edit"),
]
