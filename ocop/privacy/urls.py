from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.person_search, name="person_search"),
    path("xuat/", views.person_export, name="person_export"),
    path("xoa/", views.person_erase, name="person_erase"),
    path("cong-khai/<int:pk>/", views.consent_edit, name="consent_edit"),
]
