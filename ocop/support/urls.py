from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.home, name="home"),
    path("chi-so/", views.kpi_view, name="kpis"),
    path("nhom-uu-tien/", views.priority_view, name="priority"),
    path("bao-cao/", views.report_view, name="reports"),
    path("bao-cao/<int:pk>/", views.report_detail_view, name="report_detail"),
    path("bao-cao/<int:pk>/tai/<str:fmt>/", views.report_file_view, name="report_file"),
    path("hoi-cho/<int:pk>/tham-gia/", views.participation_add_view, name="participation_add"),
    path("hoi-cho/<int:pk>/tham-gia/nhap/", views.participation_import_view, name="participation_import"),
    path(
        "hoi-cho/<int:pk>/tham-gia/<int:participation>/xoa/",
        views.participation_remove_view,
        name="participation_remove",
    ),
    path("<slug:slug>/", views.record_list_view, name="record_list"),
    path("<slug:slug>/them/", views.record_edit_view, name="record_create"),
    path("<slug:slug>/nhap/", views.record_import_view, name="record_import"),
    path("<slug:slug>/<int:pk>/", views.record_detail_view, name="record_detail"),
    path("<slug:slug>/<int:pk>/sua/", views.record_edit_view, name="record_edit"),
    path("<slug:slug>/<int:pk>/xoa/", views.record_delete_view, name="record_delete"),
]
