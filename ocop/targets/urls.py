from django.urls import path

from . import views

app_name = "targets"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("chi-tieu/", views.target_list, name="targets"),
]
