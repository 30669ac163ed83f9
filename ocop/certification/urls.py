from django.urls import path

from . import views

app_name = "certification"
urlpatterns = [
    path("", views.certificate_list_view, name="certificate_list"),
    path("thong-bao/<int:pk>/da-xem/", views.notice_read_view, name="notice_read"),
    path("thu-hoi/", views.revocation_list_view, name="revocation_list"),
    path("thu-hoi/tai.<str:fmt>", views.revocation_document_view, name="revocation_document"),
    path("thu-hoi/san-pham/<int:product_pk>/", views.revocation_create_view, name="revocation_create"),
    path(
        "ghi-quyet-dinh/san-pham/<int:product_pk>/", views.recognition_record_view, name="recognition_record"
    ),
    path("<int:pk>/giay-chung-nhan.pdf", views.certificate_pdf_view, name="certificate_pdf"),
]
