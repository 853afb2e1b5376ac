from django.urls import path

from doudi.administration.views import regions as views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="region_list"),
    path("changes/<int:pk>/<str:decision>/", views.change_decide, name="change_decide"),
    path("<str:code>/", views.region_detail, name="region_detail"),
    path("<str:code>/rename/", views.region_rename, name="region_rename"),
    path("<str:code>/office/", views.region_office, name="region_office"),
    path("<str:code>/changes/", views.change_request, name="change_request"),
]
