from django.urls import path

from doudi.socialforces import views

app_name = "socialforces"
urlpatterns = [
    path("", views.home, name="home"),
    path("<str:action>/", views.act, name="act"),
    path("<str:action>/<int:pk>/", views.act, name="act_on"),
]
