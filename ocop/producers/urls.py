from django.urls import path

app_name = "producers"
urlpatterns: list = []
