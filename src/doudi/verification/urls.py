from django.urls import path

from doudi.verification import views

app_name = "verification"
urlpatterns = [
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/authorisations/", views.authorisation_add, name="authorisation_add"),
    path("households/<int:pk>/requests/", views.request_add, name="request_add"),
    path("requests/<int:pk>/run/", views.request_run, name="request_run"),
    path(
        "discrepancies/<int:pk>/<str:decision>/",
        views.discrepancy_resolve,
        name="discrepancy_resolve",
    ),
    path("department-data/", views.department_data, name="department_data"),
]
