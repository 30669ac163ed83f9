from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("nhat-ky/", views.audit_list, name="audit_list"),
    path("viec-nen/", views.job_list_view, name="job_list"),
    path("viec-nen/<int:pk>/", views.job_detail_view, name="job_detail"),
    path("viec-nen/<int:pk>/tai/<slug:key>/", views.job_file_view, name="job_file"),
]
