from django.urls import path

from doudi.audit import exports, views

app_name = "audit"
urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("export.<str:fmt>", exports.event_list_export, name="event_list_export"),
]
