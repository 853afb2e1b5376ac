from django.urls import path

from doudi.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("todo/", views.todo, name="todo"),
    path("oversight/", views.oversight, name="oversight"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/evaluation.xlsx", views.evaluation_xlsx, name="evaluation_xlsx"),
    path("statutory/", views.report_list, name="report_list"),
    path("statutory/<int:pk>/", views.report_detail, name="report_detail"),
    path("statutory/<int:pk>/report.xlsx", views.report_excel, name="report_xlsx"),
    path("statutory/<int:pk>/report.pdf", views.report_pdf_view, name="report_pdf"),
]
