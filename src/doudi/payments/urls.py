from django.urls import path

from doudi.payments import views

app_name = "payments"
urlpatterns = [
    path("", views.payroll_list, name="payroll_list"),
    path("<int:pk>/", views.payroll_detail, name="payroll_detail"),
    path("<int:pk>/progress/", views.payroll_progress, name="payroll_progress"),
    path("<int:pk>/export.<str:fmt>", views.payroll_export, name="payroll_export"),
    path("<int:pk>/<str:action>/", views.payroll_action, name="payroll_action"),
    path("households/<int:pk>/", views.household_history, name="household_history"),
    path("statements/", views.statements, name="statements"),
    path("chart/", views.chart, name="chart"),
    path("budget/", views.budget, name="budget"),
    path("price-linkage/", views.price_linkage, name="price_linkage"),
]
