from django.urls import path

from .views import criteria, home

app_name = "evaluation"
urlpatterns = [
    path("", home.home_view, name="home"),
    path("tieu-chi/", criteria.criteria_list_view, name="criteria_list"),
    path("tieu-chi/nap/", criteria.criteria_upload_view, name="criteria_upload"),
    path("tieu-chi/<int:pk>/", criteria.criteria_detail_view, name="criteria_detail"),
]
