from django.urls import path

from . import views

app_name = "products"
urlpatterns = [
    path("", views.product_list_view, name="product_list"),
    path("them/", views.product_create_view, name="product_create"),
    path("<int:pk>/", views.product_detail_view, name="product_detail"),
    path("<int:pk>/sua/", views.product_edit_view, name="product_edit"),
    path("<int:pk>/anh/", views.product_image_add_view, name="product_image_add"),
    path("<int:pk>/anh/<int:image_pk>/xoa/", views.product_image_delete_view, name="product_image_delete"),
]
