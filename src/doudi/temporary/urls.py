from django.urls import path

from doudi.temporary import views

app_name = "temporary"
urlpatterns = [
    path("reserve-fund/", views.fund_list, name="fund_list"),
    path("reserve-fund/open/", views.fund_open, name="fund_open"),
    path("reserve-fund/<int:pk>/top-up/", views.fund_top_up, name="fund_top_up"),
    path("reserve-fund/top-ups/<int:pk>/confirm/", views.top_up_confirm, name="top_up_confirm"),
    path("advances/<int:pk>/confirm/", views.advance_confirm, name="advance_confirm"),
    path("cases/<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("cases/<int:pk>/minutes/", views.minutes_add, name="minutes_add"),
    path("band/<int:household_pk>/", views.band_preview, name="band_preview"),
]
