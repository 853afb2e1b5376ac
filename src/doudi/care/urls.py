from django.urls import path

from doudi.care import views

app_name = "care"
urlpatterns = [
    path("", views.home, name="home"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/<int:pk>/new/", views.visit_new, name="visit_new"),
    path("persons/<int:person_pk>/arrangement/", views.arrangement_new, name="arrangement_new"),
    path("arrangements/<int:pk>/", views.arrangement_detail, name="arrangement_detail"),
    path("arrangements/<int:pk>/assessment/", views.assessment_new, name="assessment_new"),
    path("agreements/<int:pk>/<str:action>/", views.agreement_action, name="agreement_action"),
    path("institutions/", views.institution_list, name="institution_list"),
    path("institutions/<int:pk>/check/", views.check_new, name="check_new"),
    path("households/<int:pk>/plan/", views.plan, name="plan"),
    path("households/<int:pk>/targets/", views.target_add_view, name="target_add"),
]
