from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("", views.certificate_list_view, name="certificate_list"),
    path("thong-bao/<int:pk>/da-xem/", views.notice_read_view, name="notice_read"),
    path("thu-hoi/", views.revocation_list_view, name="revocation_list"),
    path("thu-hoi/tai.<str:fmt>", views.revocation_document_view, name="revocation_document"),
    path("thu-hoi/san-pham/<int:product_pk>/", views.revocation_create_view, name="revocation_create"),
]
