"""Registry URLs. Browsing views live in ``views`` (households, persons, evidence); spreadsheet import/export
(台账导入导出) in ``io_views``."""

from django.urls import path

from doudi.registry import edit_views, io_views, views

app_name = "registry"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", edit_views.household_edit, name="household_edit"),
    path("households/<int:pk>/account-changes/<int:change_id>/<str:decision>/", edit_views.account_change_decide,
         name="account_change_decide"),
    path("account-changes/", edit_views.account_change_list, name="account_changes"),
    path("households/<int:pk>/evidence/add/", views.evidence_add, name="evidence_add"),
    path("households/<int:pk>/evidence/<str:kind>/<int:evidence_id>/end/", views.evidence_end, name="evidence_end"),
    path("import/", io_views.import_upload, name="import"),
    path("import/template.xlsx", io_views.import_template, name="import_template"),
    path("export.<str:fmt>", io_views.export_households, name="export"),
]
