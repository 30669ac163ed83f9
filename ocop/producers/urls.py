from django.urls import path

from . import views

app_name = "producers"
urlpatterns = [
    path("", views.entity_list_view, name="entity_list"),
    path("them/", views.entity_create_view, name="entity_create"),
    path("<int:pk>/", views.entity_detail_view, name="entity_detail"),
    path("<int:pk>/sua/", views.entity_edit_view, name="entity_edit"),
]
