from django.urls import path

from doudi.medical import views

app_name = "medical"
urlpatterns = [
    path("", views.claim_list, name="claim_list"),
    path("add/", views.claim_add, name="claim_add"),
    path("import/", views.claim_import, name="claim_import"),
    path("evaluate/", views.claims_evaluate, name="claims_evaluate"),
    path("<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("payroll/", views.payroll_make, name="payroll_make"),
    path("institutions/", views.institution_add, name="institution_add"),
    path("institutions/<int:pk>/", views.institution_edit, name="institution_edit"),
    path("institutions/<int:pk>/account-changes/<int:change_id>/<str:decision>/", views.institution_account_decide,
         name="institution_account_decide"),
    path("settlement/", views.settlement_make, name="settlement_make"),
]
