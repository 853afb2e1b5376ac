from django.urls import path

from doudi.referrals import exports, views

app_name = "referrals"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("export.<str:fmt>", exports.inbox_export, name="inbox_export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("households/<int:pk>/", views.household, name="household"),
]
