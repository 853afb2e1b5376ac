from django.urls import path

from doudi.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("region-picker/", views.region_picker, name="region_picker"),
]
