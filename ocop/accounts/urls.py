from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("nguoi-dung/", views.user_list_view, name="user_list"),
    path("nguoi-dung/them/", views.user_form_view, name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_form_view, name="user_edit"),
]
