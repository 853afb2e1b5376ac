from django.urls import path

from doudi.reviews import exports, views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="review_list"),
    path("export.<str:fmt>", exports.review_list_export, name="review_list_export"),
    path("scan/", views.scan, name="scan"),
    path("<int:pk>/", views.review_detail, name="review_detail"),
    path("<int:pk>/<str:action>/", views.review_action, name="review_action"),
    path("overpayments/", views.overpayment_list, name="overpayment_list"),
    path("overpayments/export.<str:fmt>", exports.overpayment_list_export, name="overpayment_list_export"),
    path("overpayments/<int:pk>/", views.overpayment_detail, name="overpayment_detail"),
    path("credit/", views.credit_list, name="credit_list"),
    path("job-offers/", views.job_offer_list, name="job_offer_list"),
    path("households/<int:pk>/credit/", views.household_credit, name="household_credit"),
]
