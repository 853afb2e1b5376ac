from django.urls import path

from doudi.eligibility import views

app_name = "eligibility"
urlpatterns = [
    path("households/<int:pk>/", views.household_evaluation, name="household_evaluation"),
]
