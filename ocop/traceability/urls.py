from django.urls import path

from . import views

app_name = "traceability"
urlpatterns = [
    path("", views.batch_list_view, name="batch_list"),
    path("lo/moi/", views.batch_create_view, name="batch_create"),
    path("lo/<int:pk>/", views.batch_detail_view, name="batch_detail"),
    path("lo/<int:pk>/sua/", views.batch_edit_view, name="batch_edit"),
    path("lo/<int:pk>/su-kien/", views.event_add_view, name="event_add"),
    path("lo/<int:pk>/epcis.jsonld", views.epcis_view, name="batch_epcis"),
    path("lo/<int:pk>/tem/phat-hanh/", views.stamps_issue_view, name="stamps_issue"),
    path("lo/<int:pk>/tem/trang-thai/", views.stamps_status_view, name="stamps_status"),
    path("lo/<int:pk>/tem.csv", views.stamps_csv_view, name="stamps_csv"),
    path("lo/<int:pk>/tem.pdf", views.stamps_pdf_view, name="stamps_pdf"),
    path("canh-bao/", views.alert_list_view, name="alert_list"),
    path("canh-bao/<int:pk>/da-xu-ly/", views.alert_resolve_view, name="alert_resolve"),
]
