from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("", views.upload_view, name="upload"),
    path("<int:pk>/", views.job_view, name="job"),
    path("<int:pk>/tien-do/", views.job_progress_view, name="job_progress"),
    path("<int:pk>/xac-nhan/", views.job_confirm_view, name="job_confirm"),
    path("<int:pk>/loi.xlsx", views.job_errors_view, name="job_errors"),
]
