from django.urls import path

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.home_view, name="home"),
    path("danh-sach/", views.list_view, name="list"),
    path("ke-hoach/them/", views.plan_edit_view, name="plan_create"),
    path("ke-hoach/<int:pk>/", views.plan_detail_view, name="plan_detail"),
    path("ke-hoach/<int:pk>/sua/", views.plan_edit_view, name="plan_edit"),
    path("<int:pk>/", views.detail_view, name="detail"),
    path("<int:pk>/ket-qua/", views.record_view, name="record"),
    path("<int:pk>/thu-hoi/", views.revoke_view, name="revoke"),
    path("<int:pk>/bo-khoi-ke-hoach/", views.unplan_view, name="unplan"),
    path("<int:pk>/minh-chung/", views.evidence_view, name="evidence"),
]
