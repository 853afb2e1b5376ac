from django.urls import path

from doudi.selfservice import views

app_name = "selfservice"
urlpatterns = [
    path("", views.home, name="home"),
    path("attachments/", views.upload, name="upload"),
    path("authorisations/", views.sign, name="sign"),
]
