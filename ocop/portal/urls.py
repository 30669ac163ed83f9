"""Public pages of the portal (no login), served at the root in Vietnamese and under /en/ in English."""

from django.urls import path

from . import market_views, opendata_views, ranking_views, views

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
    # Where to buy and when to meet (issue 23).
    path("diem-ban/", market_views.place_list, name="places"),
    path("diem-ban/<int:pk>/", market_views.place_detail, name="place_short"),
    path("diem-ban/<int:pk>-<slug:slug>/", market_views.place_detail, name="place"),
    path("hoi-cho/", market_views.fair_list, name="fairs"),
    path("hoi-cho/<int:pk>/", market_views.fair_detail, name="fair_short"),
    path("hoi-cho/<int:pk>-<slug:slug>/", market_views.fair_detail, name="fair"),
    path("ban-do/", market_views.map_page, name="map"),
    path("ban-do/diem.json", market_views.map_points, name="map_points"),
    path("ban-do/xa/<int:pk>.json", market_views.map_commune, name="map_commune"),
    path("xep-hang-tinh/", ranking_views.ranking, name="ranking"),
    # Open data (SPEC §5.4).
    path("du-lieu-mo/", opendata_views.open_data, name="open_data"),
    path("du-lieu-mo/san-pham-ocop.<str:fmt>", opendata_views.download, name="open_data_file"),
    # A feedback photo: private storage, served by its scope rules (issue 18).
    path("phan-anh/<int:pk>/anh/", views.feedback_photo, name="feedback_photo"),
]
