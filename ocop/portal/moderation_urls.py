"""Officers' moderation of community feedback (staff pages, Vietnamese only: outside the /en/ prefix)."""

from django.urls import path

from . import moderation_views

app_name = "portal_staff"
urlpatterns = [
    path("", moderation_views.moderation_list, name="moderation_list"),
    path("<int:pk>/", moderation_views.moderation_detail, name="moderation_detail"),
]
