from django.urls import path

from doudi.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/publish/", views.round_publish, name="round_publish"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/action/", views.action_add, name="action_add"),
    path("actions/<int:pk>/<str:step>/", views.action_step, name="action_step"),
]
