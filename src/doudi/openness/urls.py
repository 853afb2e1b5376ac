from django.urls import path

from doudi.openness import views

app_name = "openness"
urlpatterns = [
    path("", views.index, name="index"),
    path("<str:code>/", views.area, name="area"),
]
