from django.urls import path

from . import views

app_name = "funding"
urlpatterns = [
    path("", views.grant_list_view, name="grant_list"),
    path("them/", views.grant_edit_view, name="grant_create"),
    path("<int:pk>/", views.grant_detail_view, name="grant_detail"),
    path("<int:pk>/sua/", views.grant_edit_view, name="grant_edit"),
    path("<int:pk>/xoa/", views.grant_delete_view, name="grant_delete"),
    path("chinh-sach/", views.policy_list_view, name="policy_list"),
    path("chinh-sach/them/", views.policy_edit_view, name="policy_create"),
    path("chinh-sach/<int:pk>/", views.policy_detail_view, name="policy_detail"),
    path("chinh-sach/<int:pk>/sua/", views.policy_edit_view, name="policy_edit"),
]
