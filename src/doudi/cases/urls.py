from django.urls import path

from doudi.cases import self_service, views
from doudi.cases.exports import case_list_export
from doudi.funds import views as fund_views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("export.<str:fmt>", case_list_export, name="case_list_export"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/step/", views.case_step, name="case_step"),
    path("<int:pk>/investigations/", views.investigation_add, name="investigation_add"),
    path("<int:pk>/verification/", views.verification_add, name="verification_add"),
    path("<int:pk>/appraisal/", views.appraisal_add, name="appraisal_add"),
    path("<int:pk>/payments/", views.payment_add, name="payment_add"),
    path("<int:pk>/minutes/", views.minutes_add, name="minutes_add"),
    path("<int:pk>/notice-served/", views.notice_served, name="notice_served"),
    path("<int:pk>/appeals/", views.appeal_add, name="appeal_add"),
    path("<int:pk>/decision.pdf", views.decision_pdf_view, name="decision_pdf"),
    path("apply/<int:household_pk>/", views.application_new, name="application_new"),
    path("me/", self_service.self_service, name="self_service"),
    path("me/attachments/", self_service.self_service_upload, name="self_service_upload"),
    path("me/authorisations/", self_service.self_service_sign, name="self_service_sign"),
    path("<int:pk>/attachments/", self_service.case_attachment_add, name="case_attachment_add"),
    path("attachments/<int:pk>/", self_service.attachment_download, name="attachment_download"),
    path("households/<int:pk>/", views.household_archive, name="household_archive"),
    path("persons/<int:pk>/", views.person_archive, name="person_archive"),
    path("public/<str:region_code>/", views.public_notice, name="public_notice"),
    # The reserve fund lives in the funds app; its screens are mounted here because /cases/ is the mounted prefix.
    path("reserve-fund/", fund_views.fund_list, name="fund_list"),
    path("reserve-fund/open/", fund_views.fund_open, name="fund_open"),
    path("reserve-fund/<int:pk>/top-up/", fund_views.fund_top_up, name="fund_top_up"),
    path("<int:pk>/assist/", views.application_assist, name="application_assist"),
    path("settings/", views.locality_settings, name="locality_settings"),
    path("adjust/<int:entitlement_pk>/", views.adjustment_new, name="adjustment_new"),
]
