from django.urls import path

from doudi.hotline import views

app_name = "hotline"
urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("import/", views.ticket_import, name="import"),
    path("lines/", views.lines, name="lines"),
    path("lines/<int:pk>/check/", views.line_check, name="line_check"),
    path("public/", views.public_form, name="public"),
    path("<int:pk>/", views.ticket_detail, name="detail"),
    path("<int:pk>/caller/", views.caller, name="caller"),
    path("<int:pk>/act/<str:step>/", views.ticket_act, name="act"),
]
