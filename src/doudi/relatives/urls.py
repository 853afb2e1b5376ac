from django.urls import path

from doudi.relatives import views

app_name = "relatives"
urlpatterns = [
    path("", views.register, name="register"),
]
