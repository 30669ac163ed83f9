from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("tim-kiem/", views.search, name="search"),
    path("san-pham-ocop/<int:pk>/", views.product, name="product_short"),
    path("san-pham-ocop/<int:pk>-<slug:slug>/", views.product, name="product"),
    path("san-pham-ocop/<int:pk>/phan-anh/", views.feedback, name="feedback"),
    path("san-pham-ocop/<int:pk>/phan-anh/da-gui/", views.feedback_thanks, name="feedback_thanks"),
    path("chu-the-ocop/<int:pk>/", views.entity, name="entity_short"),
    path("chu-the-ocop/<int:pk>-<slug:slug>/", views.entity, name="entity"),
    path("tinh/<int:pk>/", views.province, name="province_short"),
    path("tinh/<int:pk>-<slug:slug>/", views.province, name="province"),
    path("du-lich-cong-dong/", views.tourism, name="tourism"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
    path("quan-ly/phan-anh/", views.moderation_list, name="moderation_list"),
    path("quan-ly/phan-anh/<int:pk>/", views.moderation_detail, name="moderation_detail"),
    path("phan-anh/<int:pk>/anh/", views.feedback_photo, name="feedback_photo"),
]
