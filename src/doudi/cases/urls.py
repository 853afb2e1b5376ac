from django.urls import path

from doudi.cases.exports import case_list_export
from doudi.cases.views import archive, attachments, case, intake, locality, records

app_name = "cases"
urlpatterns = [
    path("", case.case_list, name="case_list"),
    path("export.<str:fmt>", case_list_export, name="case_list_export"),
    path("<int:pk>/", case.case_detail, name="case_detail"),
    path("<int:pk>/step/", case.case_step, name="case_step"),
    path("<int:pk>/investigations/", records.investigation_add, name="investigation_add"),
    path("<int:pk>/investigations/<int:investigation_pk>/sign/", records.investigation_sign,
         name="investigation_sign"),
    path("<int:pk>/verification/", records.verification_add, name="verification_add"),
    path("<int:pk>/verification/from-report/", records.verification_from_report, name="verification_from_report"),
    path("<int:pk>/appraisal/", records.appraisal_add, name="appraisal_add"),
    path("<int:pk>/notice-served/", records.notice_served, name="notice_served"),
    path("<int:pk>/appeals/", records.appeal_add, name="appeal_add"),
    path("<int:pk>/amount-confirm/", records.amount_confirm, name="amount_confirm"),
    path("<int:pk>/decision.pdf", records.decision_pdf_view, name="decision_pdf"),
    path("apply/<int:household_pk>/", intake.application_new, name="application_new"),
    path("<int:pk>/attachments/", attachments.case_attachment_add, name="case_attachment_add"),
    path("attachments/<int:pk>/", attachments.attachment_download, name="attachment_download"),
    path("households/<int:pk>/", archive.household_archive, name="household_archive"),
    path("persons/<int:pk>/", archive.person_archive, name="person_archive"),
    path("public/<str:region_code>/", archive.public_notice, name="public_notice"),
    path("<int:pk>/assist/", intake.application_assist, name="application_assist"),
    path("settings/", locality.locality_settings, name="locality_settings"),
    path("adjust/<int:entitlement_pk>/", intake.adjustment_new, name="adjustment_new"),
]
