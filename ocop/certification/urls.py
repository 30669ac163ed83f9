from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("", views.certificate_list_view, name="certificate_list"),
    path("thong-bao/<int:pk>/da-xem/", views.notice_read_view, name="notice_read"),
]
