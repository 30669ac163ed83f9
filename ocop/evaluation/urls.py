from django.urls import path

from .views import councils, criteria, documents, dossiers, home, intake

app_name = "evaluation"
urlpatterns = [
    path("", home.home_view, name="home"),
    path("tieu-chi/", criteria.criteria_list_view, name="criteria_list"),
    path("tieu-chi/nap/", criteria.criteria_upload_view, name="criteria_upload"),
    path("tieu-chi/<int:pk>/", criteria.criteria_detail_view, name="criteria_detail"),
    path("y-tuong/moi/", dossiers.idea_create_view, name="idea_create"),
    path("y-tuong/<int:pk>/", dossiers.idea_detail_view, name="idea_detail"),
    path("ho-so/moi/", dossiers.dossier_create_view, name="dossier_create"),
    path("ho-so/<int:pk>/", dossiers.dossier_detail_view, name="dossier_detail"),
    path("ho-so/<int:pk>/tu-danh-gia/", dossiers.dossier_choose_view, name="dossier_choose"),
    path("ho-so/<int:pk>/nop/", dossiers.dossier_submit_view, name="dossier_submit"),
    path("ho-so/<int:pk>/lan-nop/<int:number>/", dossiers.submission_detail_view, name="submission_detail"),
    path("ho-so/<int:pk>/xu-ly/<slug:action>/", intake.dossier_action_view, name="dossier_action"),
    path("ho-so/<int:pk>/xa-cham/", intake.commune_choose_view, name="commune_choose"),
    path("ho-so/<int:pk>/minh-chung/<str:code>/them/", dossiers.evidence_add_view, name="evidence_add"),
    path("ho-so/<int:pk>/minh-chung/<str:code>/gan/", dossiers.evidence_attach_view, name="evidence_attach"),
    path(
        "ho-so/<int:pk>/minh-chung/<int:link_id>/go/", dossiers.evidence_detach_view, name="evidence_detach"
    ),
    path("minh-chung/", dossiers.evidence_library_view, name="evidence_library"),
    path("minh-chung/<int:pk>/tep/", dossiers.evidence_file_view, name="evidence_file"),
    path("quyet-dinh/", documents.decision_list_view, name="decision_list"),
    path("quyet-dinh/tai.<str:fmt>", documents.decision_document_view, name="decision_document"),
    path("cong-van/tai.<str:fmt>", documents.forward_letter_view, name="forward_letter"),
    path("phien-hop/<int:pk>/bien-ban.<str:fmt>", documents.minutes_view, name="minutes"),
    path("hoi-dong/", councils.council_list_view, name="council_list"),
    path("hoi-dong/<int:pk>/", councils.council_detail_view, name="council_detail"),
    path("danh-gia/<int:pk>/", councils.evaluation_detail_view, name="evaluation_detail"),
    path("danh-gia/<int:pk>/cham/", councils.evaluation_score_view, name="evaluation_score"),
    path(
        "danh-gia/<int:pk>/nop-phieu/", councils.evaluation_score_review_view, name="evaluation_score_review"
    ),
    path("danh-gia/<int:pk>/xu-ly/<slug:action>/", councils.evaluation_action_view, name="evaluation_action"),
    path("danh-gia/<int:pk>/giay-chung-nhan.pdf", documents.certificate_pdf_view, name="certificate_pdf"),
    path("danh-gia/<int:pk>/phieu/<int:member_pk>.<str:fmt>", documents.score_sheet_view, name="score_sheet"),
]
